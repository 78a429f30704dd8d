"""An ingest stopped half-way, the hard way (kill -9) and the polite way (Ctrl-C), run as a real subprocess.

The stopped ingests run in worker processes; the store must be consistent afterwards (every stored article
with all its events, no event without a source), and running the same ingest again must leave exactly what
one clean ingest stores. Reruns and the clean ingest run in one process, which is also quicker to start.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import summary_counts, write_gazetteer_csv, write_report_articles

PROJECT_DIR = Path(__file__).resolve().parent.parent
ARTICLES = 120
PLACES = ("Zvečan", "Leposavić", "Zubin Potok", "Mitrovica")
STORED_BEFORE_STOP = 10
DEADLINE_SECONDS = 120


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "articles"
    write_report_articles(folder, ARTICLES, places=PLACES)
    (folder / "bad.txt").write_text("no date line\n", encoding="utf-8")
    write_gazetteer_csv(folder.parent / "places.csv")  # a small gazetteer: workers start fast
    return folder


@pytest.fixture(scope="module")
def clean_store(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("clean") / "clean.db"
    done = subprocess.run(
        _ingest_command(corpus, db, workers=1), env=_env(), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return db


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DB"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    return env


def _ingest_command(corpus: Path, db: Path, *, workers: int) -> list[str]:
    """The ingest of ``corpus`` with the small gazetteer written beside it."""
    places = corpus.parent / "places.csv"
    options = ["--db", str(db), "--gazetteer", str(places), "--workers", str(workers)]
    return [sys.executable, "-m", "dashboard", "ingest", str(corpus), *options]


@pytest.fixture
def running_ingest(corpus: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """An ingest started in its own process group (its output in tmp_path); what is left of it is killed at the end."""
    db = tmp_path / "events.db"
    with (tmp_path / "stdout").open("wb") as out, (tmp_path / "stderr").open("wb") as err:
        process = subprocess.Popen(
            _ingest_command(corpus, db, workers=2), env=_env(), stdout=out, stderr=err, start_new_session=True
        )
    try:
        yield process, db
    finally:
        with contextlib.suppress(ProcessLookupError):  # worker processes of an ingest killed without cleaning up
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _stored_articles(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as reader:
            return int(reader.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def _wait_until_some_are_stored(process: subprocess.Popen[bytes], db: Path) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while _stored_articles(db) < STORED_BEFORE_STOP:
        assert process.poll() is None, "the ingest ended before it could be stopped"
        assert time.monotonic() < deadline, "no articles stored in time"
        time.sleep(0.02)


def _contents(db: Path) -> dict[str, set[tuple[object, ...]]]:
    """Per article path, every (place, date, precision, sentence, event type) it reports, and its mentions."""
    with sqlite3.connect(db) as reader:
        sources = reader.execute(
            "SELECT a.path, e.place_id, e.date, e.precision, s.sentence, s.event_type FROM event_sources s"
            " JOIN events e ON e.id = s.event_id JOIN articles a ON a.id = s.article_id"
        ).fetchall()
        mentions = reader.execute(
            'SELECT a.path, m.place_id, m.start, m."end" FROM mentions m JOIN articles a ON a.id = m.article_id'
        ).fetchall()
        paths = [row[0] for row in reader.execute("SELECT path FROM articles")]
    found: dict[str, set[tuple[object, ...]]] = {path: set() for path in paths}
    for path, *rest in [*sources, *mentions]:
        found[path].add(tuple(rest))
    return found


def _assert_consistent(db: Path) -> None:
    with sqlite3.connect(db) as reader:
        assert reader.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert reader.execute("PRAGMA foreign_key_check").fetchall() == []
        orphans = {
            "events without a source": "SELECT count(*) FROM events e WHERE NOT EXISTS"
            " (SELECT 1 FROM event_sources s WHERE s.event_id = e.id)",
            "sources without an article": "SELECT count(*) FROM event_sources s WHERE NOT EXISTS"
            " (SELECT 1 FROM articles a WHERE a.id = s.article_id)",
            "sources without an event": "SELECT count(*) FROM event_sources s WHERE NOT EXISTS"
            " (SELECT 1 FROM events e WHERE e.id = s.event_id)",
            "articles without a mention": "SELECT count(*) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM mentions m WHERE m.article_id = a.id)",
        }
        for what, query in orphans.items():
            assert reader.execute(query).fetchone() == (0,), what


def _assert_stored_articles_are_complete(db: Path, clean_store: Path) -> int:
    partial, clean = _contents(db), _contents(clean_store)
    assert 0 < len(partial) < len(clean), "the ingest was not stopped half-way"
    for path, reported in partial.items():
        assert reported == clean[path], f"{path} is stored incompletely"
    return len(partial)


def _rerun(corpus: Path, db: Path, clean_store: Path, already: int) -> None:
    """Run the ingest again, in one process; it must store what one clean (also single-process) run did."""
    command = _ingest_command(corpus, db, workers=1)
    done = subprocess.run(command, env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    counts = summary_counts(done.stdout)
    assert (counts["read"], counts["new"], counts["unchanged"], counts["problems"]) == (
        ARTICLES + 1, ARTICLES - already, already, 1
    )  # fmt: skip
    assert _contents(db) == _contents(clean_store)
    _assert_consistent(db)


def test_an_ingest_killed_mid_run_leaves_a_consistent_store_that_a_rerun_completes(
    running_ingest: tuple[subprocess.Popen[bytes], Path], corpus: Path, clean_store: Path
) -> None:
    process, db = running_ingest
    _wait_until_some_are_stored(process, db)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    _assert_consistent(db)
    stored = _assert_stored_articles_are_complete(db, clean_store)
    _rerun(corpus, db, clean_store, stored)


def test_ctrl_c_stops_an_ingest_cleanly_and_a_rerun_completes_it(
    running_ingest: tuple[subprocess.Popen[bytes], Path], corpus: Path, clean_store: Path, tmp_path: Path
) -> None:
    process, db = running_ingest
    _wait_until_some_are_stored(process, db)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends the whole foreground group on Ctrl-C
    process.wait(timeout=60)
    stderr = (tmp_path / "stderr").read_text(encoding="utf-8")
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert "Traceback" not in stderr
    _assert_consistent(db)
    stored = _assert_stored_articles_are_complete(db, clean_store)
    _rerun(corpus, db, clean_store, stored)
