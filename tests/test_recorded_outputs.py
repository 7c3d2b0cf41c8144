"""Every shipped preset still produces the outputs recorded before the restructuring.

Byte-identical except CPU seconds and library versions (see ``tests/recorded_outputs.py``). A
failure means a change of behaviour: if it is intended, re-record with
``python tests/recorded_outputs.py`` and say why in the commit.
"""

import pytest
from recorded_outputs import RECORDED, preset_outputs

from lab.presets import PRESETS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_outputs_match_the_recording(name):
    files = preset_outputs(name)
    recorded = sorted(p.name for p in (RECORDED / name).iterdir())
    assert sorted(files) == recorded
    for file_name, text in files.items():
        expected = (RECORDED / name / file_name).read_text(encoding="utf-8")
        assert text == expected, f"{name}/{file_name} differs from the recording"
