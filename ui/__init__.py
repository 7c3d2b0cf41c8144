"""Helpers of the Streamlit app (``app.py``) that need no streamlit: widget state <-> config,
URL encoding, the summary table and the texts. The simulation itself lives in ``lab/``."""
