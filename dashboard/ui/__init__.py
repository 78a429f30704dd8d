"""The Streamlit pieces of the page that outgrew ``app.py``: playback and uploads. Only the UI imports Streamlit."""
