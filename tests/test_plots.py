"""The re-exports of the plots and checks packages: every name the notebooks, widgets, playground, tests
and benchmarks use still resolves through the package (``plots.draw_network``, ``checks.WRONG``), and every
public name of a submodule (``plots/nb5.py``, ``checks/_check.py``, ...) is in the package's ``__all__``.
The floors and file lengths are checked in test_floors.py."""
import ast
import importlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("plots", "checks")


def source_text(path):
    """A .py file's text, or the code cells of a notebook joined."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return path.read_text(encoding="utf-8")


def users(package):
    """(path, text) of every file outside the package that imports it from annlib."""
    imports = re.compile(rf"from (annlib|\.+) import [^\n]*\b{package}\b|from (annlib)?\.*{package} import")
    files = [*(ROOT / "annlib").rglob("*.py"), *(ROOT / "tests").rglob("*.py"),
             *(ROOT / "benchmarks").glob("*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
    for path in files:
        if path.is_relative_to(ROOT / "annlib" / package) or path == Path(__file__).resolve():
            continue
        text = source_text(path)
        if imports.search(text):
            yield path, text


def used_names(package):
    """{name: [files]} for ``package.name`` and ``from .package import name`` outside the package."""
    found = {}
    for path, text in users(package):
        names = set(re.findall(rf"(?<![\w.]){package}\.([A-Za-z_]\w*)", text)) - {"py"}    # not "plots.py"
        for inner, line in re.findall(rf"from (?:annlib)?\.*{package} import (?:\(([^)]*)\)|([\w ,]+))", text):
            group = (inner or line).split("#")[0]
            names.update(n.split(" as ")[0].strip() for n in group.replace("\n", ",").split(",") if n.strip())
        for name in names:
            found.setdefault(name, []).append(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_every_name_used_anywhere_resolves(package):
    module = importlib.import_module(f"annlib.{package}")
    used = used_names(package)
    assert len(used) > 10, f"found only {sorted(used)}: is the scan broken?"
    missing = {name: files for name, files in used.items() if not hasattr(module, name)}
    assert not missing, f"annlib.{package} lacks names that are used: {missing}"


@pytest.mark.parametrize("package", PACKAGES)
def test_all_lists_every_public_name_of_the_submodules(package):
    module = importlib.import_module(f"annlib.{package}")
    assert len(set(module.__all__)) == len(module.__all__), "a name is listed twice in __all__"
    for name in module.__all__:
        assert hasattr(module, name), name
    for path in sorted((ROOT / "annlib" / package).glob("*.py")):
        if path.stem == "__init__" or path.stem in module.__all__:     # a submodule exported whole keeps its names
            continue
        sub = importlib.import_module(f"annlib.{package}.{path.stem}")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
        defined |= {t.id for node in tree.body if isinstance(node, ast.Assign)
                    for target in node.targets for t in ast.walk(target) if isinstance(t, ast.Name)}
        for name in sorted(n for n in defined if not n.startswith("_")):
            assert name in module.__all__, f"{package}/{path.name} defines {name}, missing from __all__"
            assert getattr(module, name) is getattr(sub, name), name
