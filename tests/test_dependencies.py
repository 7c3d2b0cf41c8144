"""Every third-party package the code imports is a declared dependency.

``ui/race.py`` and the lessons imported ``threadpoolctl`` (and ``lab/data/stream.py`` imports
``scipy``) while ``requirements.txt`` did not name them: they came in only as dependencies of
scikit-learn and river, so a release of those that dropped them would break the app. This test
reads every import of ``lab/``, ``ui/`` and ``app.py`` (function-local ones included) and
looks for each module's distribution in ``requirements.txt``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Imported only by an optional feature, installed by requirements-dev.txt.
OPTIONAL = {"distributed": "dask"}  # the sweep's --scheduler (lab/sweep/executors.py)
# Import names that differ from their distribution's name.
DISTRIBUTION = {"sklearn": "scikit-learn"}
IMPORT = re.compile(r"^\s*(?:from\s+([A-Za-z_]\w*)[\w.]*\s+import\b|import\s+([A-Za-z_][\w., ]*))",
                    re.MULTILINE)


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[\[<>=!~ ;]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def _imported_modules() -> dict[str, str]:
    """Top-level module name -> one file importing it, for every non-stdlib, non-project
    import."""
    files = [*ROOT.joinpath("lab").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py"),
             ROOT / "app.py"]
    found: dict[str, str] = {}
    for path in files:
        for match in IMPORT.finditer(path.read_text(encoding="utf-8")):
            names = [match.group(1)] if match.group(1) else match.group(2).split(",")
            for name in names:
                top = name.strip().split(" ")[0].split(".")[0]
                if top and top not in sys.stdlib_module_names and top not in ("lab", "ui"):
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_imported_package_is_in_requirements():
    required = _requirement_names(ROOT / "requirements.txt")
    dev = _requirement_names(ROOT / "requirements-dev.txt")
    imported = _imported_modules()
    assert "threadpoolctl" in imported and "numpy" in imported  # the scan sees imports
    missing = []
    for module, where in sorted(imported.items()):
        if module in OPTIONAL:
            assert OPTIONAL[module] in dev, f"{module} ({where}): {OPTIONAL[module]} not in dev"
            continue
        if DISTRIBUTION.get(module, module).lower().replace("_", "-") not in required:
            missing.append(f"{module} (imported by {where})")
    assert not missing, f"not in requirements.txt: {missing}"


def test_requirement_bounds_have_a_floor_and_a_ceiling():
    """New runtime dependencies follow the file's style: a lower and an upper bound (or a pin)."""
    for name in ("threadpoolctl", "scipy"):
        line = next(row for row in (ROOT / "requirements.txt").read_text().splitlines()
                    if row.startswith(name))
        assert ">=" in line and "<" in line.replace("<=", "<"), line
