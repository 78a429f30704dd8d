"""What the page shows, counted for the sidebar: events, places, articles, and events of each type."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .escaping import escape_html
from .models import Event
from .palette import legend_types

COUNTS_CLASS = "dashboard-counts"


@dataclass(frozen=True, slots=True)
class ShownCounts:
    """How much of the store the current dates and filters show."""

    events: int
    total: int
    places: int
    articles: int
    by_type: dict[str, int]


def count_shown(shown: Sequence[Event], total: int) -> ShownCounts:
    """Counts over the shown events; ``total`` is how many the store holds."""
    return ShownCounts(
        events=len(shown),
        total=total,
        places=len({event.place.id for event in shown}),
        articles=len({source.path for event in shown for source in event.sources}),
        by_type=dict(Counter(event.event_type for event in shown)),
    )


def counts_html(counts: ShownCounts) -> str:
    """A sentence of totals, then one row per event type with its map colour, most severe first."""
    rows = "".join(
        f'<tr class="type-{escape_html(kind)}"><td><span style="display:inline-block;width:.7rem;height:.7rem;'
        f'border-radius:50%;background:{colour}"></span> {escape_html(label)}</td>'
        f'<td style="text-align:right">{counts.by_type.get(kind, 0)}</td></tr>'
        for kind, label, colour in legend_types()
    )
    summary = (
        f"<p><b>{counts.events}</b> of {counts.total} events · {_plural(counts.places, 'place')} · "
        f"{_plural(counts.articles, 'article')}</p>"
    )
    return f'<div class="{COUNTS_CLASS}">{summary}<table style="width:100%">{rows}</table></div>'


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
