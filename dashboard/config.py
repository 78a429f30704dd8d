"""Where things live: the project folders, the default store, and settings read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"
DATA_DIR = PROJECT_DIR / "data"
GAZETTEER_CSV = DATA_DIR / "gazetteer.csv"
DEFAULT_DB = PROJECT_DIR / "events.db"
DB_ENV = "DASHBOARD_DB"


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The store to use: ``--db`` if given, else ``$DASHBOARD_DB``, else ``events.db`` in the project folder."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    return DEFAULT_DB
