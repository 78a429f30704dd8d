"""Shared fixtures: the real app served by ``streamlit run`` on a free port, and Chromium to drive it.

The server starts once per test session (once per xdist worker) on a store ingested from seeds/, with
DASHBOARD_TILES=none so the page needs nothing from outside the machine. Its log is kept, and printed
with a screenshot path when a browser test fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import settings

from dashboard.config import PROJECT_DIR
from dashboard.devserver import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, running_app
from dashboard.errors import DashboardError
from tests.pg_server import PgServer, missing_reason, running_server

# Property tests: a quick profile by default so the suite stays fast; HYPOTHESIS_PROFILE=ci for CI runs.
settings.register_profile("quick", max_examples=25, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


@dataclass(frozen=True)
class RunningApp:
    """A ``streamlit run dashboard/app.py`` server: where it answers, its log and its store."""

    url: str
    log: Path
    db: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@dataclass
class GuardedPage:
    """A browser page whose requests to hosts other than this machine are aborted and recorded."""

    page: object
    external: list[str] = field(default_factory=list)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell in teardown that the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the seed articles, ingested by the CLI as a user would."""
    db = tmp_path_factory.mktemp("store") / "events.db"
    subprocess.run(
        [sys.executable, "-m", "dashboard", "ingest", "seeds/", "--db", str(db)],
        cwd=PROJECT_DIR,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return db


@pytest.fixture(scope="session")
def app_server(seeded_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApp]:
    """The real app, started once per session on a free port; a failed start fails with the server log."""
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    try:
        with running_app(log=log, db=seeded_store, tiles="none") as url:
            yield RunningApp(url=url, log=log, db=seeded_store)
    except DashboardError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """The system Chromium under Playwright; skipped where it is missing, except under CI where that fails."""
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is not installed"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            missing = "playwright is not installed"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def _open_guarded(chromium) -> tuple[object, GuardedPage]:
    """A page in a browser context of its own (no cookies or storage shared) that may only reach this
    machine: other requests are aborted and recorded."""
    context = chromium.new_context(viewport={"width": 1400, "height": 950})
    guarded = GuardedPage(page=context.new_page())

    def only_local(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            guarded.external.append(url)
            route.abort()

    context.route("**/*", only_local)
    return context, guarded


@contextmanager
def _kept_on_failure(
    guarded: GuardedPage, context, app_server: RunningApp, request: pytest.FixtureRequest, shot: Path
) -> Iterator[GuardedPage]:
    """Yield the page; when the test fails, save its screenshot and print it with the server log."""
    try:
        yield guarded
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            guarded.page.screenshot(path=str(shot), full_page=True)
            print(f"screenshot: {shot}\nserver log ({app_server.log}):\n{app_server.log_text()}")
        context.close()


@pytest.fixture
def guarded_page(
    chromium, app_server: RunningApp, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[GuardedPage]:
    """A fresh page that may only reach this machine; on failure, a screenshot and the server log."""
    context, guarded = _open_guarded(chromium)
    with _kept_on_failure(guarded, context, app_server, request, tmp_path / "failure.png") as page:
        yield page


@pytest.fixture
def fresh_page(
    chromium, app_server: RunningApp, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[GuardedPage]:
    """A second page in a browser of its own, like a colleague opening a shared link."""
    context, guarded = _open_guarded(chromium)
    with _kept_on_failure(guarded, context, app_server, request, tmp_path / "failure-fresh.png") as page:
        yield page


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A real PostgreSQL server with PostGIS, once per session (per xdist worker); skipped where PostgreSQL is
    missing, except under CI where that fails."""
    missing = missing_reason()
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"server tests cannot run under CI: {missing}")
        pytest.skip(missing)
    with running_server() as server:
        yield server


@pytest.fixture(scope="session")
def pg_database(pg_server: PgServer) -> str:
    """One database per session (per xdist worker) holding PostGIS and the store's schema."""
    return pg_server.new_database()


@pytest.fixture
def pg_url(pg_server: PgServer, pg_database: str) -> str:
    """The URL (password included) of a database holding an empty store: the session's, emptied, which is
    much quicker than a new database per test."""
    pg_server.empty(pg_database)
    return pg_database
