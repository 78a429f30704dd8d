"""The Streamlit page: a wide map with the clicked place's events beside it and a timeline under it; the
sidebar holds the date range, the filters and counts of what is shown.

Run from the project folder: ``streamlit run dashboard/app.py``. ``$DASHBOARD_DB`` picks the store; without
it the default store is created from ``seeds/`` on first run. ``$DASHBOARD_TILES=none`` draws no base tiles.

Streamlit reruns this script on every interaction. What the page asks of the store (``page_data``) is cached
per (store, store version), so a rerun re-reads the store only when its content changed, and shared rather
than copied, so a rerun does not unpickle events. A store of fewer than ``$DASHBOARD_AGGREGATE_FROM`` events
(50,000 by default) is read once and filtered in memory; a larger one is never loaded: its database counts
the places, days and types shown, and returns the events of the clicked place alone. The map is a base map that stays the same for the session and a layer
of places sent beside it (``feature_group_to_add``): st_folium keeps its iframe, and the user's view, and
swaps only the layer. It reports only the clicked feature (``returned_objects``), so panning and zooming do
not rerun the script at all.

The view lives in the URL (``viewstate.py``): a session's widgets start from the link it was opened with
(each key set only if missing), and every run writes the current view back, so a copied link reopens it.
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
from dashboard.counts import counts_html  # noqa: E402
from dashboard.errors import DashboardError  # noqa: E402
from dashboard.event_sql import Selection  # noqa: E402
from dashboard.filters import FilterOptions, Filters, country_label  # noqa: E402
from dashboard.gazetteer import Gazetteer  # noqa: E402
from dashboard.gazetteer_cache import cached_gazetteer  # noqa: E402
from dashboard.mapview import (  # noqa: E402
    CLICK_FIELD,
    DEFAULT_TILES,
    SIZE_BY,
    TILE_CHOICES,
    PlaceSummary,
    base_map,
    clicked_place_id,
    places_frame,
    summary_layer,
)
from dashboard.models import Problem  # noqa: E402
from dashboard.page_data import AGGREGATE_FROM, MemoryData, PageData, StoreData, Tallies  # noqa: E402
from dashboard.panel import PANEL_LIMIT, cell_html, panel_html  # noqa: E402
from dashboard.pipeline import ingest_paths  # noqa: E402
from dashboard.review_view import show_review  # noqa: E402
from dashboard.stores import display_name, is_server, open_store, sqlite_path  # noqa: E402
from dashboard.timeline import timeline_chart  # noqa: E402
from dashboard.ui import player, uploader  # noqa: E402
from dashboard.viewstate import (  # noqa: E402
    COUNTRY,
    PARAMS,
    PLACES,
    SIZE,
    SOURCE,
    TEXT,
    TYPE,
    View,
    clamp_range,
    view_from_query,
    view_to_query,
)

TILES_ENV = "DASHBOARD_TILES"
AGGREGATE_ENV = "DASHBOARD_AGGREGATE_FROM"
MAP_HEIGHT = 560
DATES_KEY = "dates"
TILES_KEY = "tiles"
MAP_KEY = "map"
FIT_KEY = "fit_map"
FRAME_KEY = "map_frame"
_MAP_GENERATION = "map_generation"


@st.cache_resource(show_spinner=False)
def shared_gazetteer() -> Gazetteer:
    """The gazetteer, loaded once per server process (from the pickled index when it is current, a fifth of
    the time of reading the CSV) and shared read-only by every session."""
    return cached_gazetteer()


@st.cache_resource(show_spinner=False)
def _seed_lock() -> threading.Lock:
    """One lock per server process, so two first visitors do not both ingest the seeds."""
    return threading.Lock()


@st.cache_resource(show_spinner=False, max_entries=4)
def load_page_data(db_path: str, version: int) -> PageData:
    """What the page asks of this version of the store; ``version`` is only a cache key.

    A resource, not data: shared by every session rather than unpickled on each rerun. Below
    ``aggregate_from()`` events the events are read once and filtered in memory (frozen, never changed);
    beyond, the store's database answers each question and no event is loaded but the clicked place's.
    """
    with open_store(db_path) as store:
        total = store.event_count()
        if total < aggregate_from():
            return MemoryData(store.events())
    return StoreData.of(db_path, total)


def aggregate_from() -> int:
    """``$DASHBOARD_AGGREGATE_FROM``, or ``page_data.AGGREGATE_FROM``: from how many events the page asks the
    database rather than loading them."""
    value = os.environ.get(AGGREGATE_ENV, "").strip()
    return int(value) if value.isdigit() else AGGREGATE_FROM


@st.cache_data(show_spinner=False, max_entries=64)
def load_article_texts(db_path: str, version: int, names: tuple[str, ...]) -> dict[str, str]:
    """The full text of the named articles, for the panel's "full article text"."""
    with open_store(db_path) as store:
        texts = {name: store.article_text(name) for name in names}
    return {name: text for name, text in texts.items() if text is not None}


def store_version(db_path: str) -> int:
    """The store's content version, which keys the event cache."""
    with open_store(db_path) as store:
        return store.version()


def seed_default_store(db_path: str) -> tuple[Problem, ...]:
    """Ingest ``seeds/`` into the default store when it does not exist yet, so a first run has a map.

    A store named by ``$DASHBOARD_DB`` is never filled here: it shows what it holds.
    """
    if os.environ.get(config.DB_ENV) or is_server(db_path):
        return ()
    with _seed_lock():
        if sqlite_path(db_path).exists():
            return ()
        with st.spinner("First run: reading the seed articles…"), open_store(db_path) as store:
            report = ingest_paths([config.SEEDS_DIR], store, shared_gazetteer())
    return report.problems


def default_tiles() -> str:
    """The base map from ``$DASHBOARD_TILES``: "none" for no tiles, else OpenStreetMap."""
    value = os.environ.get(TILES_ENV, "").strip()
    return value if value in TILE_CHOICES else DEFAULT_TILES


def _tiles_label(choice: str) -> str:
    return "No tiles (offline)" if choice == "none" else choice


def url_view() -> View:
    """The view the page's URL describes."""
    return view_from_query({name: st.query_params.get_all(name) for name in PARAMS})


def choose_dates(
    bounds: tuple[dt.date, dt.date], view: View, opening: tuple[dt.date, dt.date]
) -> tuple[dt.date, dt.date]:
    """The date range from the slider spanning ``bounds``; no slider when the events share one day.

    The slider starts at the URL's range (the ``opening`` range where the URL names no date); a kept range
    that no longer fits the store (it changed under the session) starts over from the URL's, clamped to the
    store's dates.
    """
    first, last = bounds
    if first == last:
        # Streamlit refuses a slider whose min equals its max.
        st.caption(f"All events are dated {first.isoformat()}.")
        return first, last
    chosen = st.session_state.get(DATES_KEY)
    if not (isinstance(chosen, tuple) and first <= chosen[0] <= chosen[1] <= last):
        st.session_state[DATES_KEY] = clamp_range(view, bounds, opening=opening)
    start, end = st.slider(
        "Dates", min_value=first, max_value=last, key=DATES_KEY, format="YYYY-MM-DD", on_change=player.pause
    )
    return start, end


def choose_filters(options: FilterOptions, view: View) -> Filters:
    """The filter widgets, each starting from the URL's choice where the store offers it."""
    wanted = view.filters
    countries = _multiselect("Country", COUNTRY, options.countries, wanted.countries)
    places = _multiselect("Place", PLACES, options.places, wanted.places)
    types = _multiselect("Event type", TYPE, options.types, wanted.types)
    sources = _multiselect("Source article", SOURCE, options.sources, wanted.sources)
    st.session_state.setdefault(TEXT, wanted.text)
    text = st.text_input("Search the text", key=TEXT, placeholder="words in the sentences or titles")
    return Filters(countries, places, types, sources, text)


def _multiselect(label: str, key: str, options: dict[str, str], wanted: tuple[str, ...]) -> tuple[str, ...]:
    """A multiselect keyed by its URL parameter, starting from the link's values that the store still offers
    (Streamlit refuses a starting value that is not an option)."""
    st.session_state.setdefault(key, [value for value in wanted if value in options])
    chosen = st.multiselect(label, list(options), key=key, format_func=options.__getitem__, placeholder="All")
    return tuple(chosen)


def choose_display(view: View) -> tuple[str, str]:
    """How markers are sized, which base map is drawn, and a button that fits the map to what is shown."""
    st.session_state.setdefault(SIZE, view.size_by)
    size_by = st.radio("Marker size by number of", SIZE_BY, key=SIZE, horizontal=True, format_func=str.capitalize)
    st.session_state.setdefault(TILES_KEY, default_tiles())
    tiles = st.selectbox("Base map", TILE_CHOICES, key=TILES_KEY, format_func=_tiles_label)
    st.button(
        "Fit the map to the shown places",
        key=FIT_KEY,
        on_click=_refit_map,
        help="The map keeps its view as the dates and filters change; this frames what they show.",
    )
    return size_by, tiles


def _refit_map() -> None:
    """Forget the session's map frame and start a new map, which opens on the places shown next."""
    st.session_state.pop(FRAME_KEY, None)
    st.session_state[_MAP_GENERATION] = st.session_state.get(_MAP_GENERATION, 0) + 1


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


def show_map(summaries: list[PlaceSummary], tiles: str, size_by: str) -> str | None:
    """Draw the places of ``summaries`` and return the id of the place whose marker was last clicked.

    The base map opens on the frame of the session's first run (or of the last "fit" press) and is built
    the same on every rerun, so st_folium keeps its iframe and the user's pan and zoom; the places go in as
    ``feature_group_to_add``, which st_folium swaps inside the live map. A new base map (another tile
    choice, a "fit") does start a new iframe. ``center`` and ``zoom`` are not passed: the browser owns the
    view (see ARCHITECTURE.md).
    """
    st.session_state.setdefault(FRAME_KEY, places_frame(summary.place for summary in summaries))
    base = base_map(
        st.session_state[FRAME_KEY], tiles=tiles, asset_base=static_url(st.get_option("server.baseUrlPath") or "")
    )
    state = st_folium(
        base,
        key=f"{MAP_KEY}-{st.session_state.get(_MAP_GENERATION, 0)}",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[CLICK_FIELD],
        feature_group_to_add=summary_layer(summaries, size_by=size_by),
    )
    return clicked_place_id(state, {summary.place.id for summary in summaries})


def show_timeline(
    tallies: Tallies, start: dt.date, end: dt.date, *, window: tuple[dt.date, dt.date] | None = None
) -> None:
    """Events per day under the map, over the slider's range, or while playing over the whole range with
    the window shaded."""
    st.vega_lite_chart(timeline_chart(tallies.days, start, end, window=window))
    if tallies.coarse:
        st.caption(f"Not in the chart: {tallies.coarse} event(s) dated only to a month or a year (on the map).")


def show_panel(db_path: str, version: int, data: PageData, selection: Selection, place_id: str | None) -> None:
    """The selected place's events in the range and filters, or a hint to click a marker."""
    cell = data.cell_places(place_id, selection, limit=PANEL_LIMIT) if place_id else None
    if cell is not None:
        st.html(cell_html(cell.places, more=cell.more, country_label=country_label))
        return
    found = data.place_events(place_id, selection, limit=PANEL_LIMIT) if place_id else None
    if found is None:
        st.info("Click a marker to list that place's events.")
        return
    place, here = found.place, found.events
    names = tuple(sorted({source.article for event in here for source in event.sources}))
    texts = load_article_texts(db_path, version, names)
    st.html(panel_html(place, here, articles=texts, country=country_label(place.country), total=found.total))
    if not here:
        st.info("No events there in the selected dates and filters: widen them.")


def sync_url(view: View, bounds: tuple[dt.date, dt.date], opening: tuple[dt.date, dt.date]) -> None:
    """Write the view into the URL when it changed, so the address bar always holds a link to it."""
    wanted = view_to_query(view, bounds=bounds, opening=opening)
    current = {name: st.query_params.get_all(name) for name in st.query_params}
    if wanted != current:
        st.query_params.from_dict(wanted)


def main() -> None:
    st.set_page_config(page_title="News-event map", layout="wide")
    register_asset_types()
    st.title("News-event map")
    db_path = config.resolve_db_target()
    shown_name = display_name(db_path)
    try:
        problems = seed_default_store(db_path)
        version = store_version(db_path)
        data = load_page_data(db_path, version)
    except DashboardError as exc:
        st.error(f"Cannot read the events store {shown_name}: {exc}")
        st.stop()
    show_problems(problems)
    warn_without_static_serving()
    bounds = data.bounds()
    if bounds is None:
        st.info(
            f"The store {shown_name} holds no events. Add articles in the sidebar, or with: "
            f"python -m dashboard ingest seeds/ --db {shown_name}"
        )
        with st.sidebar:
            uploader.uploader(db_path, shared_gazetteer)
        st.stop()
    view = url_view()
    opening = data.opening_range(bounds)
    playable = bounds[0] < bounds[1]  # a store of one day has no slider to move
    with st.sidebar:
        if playable:
            player.advance(DATES_KEY, bounds)
        start, end = choose_dates(bounds, view, opening)
        window = player.controls(DATES_KEY, bounds) if playable else None
        filters = choose_filters(data.options(), view)
    selection = Selection(start, end, filters)
    tallies = data.tallies(selection)
    with st.sidebar:
        st.html(counts_html(tallies.counts))
        size_by, tiles = choose_display(view)
        uploader.uploader(db_path, shared_gazetteer)
    map_column, panel_column = st.columns([3, 2], gap="medium")
    with map_column:
        clicked = show_map(data.summaries(selection), tiles, size_by)
        if window is None:
            show_timeline(tallies, start, end)
        else:
            show_timeline(data.tallies(Selection(*bounds, filters)), *bounds, window=window)
    place_id = clicked or view.place
    with panel_column:
        show_panel(db_path, version, data, selection, place_id)
    sync_url(View(start, end, filters, size_by, place_id), bounds, opening)
    show_review(db_path, version, shared_gazetteer)
    player.ticker()  # last: a step that is due reruns the page from here


main()
