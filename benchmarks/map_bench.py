"""Map figures: building and serialising the map, the page it makes, a rerun after a slider move, and the
first markers in a browser, at 1,000 to 100,000 events; and a naive folium map for comparison.

    .venv/bin/python benchmarks/map_bench.py                       # 1,000, 10,000 and 100,000 events
    .venv/bin/python benchmarks/map_bench.py --events 10000 --browser

Events are synthetic (``tests/event_factory.py``), written into a real store through its public API, one
place per ten events up to ``MAX_PLACES``. Each function returns one figure so ``run.py`` can tabulate it.

- ``layer_figure``: the place layer and base map built and turned into the strings st_folium sends
  (``streamlit_folium``'s own serialisers), timed together; their size.
- ``naive_figure``: one ``folium.Marker`` with a popup per event, rendered to HTML: what the map was before
  aggregation and a single layer, and what most folium examples do.
- ``app_figure``: the real app under ``AppTest`` on the store: the bytes of every element of the page (the
  map component's arguments and the rest), and the median server-side time of a rerun after a slider move.
- ``browser_figure``: the real app served and opened in the system Chromium: seconds from navigation until
  the markers are drawn.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT_DIR = HERE.parent
sys.path.insert(0, str(PROJECT_DIR))
sys.path.insert(0, str(PROJECT_DIR / "tests"))

import folium  # noqa: E402
import streamlit_folium  # noqa: E402
from event_factory import save_synthetic_events, synthetic_events  # noqa: E402

from dashboard.config import DB_ENV  # noqa: E402
from dashboard.mapview import base_map, map_frame, place_layer  # noqa: E402
from dashboard.models import Event  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
NAIVE_SIZES = (1_000, 10_000)
EVENTS_PER_PLACE = 10
MAX_PLACES = 5_000
RERUNS = 5
APP = PROJECT_DIR / "dashboard" / "app.py"
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class LayerFigure:
    events: int
    places: int
    seconds: float
    bytes: int


@dataclass(frozen=True, slots=True)
class AppFigure:
    events: int
    places: int
    first_run_seconds: float
    rerun_seconds: float
    page_bytes: int
    map_bytes: int


@dataclass(frozen=True, slots=True)
class BrowserFigure:
    events: int
    places: int
    first_visit_seconds: float
    next_visit_seconds: float


def places_for(events: int) -> int:
    """How many places the synthetic events spread over."""
    return max(1, min(events // EVENTS_PER_PLACE, MAX_PLACES))


def layer_figure(events: list[Event]) -> LayerFigure:
    """Build the base map and the place layer and serialise both as st_folium does; time and size."""
    start = time.perf_counter()
    base = base_map(map_frame(events), tiles=None)
    layer = place_layer(events)
    base.get_root().render()
    script = streamlit_folium._get_map_string(base)
    layer_script = streamlit_folium._get_feature_group_string(layer, base)
    seconds = time.perf_counter() - start
    return LayerFigure(len(events), len({e.place.id for e in events}), seconds, len(script) + len(layer_script))


def naive_figure(events: list[Event]) -> LayerFigure:
    """One Marker with a popup per event, rendered to a standalone HTML page; time and size."""
    start = time.perf_counter()
    m = folium.Map(location=(43.5, 20.5), zoom_start=7, tiles=None)
    for event in events:
        folium.Marker(
            (event.place.lat, event.place.lon),
            popup=folium.Popup(html.escape(event.summary)),
            tooltip=html.escape(event.place.name),
        ).add_to(m)
    page = m.get_root().render()
    seconds = time.perf_counter() - start
    return LayerFigure(len(events), len({e.place.id for e in events}), seconds, len(page.encode()))


def app_figure(db: Path, count: int, places: int) -> AppFigure:
    """The app under AppTest on the store at ``db``: page bytes, first run, and the median rerun after the
    slider's range moves (alternating a month and the whole year, so every rerun changes the map)."""
    from streamlit.testing.v1 import AppTest

    os.environ[DB_ENV] = str(db)
    os.environ["DASHBOARD_TILES"] = "none"
    start = time.perf_counter()
    at = AppTest.from_file(str(APP), default_timeout=600).run()
    first_run = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"the app failed: {at.exception}")
    page_bytes, map_bytes = _page_bytes(at)
    low, high = at.slider(key="dates").value
    ranges = [(low, low + dt.timedelta(days=30)), (low, high)]
    times = []
    for index in range(RERUNS):
        started = time.perf_counter()
        at.slider(key="dates").set_value(ranges[index % 2]).run()
        times.append(time.perf_counter() - started)
    return AppFigure(count, places, first_run, statistics.median(times), page_bytes, map_bytes)


def browser_figure(db: Path, count: int, places: int) -> BrowserFigure:
    """Seconds from opening the served app in Chromium until its markers are drawn: on the server's first
    visit (its imports and the store's first read included) and on a later one, in a fresh browser page."""
    from playwright.sync_api import sync_playwright

    from dashboard.devserver import CHROMIUM, CHROMIUM_ARGS, running_app

    with (
        tempfile.TemporaryDirectory() as scratch,
        running_app(log=Path(scratch) / "log", db=db) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        first, later = (_seconds_to_markers(browser, url) for _ in range(2))
        browser.close()
    return BrowserFigure(count, places, first, later)


def _seconds_to_markers(browser: object, url: str) -> float:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1400, "height": 950})
    start = time.perf_counter()
    page.goto(url)
    frame = page.frame_locator('iframe[title="streamlit_folium.st_folium"]')
    expect(frame.locator("path.dashboard-marker, .leaflet-overlay-pane canvas").first).to_be_attached(timeout=600_000)
    seconds = time.perf_counter() - start
    page.close()
    return seconds


@contextmanager
def synthetic_store(count: int) -> Iterator[Path]:
    """A temporary store holding ``count`` synthetic events."""
    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "events.db"
        save_synthetic_events(db, count, places=places_for(count))
        yield db


def _page_bytes(at: object) -> tuple[int, int]:
    """Bytes of every element the page sends (their protobuf messages), and of the map component alone."""

    def walk(node: object) -> Iterator[object]:
        yield node
        children = getattr(node, "children", {})
        for child in children.values() if isinstance(children, dict) else children:
            yield from walk(child)

    elements = [node for node in walk(at._tree) if hasattr(node, "proto") and hasattr(node.proto, "ByteSize")]
    total = sum(node.proto.ByteSize() for node in elements)
    (component,) = at.get("component_instance")
    return total, component.proto.ByteSize()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--browser", action="store_true", help="also time the first markers in Chromium")
    args = parser.parse_args(argv)
    print("events  places  layer build+serialise  layer MB | app first run  rerun after slider  page MB  map MB")
    for count in args.events:
        events = synthetic_events(count, places=places_for(count))
        layer = layer_figure(events)
        with synthetic_store(count) as db:
            app = app_figure(db, count, layer.places)
            browser = browser_figure(db, count, layer.places) if args.browser else None
        print(
            f"{count:>7,} {layer.places:>6,}  {layer.seconds:>18.3f} s  {layer.bytes / MB:>7.2f} |"
            f" {app.first_run_seconds:>11.2f} s  {app.rerun_seconds:>15.3f} s  {app.page_bytes / MB:>6.2f}"
            f"  {app.map_bytes / MB:>6.2f}"
            + (
                f"  markers drawn {browser.first_visit_seconds:.2f} s (first visit),"
                f" {browser.next_visit_seconds:.2f} s (next)"
                if browser
                else ""
            )
        )
    print("\nnaive folium (one Marker with a popup per event):")
    for count in [size for size in NAIVE_SIZES if size <= max(args.events)]:
        naive = naive_figure(synthetic_events(count, places=places_for(count)))
        print(f"{count:>7,} events  build+render {naive.seconds:.2f} s  page {naive.bytes / MB:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
