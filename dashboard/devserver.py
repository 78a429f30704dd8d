"""The app served locally for browser tests and screenshots, and the system Chromium that visits it.

The app is started the way a user starts it (``streamlit run dashboard/app.py`` from the project folder)
on a free port and polled until it answers; its output goes to a log file kept for when something fails.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .config import DB_ENV, PROJECT_DIR
from .errors import DashboardError

TILES_ENV = "DASHBOARD_TILES"
STARTUP_SECONDS = 90.0
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_app(
    *, log: Path, db: Path | None = None, tiles: str | None = "none", startup_seconds: float = STARTUP_SECONDS
) -> Iterator[str]:
    """Serve the app until the block ends and yield its URL.

    ``db`` becomes ``$DASHBOARD_DB`` (None: the default store) and ``tiles`` ``$DASHBOARD_TILES``.

    Raises:
        DashboardError: the server exited or did not answer within ``startup_seconds``; the message holds
            its log.
    """
    port = free_port()
    env = dict(os.environ)
    for name, value in ((DB_ENV, db), (TILES_ENV, tiles)):
        if value is None:
            env.pop(name, None)
        else:
            env[name] = str(value)
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
        "--server.port", str(port), "--server.headless", "true", "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log, startup_seconds)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    """Poll the health endpoint with a deadline, rather than sleeping a guessed time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DashboardError(f"streamlit exited with {process.returncode}:\n{_read(log)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise DashboardError(f"streamlit did not answer within {seconds:.0f}s:\n{_read(log)}")


def _read(log: Path) -> str:
    return log.read_text(encoding="utf-8", errors="replace")
