"""Adding articles from the browser: the uploader, the ingest with a progress bar, and what came of it.

Dropped files are checked and written beside the store by ``uploads.py``, then ingested here, in this
process and one file after another: the pipeline's worker processes would be started from a thread of
Streamlit's server, and a big batch is better read by ``python -m dashboard ingest``. Each upload is
ingested once (the uploader keeps its files across reruns, so their ids are remembered), then the page
reruns to show the new events, with the outcome kept for the session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from dashboard import config
from dashboard.errors import DashboardError
from dashboard.escaping import escape_markdown
from dashboard.gazetteer import Gazetteer
from dashboard.models import IngestReport, Problem
from dashboard.pipeline import ingest_paths
from dashboard.stores import is_server, open_store, sqlite_path
from dashboard.uploads import (
    ARCHIVE_SUFFIX,
    ARTICLE_SUFFIX,
    Upload,
    UploadLimits,
    new_upload_folder,
    save_uploads,
    uploads_root,
)

UPLOAD_KEY = "upload"
PROBLEMS_SHOWN = 20
_DONE = "upload_done"
_OUTCOME = "upload_outcome"


@dataclass(frozen=True, slots=True)
class UploadOutcome:
    """What the last upload did: the article files it wrote, what the ingest made of them, and every problem
    (refused uploads first, then articles that could not be read), named relative to the upload folder."""

    files: int
    report: IngestReport
    problems: tuple[Problem, ...]


def uploader(db_path: str | Path, gazetteer: Callable[[], Gazetteer]) -> None:
    """The drop zone; new files are ingested into the store at ``db_path``, then the page reruns."""
    limits = _limits()
    if limits is None:
        return
    files = st.file_uploader(
        "Add articles",
        type=[ARTICLE_SUFFIX.lstrip("."), ARCHIVE_SUFFIX.lstrip(".")],
        accept_multiple_files=True,
        key=UPLOAD_KEY,
        help=(
            f"Article files (.txt) or .zip archives of them: up to {limits.max_files:,} files and "
            f"{limits.max_bytes / 1024**2:,.0f} MB unpacked at a time, each article up to "
            f"{limits.max_article_bytes / 1024**2:,.0f} MB."
        ),
    )
    done: set[str] = st.session_state.setdefault(_DONE, set())
    new = [file for file in files or [] if file.file_id not in done]
    if new:
        done.update(file.file_id for file in new)
        st.session_state[_OUTCOME] = _ingest(new, db_path, gazetteer, limits)
        st.rerun()
    outcome = st.session_state.get(_OUTCOME)
    if outcome is not None:
        show_outcome(outcome)


def show_outcome(outcome: UploadOutcome) -> None:
    """A line of totals, then each problem as a warning (the first ``PROBLEMS_SHOWN``), all text escaped."""
    report = outcome.report
    message = (
        f"Read {outcome.files} article file(s): {report.new} new, {report.changed} changed, "
        f"{report.unchanged} already stored."
    )
    if outcome.files and not outcome.problems:
        st.success(message)
    else:
        st.info(message)
    for problem in outcome.problems[:PROBLEMS_SHOWN]:
        st.warning(escape_markdown(str(problem)))
    hidden = len(outcome.problems) - PROBLEMS_SHOWN
    if hidden > 0:
        st.warning(f"… and {hidden} more problem(s).")


def _limits() -> UploadLimits | None:
    try:
        return UploadLimits.from_env()
    except DashboardError as exc:
        st.error(f"Uploads are off: {escape_markdown(str(exc))}")
        return None


def _ingest(
    files: Sequence[UploadedFile], db_path: str | Path, gazetteer: Callable[[], Gazetteer], limits: UploadLimits
) -> UploadOutcome:
    """Write the files beside the store (a server store: in the project folder) and ingest them with a
    progress bar."""
    beside = config.PROJECT_DIR / "events.db" if is_server(db_path) else sqlite_path(db_path)
    folder = new_upload_folder(uploads_root(beside), dt.datetime.now().strftime("%Y%m%d-%H%M%S"))
    saved = save_uploads([Upload(file.name, file.getvalue()) for file in files], folder, limits=limits)
    report = IngestReport()
    if saved.paths:
        bar = st.progress(0.0, text="Reading the articles…")

        def progress(done: int, total: int, path: str) -> None:
            bar.progress(done / total, text=escape_markdown(f"{done} of {total}: {_relative(path, folder)}"))

        try:
            with open_store(db_path) as store:
                report = ingest_paths(saved.paths, store, gazetteer(), progress=progress)
        except DashboardError as exc:
            problem = Problem(folder.name, None, f"the articles could not be added: {exc}")
            return UploadOutcome(len(saved.paths), report, (*saved.problems, problem))
    problems = (*saved.problems, *(Problem(_relative(p.path, folder), p.line, p.message) for p in report.problems))
    return UploadOutcome(len(saved.paths), report, problems)


def _relative(path: str, folder: Path) -> str:
    """A written file's name inside its upload folder, as the user named it."""
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return path
