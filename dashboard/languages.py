"""Per-language rules: loaded from ``data/languages.toml`` plus month, weekday and relative-day names from CLDR.

Everything is kept folded (see ``text.fold``) so that one rule serves Latin and Cyrillic spellings.
Identifying an article's language is done here too, from its script and its most frequent words.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import get_day_names, get_month_names

from .config import DATA_DIR
from .text import Token, fold, tokenize

LANGUAGES_TOML = DATA_DIR / "languages.toml"
UNDETERMINED = "und"
_CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


@dataclass(frozen=True, slots=True, eq=False)
class Language:
    """The folded word lists one language contributes to place finding and dating.

    Compared by identity (the rules file is loaded once per process), so a language can key a memo.
    """

    code: str
    stopwords: frozenset[str]
    suffixes: tuple[str, ...]
    base_endings: tuple[str, ...]
    connectors: frozenset[str]
    clitics: tuple[str, ...]
    org_after: frozenset[str]
    party_after: frozenset[str]
    descriptors: frozenset[str]
    capitalised_nouns: bool
    org_before: tuple[str, ...]
    metonymy_verbs: frozenset[str]
    months: dict[str, int] = field(default_factory=dict)
    weekdays: dict[str, int] = field(default_factory=dict)
    relative_days: dict[str, int] = field(default_factory=dict)
    relative_units: dict[str, tuple[str, int]] = field(default_factory=dict)
    week_phrases: tuple[str, ...] = ()
    ago_words: tuple[str, ...] = ()
    numbers: dict[str, int] = field(default_factory=dict)
    last_words: frozenset[str] = frozenset()
    in_words: frozenset[str] = frozenset()
    respellings: tuple[tuple[str, str], ...] = ()
    abbreviations: dict[str, str] = field(default_factory=dict)
    place_cues: tuple[str, ...] = ()
    weak_place_cues: tuple[str, ...] = ()


def _folded(words: list[str]) -> list[str]:
    return [fold(w) for w in words if fold(w)]


def _month_names(locales: list[str]) -> dict[str, int]:
    names: dict[str, int] = {}
    for loc in locales:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, loc).items():
                    key = fold(name).rstrip(".")
                    if len(key) >= 3:
                        names.setdefault(key, number)
    return names


def _weekday_names(locales: list[str]) -> dict[str, int]:
    names: dict[str, int] = {}
    for loc in locales:
        for context in ("format", "stand-alone"):
            for number, name in get_day_names("wide", context, loc).items():
                key = fold(name)
                names.setdefault(key, number)
                if " " in key:  # Albanian "e premte": the article varies, the noun carries the day
                    names.setdefault(key.split(" ", 1)[1], number)
    return names


_CLDR_UNITS = {"day": "day", "week": "week", "month": "month", "year": "year"}


def _relative_names(locales: list[str]) -> tuple[dict[str, int], dict[str, tuple[str, int]]]:
    """CLDR's "yesterday", "today" (days) and "last month", "this year" (units with an offset)."""
    days: dict[str, int] = {}
    units: dict[str, tuple[str, int]] = {}
    for loc in locales:
        fields = Locale.parse(loc)._data["date_fields"]
        for offset, word in fields["day"]["relative"].items():
            days.setdefault(fold(word), int(offset))
        for unit in ("week", "month", "year"):
            for offset, word in fields[unit]["relative"].items():
                if int(offset) <= 0:
                    units.setdefault(fold(word), (unit, int(offset)))
    return days, units


def _build(code: str, spec: dict, parent: dict | None) -> Language:
    merged = {**(parent or {}), **spec}
    locales = list(merged.get("locales", []))
    months = _month_names(locales)
    weekdays = _weekday_names(locales)
    weekdays.update({fold(k): int(v) for k, v in merged.get("weekday_forms", {}).items()})
    rel_days, rel_units = _relative_names(locales)
    rel_days.update({fold(k): int(v) for k, v in merged.get("relative_days", {}).items()})
    return Language(
        code=code,
        stopwords=frozenset(_folded(merged.get("stopwords", []))),
        suffixes=tuple(sorted(_folded(merged.get("suffixes", [])), key=len, reverse=True)),
        base_endings=tuple(dict.fromkeys(fold(e) for e in merged.get("base_endings", ["", "a", "e", "o", "i"]))),
        connectors=frozenset(_folded(merged.get("connectors", []))),
        clitics=tuple(merged.get("clitics", [])),
        org_after=frozenset(_folded(merged.get("org_after", []))),
        party_after=frozenset(_folded(merged.get("party_after", []))),
        descriptors=frozenset(_folded(merged.get("descriptors", []))),
        capitalised_nouns=bool(merged.get("capitalised_nouns", False)),
        org_before=tuple(_folded(merged.get("org_before", []))),
        metonymy_verbs=frozenset(_folded(merged.get("metonymy_verbs", []))),
        months=months,
        weekdays=weekdays,
        relative_days=rel_days,
        relative_units=rel_units,
        week_phrases=tuple(_folded(merged.get("week_phrases", []))),
        ago_words=tuple(_folded(merged.get("ago_words", []))),
        numbers={fold(k): int(v) for k, v in merged.get("numbers", {}).items()},
        last_words=frozenset(_folded(merged.get("last_words", []))),
        in_words=frozenset(_folded(merged.get("in_words", []))),
        abbreviations=dict(merged.get("abbreviations", {})),
        respellings=tuple((fold(k), fold(v)) for k, v in merged.get("respellings", {}).items()),
        place_cues=tuple(_folded(merged.get("place_cues", []))),
        weak_place_cues=tuple(_folded(merged.get("weak_place_cues", []))),
    )


@cache
def load_languages(path: Path = LANGUAGES_TOML) -> dict[str, Language]:
    """Every language the rules file defines, keyed by ISO 639-1 code."""
    with path.open("rb") as handle:
        specs = tomllib.load(handle)
    return {code: _build(code, spec, specs.get(spec.get("inherits", ""))) for code, spec in specs.items()}


def get_language(code: str) -> Language:
    """The rules for ``code``, or English rules for a language the file does not define."""
    languages = load_languages()
    return languages.get(code) or languages["en"]


def identify_language(text: str, *, sample: int = 4000, tokens: Sequence[Token] | None = None) -> str:
    """The article's language: stop-word evidence over its first characters, with the script deciding ties.

    Serbian Cyrillic counts for Serbian (sr); text with too little evidence is ``und``. ``tokens`` may pass
    ``tokenize(text)`` when the caller has it already.
    """
    head = text[:sample]
    words = _head_words(head, tokens)
    if not words:
        return UNDETERMINED
    scores = dict.fromkeys(load_languages(), 0)
    for word, count in Counter(words).items():
        for code in _languages_by_stopword().get(word, ()):
            scores[code] += count
    cyrillic = len(_CYRILLIC_RE.findall(head))
    if cyrillic > len(head) * 0.3:
        return "mk" if scores.get("mk", 0) > scores.get("sr", 0) * 1.5 else "sr"
    best = max(scores, key=lambda code: scores[code])
    return best if scores[best] >= 2 else UNDETERMINED


@cache
def _languages_by_stopword() -> dict[str, tuple[str, ...]]:
    """The languages each stop word counts for, so that an article's words are looked up once each."""
    codes: dict[str, list[str]] = {}
    for code, lang in load_languages().items():
        for word in lang.stopwords:
            codes.setdefault(word, []).append(code)
    return {word: tuple(langs) for word, langs in codes.items()}


def _head_words(head: str, tokens: Sequence[Token] | None) -> list[str]:
    """The folded words of ``head``, from the whole text's ``tokens`` when given: the words it holds whole,
    then the word it cuts, tokenized again as cut."""
    if tokens is None:
        return [t.folded for t in tokenize(head)]
    inside = tokens[: bisect_left(tokens, len(head), key=lambda t: t.start)]
    words = [t.folded for t in inside if t.end <= len(head)]
    if inside and inside[-1].end > len(head):
        words.extend(t.folded for t in tokenize(head[inside[-1].start :]))
    return words
