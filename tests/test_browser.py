"""The real app in a real headless Chromium: markers and tooltips, the date slider, the type filter, a click
on a marker and its panel, a copied link reopening the same view, the country switch, a pan and zoom that
outlast the slider, playback, an upload, and no request leaving the machine.

What the page should show is worked out from the store the server reads when the test runs, so the tests
follow the seeds, and the upload test (which adds an article to that store) can run before any of them.
"""

import datetime as dt
import re
import urllib.request
from collections import Counter

import pytest

from dashboard.event_types import event_type_label
from dashboard.mapview import map_frame, marker_class
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


def test_countries_hide_through_slider_moves_and_clicking_zvecan_shows_its_events_with_the_article(
    guarded_page, app_server
):
    from playwright.sync_api import expect

    page = guarded_page.page
    events = stored_events(app_server.db)
    zvecan = events_at(app_server.db, "Zvečan")
    assert zvecan, "the seed store should hold an event at Zvečan"
    page.goto(app_server.url)
    frame = page.frame_locator(MAP_FRAME)

    for name in ("Zvečan", "Zubin Potok"):
        (event, *_) = events_at(app_server.db, name)
        expect(frame.locator(marker_selector(event.place.id))).to_have_count(1, timeout=LOAD_TIMEOUT_MS)

    # the country switch hides the country rings, leaving the places and the legend, and the markers that
    # replace these after a slider move stay hidden too
    countries = frame.locator("path.dashboard-marker.dashboard-country")
    expect(countries.first).to_be_attached()
    places_before = frame.locator("path.dashboard-marker:not(.dashboard-country)").count()
    frame.locator("label", has_text="Countries").locator("input").uncheck()
    expect(countries).to_have_count(0)
    assert frame.locator("path.dashboard-marker:not(.dashboard-country)").count() == places_before
    expect(frame.locator(".dashboard-legend")).to_contain_text("clash or violence")
    counts = page.locator(".dashboard-counts")
    expect(counts).to_contain_text(counts_text(len(events), len(events)), timeout=LOAD_TIMEOUT_MS)
    end_thumb = page.get_by_role("slider").last
    end_thumb.focus()
    end_thumb.press("ArrowLeft")
    expect(counts).not_to_contain_text(counts_text(len(events), len(events)), timeout=TIMEOUT_MS)
    expect(frame.locator(marker_selector(zvecan[0].place.id))).to_have_count(1, timeout=TIMEOUT_MS)
    expect(countries).to_have_count(0)
    frame.locator("label", has_text="Countries").locator("input").check()
    expect(countries.first).to_be_attached()
    end_thumb.focus()
    end_thumb.press("ArrowRight")
    expect(counts).to_contain_text(counts_text(len(events), len(events)), timeout=TIMEOUT_MS)

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


def map_view(page) -> dict:
    """The live Leaflet map's centre and zoom, read inside the map's iframe."""
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    return frame.evaluate("() => ({center: map.getCenter(), zoom: map.getZoom(), mark: window.testMark || null})")


def test_a_pan_and_zoom_outlast_moving_the_slider_in_the_same_iframe(guarded_page, app_server):
    from playwright.sync_api import expect

    page = guarded_page.page
    events = stored_events(app_server.db)
    first, last = min(e.date for e in events), max(e.end_date for e in events)
    page.goto(app_server.url)
    frame = page.frame_locator(MAP_FRAME)
    markers = frame.locator("path.dashboard-marker")
    expect(markers).to_have_count(len({e.place.id for e in events}), timeout=LOAD_TIMEOUT_MS)
    iframe = page.locator(MAP_FRAME).element_handle()
    opened = map_view(page)

    # zoom in with the map's button, then drag the map: a user's view, unlike the one it opened on
    frame.locator(".leaflet-control-zoom-in").click()
    settled = "([frame, zoom]) => frame.contentWindow.map.getZoom() === zoom && !frame.contentWindow.map._animatingZoom"
    page.wait_for_function(settled, arg=[iframe, opened["zoom"] + 1], timeout=TIMEOUT_MS)
    box = iframe.bounding_box()
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.3
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 120, y + 60, steps=8)
    page.mouse.up()
    page.wait_for_function(  # moved, and the drag's inertia spent
        "([frame, lng]) => { const map = frame.contentWindow.map;"
        " return map.getCenter().lng !== lng && !(map._panAnim && map._panAnim._inProgress); }",
        arg=[iframe, opened["center"]["lng"]],
    )
    iframe.content_frame().evaluate("() => { window.testMark = 'still here'; }")
    moved = map_view(page)
    assert moved["zoom"] == opened["zoom"] + 1

    # one step back on the slider's end: fewer places, that a new map would frame differently; the same map
    end_thumb = page.get_by_role("slider").last
    end_thumb.focus()
    end_thumb.press("ArrowLeft")
    in_range = events_in_range(events, first, last - dt.timedelta(days=1))
    assert map_frame(in_range) != map_frame(events), "the seeds' last day should hold a place at the edge"
    expect(page.locator(".dashboard-counts")).to_contain_text(
        counts_text(len(in_range), len(events)), timeout=TIMEOUT_MS
    )
    expect(markers).to_have_count(len({e.place.id for e in in_range}), timeout=TIMEOUT_MS)
    assert map_view(page) == {**moved, "mark": "still here"}  # same centre and zoom, in the same iframe
    assert iframe.evaluate("element => element.isConnected")
    expect(page.locator(MAP_FRAME)).to_have_count(1)
    assert guarded_page.external == []


def test_play_steps_the_window_and_pause_holds_it(guarded_page, app_server):
    from playwright.sync_api import expect

    page = guarded_page.page
    events = stored_events(app_server.db)
    first = min(e.date for e in events)
    page.goto(app_server.url)
    counts = page.locator(".dashboard-counts")
    expect(counts).to_contain_text(counts_text(len(events), len(events)), timeout=LOAD_TIMEOUT_MS)

    page.get_by_role("button", name="▶ Play").click()
    playing = page.get_by_text(re.compile(r"^Playing: "))
    expect(playing).to_have_text(f"Playing: {first.isoformat()}", timeout=TIMEOUT_MS)
    second = first + dt.timedelta(days=1)
    expect(playing).to_have_text(f"Playing: {second.isoformat()}", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="⏸ Pause").click()
    expect(playing).to_have_count(0, timeout=TIMEOUT_MS)

    start_thumb = page.get_by_role("slider").first
    held = start_thumb.get_attribute("aria-valuetext")
    day = dt.date.fromisoformat(held)
    shown = events_in_range(events, day, day)
    expect(counts).to_contain_text(counts_text(len(shown), len(events)), timeout=TIMEOUT_MS)
    expect(page.frame_locator(MAP_FRAME).locator("path.dashboard-marker")).to_have_count(
        len({e.place.id for e in shown}), timeout=TIMEOUT_MS
    )
    page.wait_for_timeout(1_500)  # longer than a step at the default speed: paused, nothing moves
    expect(start_thumb).to_have_attribute("aria-valuetext", held)
    expect(page.get_by_role("slider").last).to_have_attribute("aria-valuetext", held)
    assert guarded_page.external == []


UPLOADED = " date 2023-05-30\nPolice arrested two men in Prizren on Monday.\n"
PRIZREN = "geonames:786712"


def test_an_uploaded_article_adds_its_place_to_the_map(guarded_page, app_server, tmp_path):
    from playwright.sync_api import expect

    page = guarded_page.page
    before = stored_events(app_server.db)
    assert PRIZREN not in {e.place.id for e in before}, "the upload should bring a place the store lacks"
    article = tmp_path / "prizren-upload.txt"
    article.write_text(UPLOADED, encoding="utf-8")
    page.goto(app_server.url)
    counts = page.locator(".dashboard-counts")
    expect(counts).to_contain_text(counts_text(len(before), len(before)), timeout=LOAD_TIMEOUT_MS)

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(article)
    expect(page.get_by_test_id("stAlert").filter(has_text="1 new")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    after = stored_events(app_server.db)
    assert len(after) == len(before) + 1
    expect(counts).to_contain_text(counts_text(len(after), len(after)), timeout=TIMEOUT_MS)
    marker = page.frame_locator(MAP_FRAME).locator(marker_selector(PRIZREN))
    expect(marker).to_have_count(1, timeout=TIMEOUT_MS)
    marker.dispatch_event("click")
    expect(page.locator(".dashboard-panel h3")).to_have_text("Prizren", timeout=TIMEOUT_MS)
    expect(page.locator(".dashboard-panel")).to_contain_text("Police arrested two men in Prizren on Monday.")
    assert list((app_server.db.parent / "uploads").rglob("prizren-upload.txt"))
    assert guarded_page.external == []


FERIZAJ = "geonames:784759"
HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>.txt"
HOSTILE = (
    " date 2023-05-30\n"
    "<script>window.__pwned=1;alert(1)</script> Police arrested two men in Ferizaj, Kosovo, on Monday"
    ' <img src=x onerror="window.__pwned=1"> <svg onload=window.__pwned=1> `code` **bold**'
    " [link](javascript:window.__pwned=1) </script><script>window.__pwned=1</script>.\n"
)


def test_html_and_script_in_an_article_show_as_text_and_never_run(guarded_page, app_server, tmp_path):
    """An uploaded article whose name and text carry markup: the panel shows it as text, nothing runs."""
    from playwright.sync_api import expect

    page = guarded_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    article = tmp_path / HOSTILE_NAME
    article.write_text(HOSTILE, encoding="utf-8")
    page.goto(app_server.url)
    expect(page.locator(".dashboard-counts")).to_be_visible(timeout=LOAD_TIMEOUT_MS)

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(article)
    expect(page.get_by_test_id("stAlert").filter(has_text="1 new")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    marker = page.frame_locator(MAP_FRAME).locator(marker_selector(FERIZAJ))
    expect(marker).to_have_count(1, timeout=TIMEOUT_MS)
    marker.dispatch_event("click")
    panel = page.locator(".dashboard-panel")
    expect(panel.locator("h3")).to_have_text("Ferizaj", timeout=TIMEOUT_MS)
    expect(panel).to_contain_text("<script>window.__pwned=1;alert(1)</script>")
    expect(panel).to_contain_text('<img src=x onerror="window.__pwned=1">')
    expect(panel).to_contain_text("[link](javascript:window.__pwned=1)")
    expect(panel).to_contain_text(HOSTILE_NAME)
    assert page.evaluate("window.__pwned") is None
    assert page.frame_locator(MAP_FRAME).locator("body").evaluate("() => window.__pwned") is None
    assert dialogs == []
    assert guarded_page.external == []
