"""The panel beside the map: one place's events, newest first, as HTML with all article text escaped."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from .escaping import escape_html
from .models import Event, Place, Source, format_date
from .timeline import newest_first

PANEL_CLASS = "dashboard-panel"

_STYLE = f"""<style>
.{PANEL_CLASS} h3 {{ margin: 0 0 .2rem 0; }}
.{PANEL_CLASS} .meta {{ color: #666; font-size: .85rem; margin: 0 0 .8rem 0; }}
.{PANEL_CLASS} .event {{ border-top: 1px solid #ddd; padding: .6rem 0; }}
.{PANEL_CLASS} .event-date {{ font-weight: 600; margin: 0; }}
.{PANEL_CLASS} .event-summary {{ margin: .2rem 0 .4rem 0; }}
.{PANEL_CLASS} .source {{ font-size: .85rem; margin: .3rem 0 .3rem .6rem; }}
.{PANEL_CLASS} blockquote {{ margin: .2rem 0 0 0; padding-left: .6rem; border-left: 3px solid #ccc;
    color: #444; }}
</style>"""


def panel_html(place: Place, events: Iterable[Event]) -> str:
    """The place's name and its events (newest first), each with its sources and reporting sentences.

    Every string from an article or the gazetteer is escaped: rendered with ``st.html`` it shows as text,
    never as markup or markdown.
    """
    ordered = newest_first(events)
    count = f"{len(ordered)} event{'s' if len(ordered) != 1 else ''} in the selected dates"
    header = (
        f"<h3>{escape_html(place.name)}</h3>"
        f'<p class="meta">{escape_html(place.level)} · {escape_html(place.country)} · {count}</p>'
    )
    body = "".join(_event_html(event) for event in ordered)
    return f'{_STYLE}<section class="{PANEL_CLASS}">{header}{body}</section>'


def _event_html(event: Event) -> str:
    note = "" if event.date_resolved else " (publication date; the text gives no date)"
    sources = "".join(_source_html(source, event.date_label) for source in event.sources)
    return (
        '<div class="event">'
        f'<p class="event-date">{escape_html(event.date_label)}{note}</p>'
        f'<p class="event-summary">{escape_html(event.summary)}</p>'
        f"{sources}</div>"
    )


def _source_html(source: Source, date_label: str) -> str:
    file_name = PurePath(source.path).name if source.path else source.article
    published = format_date(source.published, source.published_precision)
    return (
        '<div class="source">'
        f'<span class="source-title">{escape_html(source.title)}</span>'
        f" — <code>{escape_html(file_name)}</code>, published {escape_html(published)}"
        f"<blockquote>{escape_html(source.sentence)}</blockquote>"
        f'<p class="date-evidence">date: {escape_html(source.date_evidence or "?")} → {escape_html(date_label)}</p>'
        "</div>"
    )
