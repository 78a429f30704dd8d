"""Tests for dashboard/pg_store.py and dashboard/stores.py that need a real PostgreSQL server: the CLI on a
server URL, login failures, the PostGIS schema, and two ingests writing to one server at once.

The behaviour rules shared with SQLite run on both backends in tests/test_store.py.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.store import search_text
from dashboard.stores import AnyStore, display_name, open_store
from tests.helpers import summary_counts, write_article, write_gazetteer_csv
from tests.pg_server import PASSWORD, PgServer
from tests.test_app import APP, MARKETS, SEVERAL_DAYS, marker_names, save
from tests.test_cli import PROJECT_DIR, Run, run_cli

pytestmark = pytest.mark.server

TOWNS = ["Zvečan", "Leposavić", "Zubin Potok", "Mitrovica", "Belgrade"]
DEEDS = ["Clashes broke out", "Protesters gathered", "Police patrolled", "Barricades went up"]


def _corpus_article(folder: Path, n: int) -> None:
    """Article ``n`` of a small generated corpus: one town and day each, so events merge across articles."""
    town, deed = TOWNS[n % len(TOWNS)], DEEDS[n % len(DEEDS)]
    day = dt.date(2023, 5, 1) + dt.timedelta(days=n % 9)
    text = f"{deed} in {town}, Kosovo, on {day.day} May 2023. Article number {n}."
    write_article(folder, f"a{n:03d}.txt", (day + dt.timedelta(days=1)).isoformat(), text)


def _contents(store: AnyStore) -> tuple[set[tuple[object, ...]], tuple[int, ...]]:
    """What a store holds, comparable across backends: each event with its sources, and the counts."""
    events = {(e.key, tuple(sorted((s.path, s.sentence, s.event_type) for s in e.sources))) for e in store.events()}
    stats = store.stats()
    counts = (stats.articles, sum(stats.events.values()), stats.sources, stats.places, stats.mentions)
    return events, counts


def _run_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DB"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    return {**env, **extra}


def test_two_ingests_at_once_on_overlapping_folders_store_what_one_ingest_stores(
    tmp_path: Path, pg_server: PgServer
) -> None:
    for n in range(0, 30):
        _corpus_article(tmp_path / "first", n)
    for n in range(30, 60):
        _corpus_article(tmp_path / "shared", n)
    for n in range(60, 90):
        _corpus_article(tmp_path / "second", n)
    places = str(write_gazetteer_csv(tmp_path / "places.csv"))
    url = pg_server.new_database()
    without_password = url.replace(f":{PASSWORD}@", "@")  # the password comes from the environment
    ingest = [sys.executable, "-m", "dashboard", "ingest", "--gazetteer", places, "--db", without_password]
    env = _run_env(PGPASSWORD=PASSWORD)
    writers = [
        subprocess.Popen([*ingest, *folders], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for folders in (["first", "shared"], ["shared", "second", "first"])
    ]
    outputs = [writer.communicate(timeout=300) for writer in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err.decode()
        assert PASSWORD.encode() not in out + err
    single = run_cli("ingest", "first", "shared", "second", "--gazetteer", places, "--db", "one.db", cwd=tmp_path)
    assert single.returncode == 0, single.stderr
    with open_store(url) as server, open_store(tmp_path / "one.db") as embedded:
        on_server, on_file = _contents(server), _contents(embedded)
    assert on_server == on_file
    assert on_file[1][0] == 90  # every article once
    assert on_file[1][1] < 90  # and events merged across articles


@pytest.fixture
def cli_store(tmp_path: Path, pg_url: str) -> tuple[Path, str, Run]:
    write_article(tmp_path / "in", "a.txt", "2023-05-27", "Clashes broke out in Zvečan, Kosovo, on Friday.")
    write_article(tmp_path / "in", "b.txt", "2023-05-28", "Police fired tear gas in Zvecan, Kosovo, on 26 May 2023.")
    (tmp_path / "in" / "bad.txt").write_text("No date line.\n", encoding="utf-8")
    places = str(write_gazetteer_csv(tmp_path / "places.csv"))
    return tmp_path, pg_url, run_cli("ingest", "in", "--gazetteer", places, "--db", pg_url, cwd=tmp_path)


def test_every_reading_command_works_on_a_server_url(cli_store: tuple[Path, str, Run]) -> None:
    folder, url, ingested = cli_store
    assert ingested.returncode == 0, ingested.stderr
    assert summary_counts(ingested.stdout)["new"] == 2
    assert PASSWORD not in ingested.stdout + ingested.stderr
    assert "postgres:***@127.0.0.1" in ingested.stdout
    stats = run_cli("stats", "--db", url, cwd=folder)
    assert stats.returncode == 0 and "schema version" in stats.stdout.lower(), stats.stderr
    problems = run_cli("problems", "--db", url, cwd=folder)
    assert "in/bad.txt" in problems.stdout
    export = run_cli("export", "--db", url, "--format", "csv", "-o", "-", cwd=folder)
    assert export.returncode == 0, export.stderr
    assert "Zvečan" in export.stdout
    again = run_cli("ingest", "in", "--gazetteer", str(folder / "places.csv"), "--db", url, cwd=folder)
    assert summary_counts(again.stdout)["unchanged"] == 2


def test_the_database_url_may_come_from_the_environment(cli_store: tuple[Path, str, Run]) -> None:
    folder, url, _ = cli_store
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "stats"], cwd=folder, env=_run_env(DASHBOARD_DB=url),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "postgres:***@" in done.stdout


@pytest.mark.parametrize(
    ("password", "port", "reason"),
    [("wrong-password", None, "password authentication failed"), (PASSWORD, 1, "cannot connect")],
)
def test_a_wrong_password_or_unreachable_server_is_one_line_and_exit_2(
    tmp_path: Path, pg_server: PgServer, password: str, port: int | None, reason: str
) -> None:
    url = f"postgresql://postgres:{password}@127.0.0.1:{port or pg_server.port}/postgres"
    done = run_cli("stats", "--db", url, cwd=tmp_path)
    assert done.returncode == 2
    assert reason in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert password not in done.stderr


def test_the_location_is_a_postgis_point_with_a_gist_index_and_dates_are_indexed(pg_url: str) -> None:
    with psycopg.connect(pg_url) as db:
        column = db.execute(
            "SELECT type FROM geography_columns WHERE f_table_name = 'places' AND f_geography_column = 'location'"
        ).fetchone()
        indexes = dict(db.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'").fetchall())
    assert column == ("Point",)
    assert "USING gist (location)" in indexes["places_location"]
    assert "(date)" in indexes["events_date"]


def test_the_url_shown_never_holds_the_password() -> None:
    assert display_name("postgresql://ann:pa:ss@db.example:5432/news") == "postgresql://ann:***@db.example:5432/news"
    assert display_name("postgresql://ann@db.example/news") == "postgresql://ann@db.example/news"
    assert display_name("sqlite:///events.db") == "events.db"


def test_the_app_reads_a_server_store_named_by_the_environment(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DB", pg_url)
    monkeypatch.setenv("DASHBOARD_TILES", "none")
    save(pg_url, SEVERAL_DAYS)
    save(pg_url, MARKETS, title="Markets in Asia", name="b.txt")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert marker_names(at) == ["Kosovo", "Leposavić", "Tokyo", "Zubin Potok", "Zvečan"]


def test_the_connection_may_come_from_a_service_file(cli_store: tuple[Path, str, Run], pg_server: PgServer) -> None:
    """``--db postgresql:///?service=news``: host, port, user, password and database from the service file."""
    folder, url, _ = cli_store
    services = folder / "pg_service.conf"
    services.write_text(
        f"[news]\nhost=127.0.0.1\nport={pg_server.port}\nuser=postgres\npassword={PASSWORD}\n"
        f"dbname={url.rsplit('/', 1)[1]}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--db", "postgresql:///?service=news", "--format", "csv",
         "-o", "-"], cwd=folder, env=_run_env(PGSERVICEFILE=str(services)), capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Zvečan" in done.stdout
    assert PASSWORD not in done.stdout + done.stderr


def test_a_database_of_schema_3_is_upgraded_with_searchable_text_and_a_geocoder_cache(pg_url: str) -> None:
    save(pg_url, SEVERAL_DAYS)
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("DROP TABLE geocode_cache")
        db.execute("ALTER TABLE event_sources DROP COLUMN folded")
        db.execute("UPDATE meta SET value = 3 WHERE key = 'schema'")
    with open_store(pg_url) as store:
        assert store.stats().schema_version == 4
        assert store.geocode_cache().get("Orlane") is None
        sentences = [(source.title, source.sentence) for event in store.events() for source in event.sources]
    with psycopg.connect(pg_url) as db:
        folded = {row[0] for row in db.execute("SELECT folded FROM event_sources")}
    assert folded == {search_text(title, sentence) for title, sentence in sentences}
    assert "" not in folded
