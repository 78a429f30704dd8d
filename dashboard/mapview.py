"""The events map: a CircleMarker per place, countries in their own layer, and which place was clicked.

Pure: builds a ``folium.Map`` from events and reads st_folium's return value, so both are tested by
rendering HTML, without Streamlit.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import folium

from .assets import STATIC_URL, use_local_assets
from .escaping import escape_html
from .models import Event, Place

DEFAULT_TILES: Final = "OpenStreetMap"
TILE_CHOICES: Final = ("OpenStreetMap", "none")
NORTHERN_KOSOVO: Final = (42.95, 20.75)
DEFAULT_ZOOM: Final = 10
PLACE_ZOOM: Final = 11
MAX_FIT_ZOOM: Final = 12
CLICK_FIELD: Final = "last_object_clicked_tooltip"
MARKER_CLASS: Final = "dashboard-marker"

_PLACE_STYLE: Final = {"color": "#b3261e", "fill_color": "#e8594f", "fill_opacity": 0.75, "weight": 2}
_COUNTRY_STYLE: Final = {
    "color": "#5b3fa0",
    "fill_color": "#9b87d6",
    "fill_opacity": 0.25,
    "weight": 3,
    "dash_array": "6 4",
}


def build_map(
    events: Sequence[Event],
    *,
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    tiles: str | None = DEFAULT_TILES,
    asset_base: str = STATIC_URL,
) -> folium.Map:
    """A map with one marker per place that has events; country-level places sit in their own layer.

    Without ``center`` the view fits the places (countries only when nothing finer is shown), so events
    far apart are all in view. ``tiles`` is a folium tile name, or None / "none" for a blank map that
    works offline. Leaflet's JS and CSS come from ``asset_base`` (see ``assets.py``).
    """
    by_place = _group_by_place(events)
    places = [place for place, _ in by_place]
    m = folium.Map(
        location=center or _view_center(places),
        zoom_start=zoom if zoom is not None else _view_zoom(places),
        tiles=None if tiles in (None, "none") else tiles,
        control_scale=True,
    )
    use_local_assets(m, base_url=asset_base)
    labels = place_labels(places)
    _add_layers(m, by_place, labels)
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


def _group_by_place(events: Iterable[Event]) -> list[tuple[Place, list[Event]]]:
    groups: dict[str, tuple[Place, list[Event]]] = {}
    for event in events:
        groups.setdefault(event.place.id, (event.place, []))[1].append(event)
    return list(groups.values())


def _add_layers(m: folium.Map, by_place: list[tuple[Place, list[Event]]], labels: dict[str, str]) -> None:
    """Places and countries as two overlay layers the user can hide from the layer control."""
    layers = {
        False: folium.FeatureGroup(name="Places", overlay=True, control=True),
        True: folium.FeatureGroup(name="Countries", overlay=True, control=True),
    }
    for place, place_events in by_place:
        is_country = place.level == "country"
        _marker(place, len(place_events), labels[place.id], country=is_country).add_to(layers[is_country])
    used = [layer for layer in layers.values() if layer._children]
    for layer in used:
        layer.add_to(m)
    if used:
        folium.LayerControl(collapsed=False).add_to(m)


def _marker(place: Place, count: int, label: str, *, country: bool) -> folium.CircleMarker:
    style = _COUNTRY_STYLE if country else _PLACE_STYLE
    radius = (14 if country else 6) + min(2 * math.sqrt(count), 10)
    return folium.CircleMarker(
        location=(place.lat, place.lon),
        radius=radius,
        fill=True,
        class_name=marker_class(place.id),
        tooltip=folium.Tooltip(escape_html(label), sticky=False),
        **style,
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
