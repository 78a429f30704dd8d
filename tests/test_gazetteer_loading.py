"""Tests for loading a gazetteer (dashboard/gazetteer.py): every bad row is refused naming file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.errors import GazetteerError, InputError
from dashboard.gazetteer import Gazetteer

HEADER = "id,name,aliases,lat,lon,level,country,population,source"
ZVECAN = "geonames:783770,Zvečan,Zvecan|Звечан,42.90750,20.84028,settlement,XK,17000,GeoNames cities500 (CC BY 4.0)"
BANJSKA = "curated:banjska,Banjska,Бањска,42.97330,20.78080,site,XK,0,Wikipedia: Banjska Monastery"
KOSOVO = "country:XK,Kosovo,Kosova|Косово,42.54583,20.79514,country,XK,1845300,GeoNames countries (CC BY 4.0)"


def _csv(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "places.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def _error(path: Path) -> GazetteerError:
    with pytest.raises(GazetteerError) as caught:
        Gazetteer.from_csv(path)
    assert isinstance(caught.value, InputError) and isinstance(caught.value, ValueError)
    return caught.value


def test_a_good_file_loads(tmp_path: Path) -> None:
    gazetteer = Gazetteer.from_csv(_csv(tmp_path, ZVECAN, BANJSKA, KOSOVO))
    assert len(gazetteer) == 3
    zvecan = gazetteer.places["geonames:783770"]
    assert (zvecan.name, zvecan.aliases, zvecan.population) == ("Zvečan", ("Zvecan", "Звечан"), 17000)
    assert [p.id for p in gazetteer.lookup("zvecan")] == ["geonames:783770"]


BAD_ROWS = {
    "lat-above-90": ("geonames:1,A,,90.5,20.0,settlement,XK,0,GeoNames", "coordinates out of range: lat 90.5"),
    "lon-below-180": ("geonames:1,A,,42.0,-180.01,settlement,XK,0,GeoNames", "coordinates out of range"),
    "lat-nan": ("geonames:1,A,,nan,20.0,settlement,XK,0,GeoNames", "coordinates out of range: lat nan"),
    "lon-inf": ("geonames:1,A,,42.0,inf,settlement,XK,0,GeoNames", "coordinates out of range"),
    "lat-text": ("geonames:1,A,,north,20.0,settlement,XK,0,GeoNames", "coordinates must be numbers, got 'north'"),
    "no-id": (",A,,42.0,20.0,settlement,XK,0,GeoNames", "missing id"),
    "no-name": ("geonames:1, ,,42.0,20.0,settlement,XK,0,GeoNames", "missing name"),
    "no-lon": ("geonames:1,A,,42.0,,settlement,XK,0,GeoNames", "missing lon"),
    "no-source": ("geonames:1,A,,42.0,20.0,settlement,XK,0,", "missing source"),
    "unknown-level": ("geonames:1,A,,42.0,20.0,village,XK,0,GeoNames", "unknown level 'village'; expected one of"),
    "unknown-country": ("geonames:1,A,,42.0,20.0,settlement,QQ,0,GeoNames", "unknown country code 'QQ'"),
    "not-a-country": ("geonames:1,A,,42.0,20.0,settlement,EU,0,GeoNames", "unknown country code 'EU'"),
    "lower-case-country": ("geonames:1,A,,42.0,20.0,settlement,xk,0,GeoNames", "unknown country code 'xk'"),
    "country-name": ("geonames:1,A,,42.0,20.0,settlement,Kosovo,0,GeoNames", "unknown country code 'Kosovo'"),
    "population-text": ("geonames:1,A,,42.0,20.0,settlement,XK,many,GeoNames", "population must be a whole number"),
    "population-negative": ("geonames:1,A,,42.0,20.0,settlement,XK,-5,GeoNames", "population must be a whole number"),
    "unquoted-comma": (
        "geonames:1,Mitrovica, North,,42.0,20.0,settlement,XK,0,GeoNames",
        "10 fields where the header has 9",
    ),
    "too-few-fields": ("geonames:1,A,,42.0,20.0", "5 fields where the header has 9"),
}


@pytest.mark.parametrize(("row", "reason"), list(BAD_ROWS.values()), ids=list(BAD_ROWS))
def test_a_bad_row_names_file_and_line(tmp_path: Path, row: str, reason: str) -> None:
    path = _csv(tmp_path, ZVECAN, KOSOVO, row, BANJSKA)
    error = _error(path)
    assert (error.path, error.line) == (str(path), 4)
    assert str(error).startswith(f"{path}:4: ")
    assert reason in str(error)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (ZVECAN, ZVECAN.replace("GeoNames cities500 (CC BY 4.0)", "my own notes")),
        (ZVECAN.replace("GeoNames cities500 (CC BY 4.0)", "Wikipedia: Zvečan"), ZVECAN),
        (BANJSKA, BANJSKA.replace("42.97330", "43.00000")),
    ],
    ids=["user-row-after-geonames", "curated-row-before-geonames", "curated-twice"],
)
def test_a_repeated_id_is_an_error_naming_both_lines(tmp_path: Path, first: str, second: str) -> None:
    """No row silently replaces another: whichever comes second, and whatever its source, loading stops."""
    path = _csv(tmp_path, first, KOSOVO, second)
    error = _error(path)
    assert error.line == 4
    assert "already on line 2" in str(error)
    assert f"duplicate id '{first.split(',')[0]}'" in str(error)


def test_an_id_repeated_with_surrounding_spaces_is_still_a_repeat(tmp_path: Path) -> None:
    error = _error(_csv(tmp_path, ZVECAN, " " + ZVECAN))
    assert (error.line, "already on line 2" in str(error)) == (3, True)


def test_a_missing_column_is_named(tmp_path: Path) -> None:
    error = _error(_csv(tmp_path, "geonames:1,A,42.0,20.0,settlement,XK,0", header="id,name,lat,lon,level,country,pop"))
    assert (error.line, error.reason) == (1, "missing column(s): source")


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(tmp_path: Path) -> None:
    """The reported line is where the row starts in the file, as an editor shows it."""
    multi_line = 'curated:x,"Two\nLines",,42.0,20.0,site,XK,0,"source\nover lines"'
    path = _csv(tmp_path, ZVECAN, "", multi_line, "", "geonames:2,B,,95.0,20.0,settlement,XK,0,GeoNames")
    assert _error(path).line == 8  # header, Zvečan, blank, three lines of one row, blank


def test_a_byte_order_mark_before_the_header_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text("\ufeff" + "\r\n".join([HEADER, ZVECAN, KOSOVO]) + "\r\n", encoding="utf-8")
    assert sorted(Gazetteer.from_csv(path).places) == ["country:XK", "geonames:783770"]


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    latin1_row = "country:XK,Kosovë,,42.5,20.8,country,XK,0,GeoNames".encode("latin-1")
    path.write_bytes(f"{HEADER}\n{ZVECAN}\n".encode() + latin1_row + b"\n")
    error = _error(path)
    assert (error.line, error.reason) == (3, "not UTF-8 text (byte 0xeb)")


def test_malformed_csv_is_a_gazetteer_error(tmp_path: Path) -> None:
    error = _error(_csv(tmp_path, ZVECAN, "geonames:2,B,," + "x" * 200_000 + ",20.0,settlement,XK,0,GeoNames"))
    assert error.line == 3
    assert "malformed CSV" in error.reason


def test_a_missing_file_is_a_gazetteer_error(tmp_path: Path) -> None:
    error = _error(tmp_path / "nowhere.csv")
    assert (error.path, error.line) == (str(tmp_path / "nowhere.csv"), None)
    assert "cannot read gazetteer" in error.reason


def test_from_rows_counts_lines_from_first_line() -> None:
    good = {"id": "t:a", "name": "A", "lat": "42", "lon": "20", "level": "site", "country": "XK", "source": "t"}
    with pytest.raises(GazetteerError) as caught:
        Gazetteer.from_rows([good, {**good, "id": "t:b", "lat": "-91"}], path="rows.csv", first_line=10)
    assert str(caught.value).startswith("rows.csv:11: coordinates out of range")
