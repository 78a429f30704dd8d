"""Tests for dashboard/cli.py: ``python -m dashboard`` run as a user would, in a scratch folder.

Each ingest loads the real gazetteer (a few seconds), so ingests run once per module and the
other commands read the stores they made.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from dashboard.cli import main
from dashboard.event_types import classify_event
from dashboard.store import SCHEMA_VERSION
from dashboard.stores import display_name
from tests.fake_nominatim import FakeNominatim, serving
from tests.helpers import summary_counts, write_article, write_gazetteer_csv

PROJECT_DIR = Path(__file__).resolve().parent.parent
SEED_ARTICLE = "004_574767ba21afd2f7.txt"
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path) -> Run:
    """``python -m dashboard ARGS`` in ``cwd``, with this checkout importable and no store from the environment."""
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DB"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT_DIR), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with two good articles reporting the same clash (one also the month's tension) and one file
    without a date line."""
    root = tmp_path_factory.mktemp("cli")
    write_article(root / "articles", "a.txt", "2023-05-27", "Clashes broke out in Zvečan, Kosovo, on Friday.")
    write_article(
        root / "articles",
        "nested/b.txt",
        "2023-05-28",
        "Police fired tear gas in Zvecan, Kosovo, on 26 May 2023. NATO urged calm. Tension in Kosovo grew in May.",
    )
    (root / "articles" / "bad.txt").write_text("Clashes with no date line.\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def ingested(workdir: Path) -> Run:
    return run_cli("ingest", "articles", "--db", "store.db", cwd=workdir)


@pytest.fixture(scope="module")
def geojson(workdir: Path, ingested: Run) -> dict:
    done = run_cli("export", "--db", "store.db", "--format", "geojson", "-o", "events.geojson", cwd=workdir)
    assert done.returncode == 0, done.stderr
    return json.loads((workdir / "events.geojson").read_text(encoding="utf-8"))


def test_ingest_with_a_bad_file_exits_0_and_names_file_and_line(ingested: Run) -> None:
    assert ingested.returncode == 0, ingested.stderr
    assert "articles/bad.txt:1" in ingested.stderr
    assert "header must start with" in ingested.stderr
    assert "Traceback" not in ingested.stderr


def test_ingest_ends_with_a_summary_table(ingested: Run) -> None:
    counts = summary_counts(ingested.stdout)
    assert list(counts) == ["read", "new", "changed", "unchanged", "pruned", "problems", "events in store"]
    assert list(counts.values())[:-1] == [3, 2, 0, 0, 0, 1]
    assert counts["events in store"] > 0
    assert re.search(r"3 files in [\d.]+ s \(\d+ files/s\), 1 process", ingested.stdout)


def test_ingest_again_after_a_deletion_with_prune(tmp_path: Path) -> None:
    write_article(tmp_path / "in", "a.txt", "2023-05-27", "Clashes broke out in Zvečan, Kosovo, on Friday.")
    write_article(tmp_path / "in", "b.txt", "2023-05-27", "Protests in Leposavić, Kosovo, on Friday.")
    places = str(write_gazetteer_csv(tmp_path / "places.csv"))
    first = run_cli("ingest", "in", "--db", "s.db", "--gazetteer", places, cwd=tmp_path)
    assert summary_counts(first.stdout)["new"] == 2, first.stderr
    (tmp_path / "in" / "b.txt").unlink()
    again = run_cli("ingest", "in", "--db", "s.db", "--gazetteer", places, "--prune", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    counts = summary_counts(again.stdout)
    assert (counts["read"], counts["new"], counts["unchanged"], counts["pruned"]) == (1, 0, 1, 1)


def test_strict_ingest_exits_1_on_a_bad_file(workdir: Path) -> None:
    done = run_cli("ingest", "articles/bad.txt", "--db", "strict.db", "--strict", cwd=workdir)
    assert done.returncode == 1
    assert "articles/bad.txt:1" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_geojson_has_the_promised_properties(geojson: dict) -> None:
    assert geojson["type"] == "FeatureCollection"
    features = [f for f in geojson["features"] if f["properties"]["place"] == "Zvečan"]
    assert len(features) == 1, "two reports of the same place and day merge into one event"
    feature = features[0]
    lon, lat = feature["geometry"]["coordinates"]
    assert (round(lat, 2), round(lon, 2)) == (42.91, 20.84)
    props = feature["properties"]
    assert props["place_id"] == "geonames:783770"
    assert (props["level"], props["country"]) == ("settlement", "XK")
    assert (props["date"], props["date_precision"], props["date_resolved"]) == ("2023-05-26", "day", True)
    assert props["date_evidence"] in {"Friday", "26 May 2023"}
    assert "Zv" in props["summary"]
    sources = {s["article"]: s for s in props["sources"]}
    assert set(sources) == {"a.txt", "b.txt"}
    assert sources["a.txt"]["published"] == "2023-05-27"
    assert sources["a.txt"]["text"] == "Clashes broke out in Zvečan, Kosovo, on Friday."
    assert sources["b.txt"]["published"] == "2023-05-28"
    assert "Zvecan" in sources["b.txt"]["text"]


def test_every_feature_keeps_the_contract(geojson: dict) -> None:
    assert geojson["features"]
    for feature in geojson["features"]:
        props = feature["properties"]
        assert {"place", "place_id", "level", "country", "date", "date_precision", "date_resolved",
                "date_evidence", "event_type", "related", "summary", "sources"} <= set(props)  # fmt: skip
        assert ISO_DAY.match(props["date"])
        assert props["date_precision"] in {"day", "month", "year"}
        for source in props["sources"]:
            assert {"article", "published", "text"} <= set(source)
            assert ISO_DAY.match(source["published"])


def test_a_month_event_lists_the_day_events_inside_it(geojson: dict) -> None:
    kosovo = {f["properties"]["date_precision"]: f["properties"] for f in geojson["features"]
              if f["properties"]["place_id"] == "country:XK"}  # fmt: skip
    assert kosovo["month"]["date"] == "2023-05-01"
    assert kosovo["month"]["related"] == [kosovo["day"]["id"]]
    assert kosovo["day"]["related"] == [kosovo["month"]["id"]]


def test_events_and_sources_carry_their_event_type(geojson: dict) -> None:
    (zvecan,) = [f["properties"] for f in geojson["features"] if f["properties"]["place"] == "Zvečan"]
    types = {s["article"]: s["event_type"] for s in zvecan["sources"]}
    assert types["a.txt"] == classify_event("Clashes broke out in Zvečan, Kosovo, on Friday.", "en") != "other"
    assert zvecan["event_type"] == types["a.txt"]


def _export(workdir: Path, *options: str) -> tuple[Run, list[dict]]:
    done = run_cli("export", "--db", "store.db", "-o", "-", *options, cwd=workdir)
    features = json.loads(done.stdout)["features"] if done.returncode == 0 else []
    return done, [f["properties"] for f in features]


def test_export_to_stdout_filtered_by_dates_country_and_place(workdir: Path, ingested: Run) -> None:
    done, in_may = _export(workdir, "--since", "2023-05-26", "--until", "2023-05-26", "--country", "xk")
    assert done.returncode == 0, done.stderr
    assert {(p["place"], p["date_precision"]) for p in in_may} == {
        ("Zvečan", "day"),
        ("Kosovo", "day"),
        ("Kosovo", "month"),  # the month overlaps the day asked for
    }
    assert re.search(r"wrote 3 of \d+ events to -", done.stderr)
    _, zvecan = _export(workdir, "--place", "zvecan")
    assert [p["place"] for p in zvecan] == ["Zvečan"]
    assert zvecan[0]["related"] == []
    _, after = _export(workdir, "--since", "2023-06")
    assert after == []


def test_export_csv(workdir: Path, ingested: Run) -> None:
    done = run_cli("export", "--db", "store.db", "--format", "csv", "-o", "events.csv", cwd=workdir)
    assert done.returncode == 0, done.stderr
    with (workdir / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    zvecan = [row for row in rows if row["place"] == "Zvečan"]
    assert sorted(row["article"] for row in zvecan) == ["a.txt", "b.txt"]  # one row per source
    assert {row["date"] for row in zvecan} == {"2023-05-26"}
    assert {row["event_type"] for row in zvecan} == {classify_event("Clashes broke out in Zvečan.", "en")}
    month = [row for row in rows if row["date_precision"] == "month"]
    assert month and all(row["related"] for row in month)


def test_problems_lists_the_bad_file(workdir: Path, ingested: Run) -> None:
    done = run_cli("problems", "--db", "store.db", cwd=workdir)
    assert done.returncode == 0
    assert done.stdout.strip().splitlines() == [
        'articles/bad.txt:1: header must start with " date YYYY-MM[-DD]", got "Clashes with no date line."'
    ]
    assert "1 file(s) could not be read" in done.stderr


def test_stats_counts_the_store(workdir: Path, ingested: Run) -> None:
    done = run_cli("stats", "--db", "store.db", cwd=workdir)
    assert done.returncode == 0
    counts = dict(re.findall(r"│ ([a-z ]+?)\s+│\s+(.+?) │", done.stdout))
    assert (counts["articles"], counts["problems"], counts["schema version"]) == ("2", "1", str(SCHEMA_VERSION))
    assert counts["event dates"] == "2023-05-01 to 2023-05-26"


@pytest.mark.parametrize(
    "args",
    [
        (), ("ingest",), ("export", "--db", "x.db"), ("export", "--format", "kml", "-o", "x"), ("frobnicate",),
        ("ingest", "x", "--workers", "0"), ("export", "-o", "x", "--since", "May"), ("export", "-o", "x", "--country", "Kosovo"),
        ("review", "--resolve", "Orlane", "--lat", "42.9", "--lon", "21.2"), ("review", "--resolve", "Orlane", "--country", "XK"),
        ("review", "--resolve", "Orlane", "--geocode"), ("review", "--accept"), ("review", "--lat", "42.9"),
        ("review", "--resolve", "Orlane", "--lat", "north", "--lon", "21.2", "--country", "XK"),
    ],
    ids=[
        "no-command", "ingest-without-path", "export-without-output", "unknown-format", "unknown-command",
        "no-workers", "bad-date", "bad-country", "resolve-without-country", "resolve-without-position",
        "resolve-and-geocode", "accept-without-geocode", "position-without-resolve", "bad-latitude",
    ],
)  # fmt: skip
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "usage:" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("command", "options"),
    [("ingest", ["--prune", "--workers", "--strict"]), ("export", ["--since", "--until", "--country", "--place"]),
     ("stats", ["--db"]), ("problems", ["--db"]),
     ("review", ["--resolve", "--lat", "--lon", "--country", "--level", "--alias", "--geocode", "--accept", "--limit"])],
)  # fmt: skip
def test_each_command_has_help(command: str, options: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"usage: python -m dashboard {command}")
    assert all(option in shown for option in options)


def test_export_without_a_store_exits_1_with_a_clear_message(tmp_path: Path) -> None:
    done = run_cli("export", "--db", "missing.db", "-o", "out.geojson", cwd=tmp_path)
    assert done.returncode == 1
    assert "no store at missing.db" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "missing.db").exists()
    assert not (tmp_path / "out.geojson").exists()


def test_export_from_a_file_that_is_not_a_store_exits_1_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("not a database " * 100, encoding="utf-8")
    done = run_cli("export", "--db", "notes.db", "-o", "out.geojson", cwd=tmp_path)
    assert done.returncode == 1
    assert "notes.db" in done.stderr
    assert "Traceback" not in done.stderr


def test_ingesting_the_seeds_maps_the_three_towns_on_the_day_of_the_clashes(tmp_path: Path) -> None:
    ingest = run_cli("ingest", str(PROJECT_DIR / "seeds"), "--db", "seeds.db", "--strict", cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    export = run_cli("export", "--db", "seeds.db", "-o", "seeds.geojson", cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    features = json.loads((tmp_path / "seeds.geojson").read_text(encoding="utf-8"))["features"]
    towns = {"Zvečan": ("Zvecan",), "Leposaviq": ("Leposavic",), "Zubin Potok": ("Zubin Potok",)}
    for place, spellings in towns.items():
        matching = [
            source
            for feature in features
            if feature["properties"]["place"] == place and feature["properties"]["date"] == "2023-05-26"
            for source in feature["properties"]["sources"]
            if source["article"] == SEED_ARTICLE
        ]
        assert matching, f"no 2023-05-26 event at {place} from {SEED_ARTICLE}"
        assert any(spelling in source["text"] for source in matching for spelling in spellings), matching


# The names to review -----------------------------------------------------------------------------------------

VILLAGE = "Barricades went up in the village of Orlane, near Zvečan, Kosovo, on Friday."
TWO_VILLAGES = "Police patrolled near Orlane and outside Kamenolom, Kosovo, on Saturday."


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    """``python -m dashboard ARGS`` in this process (quicker than a new one, for commands that load no big data)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return Run(code, out, err)


@pytest.fixture
def review_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A store of two articles naming villages no gazetteer has, in the current folder; their files are gone, so
    a resolve must read the stored texts. Output is as wide as a wide terminal, so table rows stay whole."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DASHBOARD_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "250")
    write_gazetteer_csv(tmp_path / "places.csv")
    write_article(tmp_path / "in", "a.txt", "2023-05-27", VILLAGE)
    write_article(tmp_path / "in", "b.txt", "2023-05-28", TWO_VILLAGES)
    assert cli(capsys, "ingest", "in", "--db", "s.db", "--gazetteer", "places.csv").returncode == 0
    for path in (tmp_path / "in").iterdir():
        path.unlink()
    return tmp_path


def _table_rows(output: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip("│").split("│")] for line in output.splitlines() if line.startswith("│")
    ]


def _exported_places(capsys: pytest.CaptureFixture[str]) -> set[tuple[str, str]]:
    done = cli(capsys, "export", "--db", "s.db", "-o", "-")
    assert done.returncode == 0, done.stderr
    return {(f["properties"]["place"], f["properties"]["date"]) for f in json.loads(done.stdout)["features"]}


def test_problem_file_names_and_lines_are_printed_as_written_not_as_markup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "[red]a.txt").write_text("no date line\n", encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("[/x] closes nothing\n", encoding="utf-8")
    done = cli(
        capsys, "ingest", "in", "--db", "[bold]s.db", "--gazetteer", str(write_gazetteer_csv(tmp_path / "p.csv"))
    )
    assert done.returncode == 0
    assert "problem: in/[red]a.txt:1: header must start with" in done.stderr
    assert 'got "[/x] closes nothing"' in done.stderr
    assert "ingest into [bold]s.db" in done.stdout
    missing = cli(capsys, "export", "--db", "[/x].db", "-o", "-")
    assert (missing.returncode, missing.stderr.split(";")[0]) == (1, "error: no store at [/x].db")


def test_an_unknown_village_is_listed_and_resolving_it_puts_its_events_on_the_export(
    review_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listed = cli(capsys, "review", "--db", "s.db")
    assert listed.returncode == 0, listed.stderr
    assert _table_rows(listed.stdout) == [["Orlane", "2", "2", VILLAGE], ["Kamenolom", "1", "1", TWO_VILLAGES]]
    assert "2 name(s) to review" in listed.stderr
    assert ("Orlane", "2023-05-26") not in _exported_places(capsys)

    resolved = cli(capsys, "review", "--db", "s.db", "--resolve", "Orlane", "--lat", "42.8961", "--lon", "21.2145",
                   "--country", "xk", "--gazetteer", "places.csv")  # fmt: skip
    assert resolved.returncode == 0, resolved.stderr
    assert resolved.stdout.splitlines() == [
        "added Orlane (user:orlane) at 42.8961, 21.2145, XK, settlement to s.places.csv",
        "read 2 article(s) again: 2 event(s) added, 0 removed",
        "  + Orlane 2023-05-26 (day)",
        "  + Orlane 2023-05-27 (day)",
    ]
    assert {("Orlane", "2023-05-26"), ("Orlane", "2023-05-27")} <= _exported_places(capsys)
    assert [row[0] for row in _table_rows(cli(capsys, "review", "--db", "s.db").stdout)] == ["Kamenolom"]
    assert "user:orlane,Orlane,,42.8961,21.2145,settlement,XK,0,user" in (review_dir / "s.places.csv").read_text()


def test_a_bad_resolve_exits_1_with_the_reason_and_writes_nothing(
    review_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    done = cli(capsys, "review", "--db", "s.db", "--resolve", "Orlane", "--lat", "142", "--lon", "21",
               "--country", "XK", "--gazetteer", "places.csv")  # fmt: skip
    assert done.returncode == 1
    assert "error: s.places.csv:2: coordinates out of range" in done.stderr
    assert not (review_dir / "s.places.csv").exists()


@pytest.fixture
def nominatim(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNominatim]:
    """The fake Nominatim service, set up as the geocoder: no delay between requests, a short time-out."""
    service = FakeNominatim()
    with serving(service) as url:
        monkeypatch.setenv("no_proxy", "*")
        monkeypatch.setenv("DASHBOARD_GEOCODER_URL", url)
        monkeypatch.setenv("DASHBOARD_GEOCODER_USER_AGENT", "news-event-map-tests")
        monkeypatch.setenv("DASHBOARD_GEOCODER_MIN_DELAY", "0")
        monkeypatch.setenv("DASHBOARD_GEOCODER_TIMEOUT", "0.3")
        yield service


def test_geocoding_is_off_until_set_up(
    review_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DASHBOARD_GEOCODER_URL", raising=False)
    done = cli(capsys, "review", "--db", "s.db", "--geocode")
    assert done.returncode == 1
    assert "online geocoding is off: set $DASHBOARD_GEOCODER_URL" in done.stderr


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.server)])
def review_store(request: pytest.FixtureRequest, review_dir: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The review store on each backend: the SQLite file, and the same articles ingested into a server."""
    if request.param == "sqlite":
        return "s.db"
    url = request.getfixturevalue("pg_url")
    write_article(review_dir / "in", "a.txt", "2023-05-27", VILLAGE)
    write_article(review_dir / "in", "b.txt", "2023-05-28", TWO_VILLAGES)
    assert cli(capsys, "ingest", "in", "--db", url, "--gazetteer", "places.csv").returncode == 0
    return url


def test_geocoding_asks_each_name_once_and_suggests_the_resolve_command(
    review_dir: Path, review_store: str, nominatim: FakeNominatim, capsys: pytest.CaptureFixture[str]
) -> None:
    first = cli(capsys, "review", "--db", review_store, "--geocode")
    assert first.returncode == 0, first.stderr
    shown_db = shlex.quote(display_name(review_store))
    assert first.stdout.splitlines() == [
        "Orlane: found at 42.8961, 21.2145 in XK (Orlane, Podujevë, Kosovo)",
        f"  python -m dashboard review --resolve Orlane --lat 42.8961 --lon 21.2145 --country XK --db {shown_db}",
        "Kamenolom: not found",
    ]
    assert "2 name(s): 1 found, 1 not found, 0 failed" in first.stderr
    password = urlsplit(review_store).password
    assert not password or password not in first.stdout + first.stderr
    again = cli(capsys, "review", "--db", review_store, "--geocode")
    assert again.stdout == first.stdout
    assert nominatim.searches() == ["Orlane", "Kamenolom"], "the second run is answered from the store"
    assert not list(review_dir.glob("*.places.csv")), "a suggestion is not added without --accept"


@pytest.mark.parametrize(
    ("mode", "reason"), [("slow", "timed out after 0.3 s"), ("error", "service error (HTTP Error 500")]
)
def test_a_failed_request_is_reported_and_does_not_stop_the_review(
    review_dir: Path, nominatim: FakeNominatim, capsys: pytest.CaptureFixture[str], mode: str, reason: str
) -> None:
    nominatim.mode = mode
    done = cli(capsys, "review", "--db", "s.db", "--geocode", "--limit", "1")
    assert done.returncode == 0
    assert f"failed: geocoding 'Orlane' at {os.environ['DASHBOARD_GEOCODER_URL']} failed: {reason}" in done.stderr
    assert "1 name(s): 0 found, 0 not found, 1 failed (asked again next time)" in done.stderr
    assert cli(capsys, "review", "--db", "s.db", "--geocode", "--limit", "1", "--strict").returncode == 1
    nominatim.mode = "ok"
    assert cli(capsys, "review", "--db", "s.db", "--geocode", "--limit", "1").stdout.startswith("Orlane: found")
    assert nominatim.searches() == ["Orlane"] * 3


def test_accepted_geocoder_answers_join_the_gazetteer_and_the_export(
    review_dir: Path, nominatim: FakeNominatim, capsys: pytest.CaptureFixture[str]
) -> None:
    done = cli(capsys, "review", "--db", "s.db", "--geocode", "--accept", "--gazetteer", "places.csv")
    assert done.returncode == 0, done.stderr
    assert "read 2 article(s) again: 2 event(s) added, 0 removed" in done.stdout
    assert "2 name(s): 1 found (1 added), 1 not found, 0 failed" in done.stderr
    assert ("Orlane", "2023-05-26") in _exported_places(capsys)
