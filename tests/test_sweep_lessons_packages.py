"""The sweep and lessons packages (issue 12): small modules whose imports run one way, and the
lessons command reachable both as ``python -m lab lessons`` and as ``python -m lab.lessons``."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from lab.cli import lessons_main, main

ROOT = Path(__file__).resolve().parents[1]
# Each package's modules, lowest first: a module may import only the ones before it.
ORDER = {
    "sweep": ["grammar", "machine_speed", "cost", "store", "plan", "stats", "answer", "executors"],
    "lessons": ["gradient", "kmeans", "wording", "checks", "checks_field", "catalogue_field",
                "checks_economics", "catalogue_economics", "catalogue", "runner"],
}
MAX_LINES = 600


def _lab_imports(path: Path) -> set[str]:
    """Every ``lab.*`` module ``path`` imports, function-local imports included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("lab."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lab"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)  # from lab.x import mod
    return found


@pytest.mark.parametrize("package", sorted(ORDER))
def test_package_modules_are_small_and_import_one_way(package):
    folder = ROOT / "lab" / package
    modules = ORDER[package]
    assert sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("__")) \
        == sorted(modules)
    for rank, name in enumerate(modules):
        path = folder / f"{name}.py"
        assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES, path
        higher = {f"lab.{package}.{m}" for m in modules[rank:]}
        assert not _lab_imports(path) & higher, f"{path.name} imports a module at or above it"


@pytest.mark.parametrize("package", sorted(ORDER))
def test_package_init_is_documentation_only(package):
    """No re-exports: a caller names the module that holds what it uses."""
    tree = ast.parse((ROOT / "lab" / package / "__init__.py").read_text(encoding="utf-8"))
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)  # the docstring


def test_the_old_flat_modules_are_gone():
    for name in ("sweep.py", "lessons.py", "lesson_gradient.py", "lesson_kmeans.py"):
        assert not (ROOT / "lab" / name).exists()


def test_lessons_command_lists_and_shows_like_the_old_entry_point(capsys):
    assert main(["lessons", "list"]) == 0
    listed = capsys.readouterr().out
    assert lessons_main(["list"]) == 0
    assert capsys.readouterr().out == listed
    assert listed.splitlines()[1].split() == ["2.", "lesson-sudden", "Sudden", "drift"]
    assert main(["lessons", "show", "2"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith("Situation: ") and "\nClaim: " in shown
    assert lessons_main(["show", "lesson-sudden"]) == 0
    assert capsys.readouterr().out == shown


def test_lessons_command_errors_are_one_line_with_exit_2(capsys):
    assert main(["lessons", "run", "lesson-nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: lesson: unknown lesson 'lesson-nope'") and err.count("\n") == 1
    assert lessons_main(["run", "lesson-kmeans", "--set", "oops"]) == 2
    assert "is not PATH=VALUE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["lessons", "bogus"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in err and err.count("\n") == 1


def test_python_dash_m_lab_lessons_still_runs():
    done = subprocess.run([sys.executable, "-m", "lab.lessons", "list"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split()[:2] == ["1.", "lesson-stable"]
