"""Opening a store by what ``--db`` or ``$DASHBOARD_DB`` names: a SQLite file path, a ``sqlite:///`` URL, or a
``postgresql://`` URL for the server backend.

Both backends have the same public methods (see ARCHITECTURE.md, "The store interface"); the callers never
ask which one they hold, except for the few features tied to a file (the geocoder's SQLite cache).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from .store import Store

SERVER_SCHEMES = ("postgresql://", "postgres://")
SQLITE_SCHEME = "sqlite:///"

if TYPE_CHECKING:  # psycopg is an optional extra, imported only when a server URL is opened
    from .pg_store import PgStore

AnyStore: TypeAlias = "Store | PgStore"


def is_server(target: str | Path) -> bool:
    """True when ``target`` names a database server rather than a file."""
    return isinstance(target, str) and target.startswith(SERVER_SCHEMES)


def sqlite_path(target: str | Path) -> Path:
    """The file a path or ``sqlite:///`` URL names (``sqlite:////abs/path`` for an absolute one)."""
    text = str(target)
    return Path(text[len(SQLITE_SCHEME) :]) if text.startswith(SQLITE_SCHEME) else Path(text)


def display_name(target: str | Path) -> str:
    """How to name the store in messages: the path, or the URL with its password masked."""
    if is_server(target):
        from .pg_store import mask_url

        return mask_url(str(target))
    return str(sqlite_path(target))


def open_store(target: str | Path) -> AnyStore:
    """The store ``target`` names, opened (and created or upgraded when needed).

    Raises:
        StoreUnreachableError: a server URL whose server cannot be reached or refuses the login.
        StoreError: the store cannot be opened, or the server backend is not installed.
    """
    if not is_server(target):
        return Store(sqlite_path(target))
    try:
        from .pg_store import PgStore
    except ImportError as exc:
        from .errors import StoreError

        raise StoreError(
            f"the server backend needs psycopg: pip install 'dashboard[server]' ({exc.name} is missing)"
        ) from None
    return PgStore(str(target))
