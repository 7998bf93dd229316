"""The house of DESIGN.md, checked from the source: every module under annlib/ is parsed (not imported) and
its imports, anywhere in the file (in functions too), are compared with the floors.

    core (annlib/*.py, numpy only)  <  plots  <  checks  <  playground  <  widgets

A floor imports only from the floors below it and from its own package; the core imports no floor and
none of the notebook display stack (matplotlib, ipywidgets, IPython); no two modules import each other,
directly or round a longer loop; in a floor package, notebook N's module imports only the underscore
module and the modules of earlier notebooks; no file in annlib/ is over 400 lines.
"""
import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "annlib"
FLOORS = ("core", "plots", "checks", "playground", "widgets")         # bottom to top
DISPLAY_STACK = {"matplotlib", "ipywidgets", "IPython"}
MAX_LINES = 400


def module_name(path):
    """annlib/widgets/nb1.py -> "annlib.widgets.nb1"; annlib/widgets/__init__.py -> "annlib.widgets"."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


PATHS = sorted(PACKAGE.rglob("*.py"))
MODULES = {module_name(p): p for p in PATHS}


def floor(name):
    """The floor a module belongs to: the package under annlib it is in, or the core."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FLOORS else "core"


def _known(target):
    """The annlib module an import of ``target`` loads: the longest prefix of it that is a module."""
    while target not in MODULES and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def imports(name):
    """(annlib modules, top-level names of other packages) imported anywhere in module ``name``."""
    path = MODULES[name]
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    internal, external = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:         # relative: "from .. import plots" in annlib/widgets/nb1.py -> annlib.plots
                base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] == "annlib":
                internal.add(_known(target))
            else:
                external.add(target.split(".")[0])
    internal.discard(name)
    return internal, external


GRAPH = {name: imports(name)[0] for name in MODULES}


def test_the_module_list_is_sane():
    assert {"annlib", "annlib.network", "annlib.widgets", "annlib.playground.trainer"} <= set(MODULES)
    doubles = sorted({module_name(p) for p in PATHS if sum(module_name(q) == module_name(p) for q in PATHS) > 1})
    assert not doubles, (f"{doubles}: both a module X.py and a package X/ (the package hides the file); "
                         "delete the old file")


def test_no_file_in_annlib_is_over_400_lines():
    files = [p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    too_long = {str(p.relative_to(ROOT)): n for p in files
                if (n := len(p.read_text(encoding="utf-8", errors="replace").splitlines())) > MAX_LINES}
    assert not too_long, f"files over {MAX_LINES} lines: {too_long}"


def test_the_core_imports_no_floor_and_no_display_library():
    bad = {}
    for name in MODULES:
        if floor(name) != "core":
            continue
        internal, external = imports(name)
        wrong = sorted(t for t in internal if floor(t) != "core") + sorted(external & DISPLAY_STACK)
        if wrong:
            bad[name] = wrong
    assert not bad, f"the core (numpy only) imports a floor or a display library: {bad}"


def test_each_floor_imports_only_from_the_floors_below_it():
    upward = {}
    for name, targets in GRAPH.items():
        level = FLOORS.index(floor(name))
        wrong = sorted(t for t in targets if FLOORS.index(floor(t)) > level)
        if wrong:
            upward[name] = wrong
    assert not upward, f"imports from a floor above ({' < '.join(FLOORS)}): {upward}"


def _cycles(graph):
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in graph:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_between_modules():
    cycles = _cycles(GRAPH)
    assert not cycles, "modules that import each other (directly or round a loop): " + "; ".join(
        " <-> ".join(c) for c in cycles)


def _notebook(name):
    """3 for "annlib.plots.nb3", None for anything else."""
    last = name.rsplit(".", 1)[-1]
    return int(last[2:]) if last.startswith("nb") and last[2:].isdigit() else None


def test_a_notebook_module_imports_only_the_underscore_module_and_earlier_notebooks():
    wrong = {}
    for name, targets in GRAPH.items():
        package, _, last = name.rpartition(".")
        if not (last.startswith("_") or _notebook(name)):
            continue
        for t in targets:
            if t.rsplit(".", 1)[0] == package and _notebook(t) and (
                    last.startswith("_") or _notebook(t) >= _notebook(name)):
                wrong.setdefault(name, []).append(t)
    assert not wrong, f"an underscore module imports a notebook module, or nbN imports nbM with M >= N: {wrong}"


def test_the_playground_trainer_loads_without_matplotlib_or_ipywidgets():
    internal, external = imports("annlib.playground.trainer")
    assert not external & DISPLAY_STACK
    code = ("import json, sys; from annlib.playground import Trainer; import annlib.playground.trainer; "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in " + repr(sorted(DISPLAY_STACK))
            + ")))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
