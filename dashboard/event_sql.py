"""The queries behind a large store's page: the events a date range and the filters show, counted per place,
per day and type, and listed for one place, in SQL that both backends run.

The rules are those the page applies to events in memory (``timeline.events_in_range``,
``filters.apply_filters``, ``Event.event_type``), so a store of any size shows the same map: an event shows
when its day, month or year overlaps the range; its type is the most severe of its sources' types; the text
filter keeps events whose place name or any source's title or sentence (``event_sources.folded``, stored
folded) holds every word. The dialects differ only where ``dialects.Dialect`` says.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from .dialects import Dialect, Query
from .event_types import OTHER, event_types
from .filters import Filters
from .models import PRECISIONS
from .text import fold


@dataclass(frozen=True, slots=True)
class Selection:
    """What the page shows: a date range (both ends included) and the sidebar's filters."""

    start: dt.date
    end: dt.date
    filters: Filters = field(default_factory=Filters)

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"date range must run forwards, got {self.start.isoformat()} .. {self.end.isoformat()}")


def type_of_rank(rank: int) -> str:
    """The event type a query's rank column stands for (rank = index in ``event_types()``)."""
    kinds = event_types()
    return kinds[rank] if 0 <= rank < len(kinds) else OTHER


def search_words(text: str) -> list[str]:
    """The text filter's words, folded as the stored text is."""
    return fold(text).split()


def shown_events(selection: Selection, dialect: Dialect, *, places_by_word: Mapping[str, Collection[str]]) -> Query:
    """One row per shown event: id, place id, date, precision, and the rank of its type (0 most severe).

    ``places_by_word`` holds, for each word of the text filter, the ids of the places whose folded name
    contains it (the places table is small, so the caller matches names in Python).
    """
    mark = dialect.mark
    params: list[object] = []
    start, end = selection.start, selection.end
    overlaps = []
    for precision, first in zip(PRECISIONS, (start, start.replace(day=1), start.replace(month=1, day=1)), strict=True):
        overlaps.append(f"(e.precision = {mark} AND e.date BETWEEN {mark} AND {mark})")
        params += [precision, dialect.date(first), dialect.date(end)]
    conditions = ["(" + " OR ".join(overlaps) + ")"]
    filters = selection.filters
    if filters.countries:
        conditions.append(f"p.country IN ({_marks(mark, filters.countries)})")
        params += filters.countries
    if filters.places:
        conditions.append(f"e.place_id IN ({_marks(mark, filters.places)})")
        params += filters.places
    if filters.sources:
        conditions.append(
            "EXISTS (SELECT 1 FROM event_sources fs JOIN articles fa ON fa.id = fs.article_id"
            f" WHERE fs.event_id = e.id AND fa.name IN ({_marks(mark, filters.sources)}))"
        )
        params += filters.sources
    for word in search_words(filters.text):
        contains = dialect.contains.format(haystack="ws.folded", needle=mark)
        in_source = f"EXISTS (SELECT 1 FROM event_sources ws WHERE ws.event_id = e.id AND {contains})"
        named = sorted(places_by_word.get(word, ()))
        conditions.append(f"(e.place_id IN ({_marks(mark, named)}) OR {in_source})" if named else in_source)
        params += [*named, word]
    rank, rank_params = _rank_sql(mark)
    sql = (
        f"SELECT e.id, e.place_id, e.date, e.precision, ({rank}) AS rank"
        f" FROM events e JOIN places p ON p.id = e.place_id WHERE {' AND '.join(conditions)}"
    )
    query_params = [*rank_params, *params]
    if filters.types:
        ranks = sorted({event_types().index(kind) for kind in filters.types if kind in event_types()})
        sql = f"SELECT * FROM ({sql}) typed WHERE rank IN ({_marks(mark, ranks) or 'NULL'})"
        query_params += ranks
    return Query(sql, tuple(query_params))


def place_summaries(selection: Selection, dialect: Dialect, *, places_by_word: Mapping[str, Collection[str]]) -> Query:
    """Per place with shown events: the place's columns, its event count, the rank of its most severe type,
    the index of its finest precision and its distinct reporting articles, in the order places first appear
    (by date)."""
    shown = shown_events(selection, dialect, places_by_word=places_by_word)
    fineness = " ".join(f"WHEN '{precision}' THEN {index}" for index, precision in enumerate(PRECISIONS))
    sql = f"""
WITH shown AS ({shown.sql})
SELECT p.id, p.name, p.lat, p.lon, p.level, p.country, p.population, p.source,
       g.events, g.rank, g.fine, a.articles
FROM (
    SELECT place_id, count(*) AS events, min(rank) AS rank, min(CASE precision {fineness} END) AS fine,
           min(date) AS first
    FROM shown GROUP BY place_id
) g
JOIN (
    SELECT sh.place_id, count(DISTINCT s.article_id) AS articles
    FROM shown sh JOIN event_sources s ON s.event_id = sh.id GROUP BY sh.place_id
) a ON a.place_id = g.place_id
JOIN places p ON p.id = g.place_id
ORDER BY g.first, p.id"""
    return Query(sql, shown.params)


def event_groups(selection: Selection, dialect: Dialect, *, places_by_word: Mapping[str, Collection[str]]) -> Query:
    """Shown events counted by (date, precision, type rank): enough for the totals by type, the per-day
    timeline and the count of month- and year-dated events."""
    shown = shown_events(selection, dialect, places_by_word=places_by_word)
    sql = f"SELECT date, precision, rank, count(*) FROM ({shown.sql}) shown GROUP BY date, precision, rank"
    return Query(sql, shown.params)


def reach(selection: Selection, dialect: Dialect, *, places_by_word: Mapping[str, Collection[str]]) -> Query:
    """How many distinct articles report the shown events, and at how many places."""
    shown = shown_events(selection, dialect, places_by_word=places_by_word)
    sql = (
        "SELECT count(DISTINCT s.article_id), count(DISTINCT shown.place_id)"
        f" FROM ({shown.sql}) shown JOIN event_sources s ON s.event_id = shown.id"
    )
    return Query(sql, shown.params)


def date_extremes() -> Query:
    """The first and last event date of each precision: (precision, first, last) rows."""
    return Query("SELECT precision, min(date), max(date) FROM events GROUP BY precision", ())


def places_with_events() -> Query:
    """Every place some event is at, with the columns ``store._place`` reads."""
    return Query(
        "SELECT p.id, p.name, p.lat, p.lon, p.level, p.country, p.population, p.source FROM places p"
        " WHERE EXISTS (SELECT 1 FROM events e WHERE e.place_id = p.id)",
        (),
    )


def reporting_articles(dialect: Dialect, *, limit: int) -> Query:
    """The newest articles (at most ``limit``) that report some event: (name, published, precision, title)."""
    return Query(
        "SELECT a.name, a.published, a.published_precision, a.title FROM articles a"
        " WHERE EXISTS (SELECT 1 FROM event_sources s WHERE s.article_id = a.id)"
        f" ORDER BY a.published DESC, a.name LIMIT {dialect.mark}",
        (limit,),
    )


def place_event_ids(
    selection: Selection,
    dialect: Dialect,
    place_id: str,
    *,
    limit: int,
    places_by_word: Mapping[str, Collection[str]],
) -> Query:
    """The ids of one place's shown events, newest first (the finer of two on one date first), at most
    ``limit``, and how many there are in all (the same on every row)."""
    shown = shown_events(selection, dialect, places_by_word=places_by_word)
    mark = dialect.mark
    fineness = " ".join(f"WHEN '{precision}' THEN {index}" for index, precision in enumerate(PRECISIONS))
    sql = (
        f"SELECT id, count(*) OVER () FROM ({shown.sql}) shown WHERE place_id = {mark}"
        f" ORDER BY date DESC, CASE precision {fineness} END, id LIMIT {mark}"
    )
    return Query(sql, (*shown.params, place_id, limit))


def _rank_sql(mark: str) -> tuple[str, list[object]]:
    """The event's type rank: the least (most severe) of its sources' ranks; unknown types rank as "other"."""
    kinds = event_types()
    cases = " ".join(f"WHEN {mark} THEN {index}" for index in range(len(kinds)))
    sql = f"SELECT min(CASE rs.event_type {cases} ELSE {kinds.index(OTHER)} END) FROM event_sources rs WHERE rs.event_id = e.id"
    return sql, list(kinds)


def _marks(mark: str, values: Collection[object]) -> str:
    return ", ".join([mark] * len(values))
