"""Tests for dashboard/user_places.py: places resolved by hand, in a CSV beside the store."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard.config import GAZETTEER_CSV
from dashboard.errors import GazetteerError
from dashboard.gazetteer import Gazetteer
from dashboard.models import Place
from dashboard.places import find_mentions, find_unknown_places
from dashboard.user_places import add_user_place, load_with_user_places, user_gazetteer_path
from tests.helpers import gazetteer_rows, small_gazetteer

ARTICLE = "Barricades went up in the village of Donja Varage, Kosovo, on Friday.\n\nPolice left Zvečan."


@pytest.fixture
def places_csv(tmp_path: Path) -> Path:
    return user_gazetteer_path(tmp_path / "events.db")


def _add_varage(path: Path) -> Place:
    return add_user_place(
        path, name="Donja Varage", lat=42.9345, lon=20.6712, country="XK", aliases=("Доња Вараге", "Varage e Poshtme")
    )


@pytest.mark.parametrize(
    ("store", "expected"),
    [("events.db", "events.places.csv"), ("data/north.sqlite3", "data/north.places.csv")],
)
def test_user_gazetteer_lives_beside_the_store(tmp_path: Path, store: str, expected: str) -> None:
    assert user_gazetteer_path(tmp_path / store) == tmp_path / expected


def test_added_place_is_a_gazetteer_row_with_the_user_source(places_csv: Path) -> None:
    place = _add_varage(places_csv)
    assert place == Place(
        id="user:donja-varage",
        name="Donja Varage",
        lat=42.9345,
        lon=20.6712,
        level="settlement",
        country="XK",
        aliases=("Доња Вараге", "Varage e Poshtme"),
        source="user",
    )
    header = GAZETTEER_CSV.read_text(encoding="utf-8").splitlines()[0]
    assert places_csv.read_text(encoding="utf-8").splitlines()[0] == header
    assert Gazetteer.from_csv(places_csv).places == {place.id: place}


def test_places_are_appended_and_keep_what_is_there(places_csv: Path) -> None:
    _add_varage(places_csv)
    places_csv.write_text(places_csv.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")  # no final newline
    crossing = add_user_place(places_csv, name="Banjska", lat=42.9733, lon=20.7808, country="xk", level="site")
    assert crossing.id == "user:banjska"
    assert crossing.country == "XK"
    lines = places_csv.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3
    assert lines[1].startswith("user:donja-varage,Donja Varage,")
    assert set(Gazetteer.from_csv(places_csv).places) == {"user:donja-varage", "user:banjska"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"lat": 91.0}, "coordinates out of range"),
        ({"lon": float("nan")}, "coordinates out of range"),
        ({"lat": "north"}, "coordinates must be numbers"),
        ({"level": "village"}, "unknown level 'village'"),
        ({"country": "XX"}, "unknown country code 'XX'"),
        ({"name": " -- "}, "needs a name with letters or digits"),
        ({"aliases": ("Varage|Varaga",)}, "cannot contain '|'"),
    ],
)
def test_a_bad_place_is_refused_and_the_file_left_alone(places_csv: Path, fields: dict, message: str) -> None:
    _add_varage(places_csv)
    before = places_csv.read_bytes()
    arguments = {"name": "Banjska", "lat": 42.9733, "lon": 20.7808, "country": "XK", **fields}
    with pytest.raises(GazetteerError, match=message) as error:
        add_user_place(places_csv, **arguments)
    assert str(error.value).startswith(f"{places_csv}:3: ")
    assert places_csv.read_bytes() == before


def test_a_bad_first_place_creates_no_file(places_csv: Path) -> None:
    with pytest.raises(GazetteerError, match="coordinates out of range"):
        add_user_place(places_csv, name="Banjska", lat=200.0, lon=20.78, country="XK")
    assert not places_csv.exists()
    assert list(places_csv.parent.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "aliases", "message"),
    [
        ("Donja Varage", (), "already a user place"),
        ("Dónja  Varage", (), "already a user place"),
        ("Varage", ("Доња Вараге",), "already taken by user place 'user:donja-varage'"),
        ("Varage e Poshtme", (), "already taken by user place 'user:donja-varage'"),
    ],
)
def test_a_name_is_resolved_once(places_csv: Path, name: str, aliases: tuple[str, ...], message: str) -> None:
    _add_varage(places_csv)
    with pytest.raises(GazetteerError, match=message):
        add_user_place(places_csv, name=name, lat=42.93, lon=20.67, country="XK", aliases=aliases)


def test_without_a_user_gazetteer_the_base_is_used_as_it_is(places_csv: Path) -> None:
    base = small_gazetteer()
    assert load_with_user_places(base, places_csv) is base


def test_user_places_join_the_base_as_if_loaded_together(places_csv: Path) -> None:
    base = small_gazetteer()
    place = _add_varage(places_csv)
    merged = load_with_user_places(base, places_csv)
    together = Gazetteer.from_rows([*gazetteer_rows(), *_csv_rows(places_csv)])
    assert merged.places == together.places
    assert merged.exact == together.exact
    assert merged.max_words == together.max_words == 3
    assert merged.lookup("donja varage") == (place,)
    assert base.lookup("donja varage") == ()
    assert len(base) == len(gazetteer_rows())


def test_a_user_row_never_replaces_a_base_row(places_csv: Path) -> None:
    rows = [{**gazetteer_rows()[0], "source": "user"}]
    places_csv.write_text(
        "id,name,aliases,lat,lon,level,country,population,source\n"
        + ",".join(rows[0][c] for c in ("id", "name", "aliases", "lat", "lon", "level", "country", "population"))
        + ",user\n",
        encoding="utf-8",
    )
    with pytest.raises(GazetteerError, match="'t:zvecan' is already in the gazetteer"):
        load_with_user_places(small_gazetteer(), places_csv)


def test_resolving_an_unknown_village_makes_it_a_place(places_csv: Path) -> None:
    base = small_gazetteer()
    assert [u.name for u in find_unknown_places(ARTICLE, base)] == ["Donja Varage"]
    assert "Donja Varage" not in [m.surface for m in find_mentions(ARTICLE, base)]
    _add_varage(places_csv)
    gazetteer = load_with_user_places(base, places_csv)
    assert find_unknown_places(ARTICLE, gazetteer) == []
    assert [(m.place.id, m.surface) for m in find_mentions(ARTICLE, gazetteer)] == [
        ("user:donja-varage", "Donja Varage"),
        ("country:XK", "Kosovo"),
        ("t:zvecan", "Zvečan"),
    ]
    inflected = find_mentions("Barikade u Donjoj Varagi na Kosovu.", gazetteer, language="sr")
    assert inflected[0].place.id == "user:donja-varage"


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
