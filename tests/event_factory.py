"""Small hand-made places, sources and events for the map, panel and timeline tests, and many synthetic
ones written into a real store for tests and benchmarks at scale."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from dashboard.models import Article, Event, Level, Place, Precision, Source
from dashboard.store import Store

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


SYNTHETIC_START = dt.date(2023, 1, 1)
SYNTHETIC_DAYS = 365
_SYNTHETIC_TYPES = ("attack", "clash", "arrest", "protest", "political", "other")


def synthetic_place(index: int) -> Place:
    """One of many made-up places spread over the western Balkans; every 50th is country-wide."""
    level: Level = "country" if index % 50 == 49 else "settlement"
    lat = 41.0 + (index * 7919 % 5000) / 1000
    lon = 18.0 + (index * 104_729 % 5000) / 1000
    return Place(f"synthetic:{index}", f"Place {index}", lat, lon, level, "XK")


def synthetic_events(count: int, *, places: int) -> list[Event]:
    """``count`` distinct events over ``places`` places and a year of days, about a tenth dated to the month.

    Round ``r`` gives each place one event: on a day distinct from its other rounds' (a step coprime with the
    year's length), or in every tenth round a month distinct from its other month events', so no two events
    share a key while ``count`` is at most ``places * SYNTHETIC_DAYS``.
    """
    if count > places * SYNTHETIC_DAYS:
        raise ValueError(f"{count} events do not fit {places} places over {SYNTHETIC_DAYS} days")
    events = []
    for index in range(count):
        place = synthetic_place(index % places)
        round_, slot = divmod(index, places)
        day = SYNTHETIC_START + dt.timedelta(days=(round_ * 17 + slot * 31) % SYNTHETIC_DAYS)
        monthly = round_ % 10 == 9 and round_ < 120
        if monthly:
            day = day.replace(month=(round_ // 10 + slot) % 12 + 1, day=1)
        source = make_source(
            sentence=f"Report {index} from {place.name}.",
            event_type=_SYNTHETIC_TYPES[index % len(_SYNTHETIC_TYPES)],
            article=f"synthetic-{index // 20:05d}.txt",
            title=f"Synthetic report {index // 20}",
            published=day.isoformat(),
        )
        events.append(
            Event(
                place=place,
                date=day,
                precision="month" if monthly else "day",
                sources=(source,),
                summary=source.sentence,
            )
        )
    return events


def save_synthetic_events(db: Path, count: int, *, places: int, per_article: int = 20) -> list[Event]:
    """Store ``count`` synthetic events through the store's public API, ``per_article`` to an article (one
    transaction each), so a test or benchmark at 10,000 or 100,000 events reads a real store. Returns them.
    """
    events = synthetic_events(count, places=places)
    with Store(db) as store:
        for first in range(0, count, per_article):
            batch = events[first : first + per_article]
            name = batch[0].sources[0].article
            text = "\n".join(event.summary for event in batch)
            article = Article(
                path=f"synthetic/{name}",
                name=name,
                published=batch[0].sources[0].published,
                published_precision="day",
                title=batch[0].sources[0].title,
                text=text,
                sha256=hashlib.sha256(f"{name}\n{text}".encode()).hexdigest(),
            )
            store.save_article(article, batch)
    return events
