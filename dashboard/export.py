"""Exports: the stored events as GeoJSON (one Point Feature per event) or CSV (one row per source)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from .models import Event

CSV_COLUMNS = (
    "event_id", "place", "place_id", "level", "country", "lat", "lon", "date", "date_precision",
    "date_resolved", "summary", "article", "published", "sentence", "date_evidence",
)  # fmt: skip


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
            "summary": event.summary,
            "sources": [
                {
                    "article": s.article,
                    "title": s.title,
                    "published": s.published.isoformat(),
                    "text": s.sentence,
                    "date_evidence": s.date_evidence,
                    "date_resolved": s.date_resolved,
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
        for s in event.sources:
            writer.writerow([
                event.id, p.name, p.id, p.level, p.country, p.lat, p.lon, event.date.isoformat(), event.precision,
                event.date_resolved, event.summary, s.article, s.published.isoformat(), s.sentence, s.date_evidence,
            ])  # fmt: skip
    return count


WRITERS = {"geojson": write_geojson, "csv": write_csv}


def export_events(events: Iterable[Event], path: Path, fmt: str) -> int:
    """Write events to ``path`` in ``fmt`` (geojson or csv); returns how many events were written."""
    with path.open("w", encoding="utf-8", newline="") as out:
        return WRITERS[fmt](events, out)
