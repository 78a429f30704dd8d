"""The events map in two parts: a base map that stays put (tiles, legend, the country switch, the opening
view) and one layer of places that changes with the dates and filters; and which place was clicked.

The app hands the base map to st_folium once per session and the place layer as ``feature_group_to_add``:
st_folium keeps its iframe while the base map's script is unchanged, and swaps only the layer inside the
live Leaflet map, so the view the user panned to survives every slider move (see ARCHITECTURE.md).

The layer is a single GeoJSON object whatever the number of events: one point feature per place (events
are aggregated here, so the page carries places, not events), drawn as a CircleMarker by a small
``pointToLayer`` function. A marker's fill is the most severe event type at the place, its size the number
of events (or of reporting articles), its outline solid when some event there is dated to the day, dashed
when the finest is a month, dotted for a year; country-level places are larger rings with a heavy outline,
drawn beneath the others and hidden by the switch on the map. Each feature carries its place id, which
st_folium returns for the clicked marker. Pure: tested by rendering HTML, without Streamlit.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

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
FIT_PADDING: Final = (30, 30)
CLICK_FIELD: Final = "last_active_drawing"
LAYER_NAME: Final = "Events"
MARKER_CLASS: Final = "dashboard-marker"
COUNTRY_CLASS: Final = "dashboard-country"
LEGEND_CLASS: Final = "dashboard-legend"
SWITCH_CLASS: Final = "dashboard-countries-switch"
SWITCH_LABEL: Final = "Countries"
SIZE_BY: Final = ("events", "sources")
CANVAS_FROM: Final = 3000
"""From this many places the markers are drawn on one canvas: thousands of SVG paths make panning slow."""

_PLACE_OUTLINE: Final = {"color": "#263238", "weight": 1.5}
_COUNTRY_OUTLINE: Final = {"color": "#37474f", "weight": 4}
# A coarser date is less certain, so its fill is fainter as well as its outline broken.
_FILL_OPACITY: Final = {"day": 0.8, "month": 0.5, "year": 0.3}
_COUNTRY_FILL_OPACITY: Final = 0.2
_COORDINATE_DIGITS: Final = 5  # about a metre
_LEGEND_STYLE: Final = (
    "background:rgba(255,255,255,.9);padding:4px 7px;border-radius:4px;font:11px/1.35 sans-serif;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3)"
)
_LEGEND_GRID: Final = "display:grid;grid-template-columns:auto auto;column-gap:10px;margin-bottom:3px"

Bounds = tuple[tuple[float, float], tuple[float, float]]


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


@dataclass(frozen=True, slots=True)
class MapFrame:
    """Where the base map opens: a centre and zoom, and the bounds to fit when the places are spread out."""

    center: tuple[float, float]
    zoom: int
    bounds: Bounds | None = None


def map_frame(events: Iterable[Event]) -> MapFrame:
    """The view that shows every place of ``events`` (see ``places_frame``)."""
    return places_frame({event.place.id: event.place for event in events}.values())


def places_frame(places: Iterable[Place]) -> MapFrame:
    """The view that shows every place: towns rather than country centroids when there are towns, one place
    centred, northern Kosovo when there is none."""
    framed = _framed(list(places))
    if not framed:
        return MapFrame(NORTHERN_KOSOVO, DEFAULT_ZOOM)
    bounds = _bounds(framed)
    (south, west), (north, east) = bounds
    center = ((south + north) / 2, (west + east) / 2)
    if len({(place.lat, place.lon) for place in framed}) == 1:
        return MapFrame(center, PLACE_ZOOM)
    return MapFrame(center, DEFAULT_ZOOM, bounds)


def base_map(
    frame: MapFrame, *, tiles: str | None = DEFAULT_TILES, asset_base: str = STATIC_URL, legend: bool = True
) -> folium.Map:
    """The part of the map that does not depend on the dates or filters: opening view, tiles, scale, the
    country switch and the legend.

    ``tiles`` is a folium tile name, or None / "none" for a blank map that works offline. Leaflet's JS and
    CSS come from ``asset_base`` (see ``assets.py``). Built from the same arguments it renders the same
    script, which is what keeps st_folium's iframe in place between reruns.
    """
    m = folium.Map(
        location=frame.center,
        zoom_start=frame.zoom,
        tiles=None if tiles in (None, "none") else tiles,
        control_scale=True,
    )
    use_local_assets(m, base_url=asset_base)
    if frame.bounds is not None:
        m.fit_bounds([list(corner) for corner in frame.bounds], padding=FIT_PADDING, max_zoom=MAX_FIT_ZOOM)
    if legend:
        CountrySwitch().add_to(m)
        Legend().add_to(m)
    return m


def place_layer(events: Sequence[Event], *, size_by: str = "events") -> folium.FeatureGroup:
    """The markers of ``events`` as one feature group holding one GeoJSON layer: one point per place.

    ``size_by`` is "events" or "sources" (distinct reporting articles).

    Raises:
        ValueError: ``size_by`` is neither.
    """
    return summary_layer(summarise_places(events), size_by=size_by)


def summary_layer(summaries: Sequence[PlaceSummary], *, size_by: str = "events") -> folium.FeatureGroup:
    """The markers of places already summarised (in memory by ``summarise_places``, or by the store).

    Raises:
        ValueError: ``size_by`` is not one of ``SIZE_BY``.
    """
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {', '.join(SIZE_BY)}, got {size_by!r}")
    layer = folium.FeatureGroup(name=LAYER_NAME, control=False)
    PlaceLayer(summaries, size_by=size_by).add_to(layer)
    return layer


def build_map(
    events: Sequence[Event],
    *,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    tiles: str | None = DEFAULT_TILES,
    asset_base: str = STATIC_URL,
    size_by: str = "events",
) -> folium.Map:
    """The whole map as one folium object, base and place layer together: what the browser ends up with.

    Without ``center`` the view fits the places (see ``map_frame``).

    Raises:
        ValueError: ``size_by`` is not one of ``SIZE_BY``.
    """
    layer = place_layer(events, size_by=size_by)
    frame = map_frame(events)
    if center is not None or zoom is not None:
        frame = MapFrame(center or frame.center, zoom if zoom is not None else frame.zoom)
    m = base_map(frame, tiles=tiles, asset_base=asset_base, legend=bool(events))
    layer.add_to(m)
    return m


def place_labels(places: Iterable[Place]) -> dict[str, str]:
    """Each place's tooltip text by id, unique on the map, so two markers never read the same.

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


def clicked_place_id(map_state: Mapping[str, object] | None, place_ids: Iterable[str]) -> str | None:
    """The id of the place whose marker was last clicked, from st_folium's return value.

    st_folium reports the clicked GeoJSON feature (``last_active_drawing``), whose ``id`` property is the
    place's id; ``place_ids`` are the places on the map. None before any click, or when the feature names
    no place on the map.
    """
    if not map_state:
        return None
    feature = map_state.get(CLICK_FIELD)
    properties = feature.get("properties") if isinstance(feature, Mapping) else None
    place_id = properties.get("id") if isinstance(properties, Mapping) else None
    return place_id if isinstance(place_id, str) and place_id in set(place_ids) else None


def marker_class(place_id: str) -> str:
    """The CSS classes of a place's marker path, so browser tests can find one place's marker."""
    return f"{MARKER_CLASS} {MARKER_CLASS}-{re.sub(r'[^A-Za-z0-9_-]', '_', place_id)}"


def marker_classes(summary: PlaceSummary) -> str:
    """All classes of a marker: its place, and its type, precision and level for styling and for tests."""
    level = f" {COUNTRY_CLASS}" if summary.place.level == "country" else ""
    return f"{marker_class(summary.place.id)} type-{summary.event_type} precision-{summary.precision}{level}"


def marker_style(summary: PlaceSummary) -> dict[str, Any]:
    """A marker's Leaflet path options apart from its radius and classes; few distinct ones exist (type by
    precision by level), so the layer sends each once and every feature points to one."""
    country = summary.place.level == "country"
    dash = PRECISION_DASHES[summary.precision]
    return {
        "fill": True,
        "fillColor": type_colour(summary.event_type),
        "fillOpacity": _COUNTRY_FILL_OPACITY if country else _FILL_OPACITY[summary.precision],
        **(_COUNTRY_OUTLINE if country else _PLACE_OUTLINE),
        **({"dashArray": dash} if dash else {}),
    }


def marker_radius(summary: PlaceSummary, size_by: str) -> float:
    """Pixels: a base size (larger for a country ring) that grows with the square root of the count."""
    base = 14 if summary.place.level == "country" else 6
    return round(base + min(2 * math.sqrt(summary.size(size_by)), 10), 1)


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
            sources=len({source.path for event in found for source in event.sources}),
            event_type=min((e.event_type for e in found), key=lambda t: severity.get(t, len(severity))),
            precision=min((e.precision for e in found), key=fineness.__getitem__),
        )
        for place, found in groups.values()
    ]


def layer_data(summaries: Sequence[PlaceSummary], size_by: str) -> dict[str, Any]:
    """The layer's payload: the distinct marker styles, then the places and the countries as GeoJSON point
    features whose properties are the place id, the tooltip, a style index, the radius and the classes."""
    labels = place_labels(summary.place for summary in summaries)
    styles: dict[str, int] = {}
    layers: dict[str, list[dict[str, Any]]] = {"places": [], "countries": []}
    for summary in summaries:
        style = json.dumps(marker_style(summary), sort_keys=True)
        index = styles.setdefault(style, len(styles))
        kind = "countries" if summary.place.level == "country" else "places"
        layers[kind].append(_feature(summary, labels[summary.place.id], index, size_by))
    return {"styles": [json.loads(style) for style in styles], **layers}


def _feature(summary: PlaceSummary, label: str, style: int, size_by: str) -> dict[str, Any]:
    place = summary.place
    return {
        "type": "Feature",
        "geometry": {
            "type": "Point",
            "coordinates": [round(place.lon, _COORDINATE_DIGITS), round(place.lat, _COORDINATE_DIGITS)],
        },
        "properties": {
            "id": place.id,
            "label": escape_html(label),
            "s": style,
            "r": marker_radius(summary, size_by),
            "cls": marker_classes(summary),
        },
    }


def script_json(value: object) -> str:
    """JSON that is safe inside an HTML <script> element: no "</script>", no HTML-significant characters."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escaped)
    return text


class PlaceLayer(MacroElement):
    """Every place as one GeoJSON point layer with CircleMarkers, countries in a sub-layer beneath the rest.

    The payload is serialised once, here: st_folium renders an element's script twice. The countries follow
    the map's country switch, which lives in the base map and so outlasts this layer.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }}_data = {{ this.data }};
        var {{ this.get_name() }} = (function (data, group, map) {
            var renderer = {{ this.canvas|tojson }} ? L.canvas({padding: 0.5}) : undefined;
            function marker(feature, latlng) {
                var p = feature.properties;
                var options = L.extend({radius: p.r, className: p.cls, renderer: renderer}, data.styles[p.s]);
                return L.circleMarker(latlng, options).bindTooltip(p.label);
            }
            var countries = L.geoJson(data.countries, {pointToLayer: marker});
            var places = L.geoJson(data.places, {pointToLayer: marker}).addTo(group);
            function showCountries() {
                if (map.dashboardShowCountries === false) {
                    group.removeLayer(countries);
                } else {
                    group.addLayer(countries);
                    countries.bringToBack();
                }
            }
            map.off("dashboardcountries").on("dashboardcountries", showCountries);
            group.on("add", showCountries);
            group.addLayer(countries);
            return places;
        })({{ this.get_name() }}_data, {{ this._parent.get_name() }}, {{ this.map_name }});
        {% endmacro %}
        """
    )

    def __init__(self, summaries: Sequence[PlaceSummary], *, size_by: str) -> None:
        super().__init__()
        self._name = "PlaceLayer"
        self.data = script_json(layer_data(summaries, size_by))
        self.canvas = len(summaries) >= CANVAS_FROM

    @property
    def map_name(self) -> str:
        """The variable of the map this layer is on (through its feature group)."""
        element = self._parent
        while element is not None and not isinstance(element, folium.Map):
            element = element._parent
        if element is None:
            raise ValueError("a PlaceLayer must be inside a folium.Map to render")
        return element.get_name()


class CountrySwitch(MacroElement):
    """A checkbox on the map that shows or hides the country-wide markers.

    It belongs to the base map, so its state survives the place layer being replaced on each rerun: the
    layer asks the map (``dashboardShowCountries``) when it is added, and listens for changes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "topright"});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create("div", "leaflet-control-layers leaflet-control-layers-expanded " + {{ this.css_class|tojson }});
            var label = L.DomUtil.create("label", "", div);
            var box = L.DomUtil.create("input", "leaflet-control-layers-selector", label);
            box.type = "checkbox";
            box.checked = true;
            label.appendChild(document.createTextNode(" " + {{ this.label|tojson }}));
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.on(box, "change", function () {
                map.dashboardShowCountries = box.checked;
                map.fire("dashboardcountries");
            });
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "CountrySwitch"
        self.css_class = SWITCH_CLASS
        self.label = SWITCH_LABEL


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


def _framed(places: list[Place]) -> list[Place]:
    """The places the view frames: countries only when nothing finer is shown, so their centroids don't
    pull the view away from the towns."""
    finer = [place for place in places if place.level != "country"]
    return finer or places


def _bounds(places: list[Place]) -> Bounds:
    lats = [place.lat for place in places]
    lons = [place.lon for place in places]
    return (min(lats), min(lons)), (max(lats), max(lons))
