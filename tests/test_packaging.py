"""The packaged project (issue 12): the ``driftlab`` command is ``python -m lab``, and tests and
benches import the installed ``lab``/``ui`` instead of editing ``sys.path``."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_driftlab_command_is_python_m_lab():
    command = shutil.which("driftlab", path=str(Path(sys.executable).parent))
    assert command, "no `driftlab` next to this Python: install the project (`pip install -e .`)"
    for args in (["presets"], ["schema"]):
        script = subprocess.run([command, *args], capture_output=True, text=True, timeout=60)
        module = subprocess.run([sys.executable, "-m", "lab", *args], capture_output=True,
                                text=True, timeout=60)
        assert script.returncode == module.returncode == 0, script.stderr + module.stderr
        assert script.stdout == module.stdout and script.stdout.strip()


def test_runtime_dependencies_are_requirements_txt():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "dependencies" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"] == {
        "file": ["requirements.txt"]}


def test_no_test_or_bench_edits_sys_path():
    edits = [f"{path.relative_to(ROOT)}:{number}"
             for path in sorted([*ROOT.glob("tests/*.py"), *ROOT.glob("bench/*.py")])
             if path.name != Path(__file__).name
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if re.search(r"sys\.path\.(insert|append|extend)|sys\.path\s*[+]?=", line)]
    assert not edits, edits


def test_ruff_is_clean():
    """The configured linter (``[tool.ruff]`` in pyproject.toml) finds nothing."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is in requirements-dev.txt: install it"
    result = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-1000:]
