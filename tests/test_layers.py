"""The core's imports run one way (issue 12): a module imports only its own package and lower
layers, counting function-local imports, so that no import cycle can hide behind a deferred
import again; lab never imports streamlit; no module imports another module's private name;
no module grows past :data:`MAX_LINES`.

The order, top to bottom (``cli`` may import everything, ``spec`` nothing of lab):
cli > presets > lessons > budget > sweep > race > validate > policies > learners > data > plots
> spec. ``plots`` sits low because figures take plain data.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

LAB = Path(__file__).resolve().parents[1] / "lab"

LAYERS = ("spec", "plots", "data", "learners", "policies", "validate", "race", "sweep", "budget",
          "lessons", "presets", "cli")  # bottom to top

# Modules that belong to a layer without sharing its name: the entry points (`python -m lab`,
# `python -m lab.lessons`) run the CLI and are imported by nothing.
LAYER_OF_MODULE = {"lab.__main__": "cli", "lab.lessons.__main__": "cli"}

MAX_LINES = 650
# Modules over MAX_LINES, each with its reason; shrink this list, never grow it.
TOO_LONG_ALLOWED: dict[str, str] = {}

# Known back edges, each with its reason; shrink this list, never grow it (empty since the
# restructuring of issue 12 landed).
KNOWN_VIOLATIONS: dict[str, str] = {}


def _unknown(problems: list[str]) -> list[str]:
    """``problems`` without the :data:`KNOWN_VIOLATIONS` (matched without the line number)."""
    def key(problem):
        where, _, rest = problem.partition(" imports ")
        return f"{where.rsplit(':', 1)[0]} imports {rest.split(' (')[0]}"
    return [p for p in problems if key(p) not in KNOWN_VIOLATIONS]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(LAB.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str | None:
    """The layer of a lab module (``lab.race.engine`` -> ``race``); None for the package ``lab``
    itself (its face imports nothing at import time) and for modules outside lab."""
    if module in LAYER_OF_MODULE:
        return LAYER_OF_MODULE[module]
    parts = module.split(".")
    if parts[0] != "lab" or len(parts) == 1:
        return None
    if parts[1] not in LAYERS:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS or LAYER_OF_MODULE")
    return parts[1]


def _exports() -> dict[str, str]:
    """``lab``'s lazy exports (name -> module): ``from lab import run_race`` imports lab.race."""
    tree = ast.parse((LAB / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "_EXPORTS"
                                                for t in node.targets):
            return ast.literal_eval(node.value)
    return {}


def imports_of(path: Path) -> list[tuple[str, str, int]]:
    """(imported module, imported name or "", line) for every import in the file, at any depth
    (function-local imports count: they only defer a cycle, they do not remove it)."""
    tree = ast.parse(path.read_text())
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    exports = _exports()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from .x import y
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            for alias in node.names:
                target = base
                if base == "lab":  # from lab import plots / run_race
                    if (LAB / f"{alias.name}.py").exists() or (LAB / alias.name).is_dir():
                        target = f"lab.{alias.name}"
                    elif alias.name in exports:
                        target = exports[alias.name]
                elif (LAB.parent / base.replace(".", "/") / alias.name).is_dir() or \
                        (LAB.parent / base.replace(".", "/") / f"{alias.name}.py").exists():
                    target = f"{base}.{alias.name}"  # from lab.data.csv import limits
                    found.append((target, "", node.lineno))
                    continue
                found.append((target, alias.name, node.lineno))
    return found


def lab_graph() -> dict[str, list[tuple[str, str, int]]]:
    return {module_name(p): imports_of(p) for p in sorted(LAB.rglob("*.py"))}


def layer_violations(graph: dict[str, list[tuple[str, str, int]]]) -> list[str]:
    """Every import that goes up the layer order, or sideways into another package of the same
    rank (there is none: one package per layer)."""
    problems = []
    for importer, imports in graph.items():
        mine = layer_of(importer)
        for target, _name, line in imports:
            theirs = layer_of(target)
            if mine is None or theirs is None:
                continue
            if LAYERS.index(theirs) > LAYERS.index(mine):
                problems.append(f"{importer}:{line} imports {target} ({mine} < {theirs})")
    return problems


def private_imports(graph: dict[str, list[tuple[str, str, int]]]) -> list[str]:
    return [f"{importer}:{line} imports {name} from {target}"
            for importer, imports in graph.items()
            for target, name, line in imports
            if target.startswith("lab") and target != importer
            and name.startswith("_") and not name.startswith("__")]


def test_lab_imports_run_one_way():
    assert _unknown(layer_violations(lab_graph())) == []


def test_no_lab_module_imports_another_modules_private_name():
    assert _unknown(private_imports(lab_graph())) == []


def test_known_violations_still_exist():
    """A fixed known violation must leave :data:`KNOWN_VIOLATIONS`, so the list only shrinks."""
    graph = lab_graph()
    found = layer_violations(graph) + private_imports(graph)
    assert sorted(k for k in KNOWN_VIOLATIONS if k in set(_unknown(found)) or
                  not any(k not in _unknown([p]) for p in found)) == []


def test_lab_never_imports_streamlit():
    offenders = [f"{m}:{line}" for m, imports in lab_graph().items()
                 for target, _, line in imports if target.split(".")[0] == "streamlit"]
    assert offenders == []


def test_every_lab_module_has_a_layer():
    for module in lab_graph():
        layer_of(module)  # raises for a module in no layer


def test_no_lab_module_is_over_the_line_limit():
    long = {str(p.relative_to(LAB.parent)): n for p in LAB.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert {p: n for p, n in long.items() if p not in TOO_LONG_ALLOWED} == {}
    # an allowed exception that has been split must leave the list
    assert sorted(p for p in TOO_LONG_ALLOWED if p not in long) == [], "shrink TOO_LONG_ALLOWED"


# -- the checks themselves catch what they are for -------------------------------------------
@pytest.mark.parametrize("importer,target", [
    ("lab.spec.experiment", "lab.validate"),      # the back edge this layout removed
    ("lab.data.datasets", "lab.validate"),
    ("lab.policies.base", "lab.race.engine"),
    ("lab.plots", "lab.data.stream"),             # figures take plain data
    ("lab.race.metrics", "lab.sweep"),
    ("lab.learners", "lab.policies.base"),
])
def test_a_back_edge_is_a_violation(importer, target):
    graph = {importer: [(target, "x", 7)]}
    assert layer_violations(graph) == [
        f"{importer}:7 imports {target} ({layer_of(importer)} < {layer_of(target)})"]


def test_a_function_local_import_counts(tmp_path, monkeypatch):
    fake = tmp_path / "lab"
    (fake / "spec").mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "spec" / "__init__.py").write_text("")
    (fake / "validate.py").write_text("")
    (fake / "spec" / "errors.py").write_text(
        "def late():\n    from lab.validate import parse_experiment\n    from lab import _hidden\n")
    monkeypatch.setattr(sys.modules[__name__], "LAB", fake)
    graph = lab_graph()
    assert layer_violations(graph) == [
        "lab.spec.errors:2 imports lab.validate (spec < validate)"]
    assert private_imports(graph) == ["lab.spec.errors:3 imports _hidden from lab"]


def test_downward_and_same_package_imports_are_allowed():
    graph = {"lab.race.engine": [("lab.race.metrics", "summarise", 1), ("lab.spec.errors", "", 2),
                                 ("lab.policies.registry", "make_policy", 3), ("numpy", "", 4)],
             "lab.cli": [("lab.presets", "load_preset", 1)]}
    assert layer_violations(graph) == []


def test_a_private_name_from_another_module_is_reported():
    graph = {"lab.data.datasets": [("lab.data.csv.read", "_reading", 3),
                                   ("lab.data.csv.read", "check_csv", 4)]}
    assert private_imports(graph) == ["lab.data.datasets:3 imports _reading from lab.data.csv.read"]
