"""The documents in ``docs/`` are the project's contract: they must name what the code has.

Every key path of ``python -m lab schema`` appears in ``docs/config.md`` (as ``key.path``, list
items written ``[]``), every summary key and timeline column in ``docs/outputs.md``, and the
README and docs link only to files that exist in the repository.
"""

from __future__ import annotations

import re
from pathlib import Path

from lab.spec.columns import TIMELINE_COLUMNS
from lab.validate import json_schema

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def schema_paths(node: dict, prefix: str = "") -> list[str]:
    """Every key path under ``node`` (objects' properties, arrays' items as ``[]``)."""
    paths = []
    for key, sub in node.get("properties", {}).items():
        path = f"{prefix}.{key}" if prefix else key
        paths.append(path)
        paths += schema_paths(sub, path)
    if isinstance(node.get("items"), dict):
        paths += schema_paths(node["items"], f"{prefix}[]")
    return paths


def test_schema_paths_walk_nested_objects_and_lists():
    toy = {"properties": {"a": {"properties": {"b": {}}},
                          "c": {"items": {"properties": {"d": {}}}}}}
    assert schema_paths(toy) == ["a", "a.b", "c", "c[].d"]


def test_config_doc_names_every_schema_key():
    text = (DOCS / "config.md").read_text(encoding="utf-8")
    missing = [p for p in schema_paths(json_schema()) if f"`{p}`" not in text]
    assert missing == [], f"docs/config.md does not describe: {missing}"


def test_outputs_doc_names_every_timeline_column():
    text = (DOCS / "outputs.md").read_text(encoding="utf-8")
    assert [c for c in TIMELINE_COLUMNS if f"`{c}`" not in text] == []


def test_outputs_doc_names_every_summary_key(tmp_path):
    import json

    from lab.presets import load_preset
    from lab.race.engine import run_race
    from lab.race.metrics import summarise

    summary = summarise(run_race(load_preset("sudden").with_overrides(
        {"stream.n_samples": 3000, "stream.drifts[0].at": 2000, "evaluation.baselines": True})))
    text = (DOCS / "outputs.md").read_text(encoding="utf-8")
    keys = set(summary) | {k for c in summary["contenders"] for k in c} | \
        {k for d in summary["drifts"] for k in d}
    json.dumps(summary)  # the summary is what summary.json holds
    assert sorted(k for k in keys if f"`{k}`" not in text) == []


def test_links_in_readme_and_docs_point_to_files_that_exist():
    broken = []
    for doc in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            if not (doc.parent / target).exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_nothing_points_outside_the_repository_for_the_design():
    offenders = [str(p.relative_to(ROOT)) for p in [ROOT / "README.md", *ROOT.glob("lab/**/*.py"),
                                                   *ROOT.glob("ui/**/*.py"), ROOT / "app.py"]
                 if "shared/DESIGN.md" in p.read_text(encoding="utf-8")
                 or "DESIGN.md" in p.read_text(encoding="utf-8")]
    assert offenders == []
