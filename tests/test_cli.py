"""Tests for dashboard/cli.py: ``python -m dashboard`` run as a user would, in a scratch folder.

Each ingest loads the real gazetteer (a few seconds), so ingests run once per module and the
other commands read the stores they made.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import write_article

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
    """A folder with two good articles reporting the same clash and one file without a date line."""
    root = tmp_path_factory.mktemp("cli")
    write_article(root / "articles", "a.txt", "2023-05-27", "Clashes broke out in Zvečan, Kosovo, on Friday.")
    write_article(
        root / "articles",
        "nested/b.txt",
        "2023-05-28",
        "Police fired tear gas in Zvecan, Kosovo, on 26 May 2023. NATO urged calm.",
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
                "date_evidence", "summary", "sources"} <= set(props)  # fmt: skip
        assert ISO_DAY.match(props["date"])
        assert props["date_precision"] in {"day", "month", "year"}
        for source in props["sources"]:
            assert {"article", "published", "text"} <= set(source)
            assert ISO_DAY.match(source["published"])


def test_export_csv(workdir: Path, ingested: Run) -> None:
    done = run_cli("export", "--db", "store.db", "--format", "csv", "-o", "events.csv", cwd=workdir)
    assert done.returncode == 0, done.stderr
    with (workdir / "events.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    zvecan = [row for row in rows if row["place"] == "Zvečan"]
    assert sorted(row["article"] for row in zvecan) == ["a.txt", "b.txt"]  # one row per source
    assert {row["date"] for row in zvecan} == {"2023-05-26"}


def test_problems_lists_the_bad_file(workdir: Path, ingested: Run) -> None:
    done = run_cli("problems", "--db", "store.db", cwd=workdir)
    assert done.returncode == 0
    assert done.stdout.strip().splitlines() == [
        'articles/bad.txt:1: header must start with " date YYYY-MM[-DD]", got "Clashes with no date line."'
    ]


def test_stats_counts_the_store(workdir: Path, ingested: Run) -> None:
    done = run_cli("stats", "--db", "store.db", cwd=workdir)
    assert done.returncode == 0
    assert "articles: 2" in done.stdout
    assert "problems: 1" in done.stdout


@pytest.mark.parametrize(
    "args",
    [(), ("ingest",), ("export", "--db", "x.db"), ("export", "--format", "kml", "-o", "x"), ("frobnicate",)],
    ids=["no-command", "ingest-without-path", "export-without-output", "unknown-format", "unknown-command"],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    done = run_cli(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert "usage:" in done.stderr
    assert "Traceback" not in done.stderr


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
