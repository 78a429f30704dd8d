"""The one place folium's JavaScript and CSS links are set: Leaflet from dashboard/static/, never a CDN.

Streamlit serves the ``static/`` folder beside the main script (``dashboard/app.py``) at ``/app/static/``
when ``server.enableStaticServing`` is on (``.streamlit/config.toml``). streamlit-folium loads the links it
finds in each element's ``default_js`` and ``default_css`` into its iframe, so setting them on the map is
enough. Only Leaflet is needed: the map draws GeoJSON points as CircleMarkers with tooltips, and a legend
and a country switch written as plain Leaflet controls, which need neither jQuery nor Bootstrap nor
awesome-markers; anything that pulls those in (folium popups, Marker icons, branca colormaps, which fetch d3
from a CDN, MarkerCluster) must stay out of the map.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Protocol

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/app/static"

_JS = (("leaflet", "leaflet/leaflet.js"),)
_CSS = (("leaflet_css", "leaflet/leaflet.css"),)


class _HasAssetLinks(Protocol):
    default_js: list[tuple[str, str]]
    default_css: list[tuple[str, str]]


def static_url(base_url_path: str = "") -> str:
    """Where Streamlit serves static/ for an app mounted at ``server.baseUrlPath`` (empty for the root)."""
    base = base_url_path.strip("/")
    return f"/{base}{STATIC_URL}" if base else STATIC_URL


def asset_files() -> list[Path]:
    """The files the map links to, so tests can check each one is committed."""
    return [STATIC_DIR / relative for _, relative in (*_JS, *_CSS)]


def register_asset_types() -> None:
    """Make Streamlit serve .js and .css with their real types wherever it runs.

    Streamlit's static route takes the type from ``mimetypes`` and adds ``X-Content-Type-Options:
    nosniff``, so a browser refuses a script served as text/plain, which some systems' type tables
    (the Windows registry, for one) give .js. Debian's gives application/javascript; this pins it.
    """
    mimetypes.add_type("text/javascript", ".js")
    mimetypes.add_type("text/css", ".css")


def use_local_assets(element: _HasAssetLinks, *, base_url: str = STATIC_URL) -> None:
    """Point the element's JS and CSS links at the local copies, replacing folium's CDN defaults.

    Set on the instance, not the class, so other folium maps in the process keep their own links.
    """
    element.default_js = [(name, f"{base_url}/{relative}") for name, relative in _JS]
    element.default_css = [(name, f"{base_url}/{relative}") for name, relative in _CSS]
