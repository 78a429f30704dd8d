"""Where things live: the project folders, the default store, and settings read from the environment."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_DIR / "seeds"
DATA_DIR = PROJECT_DIR / "data"
GAZETTEER_CSV = DATA_DIR / "gazetteer.csv"
DEFAULT_DB = PROJECT_DIR / "events.db"
DB_ENV = "DASHBOARD_DB"
CACHE_ENV = "DASHBOARD_CACHE_DIR"
CACHE_NAME = "news-event-map"


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The store to use: ``--db`` if given, else ``$DASHBOARD_DB``, else ``events.db`` in the project folder."""
    if cli_value:
        return Path(cli_value)
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env)
    return DEFAULT_DB


def resolve_db_target(cli_value: str | None = None) -> str:
    """Like ``resolve_db_path``, but a database URL (``postgresql://…``, ``sqlite:///…``) is kept as written;
    a ``Path`` would fold its ``//``. See ``stores.open_store``."""
    return cli_value or os.environ.get(DB_ENV) or str(DEFAULT_DB)


def cache_dir() -> Path:
    """Where rebuildable files (the pickled gazetteer index) go: ``$DASHBOARD_CACHE_DIR`` if set, else the
    user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``), else a per-user folder in the system temp dir.

    Nothing here is needed: a missing or unwritable cache only makes loading slower.
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    base = _user_cache()
    if base is not None and (os.access(base, os.W_OK) or (not base.exists() and os.access(base.parent, os.W_OK))):
        return base / CACHE_NAME
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"{CACHE_NAME}-{user}"


def _user_cache() -> Path | None:
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg:
        return Path(xdg)
    try:
        return Path.home() / ".cache"
    except RuntimeError:  # no home folder known
        return None


def available_cpus() -> int:
    """The CPUs this process may run on (fewer than the machine has in a container limited to some)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
