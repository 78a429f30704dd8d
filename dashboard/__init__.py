"""News-event map: dated news articles to places and dates on an interactive map."""

__version__ = "0.1.0"
