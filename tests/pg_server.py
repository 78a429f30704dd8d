"""A throwaway PostgreSQL server with PostGIS for the server-backend tests: started in a temporary folder on a
free local port, with password logins over TCP, and removed afterwards.

As root (CI containers) it runs as the ``postgres`` system user, since initdb refuses root. Each test gets a
fresh database copied from a template that already has PostGIS and the store's schema, which takes a fraction
of the time of creating the extension again.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

USER = "postgres"
PASSWORD = "s3cret-for-tests"
TEMPLATE = "store_template"
_names = itertools.count(1)


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, or Debian's /usr/lib/postgresql/N/bin (newest N)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]).parent if candidates else None


def missing_reason() -> str | None:
    """Why the server tests cannot run here, or None when they can."""
    bindir = find_bindir()
    if bindir is None:
        return "PostgreSQL is not installed (no initdb); apt-get install postgresql postgis"
    if not glob.glob("/usr/share/postgresql/*/extension/postgis.control") and not shutil.which("pg_config"):
        return "PostGIS is not installed; apt-get install postgis"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam(USER)
        except KeyError:
            return "running as root without a postgres system user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class PgServer:
    """A running server: its port, and URLs with and without the password."""

    port: int
    folder: Path

    def url(self, database: str, *, password: bool = True) -> str:
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql://{USER}{secret}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, *, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as db:
            db.execute(sql)

    def new_database(self) -> str:
        """A fresh database with PostGIS and the store's schema, copied from the template; returns its URL."""
        name = f"store_{os.getpid()}_{next(_names)}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        return self.url(name)

    def empty(self, url: str) -> None:
        """Remove every row of the store at ``url`` and reset its counters, keeping the schema."""
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            db.execute(f"TRUNCATE {', '.join(STORE_TABLES)} RESTART IDENTITY CASCADE")
            db.execute("UPDATE meta SET value = 0 WHERE key = 'revision'")


STORE_TABLES = (
    "articles", "places", "events", "event_sources", "mentions", "problems", "unknown_places", "geocode_cache",
)  # fmt: skip


@contextmanager
def running_server() -> Iterator[PgServer]:
    """Start a server, make the template database, yield; stop the server and remove its folder."""
    bindir = find_bindir()
    assert bindir is not None
    folder = Path(tempfile.mkdtemp(prefix="news-map-pg-"))
    as_user = ["runuser", "-u", USER, "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, USER)
    data, log, pwfile = folder / "data", folder / "server.log", folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if as_user:
        shutil.chown(pwfile, USER)
    port = _free_port()
    run = [*as_user]
    subprocess.run(
        [*run, str(bindir / "initdb"), "-D", str(data), "-U", USER, "--pwfile", str(pwfile),
         "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
    subprocess.run(
        [*run, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    server = PgServer(port=port, folder=folder)
    try:
        server.admin(f"CREATE DATABASE {TEMPLATE}")
        from dashboard.pg_store import PgStore

        PgStore(server.url(TEMPLATE)).close()  # PostGIS and the schema, once
        yield server
    finally:
        subprocess.run(
            [*run, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True, timeout=60,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
