"""Screenshot the running app after clicking a place's marker and opening its first article: the map with its
legend, the timeline, the sidebar's filters and counts, and the panel. docs/screenshot.png by default.

    .venv/bin/python scripts/screenshot.py                      # serve the seeds from a temporary store
    .venv/bin/python scripts/screenshot.py --db events.db       # serve an existing store
    .venv/bin/python scripts/screenshot.py --url http://127.0.0.1:8501   # an app already running

Uses the system Chromium (/usr/bin/chromium) through Playwright; requests that would leave the machine
are blocked and listed, so the picture shows what an offline user sees.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from playwright.sync_api import FrameLocator, Page, Route, expect, sync_playwright  # noqa: E402

from dashboard.devserver import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS, running_app  # noqa: E402
from dashboard.escaping import escape_html  # noqa: E402
from dashboard.mapview import marker_class  # noqa: E402

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 30_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="screenshot this running app instead of starting one")
    parser.add_argument("--db", type=Path, help="store to serve (default: a temporary store of seeds/)")
    parser.add_argument("--tiles", default="none", help='base tiles for a started app: "none" or "OpenStreetMap"')
    parser.add_argument("--place", default="Zvečan", help="the marker to click, by its tooltip")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "screenshot.png")
    args = parser.parse_args(argv)
    with _app_url(args.url, args.db, args.tiles) as url:
        blocked = screenshot(url, place=args.place, out=args.out)
    print(f"wrote {args.out}")
    for request in blocked:
        print(f"blocked a request leaving the machine: {request}", file=sys.stderr)
    return 0


@contextmanager
def _app_url(url: str | None, db: Path | None, tiles: str) -> Iterator[str]:
    """The given URL, or an app started for the screenshot (on a fresh store of the seeds unless ``db``)."""
    if url:
        yield url
        return
    with tempfile.TemporaryDirectory() as scratch:
        if db is None:
            db = Path(scratch) / "events.db"
            subprocess.run(
                [sys.executable, "-m", "dashboard", "ingest", "seeds/", "--db", str(db)],
                cwd=PROJECT_DIR,
                check=True,
            )
        with running_app(log=Path(scratch) / "streamlit.log", db=db, tiles=tiles) as started:
            yield started


def screenshot(url: str, *, place: str, out: Path) -> list[str]:
    """Open the app, click the place's marker, wait for its panel, and save a full-page PNG.

    Returns the requests that were blocked because they would have left the machine.
    """
    blocked: list[str] = []

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        context = browser.new_context(viewport={"width": 1400, "height": 950})
        context.route("**/*", only_local)
        page = context.new_page()
        page.goto(url)
        _click_marker(page, page.frame_locator(MAP_FRAME), place)
        expect(page.locator(".dashboard-panel h3")).to_have_text(place, timeout=TIMEOUT_MS)
        expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible(timeout=TIMEOUT_MS)
        page.locator(".dashboard-panel details summary").first.click()
        page.wait_for_timeout(500)  # let the panel's layout settle before the picture
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        browser.close()
    return blocked


def _click_marker(page: Page, frame: FrameLocator, place: str) -> None:
    """Click the marker whose tooltip reads ``place``: the map's GeoJSON features carry their tooltips."""
    expect(frame.locator("path.dashboard-marker").first).to_be_attached(timeout=TIMEOUT_MS)
    map_frame = page.locator(MAP_FRAME).element_handle().content_frame()
    place_id = map_frame.evaluate(
        """(label) => {
            const found = Object.values(map._layers).find((layer) => layer.feature && layer.feature.properties.label === label);
            return found ? found.feature.properties.id : null;
        }""",
        escape_html(place),
    )
    if place_id is None:
        raise SystemExit(f"no marker whose tooltip is {place!r} at {page.url}")
    frame.locator("path." + ".".join(marker_class(place_id).split())).click()


if __name__ == "__main__":
    raise SystemExit(main())
