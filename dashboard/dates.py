"""Dating: date expressions in an article's text, resolved against its publication date (always passed in).

Forms read, in every language of ``data/languages.toml`` (month and weekday names from CLDR):
ISO dates; 26.05.2023.; "26 May 2023", "26. maja", "më 26 maj"; "May 26, 2023"; "in November",
"November 2022"; "in 2011"; weekdays ("on Friday", "u petak", "të premten"); relative days ("yesterday",
"juče", "dje", "last night", "tonight"); "two days ago"; "last month", "last year". A day and month with
no year take the publication year, or the year before when that would fall after publication.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple, TypeVar

from .gazetteer import stem_word
from .languages import Language, get_language
from .models import EventDate, Precision
from .text import fold

_TOKEN_RE = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)
_ISO_RE = re.compile(r"(?<![\d.])(\d{4})-(\d{2})-(\d{2})(?![\d])([T ]\d{1,2}:\d{2})?")
_NUMERIC_RE = re.compile(r"(?<![\d.,])(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})(?![\d,])\.?")
MIN_YEAR, MAX_YEAR = 1900, 2100
FUTURE_DAYS = 60


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at offsets [start, end) of the text, and the date it means.

    ``stamp`` marks a machine time stamp ("2024-04-21 19:16:38"): it tells when the article was written,
    not when something happened.
    """

    start: int
    end: int
    date: EventDate
    stamp: bool = False


class _Tok(NamedTuple):
    """A word or number of the text. A named tuple, not a dataclass: a text has hundreds, and a tuple is
    made in half the time."""

    text: str
    start: int
    end: int
    folded: str

    @property
    def number(self) -> int | None:
        return int(self.text) if self.text.isdecimal() and len(self.text) <= 4 else None  # not "²"


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(), m.start(), m.end(), fold(m.group())) for m in _TOKEN_RE.finditer(text)]


def find_dates(
    text: str, published: dt.date, *, precision: Precision = "day", language: str = "en"
) -> list[DateMention]:
    """Every date expression in ``text``, resolved against ``published``, in text order, not overlapping.

    A publication date outside ``MIN_YEAR``..``MAX_YEAR`` (which ``articles.py`` never gives) dates nothing:
    the rules count back and forward from it.
    """
    if not MIN_YEAR <= published.year <= MAX_YEAR:
        return []
    lang = get_language(language)
    langs = (lang, get_language("en")) if lang.code != "en" else (lang,)
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for regex_found in (_iso_dates(text), _numeric_dates(text)):
        for mention in regex_found:
            if any(mention.start < b and a < mention.end for a, b in taken):
                continue  # "2023-05-27.05.2023": the ISO date's day is no numeric date's day
            found.append(mention)
            taken.append((mention.start, mention.end))
    tokens = _tokens(text)
    if taken:
        tokens = [t for t in tokens if not any(a <= t.start < b for a, b in taken)]
    reader = _Reader(tokens, text, published, precision, langs)
    if precision != "day":
        day = reader.publication_day()
        if day is not None:
            reader = _Reader(tokens, text, day, "day", langs)
    found.extend(reader.read())
    return sorted(found, key=lambda m: m.start)


def _iso_dates(text: str) -> list[DateMention]:
    out = []
    for m in _ISO_RE.finditer(text):
        value = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if value:
            stamp = m.group(4) is not None
            out.append(DateMention(m.start(), m.end(3), EventDate(value, "day", True, m.group(0)[:10]), stamp))
    return out


def _numeric_dates(text: str) -> list[DateMention]:
    out = []
    for m in _NUMERIC_RE.finditer(text):
        value = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if value:
            out.append(DateMention(m.start(), m.end(), EventDate(value, "day", True, m.group().strip())))
    return out


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@cache
def _weekday_stems(code: str) -> dict[str, int]:
    """Weekday names by stem, so an inflected form CLDR does not list still reads (nedjelju, srijedu)."""
    lang = get_language(code)
    return {stem_word(name, lang.suffixes): day for name, day in lang.weekdays.items() if " " not in name}


CACHE_LIMIT = 200_000  # words remembered per cache; cleared when full, so memory stays bounded
_MONTH_CACHE: dict[tuple[str, tuple[str, ...]], int | None] = {}
_Hit = tuple[int, dt.date, Precision]  # a form's reading: (token count, date, precision)
_Form = Callable[["_Reader", int], _Hit | None]
_FORMS: dict[tuple[str, ...], dict[str, tuple[_Form, ...]]] = {}  # by language codes, then token text
_Key = TypeVar("_Key")
_Value = TypeVar("_Value")
_Phrases = Collection[str]  # folded phrases: a tuple, or the keys of a table
_FIRST_WORDS: dict[int, tuple[_Phrases, frozenset[str]]] = {}


def _remembered(memo: dict[_Key, _Value], key: _Key, value: _Value) -> _Value:
    """Keep a value; a memo grown past ``CACHE_LIMIT`` starts afresh."""
    if len(memo) > CACHE_LIMIT:
        memo.clear()
    memo[key] = value
    return value


def _first_words(phrases: _Phrases) -> frozenset[str]:
    """The first words of a phrase list, so most tokens are ruled out by one set lookup.

    Keyed by the list's identity, and holding the list so that no other list can take its identity: the
    lists belong to the cached ``Language`` records, which live as long as the process.
    """
    entry = _FIRST_WORDS.get(id(phrases))
    if entry is None or entry[0] is not phrases:
        entry = _FIRST_WORDS[id(phrases)] = (phrases, frozenset(p.split(" ", 1)[0] for p in phrases))
    return entry[1]


@cache
def _starters(codes: tuple[str, ...]) -> frozenset[str]:
    """Every word a word-based date form can start with in these languages (months are checked apart)."""
    words: set[str] = set()
    for code in codes:
        lang = get_language(code)
        for phrases in (lang.relative_days, lang.weekdays, lang.week_phrases, lang.relative_units, lang.numbers):
            words |= _first_words(phrases)
        words |= set(_weekday_stems(code))
        words |= {stem for word in lang.weekdays for stem in _stems_of(word, lang)}
    return frozenset(words)


def _stems_of(word: str, lang: Language) -> set[str]:
    return {word, stem_word(word, lang.suffixes)}


class _Reader:
    """Reads word-based date expressions left to right; each ``_at`` method tries one form at a position."""

    def __init__(
        self, tokens: list[_Tok], text: str, published: dt.date, precision: Precision, langs: tuple[Language, ...]
    ) -> None:
        self.tokens = tokens
        self.text = text
        self.published = published
        self.pub_precision = precision
        self.langs = langs
        self.codes = tuple(lang.code for lang in langs)

    def read(self) -> list[DateMention]:
        out: list[DateMention] = []
        after = 0  # the first token after the last expression read
        for i, forms in self._possible_starts():
            if i < after:
                continue
            for form in forms:
                hit = form(self, i)
                if hit:
                    count, value, precision = hit
                    first, last = self.tokens[i], self.tokens[i + count - 1]
                    evidence = self.text[first.start : last.end]
                    out.append(DateMention(first.start, last.end, EventDate(value, precision, True, evidence)))
                    after = i + count
                    break
        return out

    def _possible_starts(self) -> list[tuple[int, tuple[_Form, ...]]]:
        """The tokens a form could start at, with those forms; each word is judged once per set of languages."""
        known = _FORMS.setdefault(self.codes, {})
        starters = _starters(self.codes)
        starts = []
        for i, tok in enumerate(self.tokens):
            forms = known.get(tok.text)
            if forms is None:
                forms = _remembered(known, tok.text, self._forms_from(tok) if self._may_start(tok, starters) else ())
            if forms:
                starts.append((i, forms))
        return starts

    def _forms_from(self, tok: _Tok) -> tuple[_Form, ...]:
        """The forms, in the order they are tried, whose first word this token can be (by itself alone: what
        follows it decides the rest)."""
        number, folded = tok.number, tok.folded
        month = number is None and self._month_of(folded) is not None
        day = number is not None and 1 <= number <= 31 and len(tok.text) <= 2
        year = number is not None and len(tok.text) == 4 and MIN_YEAR <= number <= MAX_YEAR
        amount = (number is not None and number < 32) or any(lang.numbers.get(folded) for lang in self.langs)
        relative = self._opens(folded, "relative_days") or self._opens(folded, "relative_units")
        weekday = self._opens(folded, "weekdays") or any(
            stem_word(folded, lang.suffixes) in _weekday_stems(lang.code) for lang in self.langs
        )
        possible = ((_Reader._day_month, day), (_Reader._month_day, month), (_Reader._relative_phrase, relative),
                    (_Reader._week, self._opens(folded, "week_phrases")), (_Reader._ago, amount),
                    (_Reader._weekday, weekday), (_Reader._month_alone, month), (_Reader._year_alone, year))  # fmt: skip
        return tuple(form for form, may in possible if may)

    def _opens(self, word: str, table: str) -> bool:
        """Whether the word opens a phrase of the named ``Language`` table in one of the languages."""
        return any(word in _first_words(getattr(lang, table)) for lang in self.langs)

    def publication_day(self) -> dt.date | None:
        """The day a month-dated article was written, when the text pins it ("od sutra, 1. kolovoza")."""
        for i in range(len(self.tokens)):
            for lang in self.langs:
                hit = self._phrase_at(i, lang.relative_days)
                if not hit:
                    continue
                explicit = self._explicit_day(i + hit[0] - 1)
                if explicit:
                    day = explicit[1] - dt.timedelta(days=lang.relative_days[hit[1]])
                    if (day.year, day.month) == (self.published.year, self.published.month):
                        return day
        return None

    # lookups -------------------------------------------------------------------------------------

    def _tok(self, i: int) -> _Tok | None:
        return self.tokens[i] if 0 <= i < len(self.tokens) else None

    def _may_start(self, tok: _Tok, starters: frozenset[str]) -> bool:
        """Whether any form could start at this token: a number, a month, or a (stemmed) first word of a phrase."""
        return (
            tok.number is not None
            or tok.folded in starters
            or any(stem_word(tok.folded, lang.suffixes) in starters for lang in self.langs)
            or self._month_of(tok.folded) is not None
        )

    def _month(self, i: int) -> int | None:
        tok = self._tok(i)
        if tok is None or tok.number is not None:
            return None
        return self._month_of(tok.folded)

    def _month_of(self, word: str) -> int | None:
        key = (word, self.codes)
        if key not in _MONTH_CACHE:
            _remembered(_MONTH_CACHE, key, self._read_month(word))
        return _MONTH_CACHE[key]

    def _read_month(self, word: str) -> int | None:
        for lang in self.langs:
            if word in lang.months:
                return lang.months[word]
            stem = stem_word(word, lang.suffixes)
            if stem != word and stem in lang.months:
                return lang.months[stem]
            for name, number in lang.months.items():
                if len(name) >= 5 and word.startswith(name[:-2]) and len(word) <= len(name) + 2:
                    return number
        return None

    def _day_number(self, i: int) -> int | None:
        tok = self._tok(i)
        if tok is None or tok.number is None or not 1 <= tok.number <= 31 or len(tok.text) > 2:
            return None
        follow = self.text[tok.end : tok.end + 1]
        return None if follow in {",", ":"} and self.text[tok.end + 1 : tok.end + 2].isdigit() else tok.number

    def _year(self, i: int) -> int | None:
        tok = self._tok(i)
        if tok is None or tok.number is None or len(tok.text) != 4 or not MIN_YEAR <= tok.number <= MAX_YEAR:
            return None
        return tok.number

    def _gap_ok(self, a: int, b: int, allowed: str = " .,-–") -> bool:
        """Only spaces and light punctuation between tokens a and b."""
        left, right = self._tok(a), self._tok(b)
        if left is None or right is None:
            return False
        gap = self.text[left.end : right.start]
        return len(gap) <= 3 and all(c in allowed or c.isspace() for c in gap)

    def _phrase_at(self, i: int, phrases: _Phrases) -> tuple[int, str] | None:
        """The longest phrase (folded words) starting at token i: (token count, phrase)."""
        if i >= len(self.tokens) or self.tokens[i].folded not in _first_words(phrases):
            return None
        for count in (4, 3, 2, 1):
            if i + count > len(self.tokens) or not all(
                self._gap_ok(i + k, i + k + 1, " -'’") for k in range(count - 1)
            ):
                continue
            phrase = " ".join(t.folded for t in self.tokens[i : i + count])
            if phrase in phrases:
                return count, phrase
        return None

    # resolution ----------------------------------------------------------------------------------

    def _with_year(self, month: int, day: int | None, year: int | None) -> tuple[dt.date, Precision] | None:
        """A day or month without a year takes the publication year, or the year before when that would put
        it more than ``FUTURE_DAYS`` after publication (news looks back more than ahead)."""
        precision: Precision = "day" if day else "month"
        if year is not None:
            value = _safe_date(year, month, day or 1)
            return (value, precision) if value else None
        value = _safe_date(self.published.year, month, day or 1)
        if value is None or (value - self.published).days > (FUTURE_DAYS if day else 0):
            value = _safe_date(self.published.year - 1, month, day or 1)
        return (value, precision) if value else None

    def _relative(self, offset_days: int) -> tuple[dt.date, Precision]:
        if self.pub_precision != "day":
            return self.published.replace(day=1), "month"
        return self.published + dt.timedelta(days=offset_days), "day"

    # forms: each returns (token count, date, precision) or None -----------------------------------

    def _day_month(self, i: int) -> tuple[int, dt.date, Precision] | None:
        day = self._day_number(i)
        if day is None or not self._gap_ok(i, i + 1):
            return None
        month = self._month(i + 1)
        if month is None:
            return None
        year = self._year(i + 2) if self._gap_ok(i + 1, i + 2) else None
        resolved = self._with_year(month, day, year)
        return (3 if year else 2, *resolved) if resolved else None

    def _month_day(self, i: int) -> tuple[int, dt.date, Precision] | None:
        month = self._month(i)
        if month is None or not self._gap_ok(i, i + 1, " "):
            return None
        day = self._day_number(i + 1)
        if day is None:
            return None
        year = self._year(i + 2) if self._gap_ok(i + 1, i + 2, " ,") else None
        resolved = self._with_year(month, day, year)
        return (3 if year else 2, *resolved) if resolved else None

    def _month_alone(self, i: int) -> tuple[int, dt.date, Precision] | None:
        month = self._month(i)
        if month is None:
            return None
        year = self._year(i + 1) if self._gap_ok(i, i + 1, " ,") else None
        if year is None and any(self.tokens[i].folded in L.stopwords for L in self.langs):
            return None  # Romanian "mai" is May and "more": only a year makes it a month
        prev = self._tok(i - 1)
        introduced = prev is not None and any(prev.folded in L.in_words | L.last_words for L in self.langs)
        if year is None and not introduced:
            return None
        if year is None and prev is not None and any(prev.folded in L.last_words for L in self.langs):
            value = _safe_date(self.published.year, month, 1)
            if value is None or value >= self.published.replace(day=1):
                value = _safe_date(self.published.year - 1, month, 1)
            return (1, value, "month") if value else None
        resolved = self._with_year(month, None, year)
        return (2 if year else 1, *resolved) if resolved else None

    def _year_alone(self, i: int) -> tuple[int, dt.date, Precision] | None:
        year = self._year(i)
        prev = self._tok(i - 1)
        if year is None or prev is None or not any(prev.folded in L.in_words for L in self.langs):
            return None
        if year > self.published.year:
            return None
        return 1, dt.date(year, 1, 1), "year"

    def _relative_phrase(self, i: int) -> tuple[int, dt.date, Precision] | None:
        for lang in self.langs:
            hit = self._phrase_at(i, lang.relative_days)
            if hit:
                count, phrase = hit
                if lang.relative_days[phrase] > 0:
                    return None
                return count, *self._relative(lang.relative_days[phrase])
            unit_hit = self._phrase_at(i, lang.relative_units)
            if unit_hit:
                count, phrase = unit_hit
                unit, offset = lang.relative_units[phrase]
                resolved = self._unit(unit, offset)
                return (count, *resolved) if resolved else None
        return None

    def _week(self, i: int) -> tuple[int, dt.date, Precision] | None:
        """ "Earlier this week": no day, so the month of the days just before publication."""
        for lang in self.langs:
            hit = self._phrase_at(i, lang.week_phrases)
            if hit:
                day_before = self.published - dt.timedelta(days=1 if self.pub_precision == "day" else 0)
                return hit[0], day_before.replace(day=1), "month"
        return None

    def _unit(self, unit: str, offset: int) -> tuple[dt.date, Precision] | None:
        if unit == "month":
            first = self.published.replace(day=1)
            if offset < 0:
                first = (first - dt.timedelta(days=1)).replace(day=1)
            return first, "month"
        if unit == "year":
            return dt.date(self.published.year + offset, 1, 1), "year"
        return None

    def _ago(self, i: int) -> tuple[int, dt.date, Precision] | None:
        amount = self._amount(i)
        unit = self._tok(i + 1)
        after = self._tok(i + 2)
        if amount is None or unit is None or after is None:
            return None
        if not (self._gap_ok(i, i + 1) and self._gap_ok(i + 1, i + 2)):
            return None  # "2 days 2023-05-27 ago" is no "two days ago"
        if not unit.folded.startswith(("day", "dan", "dit", "tag", "giorn", "jour", "dia", "zil")):
            return None
        if not any(after.folded in L.ago_words for L in self.langs):
            return None
        return 3, *self._relative(-amount)

    def _amount(self, i: int) -> int | None:
        tok = self._tok(i)
        if tok is None:
            return None
        if tok.number is not None and tok.number < 32:
            return tok.number
        for lang in self.langs:
            value = lang.numbers.get(tok.folded)
            if value:
                return value
        return None

    def _weekday(self, i: int) -> tuple[int, dt.date, Precision] | None:
        tok = self.tokens[i]
        for lang in self.langs:
            hit = self._phrase_at(i, lang.weekdays)
            if hit:
                count, weekday = hit[0], lang.weekdays[hit[1]]
            else:
                count, weekday = 1, _weekday_stems(lang.code).get(stem_word(tok.folded, lang.suffixes), -1)
                if weekday < 0:
                    continue
            if lang.code == "en" and not tok.text[:1].isupper():
                return None
            explicit = self._explicit_day(i + count - 1)
            if explicit:
                return count + explicit[0], *explicit[1:]
            return count, *self._weekday_date(weekday)
        return None

    def _explicit_day(self, last: int) -> tuple[int, dt.date, Precision] | None:
        """A day date right after token ``last`` ("Sunday, 31 July"): it names the day the weekday only hints at."""
        if not self._gap_ok(last, last + 1, " ,"):
            return None
        return self._day_month(last + 1) or self._month_day(last + 1)

    def _weekday_date(self, weekday: int) -> tuple[dt.date, Precision]:
        if self.pub_precision != "day":
            return self.published.replace(day=1), "month"
        back = (self.published.weekday() - weekday) % 7
        return self.published - dt.timedelta(days=back), "day"
