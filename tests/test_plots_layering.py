"""The figures take data only: lab/plots/ imports no lab module but lab.spec (and itself), and
no figure function takes a model (issue 12's layering, checked on the source with ast, counting
function-local imports too)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from lab import plots

PLOTS_DIR = Path(__file__).resolve().parents[1] / "lab" / "plots"
MODEL_WORDS = ("model", "snapshot", "estimator", "learner")


def lab_imports(source: str) -> list[str]:
    """Every ``lab...`` module imported anywhere in ``source`` (top level or inside functions)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "lab"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "lab":
                found += [node.module] if node.module != "lab" else [
                    f"lab.{a.name}" for a in node.names]
    return found


def forbidden(module: str) -> bool:
    return not any(module == ok or module.startswith(ok + ".") for ok in ("lab.plots", "lab.spec"))


def test_the_check_sees_top_level_and_function_local_imports():
    source = "from lab.spec import columns\ndef f():\n    from lab.lesson_kmeans import X\n"
    assert [m for m in lab_imports(source) if forbidden(m)] == ["lab.lesson_kmeans"]
    assert [m for m in lab_imports("from lab import engine") if forbidden(m)] == ["lab.engine"]


def test_plots_import_only_lab_spec():
    files = sorted(PLOTS_DIR.glob("*.py"))
    assert len(files) >= 7, files
    bad = {p.name: [m for m in lab_imports(p.read_text()) if forbidden(m)] for p in files}
    assert not {k: v for k, v in bad.items() if v}, bad


def test_no_figure_function_takes_a_model():
    figures = [getattr(plots, n) for n in plots.__all__ if n.endswith("_figure")]
    assert len(figures) >= 14
    for fig in figures:
        for name in inspect.signature(fig).parameters:
            assert not any(w in name.lower() for w in MODEL_WORDS), (fig.__name__, name)
