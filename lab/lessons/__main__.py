"""``python -m lab.lessons ...``: the same as ``python -m lab lessons ...`` (see :mod:`lab.cli`).

An entry point, not a module anything imports: it may call up into :mod:`lab.cli`, which sits
above the lessons in the layering.
"""

import sys

from lab.cli import lessons_main

sys.exit(lessons_main())
