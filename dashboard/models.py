"""The records passed between pipeline stages: frozen, slotted, no behaviour beyond small derived values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from .event_types import OTHER, event_types


@cache
def _type_rank() -> dict[str, int]:
    return {kind: rank for rank, kind in enumerate(event_types())}


Precision = Literal["day", "month", "year"]
Level = Literal["settlement", "site", "region", "country"]
LEVELS: tuple[str, ...] = ("settlement", "site", "region", "country")
PRECISIONS: tuple[str, ...] = ("day", "month", "year")


def last_day(value: dt.date, precision: str) -> dt.date:
    """The last day a date of this precision covers: the day itself, its month's or its year's last day."""
    if precision == "day":
        return value
    if precision == "month":
        return (value.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return value.replace(month=12, day=31)


def format_date(value: dt.date, precision: Precision) -> str:
    """The date as written at its precision: 2023-05-26, 2023-05 or 2023."""
    iso = value.isoformat()
    return {"day": iso, "month": iso[:7], "year": iso[:4]}[precision]


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: where it came from, when it was published, and its text (after the date line)."""

    path: str
    name: str
    published: dt.date
    published_precision: Precision
    title: str
    text: str
    sha256: str
    language: str = "und"


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer row: a named point with a level, a country and where the row comes from."""

    id: str
    name: str
    lat: float
    lon: float
    level: Level
    country: str
    population: int = 0
    aliases: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """A place named in an article's text, at character offsets [start, end) of ``Article.text``."""

    place: Place
    start: int
    end: int
    surface: str


@dataclass(frozen=True, slots=True)
class UnknownPlace:
    """A name that reads like a place (the village of X, u X-u) but that no gazetteer row has, kept for review.

    ``name`` is the base form when the article itself writes it (u Banjskoj, Banjska → Banjska), else the
    name as written; ``surface`` is the text at offsets [start, end) of ``Article.text``, inside ``sentence``.
    """

    name: str
    surface: str
    start: int
    end: int
    sentence: str


@dataclass(frozen=True, slots=True)
class EventDate:
    """When something happened, at a precision, with the expression it was read from.

    ``resolved`` is False when nothing in the text gave the date and the publication date only stands in.
    A report that no other date precedes is current news: the publication day, resolved, with ``evidence``
    saying so.
    """

    value: dt.date
    precision: Precision
    resolved: bool
    evidence: str = ""

    @property
    def label(self) -> str:
        return format_date(self.value, self.precision)


@dataclass(frozen=True, slots=True)
class Source:
    """One article's report of an event: the sentence that reports it and how its date was read."""

    article: str
    path: str
    title: str
    published: dt.date
    published_precision: Precision
    sentence: str
    date_evidence: str = ""
    date_resolved: bool = True
    start: int = 0
    end: int = 0
    event_type: str = OTHER


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened at a place on a date, with every source that reports it."""

    place: Place
    date: dt.date
    precision: Precision
    sources: tuple[Source, ...]
    summary: str
    date_resolved: bool = True
    id: int | None = None
    related: tuple[int, ...] = ()  # stored events at the same place inside this one's month or year, or around it

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.place.id, self.date.isoformat(), self.precision)

    @property
    def date_label(self) -> str:
        return format_date(self.date, self.precision)

    @property
    def event_type(self) -> str:
        """The most severe type any source reports (types are ordered most severe first); a type the rules no
        longer name (a store older than a change to data/event_types.toml) counts as "other", as it does
        where the database ranks types (``event_sql``)."""
        rank = _type_rank()
        if len(self.sources) == 1:
            kind = self.sources[0].event_type
            return kind if kind in rank else OTHER
        return min((s.event_type if s.event_type in rank else OTHER for s in self.sources), key=rank.__getitem__,
                   default=OTHER)  # fmt: skip

    @property
    def end_date(self) -> dt.date:
        """The last day the event's date covers (a month event covers the whole month)."""
        return last_day(self.date, self.precision)


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that could not be used: where it is and why, returned beside the good ones."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What an ingest run did, for the CLI's summary and the app's messages."""

    read: int = 0
    new: int = 0
    unchanged: int = 0
    events: int = 0
    changed: int = 0  # files stored before whose text (or analysis) changed, so their contributions were replaced
    pruned: int = 0  # stored articles removed because their files are gone
    problems: tuple[Problem, ...] = field(default_factory=tuple)
