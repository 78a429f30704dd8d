"""Exports: the stored events as GeoJSON (one Point Feature per event) or CSV (one row per source),
optionally only those in a date range, a country or at named places."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from .models import Event
from .text import fold

CSV_COLUMNS = (
    "event_id", "place", "place_id", "level", "country", "lat", "lon", "date", "date_precision",
    "date_resolved", "event_type", "related", "summary", "article", "published", "sentence", "date_evidence",
)  # fmt: skip


def select_events(
    events: Iterable[Event],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    countries: Collection[str] = (),
    places: Collection[str] = (),
) -> list[Event]:
    """The events whose dates overlap [since, until], in one of ``countries`` (ISO codes) and at one of
    ``places`` (gazetteer ids or names, compared folded: "Zvecan" selects Zvečan); empty means any.

    A month event overlaps the range when any of its days does. ``related`` keeps only selected events,
    so every id an export lists can be looked up in it.
    """
    codes = {c.upper() for c in countries}
    wanted = {fold(p) for p in places} | set(places)
    kept = [
        e
        for e in events
        if (since is None or e.end_date >= since)
        and (until is None or e.date <= until)
        and (not codes or e.place.country in codes)
        and (not wanted or e.place.id in wanted or fold(e.place.name) in wanted)
    ]
    ids = {e.id for e in kept}
    return [replace(e, related=tuple(i for i in e.related if i in ids)) for e in kept]


def event_feature(event: Event) -> dict[str, Any]:
    """The GeoJSON Feature for one event (the contract read by the evaluation scorer)."""
    place = event.place
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "properties": {
            "id": event.id,
            "place": place.name,
            "place_id": place.id,
            "level": place.level,
            "country": place.country,
            "date": event.date.isoformat(),
            "date_precision": event.precision,
            "date_resolved": event.date_resolved,
            "date_evidence": event.sources[0].date_evidence if event.sources else "",
            "event_type": event.event_type,
            "related": list(event.related),
            "summary": event.summary,
            "sources": [
                {
                    "article": s.article,
                    "title": s.title,
                    "published": s.published.isoformat(),
                    "text": s.sentence,
                    "date_evidence": s.date_evidence,
                    "date_resolved": s.date_resolved,
                    "event_type": s.event_type,
                }
                for s in event.sources
            ],
        },
    }


def write_geojson(events: Iterable[Event], out: TextIO) -> int:
    features = [event_feature(e) for e in events]
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False, indent=1)
    out.write("\n")
    return len(features)


def write_csv(events: Iterable[Event], out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for event in events:
        count += 1
        p = event.place
        related = " ".join(map(str, event.related))
        for s in event.sources:
            writer.writerow([
                event.id, p.name, p.id, p.level, p.country, p.lat, p.lon, event.date.isoformat(), event.precision,
                event.date_resolved, event.event_type, related, event.summary, s.article, s.published.isoformat(),
                s.sentence, s.date_evidence,
            ])  # fmt: skip
    return count


WRITERS = {"geojson": write_geojson, "csv": write_csv}


def export_events(events: Iterable[Event], path: Path, fmt: str) -> int:
    """Write events to ``path`` in ``fmt`` (geojson or csv); returns how many events were written.

    Raises:
        OSError: the file cannot be written.
    """
    with path.open("w", encoding="utf-8", newline="") as out:
        return WRITERS[fmt](events, out)
