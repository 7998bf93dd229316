"""The environment files agree, and the core imports nothing but numpy (and what it needs)."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def requirements():
    """The non-comment, non-empty lines of requirements.txt."""
    lines = (line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def environment_pip_entries():
    """The entries under ``- pip:`` in environment.yml (read by hand: the test needs no YAML library)."""
    entries, in_pip, pip_indent = [], False, None
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if stripped in ("- pip:", "-pip:"):
            in_pip, pip_indent = True, indent
            continue
        if in_pip:
            if indent <= pip_indent or not stripped.startswith("-"):
                break
            entries.append(stripped[1:].split(" #")[0].strip())
    return entries


def test_environment_yml_lists_the_requirements():
    req, env = requirements(), environment_pip_entries()
    assert req, "requirements.txt is empty?"
    assert len(set(env)) == len(env), "environment.yml lists a package twice"
    missing, extra = sorted(set(req) - set(env)), sorted(set(env) - set(req))
    assert not missing and not extra, (f"environment.yml pip entries differ from requirements.txt: "
                                       f"missing {missing}, extra {extra}")


def test_environment_yml_parser_sees_the_pip_section():
    entries = environment_pip_entries()
    assert any(e.startswith("numpy") for e in entries) and "-e ." in entries


def test_import_annlib_does_not_import_plotting_widgets_or_sklearn():
    code = ("import json, sys; import annlib; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('matplotlib', 'ipywidgets', 'sklearn', 'scipy', 'IPython', 'tqdm', 'annlib'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    heavy = [m for m in loaded if not m.startswith("annlib")]
    assert not heavy, f"import annlib imported {heavy}"
    assert not {"annlib.plots", "annlib.widgets", "annlib.checks"} & set(loaded), loaded


def test_public_names_exist():
    import annlib
    for name in ("Dense", "Dropout", "Sequential", "mlp", "fit", "gradcheck", "numerical_gradient", "SGD", "Adam",
                 "AdamW", "RMSProp", "AdaGrad", "MSELoss", "SoftmaxCrossEntropy", "save", "load", "DivergenceError",
                 "ShapeError", "EarlyStopping", "History", "Callback", "load_digits", "train_test_split"):
        assert hasattr(annlib, name), name
    assert annlib.__version__
