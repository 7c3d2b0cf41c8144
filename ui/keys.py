"""Every session-state key the app reads or writes by name, in one place.

Widgets that edit the config have keys derived from config paths (``ui.state``: ``n_samples``,
``c<uid>_<field>``, ``d<uid>_...``; the lessons' ``ls<number>_<field>`` in
``ui.pages.lessons.wkey``); the What-if tab's widget keys are ``ui.whatif.KEYS``. The names below
are the rest: the app's own bookkeeping (leading underscore: never a widget) and the widgets read
by name outside the place that draws them. ``tests/test_app_structure.py`` fails if ``app.py`` or
``ui/`` indexes ``st.session_state`` with a string literal instead of one of these.
"""

from __future__ import annotations

# --- the session's boot and the router --------------------------------------------------------
BOOTED = "_booted"  # the URL was read into the widgets (ui.session.boot)
MODE_BOOTED = "_mode_booted"  # ?mode= / ?lesson= were read (ui.mode.boot_mode)
MODE = "mode"  # the sidebar's mode switch: "Race lab" | "Lessons" (which page runs)
URL_WARNINGS = "_url_warnings"  # warnings about a link's parameters, shown once
NOTICE = "_notice"  # a one-time info line on the race lab ("Loaded the preset ...")
LOAD_ERROR = "_load_error"  # why an uploaded or pasted config was not loaded

# --- races: request, run, stop, history ---------------------------------------------------------
RUN_REQUESTED = "_run_requested"  # False | True (a loaded config) | "link" (a shared link)
STOP_EVENT = "_stop_event"  # threading.Event the running race polls (set by Stop)
STOPPED = "_stopped"  # the last race was stopped: show its partial chart
PARTIAL = "_partial"  # what a stopped race had done (ui.race.race)
HISTORY = "history"  # the session's finished runs, oldest first (ui.race.HISTORY_MAX)
RUN_COUNTER = "_run_counter"  # the number of the last run
COMPARE_WITH = "compare_with"  # the run overlaid on the accuracy chart (a widget)
SCROLL_PENDING = "_scroll_pending"  # id of the run just raced: its results scroll into view
IN_FULL_RUN = "_run_view_in_full_run"  # set by the page just before its run fragment
ACCURACY_FULL_SCALE = "accuracy_full_scale"  # the accuracy chart's 0-100 % axis (a toggle)

# --- the config editor's widgets read by name ----------------------------------------------------
SOURCE = "source"
N_SAMPLES = "n_samples"
PRESET_CHOICE = "preset_choice"
DRIFT_IDS = "drift_ids"  # uids of the drifts in the editor, in order
CONTENDER_IDS = "contender_ids"  # uids of the contenders in the editor, in order
UPLOAD_CONFIG = "upload_config"  # the config file uploader (Export tab)
PASTE_CONFIG = "paste_config"  # the pasted-config text area (Export tab)

# --- an uploaded CSV (ui.upload) ------------------------------------------------------------
UPLOAD = "_upload"  # the saved upload: name, path, columns
UPLOAD_FILE_ID = "_upload_file_id"  # the uploader's file id already handled
UPLOAD_SESSION = "_upload_session"  # this session's upload folder token
UPLOAD_JANITOR = "_upload_janitor"  # removes this session's upload folder when it ends
UPLOAD_REFUSED = "_upload_refused"  # why the last upload was refused
UPLOAD_ROWS = "_upload_rows"  # rows of the upload in the race (where a new mark goes)
TEST_UPLOAD = "_test_upload"  # test hook only, read with DRIFTLAB_TEST_HOOKS=1 (ui.upload)
UPLOAD_CSV = "upload_csv"  # the CSV file uploader
CSV_TARGET = "csv_target"
CSV_FEATURES = "csv_features"
CSV_TIME = "csv_time"
CSV_ENCODING = "csv_encoding"
CSV_DELIMITER = "csv_delimiter"
CSV_MISSING = "csv_missing"
CSV_MAX_MB = "csv_max_mb"
CSV_ALL_ROWS = "csv_all_rows"

# --- the What-if tab (ui.whatif) ------------------------------------------------------------
WHATIF_LAST = "_whatif_last"  # the last sweep shown
WHATIF_P2 = "whatif_p2"
WHATIF_SEEDS = "whatif_seeds"
WHATIF_CONTENDER = "whatif_contender"
WHATIF_FOR = "whatif_for"

# --- the Lessons page (ui.pages.lessons) --------------------------------------------------
LESSON = "lesson"  # the lesson shown (a widget in the lessons' sidebar)
PRESENTER = "presenter"  # presenter view (a toggle)
LESSON_WARNINGS = "_lesson_warnings"  # warnings about ?lesson=, shown once
LESSON_NOTICE = "_lesson_notice"  # a one-time info line on the lesson page

# --- the Costs panel (ui.costs): the config's ``costs`` (config keys: ``cost_`` prefix) ---------
COST_PRICES = {"train_sample": "cost_train_sample", "cpu_second": "cost_cpu_second",
               "retrain": "cost_retrain", "label": "cost_label", "error": "cost_error"}
COST_ERROR_MATRIX = "cost_error_matrix"  # JSON text of costs.error_matrix ("" for none)
COST_GIVEN = "cost_given"  # the loaded config had ``costs``: write it back even at the defaults
