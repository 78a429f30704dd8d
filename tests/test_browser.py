"""The real app in a real headless Chromium: markers and tooltips, the date slider, the type filter, a click
on a marker and its panel, a copied link reopening the same view, layers, and no request leaving the machine.

What the page should show is worked out from the store the server reads, so the tests follow the seeds.
"""

import datetime as dt
import re
import urllib.request
from collections import Counter

import pytest

from dashboard.event_types import event_type_label
from dashboard.mapview import marker_class
from dashboard.store import Store
from dashboard.timeline import events_in_range, newest_first

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 30_000
LOAD_TIMEOUT_MS = 60_000  # a worker's first page waits for the server's first run, slow on a busy machine


def stored_events(db):
    with Store(db) as store:
        return store.events()


def events_at(db, name: str):
    return newest_first(e for e in stored_events(db) if e.place.name == name)


def marker_selector(place_id: str) -> str:
    return "path." + ".".join(marker_class(place_id).split())


def counts_text(shown: int, total: int) -> str:
    return f"{shown} of {total} events"


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


def test_slider_type_filter_and_click_make_a_view_a_copied_link_reopens(guarded_page, fresh_page, app_server):
    from playwright.sync_api import expect

    page = guarded_page.page
    events = stored_events(app_server.db)
    first, last = min(e.date for e in events), max(e.end_date for e in events)
    page.goto(app_server.url)
    counts = page.locator(".dashboard-counts")
    expect(counts).to_contain_text(counts_text(len(events), len(events)), timeout=LOAD_TIMEOUT_MS)
    expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible()

    # one step right on the range's start thumb: the first day drops out
    start_thumb = page.get_by_role("slider").first
    start_thumb.focus()
    start_thumb.press("ArrowRight")
    start = first + dt.timedelta(days=1)
    in_range = events_in_range(events, start, last)
    assert len(in_range) < len(events), "the seeds should hold events on their first day"
    expect(counts).to_contain_text(counts_text(len(in_range), len(events)), timeout=TIMEOUT_MS)
    expect(page).to_have_url(re.compile(rf"from={start.isoformat()}"))

    # the commonest type in the range that leaves something out
    kind, count = next((k, n) for k, n in Counter(e.event_type for e in in_range).most_common() if n < len(in_range))
    type_filter = page.get_by_test_id("stMultiSelect").filter(has_text="Event type")
    type_filter.locator("input").click()
    page.keyboard.type(event_type_label(kind))
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(counts).to_contain_text(counts_text(count, len(events)), timeout=TIMEOUT_MS)
    expect(page).to_have_url(re.compile(rf"type={kind}"))
    places = {e.place.id for e in in_range if e.event_type == kind}
    markers = page.frame_locator(MAP_FRAME).locator("path.dashboard-marker")
    expect(markers).to_have_count(len(places), timeout=TIMEOUT_MS)
    expect(page.frame_locator(MAP_FRAME).locator(f"path.type-{kind}")).to_have_count(len(places))

    # select a place, then open the address in a fresh browser: the same view, the same panel
    place = min((e.place for e in in_range if e.place.id in places), key=lambda p: (p.level == "country", p.name))
    page.frame_locator(MAP_FRAME).locator(marker_selector(place.id)).dispatch_event("click")
    panel = page.locator(".dashboard-panel")
    expect(panel.locator("h3")).to_have_text(place.name, timeout=TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"place="))
    link, panel_text, counts_shown = page.url, panel.inner_text(), counts.inner_text()
    other = fresh_page.page
    other.goto(link)
    expect(other.locator(".dashboard-panel h3")).to_have_text(place.name, timeout=LOAD_TIMEOUT_MS)
    assert other.locator(".dashboard-panel").inner_text() == panel_text
    assert other.locator(".dashboard-counts").inner_text() == counts_shown
    expect(other.get_by_role("slider").first).to_have_attribute("aria-valuetext", start.isoformat())
    expect(other.get_by_test_id("stMultiSelect").filter(has_text="Event type")).to_contain_text(event_type_label(kind))
    assert other.url == link
    assert guarded_page.external == fresh_page.external == []


def test_countries_hide_and_clicking_zvecan_shows_its_events_marked_with_the_article(guarded_page, app_server):
    from playwright.sync_api import expect

    page = guarded_page.page
    zvecan = events_at(app_server.db, "Zvečan")
    assert zvecan, "the seed store should hold an event at Zvečan"
    page.goto(app_server.url)
    frame = page.frame_locator(MAP_FRAME)

    for name in ("Zvečan", "Zubin Potok"):
        (event, *_) = events_at(app_server.db, name)
        expect(frame.locator(marker_selector(event.place.id))).to_have_count(1, timeout=LOAD_TIMEOUT_MS)

    # the countries layer hides, leaving the places and the legend
    countries = frame.locator("path.dashboard-marker.dashboard-country")
    expect(countries.first).to_be_visible()
    places_before = frame.locator("path.dashboard-marker:not(.dashboard-country)").count()
    frame.locator("label", has_text="Countries").locator("input").uncheck()
    expect(countries).to_have_count(0)
    assert frame.locator("path.dashboard-marker:not(.dashboard-country)").count() == places_before
    expect(frame.locator(".dashboard-legend")).to_contain_text("clash or violence")

    marker = frame.locator(marker_selector(zvecan[0].place.id))
    marker.hover()
    expect(frame.locator(".leaflet-tooltip")).to_have_text("Zvečan", timeout=TIMEOUT_MS)
    marker.click()

    panel = page.locator(".dashboard-panel")
    expect(panel.locator("h3")).to_have_text("Zvečan", timeout=TIMEOUT_MS)
    expect(panel.locator(".event-summary").first).to_have_text(zvecan[0].summary)
    expect(panel.locator(".event-type").first).to_have_text(event_type_label(zvecan[0].event_type))
    expect(panel).to_contain_text(zvecan[0].sources[0].title)
    expect(panel.locator("mark.place").first).to_be_visible()

    article = panel.locator(".article-text").first
    expect(article).to_be_hidden()
    panel.locator("details summary").first.click()
    expect(article).to_be_visible()
    expect(article.locator("mark.sentence")).to_have_text(re.compile(re.escape(zvecan[0].sources[0].sentence[:40])))

    expect(page).to_have_url(re.compile(r"place="))
    assert guarded_page.external == []
