"""Every exercise has a solution to open after trying, laid out the same way in every notebook, and the
instructor's build (``make solutions``: every stub replaced by its solution, the series executed) makes
every check cell report correct."""
import ast
from pathlib import Path

import nbformat
import pytest

from annlib.checks import solutions

pytestmark = pytest.mark.filterwarnings("ignore::nbformat.warnings.MissingIDFieldWarning")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


def defined_functions(code):
    return {node.name for node in ast.parse(code).body if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_description_hints_stub_check_solution_in_that_order(path):
    nb = read(path)
    pairs = solutions.exercises(nb)                  # raises, naming the stub, if a solution is missing
    assert len(pairs) >= 3, f"{path.name}: {len(pairs)} exercises with a stub, NOTEBOOKS.md asks for at least 3"
    for i, code in pairs:
        stub = nb.cells[i]
        assert defined_functions(code) >= defined_functions(stub.source), (
            f"{path.name} cell {i}: the solution must define {sorted(defined_functions(stub.source))}")
        check = nb.cells[i + 1]
        assert solutions.is_check(check), f"{path.name}: the cell after the stub {i} is not its check"
        after = nb.cells[i + 2]
        assert after.cell_type == "markdown" and after.source.startswith(solutions.SOLUTION_MARK), (
            f"{path.name}: the Solution comes right after the check of the stub in cell {i}")
        assert "Why it is right" in after.source, f"{path.name} cell {i + 2}: say in one line why the solution is right"
        assert "<summary>Hint" not in after.source and "\n## " not in after.source and "### Exercise" not in after.source, (
            f"{path.name} cell {i + 2}: a Solution cell holds only the solution (hints go before the stub; the "
            "next exercise and the Summary get cells of their own)")
        before = nb.cells[i - 1]
        assert before.cell_type == "markdown", f"{path.name}: the stub in cell {i} follows its description"


def test_the_solutions_build_makes_every_check_report_correct(tmp_path):
    sources = {p: p.read_bytes() for p in NOTEBOOKS}
    report = solutions.build(Path(NOTEBOOKS[0]).parent, tmp_path)
    assert all(p.read_bytes() == text for p, text in sources.items()), "the build never changes notebooks/"
    assert set(report) >= {p.name for p in NOTEBOOKS}
    bad = {name: cells for name, (_, cells) in report.items() if cells}
    assert not bad, f"check cells that did not report correct in the solved series: {bad}"
    for path in NOTEBOOKS:
        n_checks, _ = report[path.name]
        assert n_checks >= 3, f"{path.name}: {n_checks} check cells"
        solved = read(tmp_path / path.name)
        assert not any(solutions.is_stub(c) for c in solved.cells), f"{path.name}: a stub was left in the build"
