"""Accuracy and the confusion matrix."""
import numpy as np
import pytest

import annlib
from annlib import accuracy, confusion_matrix


def test_accuracy_from_labels_one_hot_and_probabilities():
    y = np.array([0, 1, 2, 1])
    pred = np.array([0, 2, 2, 1])
    assert accuracy(y, pred) == 0.75
    assert accuracy(annlib.one_hot(y), annlib.one_hot(pred)) == 0.75
    proba = np.array([[0.8, 0.1, 0.1], [0.1, 0.3, 0.6], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3]])
    assert accuracy(y, proba) == 0.75
    assert accuracy([1, 0, 1], np.array([[0.9], [0.2], [0.4]])) == pytest.approx(2 / 3)   # P(class 1) column
    assert accuracy([1, 0, 1], np.array([0.9, 0.2, 0.4])) == pytest.approx(2 / 3)
    assert accuracy(np.array([[1.0], [0.0]]), np.array([1, 0])) == 1.0
    with pytest.raises(ValueError, match="3 true labels but 2 predictions"):
        accuracy([0, 1, 1], [0, 1])


def test_confusion_matrix():
    y = np.array([0, 0, 1, 2, 2, 2])
    pred = np.array([0, 1, 1, 2, 0, 2])
    C = confusion_matrix(y, pred)
    np.testing.assert_array_equal(C, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])       # rows: truth, columns: prediction
    assert C.sum() == len(y) and np.trace(C) / C.sum() == accuracy(y, pred)
    np.testing.assert_array_equal(C.sum(axis=1), np.bincount(y))
    assert confusion_matrix(y, pred, n_classes=5).shape == (5, 5)
    np.testing.assert_array_equal(confusion_matrix(y, annlib.one_hot(pred)), C)
