"""How good are the predictions? Accuracy and the confusion matrix."""
import numpy as np


def labels(y, logits=False):
    """Class labels (n,) from any form targets or outputs take, the one place annlib does this:
    labels (n,) as they are; one-hot, probability or score rows (n, C) by their largest entry; one
    probability column (n, 1), or probabilities (n,), by whether P(class 1) > 0.5 (a logit: > 0)."""
    y = np.asarray(y)
    if y.ndim not in (1, 2) or y.dtype.kind not in "biuf":        # bool, integer or float numbers
        raise ValueError(f"expected class labels (n,), rows of scores (n, C) or one column (n, 1) of numbers, "
                         f"got {y.dtype} of shape {y.shape}.")
    if y.ndim == 2 and y.shape[1] > 1:
        return y.argmax(axis=1)
    if y.ndim == 2:
        y = y[:, 0]
    if logits:
        return (y > 0).astype(np.intp)
    if y.dtype.kind == "f" and not np.all(y == np.round(y)):
        return (y > 0.5).astype(np.intp)      # probabilities of class 1
    return y.astype(np.intp)


def accuracy(y_true, y_pred):
    """Fraction of samples whose predicted class equals the true class.
    Either argument may be labels, one-hot rows or probability rows. Note the order: truth first, as in
    scikit-learn (a loss takes the prediction first, as in PyTorch)."""
    t, p = labels(y_true), labels(y_pred)
    if t.shape != p.shape:
        raise ValueError(f"accuracy: {t.shape[0]} true labels but {p.shape[0]} predictions.")
    return float(np.mean(t == p)) if t.size else float("nan")


def confusion_matrix(y_true, y_pred, n_classes=None):
    """C[i, j] = number of samples of true class i predicted as class j (rows: truth, columns: prediction)."""
    t, p = labels(y_true), labels(y_pred)
    n_classes = n_classes or int(max(t.max(initial=0), p.max(initial=0)) + 1)
    for what, classes in (("y_true", t), ("y_pred", p)):
        if classes.size and (classes.min() < 0 or classes.max() >= n_classes):
            raise ValueError(f"confusion_matrix: {what} has labels outside 0..{n_classes - 1}.")
    C = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(C, (t, p), 1)
    return C
