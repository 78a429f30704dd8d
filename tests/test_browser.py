"""The real app in a real headless Chromium: markers, tooltips, a click on Zvečan, layers, and no request
leaving the machine."""

import urllib.request

import pytest

from dashboard.mapview import marker_class
from dashboard.store import Store
from dashboard.timeline import newest_first

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 30_000


def events_at(db, name: str):
    with Store(db) as store:
        return newest_first(e for e in store.events() if e.place.name == name)


def marker_selector(place_id: str) -> str:
    return "path." + ".".join(marker_class(place_id).split())


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("leaflet/leaflet.js", "javascript"),
        ("leaflet/leaflet.css", "text/css"),
        ("leaflet/images/layers.png", "image/png"),
    ],
)
def test_static_assets_are_served_with_their_content_type(app_server, path, content_type):
    with urllib.request.urlopen(f"{app_server.url}/app/static/{path}", timeout=10) as response:
        assert content_type in response.headers["Content-Type"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_clicking_zvecan_lists_its_events_and_nothing_leaves_the_machine(guarded_page, app_server):
    from playwright.sync_api import expect

    page = guarded_page.page
    zvecan = events_at(app_server.db, "Zvečan")
    assert zvecan, "the seed store should hold an event at Zvečan"
    page.goto(app_server.url)
    frame = page.frame_locator(MAP_FRAME)

    for name in ("Zvečan", "Zubin Potok"):
        (event, *_) = events_at(app_server.db, name)
        expect(frame.locator(marker_selector(event.place.id))).to_have_count(1, timeout=TIMEOUT_MS)

    marker = frame.locator(marker_selector(zvecan[0].place.id))
    marker.hover()
    expect(frame.locator(".leaflet-tooltip")).to_have_text("Zvečan", timeout=TIMEOUT_MS)
    marker.click()

    panel = page.locator(".dashboard-panel")
    expect(panel.locator("h3")).to_have_text("Zvečan", timeout=TIMEOUT_MS)
    expect(panel.locator(".event-summary").first).to_have_text(zvecan[0].summary)
    expect(panel).to_contain_text(zvecan[0].sources[0].title)
    assert "place=" in page.url

    assert guarded_page.external == []


def test_the_countries_layer_can_be_hidden(guarded_page, app_server):
    from playwright.sync_api import expect

    page = guarded_page.page
    page.goto(app_server.url)
    frame = page.frame_locator(MAP_FRAME)
    countries = frame.locator("path.dashboard-marker[stroke-dasharray]")
    expect(countries.first).to_be_visible(timeout=TIMEOUT_MS)
    places_before = frame.locator("path.dashboard-marker:not([stroke-dasharray])").count()

    frame.locator("label", has_text="Countries").locator("input").uncheck()

    expect(countries).to_have_count(0)
    assert frame.locator("path.dashboard-marker:not([stroke-dasharray])").count() == places_before
    assert guarded_page.external == []
