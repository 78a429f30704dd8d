"""The Streamlit page: a map of the stored events, a date range slider, and the clicked place's events.

Run from the project folder: ``streamlit run dashboard/app.py``. ``$DASHBOARD_DB`` picks the store; without
it the default store is created from ``seeds/`` on first run. ``$DASHBOARD_TILES=none`` draws no base tiles.

Streamlit reruns this script on every interaction. Events are cached per (store path, store version), so a
rerun re-reads the store only when its content changed; the map reports only the clicked marker's tooltip
(``returned_objects``), so panning and zooming do not rerun the script at all.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project folder that holds the package.
_PROJECT_DIR = str(Path(__file__).resolve().parent.parent)
if _PROJECT_DIR not in sys.path:
    sys.path.insert(0, _PROJECT_DIR)

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import config  # noqa: E402
from dashboard.assets import register_asset_types, static_url  # noqa: E402
from dashboard.errors import DashboardError  # noqa: E402
from dashboard.gazetteer import Gazetteer, load_gazetteer  # noqa: E402
from dashboard.mapview import CLICK_FIELD, DEFAULT_TILES, TILE_CHOICES, build_map, clicked_place_id  # noqa: E402
from dashboard.models import Event, Problem  # noqa: E402
from dashboard.panel import panel_html  # noqa: E402
from dashboard.pipeline import ingest_paths  # noqa: E402
from dashboard.store import Store  # noqa: E402
from dashboard.timeline import date_bounds, events_in_range  # noqa: E402

TILES_ENV = "DASHBOARD_TILES"
PLACE_PARAM = "place"
MAP_HEIGHT = 560


@st.cache_resource(show_spinner=False)
def shared_gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per server process and shared read-only by every session."""
    return load_gazetteer()


@st.cache_resource(show_spinner=False)
def _seed_lock() -> threading.Lock:
    """One lock per server process, so two first visitors do not both ingest the seeds."""
    return threading.Lock()


@st.cache_data(show_spinner=False, max_entries=4)
def load_events(db_path: str, version: int) -> list[Event]:
    """Every stored event; ``version`` is only a cache key, so a changed store is read again."""
    with Store(Path(db_path)) as store:
        return store.events()


def store_version(db_path: Path) -> int:
    """The store's content version, which keys the event cache."""
    with Store(db_path) as store:
        return store.version()


def seed_default_store(db_path: Path) -> tuple[Problem, ...]:
    """Ingest ``seeds/`` into the default store when it does not exist yet, so a first run has a map.

    A store named by ``$DASHBOARD_DB`` is never filled here: it shows what it holds.
    """
    if os.environ.get(config.DB_ENV):
        return ()
    with _seed_lock():
        if db_path.exists():
            return ()
        with st.spinner("First run: reading the seed articles…"), Store(db_path) as store:
            report = ingest_paths([config.SEEDS_DIR], store, shared_gazetteer())
    return report.problems


def default_tiles() -> str:
    """The base map from ``$DASHBOARD_TILES``: "none" for no tiles, else OpenStreetMap."""
    value = os.environ.get(TILES_ENV, "").strip()
    return value if value in TILE_CHOICES else DEFAULT_TILES


def _tiles_label(choice: str) -> str:
    return "No tiles (offline)" if choice == "none" else choice


def choose_dates(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The date range from the slider spanning [first, last]; no slider when the events share one day."""
    if first == last:
        # Streamlit refuses a slider whose min equals its max.
        st.caption(f"All events are dated {first.isoformat()}.")
        return first, last
    chosen = st.session_state.get("dates")
    if not (isinstance(chosen, tuple) and first <= chosen[0] <= chosen[1] <= last):
        st.session_state["dates"] = (first, last)
    start, end = st.slider("Dates", min_value=first, max_value=last, key="dates", format="YYYY-MM-DD")
    return start, end


def show_problems(problems: tuple[Problem, ...]) -> None:
    """Articles the seeding could not use, named by file and line."""
    if problems:
        with st.expander(f"{len(problems)} problem(s) reading the seed articles"):
            for problem in problems:
                st.warning(str(problem))


def warn_without_static_serving() -> None:
    """Leaflet comes from the app's static folder, which Streamlit serves only when told to."""
    if not st.get_option("server.enableStaticServing"):
        st.warning(
            "Static file serving is off, so the map cannot load Leaflet. Run the app from the project "
            "folder (its .streamlit/config.toml turns it on) or add --server.enableStaticServing true."
        )


def show_map(events: list[Event], tiles: str) -> str | None:
    """Draw the map of ``events`` and return the id of the place whose marker was last clicked."""
    folium_map = build_map(
        events,
        tiles=tiles,
        asset_base=static_url(st.get_option("server.baseUrlPath") or ""),
    )
    state = st_folium(
        folium_map,
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[CLICK_FIELD],
    )
    return clicked_place_id(state, [event.place for event in events])


def show_panel(all_events: list[Event], shown: list[Event], place_id: str | None) -> None:
    """The selected place's events in the range, or a hint to click a marker."""
    place = next((event.place for event in all_events if event.place.id == place_id), None)
    if place is None:
        st.info("Click a marker to list that place's events.")
        return
    here = [event for event in shown if event.place.id == place.id]
    st.html(panel_html(place, here))
    if not here:
        st.info("No events there in the selected dates: widen the date range.")


def main() -> None:
    st.set_page_config(page_title="News-event map", layout="wide")
    register_asset_types()
    st.title("News-event map")
    db_path = config.resolve_db_path()
    st.session_state.setdefault("tiles", default_tiles())
    tiles = st.sidebar.selectbox("Base map", TILE_CHOICES, key="tiles", format_func=_tiles_label)
    try:
        problems = seed_default_store(db_path)
        version = store_version(db_path)
        events = load_events(str(db_path), version)
    except DashboardError as exc:
        st.error(f"Cannot read the events store {db_path}: {exc}")
        st.stop()
    show_problems(problems)
    warn_without_static_serving()
    bounds = date_bounds(events)
    if bounds is None:
        st.info(
            f"The store {db_path} holds no events. Add articles with: python -m dashboard ingest seeds/ --db {db_path}"
        )
        st.stop()
    start, end = choose_dates(*bounds)
    shown = events_in_range(events, start, end)
    st.caption(
        f"{len(shown)} of {len(events)} events at {len({e.place.id for e in shown})} places, "
        f"{start.isoformat()} to {end.isoformat()}."
    )
    map_column, panel_column = st.columns([3, 2], gap="medium")
    with map_column:
        clicked = show_map(shown, tiles)
    if clicked is not None and clicked != st.query_params.get(PLACE_PARAM):
        st.query_params[PLACE_PARAM] = clicked
    with panel_column:
        show_panel(events, shown, st.query_params.get(PLACE_PARAM))


main()
