"""Every notebook in notebooks/ is stored clean (no outputs, no execution counts) and every lesson notebook
(name starting with two digits, e.g. 03_forward.ipynb) opens with a "Step N of 7" title cell."""
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
LESSONS = [p for p in NOTEBOOKS if re.match(r"\d\d", p.name)]


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_outputs_stored(path):
    dirty = [i for i, cell in enumerate(load(path)["cells"])
             if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: code cells {dirty} have stored outputs or execution counts. Clear them "
                       "(JupyterLab: Edit → Clear Outputs of All Cells; or `jupyter nbconvert --clear-output "
                       "--inplace`) and save again.")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_starts_with_its_step_title(path):
    cells = load(path)["cells"]
    assert cells and cells[0]["cell_type"] == "markdown", f"{path.name}: the first cell must be the title (markdown)"
    lines = "".join(cells[0]["source"]).strip().splitlines()
    n = int(path.name[:2])
    headings = [line for line in lines if line.startswith("#")]
    assert lines and lines[0].startswith("#"), f"{path.name}: the first cell must open with a title (# ...)"
    assert any(f"Step {n} of 7" in h for h in headings), (
        f"{path.name}: the title cell needs a heading line with 'Step {n} of 7', got headings {headings}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_python3_kernel(path):
    assert load(path)["metadata"].get("kernelspec", {}).get("name") == "python3"
