"""The series with every exercise solved, for an instructor: ``make solutions``, i.e.

    python -m annlib.checks.solutions notebooks artifacts/solutions

Every exercise of a notebook is a stub cell (``raise NotImplementedError``), its check cell
(``checks.check_...``) and, after the check, a markdown cell that opens with
``<details><summary>Solution`` and holds the reference solution as a ```python block. The build
copies each notebook, puts each solution in place of its stub, runs the copy top to bottom and reads
what the check cells printed: every check must say "✅", none "❌" or "⏳". The executed copies (with
their outputs) are written to the output folder; the sources in ``notebooks/`` stay untouched.
"""
import pathlib
import re
import sys
import warnings

SOLUTION_MARK = "<details><summary>Solution"
_CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def is_stub(cell):
    return cell.cell_type == "code" and "raise NotImplementedError" in cell.source


def is_check(cell):
    return cell.cell_type == "code" and "checks.check_" in cell.source and not is_stub(cell)


def exercises(nb):
    """[(stub index, solution code)] for every stub cell of the notebook ``nb`` (an nbformat node).
    The solution is the python block of the first Solution cell after the stub, before the next stub.
    Raises ValueError naming the stub when it has none."""
    found = []
    for i, cell in enumerate(nb.cells):
        if not is_stub(cell):
            continue
        solution = None
        for later in nb.cells[i + 1:]:
            if is_stub(later):
                break
            if later.cell_type == "markdown" and later.source.lstrip().startswith(SOLUTION_MARK):
                blocks = _CODE_BLOCK.findall(later.source)
                solution = "\n".join(b.rstrip() for b in blocks) if blocks else None
                break
        if solution is None:
            first_line = cell.source.strip().splitlines()[0]
            raise ValueError(f"the exercise stub `{first_line}` (cell {i}) has no Solution cell after it: add a "
                             f"markdown cell starting with {SOLUTION_MARK!r} and holding a ```python block.")
        found.append((i, solution))
    return found


def solved(nb):
    """A copy of ``nb`` with every stub replaced by its solution."""
    import copy
    nb = copy.deepcopy(nb)
    for i, code in exercises(nb):
        nb.cells[i].source = code
    return nb


def check_outputs(nb):
    """[(cell index, printed text)] of every check cell of an executed notebook."""
    found = []
    for i, cell in enumerate(nb.cells):
        if is_check(cell):
            text = "".join(out.get("text", "") for out in cell.get("outputs", []) if out.get("output_type") == "stream")
            found.append((i, text))
    return found


def failures(nb):
    """The check cells of an executed notebook that did not all report correct: [(cell index, text)]."""
    return [(i, text) for i, text in check_outputs(nb)
            if "✅" not in text or "❌" in text or "⏳" in text]


def build(source_dir, out_dir, timeout=120):
    """Solve and run every notebook of ``source_dir``; write the executed copies to ``out_dir``.
    Returns {notebook name: (number of check cells, [(cell index, text) of those not all correct])}."""
    import nbformat
    from nbclient import NotebookClient
    source_dir, out_dir = pathlib.Path(source_dir), pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = {}
    for path in sorted(source_dir.glob("*.ipynb")):
        with warnings.catch_warnings():             # the sources are nbformat 4.4: cells without ids
            warnings.simplefilter("ignore", nbformat.validator.MissingIDFieldWarning)
            nb = solved(nbformat.read(path, as_version=4))
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(source_dir)}}).execute()
            nbformat.write(nb, out_dir / path.name)
        report[path.name] = (len(check_outputs(nb)), failures(nb))
    return report


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m annlib.checks.solutions NOTEBOOK_DIR OUT_DIR", file=sys.stderr)
        return 2
    report = build(*argv)
    for name, (n_checks, bad) in report.items():
        print(f"{'✅' if not bad else '❌'} {name}: {n_checks - len(bad)} of {n_checks} check cells report correct")
        for i, text in bad:
            print(f"   cell {i}: {text.strip() or '(printed nothing)'}")
    print(f"solved series: {argv[1]}")
    return 1 if any(bad for _, bad in report.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
