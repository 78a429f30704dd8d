"""Reading the place layer back out of a map's script: the payload the browser draws its markers from."""

from __future__ import annotations

import html
import json
import re

_PAYLOAD = re.compile(r"var place_layer_\w+_data = (.*?);\n")


def layer_payload(script: str) -> dict:
    """The place layer's payload (styles, places, countries) in a rendered map or st_folium's layer script."""
    (found,) = _PAYLOAD.findall(script)
    return json.loads(found)


def features(script: str) -> list[dict]:
    payload = layer_payload(script)
    return [*payload["places"], *payload["countries"]]


def marker_names(script: str) -> list[str]:
    """The tooltips of all markers, as the browser shows them (the HTML unescaped), sorted."""
    return sorted(html.unescape(feature["properties"]["label"]) for feature in features(script))


def marker_options(script: str) -> dict[str, dict]:
    """Each marker's Leaflet options (its style, radius and classes, as pointToLayer merges them), by place id."""
    payload = layer_payload(script)
    return {
        feature["properties"]["id"]: {
            **payload["styles"][feature["properties"]["s"]],
            "radius": feature["properties"]["r"],
            "className": feature["properties"]["cls"],
        }
        for feature in features(script)
    }
