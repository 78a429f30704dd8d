"""The events map: a CircleMarker per place, countries in their own layer, a legend, and which place was
clicked.

A marker's fill is the most severe event type at the place, its size the number of events (or of
reporting articles), its outline solid when some event there is dated to the day, dashed when the finest
is a month, dotted for a year; country-level places are larger rings with a heavy outline in a layer of
their own. Pure: builds a ``folium.Map`` from events and reads st_folium's return value, so both are
tested by rendering HTML, without Streamlit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import folium
from folium import MacroElement
from folium.template import Template

from .assets import STATIC_URL, use_local_assets
from .escaping import escape_html
from .event_types import event_types
from .models import PRECISIONS, Event, Place
from .palette import PRECISION_DASHES, PRECISION_WORDS, legend_types, type_colour

DEFAULT_TILES: Final = "OpenStreetMap"
TILE_CHOICES: Final = ("OpenStreetMap", "none")
NORTHERN_KOSOVO: Final = (42.95, 20.75)
DEFAULT_ZOOM: Final = 10
PLACE_ZOOM: Final = 11
MAX_FIT_ZOOM: Final = 12
CLICK_FIELD: Final = "last_object_clicked_tooltip"
MARKER_CLASS: Final = "dashboard-marker"
COUNTRY_CLASS: Final = "dashboard-country"
LEGEND_CLASS: Final = "dashboard-legend"
SIZE_BY: Final = ("events", "sources")

_PLACE_OUTLINE: Final = {"color": "#263238", "weight": 1.5}
_COUNTRY_OUTLINE: Final = {"color": "#37474f", "weight": 4}
# A coarser date is less certain, so its fill is fainter as well as its outline broken.
_FILL_OPACITY: Final = {"day": 0.8, "month": 0.5, "year": 0.3}
_COUNTRY_FILL_OPACITY: Final = 0.2
_LEGEND_STYLE: Final = (
    "background:rgba(255,255,255,.9);padding:4px 7px;border-radius:4px;font:11px/1.35 sans-serif;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3)"
)
_LEGEND_GRID: Final = "display:grid;grid-template-columns:auto auto;column-gap:10px;margin-bottom:3px"


@dataclass(frozen=True, slots=True)
class PlaceSummary:
    """What one marker stands for: a place, how much is reported there, its worst type, finest date."""

    place: Place
    events: int
    sources: int
    event_type: str
    precision: str

    def size(self, size_by: str) -> int:
        return self.sources if size_by == "sources" else self.events


def build_map(
    events: Sequence[Event],
    *,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    tiles: str | None = DEFAULT_TILES,
    asset_base: str = STATIC_URL,
    size_by: str = "events",
) -> folium.Map:
    """A map with one marker per place that has events; country-level places sit in their own layer.

    Without ``center`` the view fits the places (countries only when nothing finer is shown), so events
    far apart are all in view. ``tiles`` is a folium tile name, or None / "none" for a blank map that
    works offline. Leaflet's JS and CSS come from ``asset_base`` (see ``assets.py``). ``size_by`` is
    "events" or "sources" (distinct reporting articles).

    Raises:
        ValueError: ``size_by`` is neither.
    """
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {', '.join(SIZE_BY)}, got {size_by!r}")
    summaries = summarise_places(events)
    places = [summary.place for summary in summaries]
    m = folium.Map(
        location=center or _view_center(places),
        zoom_start=zoom if zoom is not None else _view_zoom(places),
        tiles=None if tiles in (None, "none") else tiles,
        control_scale=True,
    )
    use_local_assets(m, base_url=asset_base)
    _add_layers(m, summaries, place_labels(places), size_by)
    if summaries:
        Legend().add_to(m)
    if center is None and len({(p.lat, p.lon) for p in _framed(places)}) > 1:
        m.fit_bounds(_bounds(_framed(places)), padding=(30, 30), max_zoom=MAX_FIT_ZOOM)
    return m


def place_labels(places: Iterable[Place]) -> dict[str, str]:
    """Each place's tooltip text by id, unique on the map, so a clicked tooltip names one place.

    The name alone when it is unique, else "name, country", else "name (id)".
    """
    places = list({place.id: place for place in places}.values())
    names = Counter(place.name for place in places)
    with_country = Counter((place.name, place.country) for place in places)
    labels: dict[str, str] = {}
    for place in places:
        if names[place.name] == 1:
            labels[place.id] = place.name
        elif with_country[(place.name, place.country)] == 1:
            labels[place.id] = f"{place.name}, {place.country}"
        else:
            labels[place.id] = f"{place.name} ({place.id})"
    return labels


def clicked_place_id(map_state: Mapping[str, object] | None, places: Iterable[Place]) -> str | None:
    """The id of the place whose marker was last clicked, from st_folium's return value.

    st_folium reports the clicked marker's tooltip text (``last_object_clicked_tooltip``); ``places`` are
    those drawn on that map. None before any click, or when the text names no place on the map.
    """
    if not map_state:
        return None
    text = map_state.get(CLICK_FIELD)
    if not isinstance(text, str):
        return None
    wanted = _normalise(text)
    for place_id, label in place_labels(places).items():
        if _normalise(label) == wanted:
            return place_id
    return None


def marker_class(place_id: str) -> str:
    """The CSS classes of a place's marker path, so browser tests can find one place's marker."""
    return f"{MARKER_CLASS} {MARKER_CLASS}-{re.sub(r'[^A-Za-z0-9_-]', '_', place_id)}"


def marker_classes(summary: PlaceSummary) -> str:
    """All classes of a marker: its place, and its type, precision and level for styling and for tests."""
    level = f" {COUNTRY_CLASS}" if summary.place.level == "country" else ""
    return f"{marker_class(summary.place.id)} type-{summary.event_type} precision-{summary.precision}{level}"


def summarise_places(events: Iterable[Event]) -> list[PlaceSummary]:
    """One summary per place, in the order places first appear, from a single pass over the events."""
    severity = {kind: index for index, kind in enumerate(event_types())}
    fineness = {precision: index for index, precision in enumerate(PRECISIONS)}
    groups: dict[str, tuple[Place, list[Event]]] = {}
    for event in events:
        groups.setdefault(event.place.id, (event.place, []))[1].append(event)
    return [
        PlaceSummary(
            place=place,
            events=len(found),
            sources=len({source.article for event in found for source in event.sources}),
            event_type=min((e.event_type for e in found), key=lambda t: severity.get(t, len(severity))),
            precision=min((e.precision for e in found), key=fineness.__getitem__),
        )
        for place, found in groups.values()
    ]


class Legend(MacroElement):
    """The key to the markers as a Leaflet control: pure Leaflet, so it needs no asset beyond Leaflet's."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomleft"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "Legend"
        self.css_class = LEGEND_CLASS
        self.html = legend_html()


def legend_html() -> str:
    """The legend's markup: a swatch per type, an outline per date precision, and the country ring."""
    types = "".join(_legend_row(_swatch(colour), label) for _, label, colour in legend_types())
    dates = "".join(_legend_row(_swatch("#ffffff", dash=PRECISION_DASHES[p]), PRECISION_WORDS[p]) for p in PRECISIONS)
    country = _legend_row(_swatch("#ffffff", stroke=_COUNTRY_OUTLINE["color"], width=3), "country-wide")
    return (
        f'<div style="{_LEGEND_STYLE}"><b>Event type</b><div style="{_LEGEND_GRID}">{types}</div>'
        f'<b>Date</b><div style="{_LEGEND_GRID}">{dates}{country}</div></div>'
    )


def _legend_row(swatch: str, label: str) -> str:
    return f'<div class="legend-row">{swatch} {escape_html(label)}</div>'


def _swatch(fill: str, *, dash: str | None = None, stroke: str = "#263238", width: float = 1.5) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        '<svg width="12" height="12" style="vertical-align:middle">'
        f'<circle cx="6" cy="6" r="4.5" fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash_attr}/></svg>'
    )


def _add_layers(m: folium.Map, summaries: list[PlaceSummary], labels: dict[str, str], size_by: str) -> None:
    """Places and countries as two overlay layers the user can hide from the layer control."""
    layers = {
        False: folium.FeatureGroup(name="Places", overlay=True, control=True),
        True: folium.FeatureGroup(name="Countries", overlay=True, control=True),
    }
    for summary in summaries:
        is_country = summary.place.level == "country"
        _marker(summary, labels[summary.place.id], size_by).add_to(layers[is_country])
    used = [layer for layer in layers.values() if layer._children]
    for layer in used:
        layer.add_to(m)
    if used:
        folium.LayerControl(collapsed=False).add_to(m)


def _marker(summary: PlaceSummary, label: str, size_by: str) -> folium.CircleMarker:
    country = summary.place.level == "country"
    dash = PRECISION_DASHES[summary.precision]
    return folium.CircleMarker(
        location=(summary.place.lat, summary.place.lon),
        radius=(14 if country else 6) + min(2 * math.sqrt(summary.size(size_by)), 10),
        fill=True,
        fill_color=type_colour(summary.event_type),
        fill_opacity=_COUNTRY_FILL_OPACITY if country else _FILL_OPACITY[summary.precision],
        class_name=marker_classes(summary),
        tooltip=folium.Tooltip(escape_html(label), sticky=False),
        **({"dash_array": dash} if dash else {}),
        **(_COUNTRY_OUTLINE if country else _PLACE_OUTLINE),
    )


def _framed(places: list[Place]) -> list[Place]:
    """The places the view frames: countries only when nothing finer is shown, so their centroids don't
    pull the view away from the towns."""
    finer = [place for place in places if place.level != "country"]
    return finer or places


def _bounds(places: list[Place]) -> list[list[float]]:
    lats = [place.lat for place in places]
    lons = [place.lon for place in places]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _view_center(places: list[Place]) -> tuple[float, float]:
    framed = _framed(places)
    if not framed:
        return NORTHERN_KOSOVO
    (south, west), (north, east) = _bounds(framed)
    return ((south + north) / 2, (west + east) / 2)


def _view_zoom(places: list[Place]) -> int:
    return PLACE_ZOOM if len({(p.lat, p.lon) for p in _framed(places)}) == 1 else DEFAULT_ZOOM


def _normalise(text: str) -> str:
    return " ".join(text.split())
