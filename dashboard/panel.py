"""The panel beside the map: one place's events, newest first, as HTML with all article text escaped.

Each event shows its date and how precise it is (and what the date was read from), its type, its summary,
and every source: title, publication date, the reporting sentence with the place and the date expression
marked, and the full article text behind a click (``<details>``), with that sentence marked in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import PurePath

from .escaping import escape_html
from .event_types import event_type_label
from .highlight import date_spans, highlight_html, place_spans
from .models import Event, Place, Source, format_date
from .palette import PRECISION_WORDS, type_colour
from .timeline import newest_first

PANEL_CLASS = "dashboard-panel"
PANEL_LIMIT = 50

_STYLE = f"""<style>
.{PANEL_CLASS} h3 {{ margin: 0 0 .2rem 0; }}
.{PANEL_CLASS} .meta {{ color: #666; font-size: .85rem; margin: 0 0 .8rem 0; }}
.{PANEL_CLASS} .event {{ border-top: 1px solid #ddd; padding: .6rem 0; }}
.{PANEL_CLASS} .event-head {{ margin: 0; }}
.{PANEL_CLASS} .event-date {{ font-weight: 600; }}
.{PANEL_CLASS} .precision, .{PANEL_CLASS} .event-note {{ color: #666; font-size: .85rem; }}
.{PANEL_CLASS} .event-type {{ color: #fff; border-radius: .6rem; padding: 0 .5rem; font-size: .8rem;
    white-space: nowrap; }}
.{PANEL_CLASS} .event-summary {{ margin: .2rem 0 .4rem 0; }}
.{PANEL_CLASS} .source {{ font-size: .85rem; margin: .4rem 0 .4rem .6rem; }}
.{PANEL_CLASS} .source-head {{ margin: 0; }}
.{PANEL_CLASS} .source-title {{ font-weight: 600; }}
.{PANEL_CLASS} blockquote {{ margin: .2rem 0 0 0; padding-left: .6rem; border-left: 3px solid #ccc;
    color: #333; }}
.{PANEL_CLASS} mark.place {{ background: #ffe08a; }}
.{PANEL_CLASS} mark.date {{ background: #b8e0ff; }}
.{PANEL_CLASS} mark.sentence {{ background: #fff3c4; }}
.{PANEL_CLASS} .date-evidence {{ color: #555; margin: .2rem 0; }}
.{PANEL_CLASS} details summary {{ cursor: pointer; color: #1f5fa8; }}
.{PANEL_CLASS} .article-text {{ white-space: pre-wrap; max-height: 22rem; overflow-y: auto; padding: .4rem;
    background: #fafafa; border: 1px solid #eee; }}
</style>"""


def panel_html(
    place: Place,
    events: Iterable[Event],
    *,
    articles: Mapping[str, str] | None = None,
    country: str | None = None,
    limit: int = PANEL_LIMIT,
    total: int | None = None,
) -> str:
    """The place's name and its events (newest first, at most ``limit``), each with every source.

    ``articles`` maps an article's file name to its full text, shown a click away under each source it
    has; ``country`` is the country's label (the code by default). Every string from an article or the
    gazetteer is escaped: rendered with ``st.html`` it shows as text, never as markup or markdown. ``total``
    is how many events the place shows when ``events`` holds only the latest of them (a store too large to
    load), by default their number.
    """
    ordered = newest_first(events)
    shown = len(ordered) if total is None else total
    count = f"{shown} event{'s' if shown != 1 else ''} shown"
    if shown > limit:
        count += f", the latest {limit} listed: narrow the dates or filters to see the others"
    header = (
        f"<h3>{escape_html(place.name)}</h3>"
        f'<p class="meta">{escape_html(place.level)} · {escape_html(country or place.country)} · {count}</p>'
    )
    body = "".join(_event_html(event, place, articles or {}) for event in ordered[:limit])
    return f'{_STYLE}<section class="{PANEL_CLASS}">{header}{body}</section>'


def cell_html(places: Sequence[tuple[Place, int]], *, more: bool, country_label: Callable[[str], str]) -> str:
    """The places of a grid cell marker (a map of more places than markers) with their event counts, most
    first: choosing one in the Place filter, or narrowing the dates, shows them one by one."""
    rows = "".join(
        f"<tr><td>{escape_html(place.name)}</td><td>{escape_html(country_label(place.country))}</td>"
        f'<td style="text-align:right">{count}</td></tr>'
        for place, count in places
    )
    listed = (
        f"The {len(places)} places with most events here"
        if more
        else f"{len(places)} place{'s' if len(places) != 1 else ''} here"
    )
    header = (
        f"<h3>{listed}</h3>"
        '<p class="meta">More places are shown than the map draws one by one, so nearby places share a marker. '
        "Choose one in the Place filter, or narrow the dates, to see its events.</p>"
    )
    return f'{_STYLE}<section class="{PANEL_CLASS}">{header}<table>{rows}</table></section>'


def type_badge(event_type: str) -> str:
    """The type's label on its map colour."""
    return (
        f'<span class="event-type type-{escape_html(event_type)}" style="background:{type_colour(event_type)}">'
        f"{escape_html(event_type_label(event_type))}</span>"
    )


def _event_html(event: Event, place: Place, articles: Mapping[str, str]) -> str:
    note = "" if event.date_resolved else '<p class="event-note">publication date; the text gives no date</p>'
    sources = "".join(_source_html(source, event, place, articles.get(source.article)) for source in event.sources)
    return (
        f'<div class="event type-{escape_html(event.event_type)}">'
        f'<p class="event-head"><span class="event-date">{escape_html(event.date_label)}</span> '
        f'<span class="precision">({PRECISION_WORDS[event.precision]})</span> {type_badge(event.event_type)}</p>'
        f"{note}"
        f'<p class="event-summary">{escape_html(event.summary)}</p>'
        f"{sources}</div>"
    )


def _source_html(source: Source, event: Event, place: Place, article_text: str | None) -> str:
    file_name = PurePath(source.path).name if source.path else source.article
    published = format_date(source.published, source.published_precision)
    return (
        '<div class="source">'
        f'<p class="source-head"><span class="source-title">{escape_html(source.title)}</span>'
        f' · published <span class="published">{escape_html(published)}</span>'
        f" · <code>{escape_html(file_name)}</code></p>"
        f'<blockquote class="sentence">{_marked_sentence(source, place)}</blockquote>'
        f'<p class="date-evidence">date: {escape_html(source.date_evidence or "?")} → '
        f"{escape_html(event.date_label)}</p>"
        f"{_article_html(source, article_text)}"
        "</div>"
    )


def _marked_sentence(source: Source, place: Place) -> str:
    spans = [(start, end, "place") for start, end in place_spans(source.sentence, place)]
    spans += [(start, end, "date") for start, end in date_spans(source.sentence, source.date_evidence)]
    return highlight_html(source.sentence, spans)


def _article_html(source: Source, text: str | None) -> str:
    """The full article behind a click, its reporting sentence marked when the offsets still fit the text."""
    if text is None:
        return ""
    fits = 0 <= source.start < source.end <= len(text)
    fits = fits and " ".join(text[source.start : source.end].split()) == source.sentence
    marked = highlight_html(text, [(source.start, source.end, "sentence")] if fits else [])
    return (
        '<details class="article"><summary>Full article text</summary>'
        f'<div class="article-text">{marked}</div></details>'
    )
