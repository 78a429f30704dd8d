"""The gazetteer: places with their names in many spellings, loaded from CSV and indexed by folded name."""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from itertools import product
from pathlib import Path
from typing import TypeVar

from babel import Locale

from .config import GAZETTEER_CSV
from .errors import GazetteerError
from .languages import Language
from .models import LEVELS, Level, Place
from .text import fold

REQUIRED_COLUMNS = ("id", "name", "lat", "lon", "level", "country", "source")
# Two-letter CLDR territories that are no country: EU, eurozone, outlying Oceania, UN, pseudo-locales, unknown.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
MIN_STEM = 3
INFLECTION_LIMIT = 64  # combinations of word forms tried per phrase
MEMO_LIMIT = 100_000  # answers remembered per kind of lookup
_Key = TypeVar("_Key")
_Value = TypeVar("_Value")
_Respellings = tuple[tuple[str, str], ...]


def stem_word(word: str, suffixes: tuple[str, ...]) -> str:
    """The word without its longest listed ending, keeping at least ``MIN_STEM`` letters."""
    for suffix in suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def base_forms(word: str, language: Language) -> list[str]:
    """Dictionary forms an inflected word may come from: its stem with each base ending (zvecanu → zvecan)."""
    stem = stem_word(word, language.suffixes)
    if stem == word or len(stem) <= MIN_STEM:
        return []
    return [f for f in dict.fromkeys(stem + ending for ending in language.base_endings) if f != word]


def inflection_keys(folded: str, language: Language, *, limit: int = INFLECTION_LIMIT) -> list[str]:
    """Folded names an inflected phrase may stand for: every word de-inflected, connectors swapped.

    The first ``limit`` combinations, in order (each word's own form first), less the phrase itself.
    """
    keys = [""]
    for choices in _inflection_options(folded, language):
        keys = [f"{k} {c}".strip() for k in keys for c in choices][:limit]
    return [k for k in keys if k != folded]


def _inflection_options(folded: str, language: Language) -> list[list[str]]:
    """For each word of ``folded``: the word itself, then its base forms (or, for a connector, the others)."""
    options: list[list[str]] = []
    for word in folded.split():
        if word in language.connectors:
            options.append([word, *sorted(language.connectors - {word})])
        else:
            options.append([word, *base_forms(word, language)])
    return options


def respell(folded: str, respellings: tuple[tuple[str, str], ...]) -> str:
    """``folded`` with each respelling undone (zvechan → zvecan, yarinje → jarine)."""
    for pair, letter in respellings:
        folded = folded.replace(pair, letter)
    return folded


class Gazetteer:
    """Places indexed by every folded name and alias; the stemmed index is built per language on demand."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: dict[str, Place] = {}
        exact: dict[str, list[Place]] = defaultdict(list)
        for place in places:
            self.places[place.id] = place
            for name in {fold(n) for n in (place.name, *place.aliases)}:
                if name:
                    exact[name].append(place)
        self.exact: dict[str, tuple[Place, ...]] = {k: tuple(v) for k, v in exact.items()}
        self.max_words = max((k.count(" ") + 1 for k in self.exact), default=1)
        self._derived = _Derived(self.exact)

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, folded: str) -> tuple[Place, ...]:
        return self.exact.get(folded, ())

    def lookup_inflected(self, folded: str, language: Language) -> tuple[Place, ...]:
        """Places whose name an inflected phrase stands for (u Zubinom Potoku → Zubin Potok).

        Each answer is remembered: trying every de-inflected form costs far more than a name that recurs.
        """
        derived = self._current()
        found = derived.inflected.get((folded, language))
        if found is None:
            found = _remember(derived.inflected, (folded, language), self._find_inflected(folded, language))
        return found

    def _find_inflected(self, folded: str, language: Language) -> tuple[Place, ...]:
        """The places of the first of ``inflection_keys`` that names some.

        Only the keys whose every word is a word of some name are built (most phrases have a word no name
        has in any form), in the same order and up to the same place in it.
        """
        options = _inflection_options(folded, language)
        words = self._current().words()
        kept = [[(k, word) for k, word in enumerate(choices) if word in words] for choices in options]
        strides = [math.prod(len(choices) for choices in options[j + 1 :]) for j in range(len(options))]
        for combination in product(*kept):
            if sum(k * stride for (k, _), stride in zip(combination, strides, strict=True)) >= INFLECTION_LIMIT:
                break
            key = " ".join(word for _, word in combination)
            places = self.exact.get(key) if key != folded else None
            if places:
                return places
        return ()

    def lookup_respelled(self, folded: str, respellings: tuple[tuple[str, str], ...]) -> tuple[Place, ...]:
        """Places whose name a transliterated spelling stands for (Zvechan, Leposavich → Zvečan, Leposavić).

        Names and text are respelled the same way (ch → c, y → j, ...): a respelled word finds the names
        that respelling leaves alone directly, and the few it changes through an index built once per rule set.
        """
        if not respellings or not any(pair in folded for pair, _ in respellings):
            return ()
        derived = self._current()
        found = derived.respelled.get((folded, respellings))
        if found is None:
            key = respell(folded, respellings)
            places = tuple(dict.fromkeys(self.exact.get(key, ()) + derived.respelled_index(respellings).get(key, ())))
            found = _remember(derived.respelled, (folded, respellings), places)
        return found

    def may_open_name(self, word: str, language: Language, respellings: _Respellings) -> bool:
        """Whether a phrase whose first word is ``word`` can name a place by any lookup: as written, inflected
        in ``language`` (``lookup_inflected``) or respelled (``lookup_respelled``).

        Most capitalised words in a text open no name, and this rules them out before any phrase is built.
        """
        derived = self._current()
        key = (word, language, respellings)
        may = derived.openers.get(key)
        if may is None:
            may = _remember(derived.openers, key, derived.may_open(word, language, respellings))
        return may

    def _current(self) -> _Derived:
        """What has been worked out from ``exact``, started afresh when ``exact`` has been replaced (as the user
        gazetteer does to join its names)."""
        if self._derived.exact is not self.exact:
            self._derived = _Derived(self.exact)
        return self._derived

    def countries(self) -> dict[str, Place]:
        return {p.country: p for p in self.places.values() if p.level == "country"}

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]], *, path: str = "<rows>", first_line: int = 2) -> Gazetteer:
        """Build from dict rows (CSV columns), the first of them on line ``first_line`` of ``path``.

        Ids are unique. A row never replaces another with the same id, whatever either's source: a curated
        or user row cannot silently stand in for a GeoNames row. A repeated id is an error naming both lines.

        Raises:
            GazetteerError: a row lacks a field, has coordinates out of range, an unknown level, an unknown
                country code, a bad population, or repeats an id; the message names ``path`` and the line.
        """
        return cls._from_numbered_rows(enumerate(rows, start=first_line), path)

    @classmethod
    def _from_numbered_rows(cls, rows: Iterable[tuple[int, Mapping[str, str]]], path: str) -> Gazetteer:
        places: list[Place] = []
        seen: dict[str, int] = {}
        for line, row in rows:
            place = _parse_row(row, path, line)
            if place.id in seen:
                raise GazetteerError(
                    path, line, f"duplicate id {place.id!r}, already on line {seen[place.id]}; ids must be unique"
                )
            seen[place.id] = line
            places.append(place)
        return cls(places)

    @classmethod
    def from_csv(cls, path: Path) -> Gazetteer:
        """Load a gazetteer CSV; a leading BOM is allowed.

        Raises:
            GazetteerError: the file is missing or not UTF-8, is not well-formed CSV, lacks a required
                column, has a row with more or fewer fields than the header, or has a bad row.
        """
        return cls._from_numbered_rows(_csv_rows(_read_csv_text(path), str(path)), str(path))


class _Derived:
    """What lookups work out from one name index: per-rule-set indexes, the words of all names, and answers."""

    def __init__(self, exact: dict[str, tuple[Place, ...]]) -> None:
        self.exact = exact
        self.inflected: dict[tuple[str, Language], tuple[Place, ...]] = {}
        self.respelled: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[Place, ...]] = {}
        self._respelled_indexes: dict[tuple[tuple[str, str], ...], dict[str, tuple[Place, ...]]] = {}
        self._words: frozenset[str] | None = None
        self.openers: dict[tuple[str, Language, _Respellings], bool] = {}
        self._first_words: frozenset[str] | None = None
        self._respelled_first_words: dict[_Respellings, frozenset[str]] = {}

    def words(self) -> frozenset[str]:
        """Every word of every name."""
        if self._words is None:
            self._words = frozenset(word for name in self.exact for word in name.split(" "))
        return self._words

    def may_open(self, word: str, language: Language, respellings: _Respellings) -> bool:
        """Whether a name's first word is ``word``, one of its base forms (or, for a connector, another
        connector), or ``word`` respelled.

        Respelling changes each word on its own unless a rule has a space or deletes letters; then any word
        may open a name.
        """
        firsts = self.first_words()
        if word in firsts:
            return True
        if (language.suffixes or language.connectors) and not firsts.isdisjoint(_inflection_options(word, language)[0]):
            return True
        if not respellings:
            return False
        if any(not (pair and letter) or " " in pair + letter for pair, letter in respellings):
            return True
        respelled = respell(word, respellings)
        return respelled in firsts or respelled in self.respelled_first_words(respellings)

    def first_words(self) -> frozenset[str]:
        """The first word of every name."""
        if self._first_words is None:
            self._first_words = frozenset(name.split(" ", 1)[0] for name in self.exact)
        return self._first_words

    def respelled_first_words(self, respellings: _Respellings) -> frozenset[str]:
        """The first word of every respelled name that respelling changes."""
        words = self._respelled_first_words.get(respellings)
        if words is None:
            words = frozenset(name.split(" ", 1)[0] for name in self.respelled_index(respellings))
            self._respelled_first_words[respellings] = words
        return words

    def respelled_index(self, respellings: tuple[tuple[str, str], ...]) -> dict[str, tuple[Place, ...]]:
        """The names a rule set changes, by their respelled form."""
        index = self._respelled_indexes.get(respellings)
        if index is None:
            changed = re.compile("|".join(re.escape(pair) for pair, _ in respellings))  # one pass a name
            grouped: dict[str, list[Place]] = defaultdict(list)
            for name, places in self.exact.items():
                if changed.search(name):
                    grouped[respell(name, respellings)].extend(places)
            index = self._respelled_indexes[respellings] = {k: tuple(dict.fromkeys(v)) for k, v in grouped.items()}
        return index


def _remember(memo: dict[_Key, _Value], key: _Key, value: _Value) -> _Value:
    """Keep an answer; a memo that has grown to ``MEMO_LIMIT`` starts afresh, so memory stays bounded."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def _read_csv_text(path: Path) -> str:
    """The file as text; read whole so that a decoding error can name its line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise GazetteerError(str(path), None, f"cannot read gazetteer: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GazetteerError(str(path), line, f"not UTF-8 text (byte 0x{data[exc.start]:02x})") from None


def _csv_rows(text: str, path: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Each non-blank row with the line it starts on (a quoted field may span lines), checked against the header.

    Raises:
        GazetteerError: malformed CSV, a missing column, or a row whose field count differs from the header's.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader, [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise GazetteerError(path, 1, f"missing column(s): {', '.join(missing)}")
        for line, values in _with_start_lines(reader):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                shape = f"{len(values)} fields where the header has {len(header)}"
                raise GazetteerError(path, line, f"{shape} (a comma in an unquoted field?)")
            yield line, dict(zip(header, values, strict=True))
    except csv.Error as exc:
        raise GazetteerError(path, reader.line_num, f"malformed CSV: {exc}") from None


def _with_start_lines(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on: a quoted field may span lines, so ``line_num`` runs ahead."""
    while True:
        line = reader.line_num + 1  # type: ignore[attr-defined]  # a csv reader
        values = next(reader, None)
        if values is None:
            return
        yield line, values


def _parse_row(row: Mapping[str, str], path: str, line: int) -> Place:
    for column in REQUIRED_COLUMNS:
        if not (row.get(column) or "").strip():
            raise GazetteerError(path, line, f"missing {column}")
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except ValueError:
        raise GazetteerError(path, line, f"coordinates must be numbers, got {row['lat']!r}, {row['lon']!r}") from None
    if not (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon) and -180 <= lon <= 180):
        raise GazetteerError(path, line, f"coordinates out of range: lat {lat}, lon {lon}")
    level = row["level"].strip()
    if level not in LEVELS:
        raise GazetteerError(path, line, f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    country = row["country"].strip()
    if country not in _country_codes():
        raise GazetteerError(path, line, f"unknown country code {country!r}; expected ISO 3166-1 alpha-2, such as XK")
    aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
    return Place(
        id=row["id"].strip(),
        name=row["name"].strip(),
        lat=lat,
        lon=lon,
        level=_level(level),
        country=country,
        population=_population(row.get("population"), path, line),
        aliases=aliases,
        source=row["source"].strip(),
    )


def _population(value: str | None, path: str, line: int) -> int:
    """A whole number of people, 0 when the column is absent or blank."""
    text = (value or "").strip()
    if not text:
        return 0
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and number >= 0 and number.is_integer()):
        raise GazetteerError(path, line, f"population must be a whole number, got {text!r}")
    return int(number)


@cache
def _country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, with XK for Kosovo, as Unicode CLDR lists them."""
    codes = (code for code in Locale("en").territories if len(code) == 2 and code.isalpha())
    return frozenset(codes) - _NOT_COUNTRIES


def _level(value: str) -> Level:
    return value  # type: ignore[return-value]  # checked against LEVELS by the caller


@cache
def load_gazetteer(path: Path = GAZETTEER_CSV) -> Gazetteer:
    """The gazetteer at ``path``, loaded once per process."""
    return Gazetteer.from_csv(path)
