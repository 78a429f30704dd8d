"""Checks on the committed gazetteer data/gazetteer.csv (built by scripts/build_gazetteer.py)."""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

import pytest

GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "gazetteer.csv"
HEADER = ["id", "name", "aliases", "lat", "lon", "level", "country", "population", "source"]
LEVELS = {"settlement", "site", "region", "country"}
ID_RE = re.compile(r"^(geonames:\d+|country:[A-Z]{2}|curated:[a-z0-9-]+)$")


@cache
def rows() -> list[dict[str, str]]:
    with GAZETTEER.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def aliases(row: dict[str, str]) -> list[str]:
    return [a for a in row["aliases"].split("|") if a]


def find(name: str) -> list[dict[str, str]]:
    """Rows whose name or one of whose aliases is ``name``."""
    return [r for r in rows() if r["name"] == name or name in aliases(r)]


def test_header() -> None:
    with GAZETTEER.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == HEADER


def test_every_row_is_valid() -> None:
    assert len(rows()) > 30000
    for row in rows():
        assert ID_RE.match(row["id"]), row["id"]
        assert row["name"].strip(), row["id"]
        assert -90.0 <= float(row["lat"]) <= 90.0, row["id"]
        assert -180.0 <= float(row["lon"]) <= 180.0, row["id"]
        assert re.fullmatch(r"-?\d+\.\d{5}", row["lat"]) and re.fullmatch(r"-?\d+\.\d{5}", row["lon"])
        assert row["level"] in LEVELS, row["id"]
        assert re.fullmatch(r"[A-Z]{2}", row["country"]), row["id"]
        assert int(row["population"]) >= 0, row["id"]
        assert row["source"].strip(), row["id"]
        assert row["name"] not in aliases(row), row["id"]
        assert all(len(a) >= 3 for a in aliases(row)), row["id"]


def test_ids_unique_and_sorted() -> None:
    ids = [r["id"] for r in rows()]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)


@pytest.mark.parametrize(
    "name",
    [
        "Zvečan", "Leposaviq", "Leposavić", "Zubin Potok", "Mitrovicë", "North Mitrovica", "Jarinje",
        "Brnjak", "Merdare", "Banjska", "Rudare", "Belgrade", "Brussels", "Chisinau", "Ohrid", "Kraljevo",
    ],
)  # fmt: skip
def test_example_places_present(name: str) -> None:
    assert find(name), name


def test_zvecan_aliases() -> None:
    (row,) = [r for r in rows() if r["name"] == "Zvečan" and r["country"] == "XK"]
    assert {"Zvecan", "Zveçan", "Звечан"} <= set(aliases(row))


def test_north_kosovo_places_are_in_kosovo() -> None:
    for name in ["Zvečan", "Zubin Potok", "North Mitrovica", "Banjska", "Jarinje border crossing"]:
        assert any(r["country"] == "XK" for r in find(name)), name


def test_country_aliases() -> None:
    by_id = {r["id"]: r for r in rows()}
    assert by_id["country:XK"]["level"] == "country"
    assert {"Kosovë", "Косово"} <= set(aliases(by_id["country:XK"]))
    assert {"Srbija", "Србија", "Serbien", "Serbi"} <= set(aliases(by_id["country:RS"]))


def test_no_country_name_as_alias_of_a_place() -> None:
    countries = [r for r in rows() if r["level"] == "country"]
    country_names = {r["name"].casefold() for r in countries}
    country_names |= {a.casefold() for r in countries for a in aliases(r)}
    assert "kosovo" in country_names
    offenders = [
        (r["id"], a) for r in rows() if r["level"] != "country" for a in aliases(r) if a.casefold() in country_names
    ]
    assert offenders == []


def test_curated_rows_cite_a_source() -> None:
    curated = [r for r in rows() if r["id"].startswith("curated:")]
    assert len(curated) > 20
    for row in curated:
        assert row["country"] == "XK", row["id"]
        assert row["source"].startswith(("Wikipedia", "GeoNames", "News")), row["id"]
