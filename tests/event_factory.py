"""Small hand-made places, sources and events for the map, panel and timeline tests."""

from __future__ import annotations

import datetime as dt

from dashboard.models import Event, Level, Place, Precision, Source

ZVECAN = Place("zvecan", "Zvečan", 42.9075, 20.8403, "settlement", "XK", aliases=("Zvecan",))
LEPOSAVIC = Place("leposavic", "Leposavić", 43.1039, 20.8028, "settlement", "XK")
ZUBIN_POTOK = Place("zubin-potok", "Zubin Potok", 42.9144, 20.6897, "settlement", "XK")
KOSOVO = Place("xk", "Kosovo", 42.6, 20.9, "country", "XK")
TOKYO = Place("tokyo", "Tokyo", 35.6895, 139.6917, "settlement", "JP")


def make_place(place_id: str, name: str, *, level: Level = "settlement", lat: float = 42.9) -> Place:
    return Place(place_id, name, lat, 20.8, level, "XK")


def make_source(
    *,
    title: str = "Clashes in the north",
    sentence: str = "Protesters gathered.",
    event_type: str = "other",
    date_evidence: str = "",
    article: str = "004_574767ba21afd2f7.txt",
    published: str = "2023-05-27",
    start: int = 0,
    end: int = 0,
) -> Source:
    return Source(
        article=article,
        path=f"seeds/{article}",
        title=title,
        published=dt.date.fromisoformat(published),
        published_precision="day",
        sentence=sentence,
        date_evidence=date_evidence,
        start=start,
        end=end,
        event_type=event_type,
    )


def make_event(
    place: Place,
    when: str,
    *,
    precision: Precision | None = None,
    summary: str = "Clashes",
    sources: tuple[Source, ...] | None = None,
    date_resolved: bool = True,
) -> Event:
    """An event on "2023-05-26", "2023-05" or "2023", its precision read from the form unless given."""
    parts = when.split("-")
    inferred: Precision = ("year", "month", "day")[len(parts) - 1]  # type: ignore[assignment]
    padded = [*parts, "01", "01"][:3]
    return Event(
        place=place,
        date=dt.date.fromisoformat("-".join(padded)),
        precision=precision or inferred,
        sources=sources if sources is not None else (make_source(),),
        summary=summary,
        date_resolved=date_resolved,
    )
