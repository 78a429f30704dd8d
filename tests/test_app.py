"""The real app under Streamlit's AppTest, reading a real SQLite store in tmp_path through $DASHBOARD_DB.

Each control is moved as a user would and the test reads what the page then shows: markers, counts in the
sidebar, the timeline's bars, the panel, and the URL a copied link would carry.
"""

import datetime as dt
import hashlib
import io
import json
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import map_helpers
import pyarrow.ipc
import pytest
from event_factory import (
    KOSOVO,
    LEPOSAVIC,
    TOKYO,
    ZUBIN_POTOK,
    ZVECAN,
    make_event,
    make_source,
    save_synthetic_events,
)
from streamlit.testing.v1 import AppTest

from dashboard import config
from dashboard.mapview import CLICK_FIELD
from dashboard.models import Article, Event
from dashboard.palette import type_colour
from dashboard.playback import STEP_SECONDS
from dashboard.store import Store
from dashboard.stores import open_store
from dashboard.timeline import events_in_range

APP = str(config.PROJECT_DIR / "dashboard" / "app.py")
D = dt.date.fromisoformat


def save(db: Path | str, events: list[Event], *, title: str = "Clashes in the north", name: str = "a.txt") -> None:
    """Store the events as reported by one article whose text is their sentences, offsets kept true."""
    text, stored = "", []
    for event in events:
        sources = []
        for source in event.sources:
            start = len(text)
            text += source.sentence + "\n\n"
            sources.append(replace(source, start=start, end=start + len(source.sentence)))
        stored.append(replace(event, sources=tuple(sources)))
    article = Article(
        path=f"seeds/{name}",
        name=name,
        published=D("2023-06-02"),
        published_precision="day",
        title=title,
        text=text,
        sha256=hashlib.sha256(f"{name}{text}".encode()).hexdigest(),
    )
    with open_store(db) as store:
        store.save_article(article, stored)


def reported(place, when, sentence, event_type="other", evidence="", **options) -> Event:
    source = make_source(sentence=sentence, event_type=event_type, date_evidence=evidence)
    return make_event(place, when, sources=(source,), summary=sentence, **options)


SEVERAL_DAYS = [
    reported(ZVECAN, "2023-05-26", "Protesters clashed with police in Zvečan on Friday.", "clash", "Friday"),
    reported(ZVECAN, "2023-05-29", "KFOR soldiers were hurt in Zvečan.", "clash"),
    reported(LEPOSAVIC, "2023-05-29", "Protesters gathered by the building in Leposavić.", "protest"),
    reported(ZUBIN_POTOK, "2023-06-01", "Police arrested two men in Zubin Potok.", "arrest"),
    reported(KOSOVO, "2023-05", "Talks on Kosovo stalled in May.", "political"),
]
MARKETS = [reported(TOKYO, "2023-05-30", "Markets opened calmly in Tokyo.")]
ALL_PLACES = ["Kosovo", "Leposavić", "Tokyo", "Zubin Potok", "Zvečan"]


def never_load_every_event(monkeypatch) -> None:
    """Make loading the whole store fail, as the aggregated page must never do it."""

    def refuse(self):
        raise AssertionError("the page loaded every event of a store it should aggregate")

    monkeypatch.setattr(Store, "events", refuse)
    monkeypatch.setenv("DASHBOARD_AGGREGATE_FROM", "0")


@pytest.fixture(params=["in memory", "aggregated by the database"])
def run_app(request, tmp_path, monkeypatch):
    """Start the app on a store holding the given events (plus an article on Tokyo, and one reporting
    ``also``), opened with ``query`` as the URL's parameters; returns the AppTest after its first run.

    Every test runs twice: with the events filtered in memory, and with the page asking the database
    (``page_data.StoreData``), which a store past ``$DASHBOARD_AGGREGATE_FROM`` events uses."""
    db = tmp_path / "events.db"
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_TILES", "none")
    if request.param != "in memory":
        never_load_every_event(monkeypatch)

    def run(
        events: list[Event], *, query: dict | None = None, markets: bool = True, also: list[Event] = (), **options
    ) -> AppTest:
        if events:
            save(db, events, **options)
        if events and markets:
            save(db, MARKETS, title="Markets in Asia", name="b.txt")
        if also:
            save(db, list(also), title="A second report", name="c.txt")
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params.update(query or {})
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def map_id(at: AppTest) -> str:
    """The map component's identity: while it stays the same the browser keeps the map's iframe."""
    (component,) = at.get("component_instance")
    return component.proto.id


def marker_names(at: AppTest) -> list[str]:
    return map_helpers.marker_names(map_args(at)["feature_group"])


def marker_options(at: AppTest) -> dict[str, dict]:
    """Each marker's Leaflet options, by place id."""
    return map_helpers.marker_options(map_args(at)["feature_group"])


def html_with(at: AppTest, css_class: str) -> str:
    return "".join(e.proto.body for e in at.get("html") if f'class="{css_class}"' in e.proto.body)


def panel(at: AppTest) -> str:
    return html_with(at, "dashboard-panel")


def panel_events(at: AppTest) -> str:
    """The panel without the full article texts, which hold every sentence of the article."""
    return re.sub(r"<details.*?</details>", "", panel(at), flags=re.DOTALL)


def shown_count(at: AppTest) -> tuple[int, int]:
    """(shown, total) from the sidebar's "<b>N</b> of T events"."""
    found = re.search(r"<b>(\d+)</b> of (\d+) events", html_with(at, "dashboard-counts"))
    assert found, "the sidebar shows no counts"
    return int(found.group(1)), int(found.group(2))


def type_counts(at: AppTest) -> dict[str, int]:
    rows = re.findall(r'<tr class="type-(\w+)">.*?>(\d+)</td></tr>', html_with(at, "dashboard-counts"))
    return {kind: int(count) for kind, count in rows if int(count)}


def timeline(at: AppTest) -> dict[str, int]:
    """Events per day in the timeline's data."""
    (chart,) = at.get("vega_lite_chart")
    values = pyarrow.ipc.open_stream(chart.proto.data.data).read_all().to_pylist() if chart.proto.data.data else []
    per_day: dict[str, int] = {}
    for row in values:
        per_day[row["day"][:10]] = per_day.get(row["day"][:10], 0) + row["events"]
    return per_day


# the map, the slider and the timeline ----------------------------------------------------------------


def test_the_map_shows_every_place_and_the_slider_spans_the_events(run_app):
    at = run_app(SEVERAL_DAYS)
    assert marker_names(at) == ALL_PLACES
    # the range starts at the month event's first day; AppTest reports min and max only as microseconds
    assert at.slider(key="dates").value == (D("2023-05-01"), D("2023-06-01"))
    assert shown_count(at) == (6, 6)
    assert type_counts(at) == {"clash": 2, "protest": 1, "arrest": 1, "political": 1, "other": 1}


def test_the_map_loads_leaflet_from_the_app_not_a_cdn_and_has_a_legend(run_app):
    args = map_args(run_app(SEVERAL_DAYS))
    assert args["js_links"] == ["/app/static/leaflet/leaflet.js"]
    assert args["css_links"] == ["/app/static/leaflet/leaflet.css"]
    assert "L.tileLayer" not in args["script"]
    assert args["returned_objects"] == [CLICK_FIELD]  # a click reruns the page, a pan or zoom does not
    assert "dashboard-legend" in args["script"]
    assert "L.geoJson" not in args["script"]  # the base map holds no markers: they come as the layer
    assert args["feature_group"].count("L.geoJson(") == 2  # places, and countries beneath them


def test_markers_are_coloured_by_type_and_drawn_by_precision(run_app):
    markers = marker_options(run_app(SEVERAL_DAYS))
    assert markers["zvecan"]["fillColor"] == type_colour("clash")
    assert markers["zubin-potok"]["fillColor"] == type_colour("arrest")
    assert markers["xk"]["fillColor"] == type_colour("political")
    assert markers["zvecan"].get("dashArray") is None
    assert markers["xk"]["dashArray"] == "6 4"  # month precision
    assert "dashboard-country" in markers["xk"]["className"].split()


def test_moving_the_slider_shows_only_events_overlapping_the_range(run_app):
    at = run_app(SEVERAL_DAYS)
    at.slider(key="dates").set_value((D("2023-05-29"), D("2023-05-30"))).run()
    assert marker_names(at) == ["Kosovo", "Leposavić", "Tokyo", "Zvečan"]  # Kosovo's event is all of May
    assert shown_count(at) == (4, 6)
    assert timeline(at) == {"2023-05-29": 2, "2023-05-30": 1}
    at.slider(key="dates").set_value((D("2023-06-01"), D("2023-06-01"))).run()
    assert marker_names(at) == ["Zubin Potok"]
    assert shown_count(at) == (1, 6)
    assert timeline(at) == {"2023-06-01": 1}


def test_the_timeline_counts_day_events_and_names_the_coarser_ones(run_app):
    at = run_app(SEVERAL_DAYS)
    assert timeline(at) == {"2023-05-26": 1, "2023-05-29": 2, "2023-05-30": 1, "2023-06-01": 1}
    (chart,) = at.get("vega_lite_chart")
    (bars,) = json.loads(chart.proto.spec)["layer"]
    domain = bars["encoding"]["x"]["scale"]["domain"]
    assert domain == ["2023-05-01T00:00:00", "2023-06-02T00:00:00"]
    assert any("1 event(s) dated only to a month or a year" in c.value for c in at.caption)


def test_moving_the_slider_or_a_filter_changes_the_places_not_the_map(run_app):
    at = run_app(SEVERAL_DAYS)
    identity, base = map_id(at), map_args(at)["script"]
    at.slider(key="dates").set_value((D("2023-05-29"), D("2023-05-30"))).run()
    at.multiselect(key="type").set_value(["clash", "protest"]).run()
    at.radio(key="size").set_value("sources").run()
    assert marker_names(at) == ["Leposavić", "Zvečan"]
    # the same component with the same base map: the browser keeps the iframe and the user's view
    assert map_id(at) == identity
    assert map_args(at)["script"] == base
    assert map_args(at)["center"] is None
    assert map_args(at)["zoom"] is None


def test_the_map_opens_on_the_places_of_the_link_and_keeps_that_frame(run_app):
    at = run_app(SEVERAL_DAYS, query={"country": "JP"})
    assert f"[{TOKYO.lat}, {TOKYO.lon}]" in map_args(at)["script"]
    at.multiselect(key="country").set_value(["XK"]).run()
    assert f"[{TOKYO.lat}, {TOKYO.lon}]" in map_args(at)["script"]


def test_fitting_starts_a_new_map_framing_the_shown_places(run_app):
    at = run_app(SEVERAL_DAYS)
    identity = map_id(at)
    assert "fitBounds" in map_args(at)["script"]
    at.multiselect(key="country").set_value(["JP"]).run()
    at.button(key="fit_map").click().run()
    assert map_id(at) != identity
    assert f"[{TOKYO.lat}, {TOKYO.lon}]" in map_args(at)["script"]
    assert "fitBounds" not in map_args(at)["script"]  # one place is centred, not fitted
    assert marker_names(at) == ["Tokyo"]


@pytest.mark.parametrize("aggregated", [False, True], ids=["in memory", "aggregated by the database"])
def test_ten_thousand_events_show_as_their_places_and_a_slider_move_keeps_the_map(tmp_path, monkeypatch, aggregated):
    db = tmp_path / "events.db"
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_TILES", "none")
    events = save_synthetic_events(db, 10_000, places=1_000)
    if aggregated:
        never_load_every_event(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert shown_count(at) == (10_000, 10_000)
    assert len(marker_names(at)) == 1_000
    identity = map_id(at)
    start, end = D("2023-03-01"), D("2023-03-31")
    at.slider(key="dates").set_value((start, end)).run()
    assert shown_count(at) == (len(events_in_range(events, start, end)), 10_000)
    assert len(marker_names(at)) == len({e.place.id for e in events_in_range(events, start, end)})
    assert map_id(at) == identity


def test_more_places_than_markers_share_grid_cell_markers_that_list_their_places(tmp_path, monkeypatch):
    db = tmp_path / "events.db"
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_TILES", "none")
    save_synthetic_events(db, 6_000, places=6_000)
    never_load_every_event(monkeypatch)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    assert shown_count(at) == (6_000, 6_000)
    cells = marker_options(at)
    assert 100 < len(cells) <= 5_000
    assert all(cell_id.startswith("cell:") for cell_id in cells)
    busiest = max(cells, key=lambda cell_id: cells[cell_id]["radius"])
    opened = AppTest.from_file(APP, default_timeout=60)
    opened.query_params.update({"place": busiest})
    opened.run()
    assert not opened.exception, opened.exception
    listed = re.findall(r"<tr><td>(Place \d+)</td><td>Kosovo \(XK\)</td>", panel(opened))
    assert listed and len(listed) == len(set(listed))
    assert re.search(rf"<h3>{len(listed)} places? here", panel(opened))


# playback ---------------------------------------------------------------------------------------------


class FakeClock:
    """The monotonic clock playback reads, moved by the test: a step is due exactly when the test says."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def monotonic(self) -> float:
        return self.now

    def step(self, at: AppTest, seconds: float = STEP_SECONDS["fast"]) -> AppTest:
        """Let ``seconds`` pass and rerun the page, as playback's timer does."""
        self.now += seconds
        return at.run()


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    from dashboard.ui import player

    fake = FakeClock()
    monkeypatch.setattr(player, "time", fake)
    return fake


def band(at: AppTest) -> list[dict]:
    """The timeline's shaded playback window, if any."""
    (chart,) = at.get("vega_lite_chart")
    layers = json.loads(chart.proto.spec)["layer"]
    return [layer["data"]["values"][0] for layer in layers if layer["mark"]["type"] == "rect"]


def test_play_steps_a_window_through_the_range_and_the_map_and_timeline_follow(run_app, clock):
    at = run_app(SEVERAL_DAYS)
    identity = map_id(at)
    at.selectbox(key="play_window").set_value("week").run()
    at.selectbox(key="play_speed").set_value("fast").run()
    at.slider(key="dates").set_value((D("2023-05-22"), D("2023-06-01"))).run()
    at.button(key="play").click().run()
    assert at.slider(key="dates").value == (D("2023-05-22"), D("2023-05-28"))
    assert any("Playing: 2023-05-22 – 2023-05-28" in caption.value for caption in at.caption)
    assert at.button(key="play").label == "⏸ Pause"
    assert marker_names(at) == ["Kosovo", "Zvečan"]
    assert band(at) == [{"from": "2023-05-22T00:00:00", "to": "2023-05-29T00:00:00"}]
    assert sum(timeline(at).values()) == 5  # the whole range's bars, not only the window's

    clock.step(at, 0.1)
    assert at.slider(key="dates").value == (D("2023-05-22"), D("2023-05-28")), "no step before one is due"
    clock.step(at)
    assert at.slider(key="dates").value == (D("2023-05-29"), D("2023-06-01"))  # cut at the last day
    assert marker_names(at) == ["Kosovo", "Leposavić", "Tokyo", "Zubin Potok", "Zvečan"]
    assert shown_count(at) == (5, 6)
    assert at.query_params == {"from": "2023-05-29"}
    assert map_id(at) == identity

    clock.step(at)
    assert at.button(key="play").label == "▶ Play"  # the end: playback stops there
    assert at.slider(key="dates").value == (D("2023-05-29"), D("2023-06-01"))
    assert not band(at)


def test_pause_holds_the_window_and_play_resumes_from_it(run_app, clock):
    at = run_app(SEVERAL_DAYS)
    at.selectbox(key="play_speed").set_value("fast").run()
    at.button(key="play").click().run()
    assert at.slider(key="dates").value == (D("2023-05-01"), D("2023-05-01"))
    clock.step(at)
    assert at.slider(key="dates").value[0] > D("2023-05-01")
    at.button(key="play").click().run()
    held = at.slider(key="dates").value
    assert at.button(key="play").label == "▶ Play"
    clock.step(at, STEP_SECONDS["fast"] * 2)
    assert at.slider(key="dates").value == held
    at.button(key="play").click().run()
    assert at.slider(key="dates").value == held
    assert at.button(key="play").label == "⏸ Pause"


def test_moving_the_slider_by_hand_pauses_playback(run_app, clock):
    at = run_app(SEVERAL_DAYS)
    at.button(key="play").click().run()
    at.slider(key="dates").set_value((D("2023-05-26"), D("2023-05-29"))).run()
    assert at.button(key="play").label == "▶ Play"
    assert at.slider(key="dates").value == (D("2023-05-26"), D("2023-05-29"))


# uploads ----------------------------------------------------------------------------------------------

PRIZREN_ARTICLE = b" date 2023-05-30\nPolice arrested two men in Prizren on Monday.\n"


def unescaped(markdown: str) -> str:
    """A message as the user reads it: Markdown's backslash escapes removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.skipif(not config.GAZETTEER_CSV.exists(), reason="data/gazetteer.csv is not built")
def test_uploaded_articles_are_added_to_the_map_and_each_problem_is_named(run_app, tmp_path):
    at = run_app(SEVERAL_DAYS)
    archive = zipped({"north/prizren.txt": PRIZREN_ARTICLE, "north/notes.pdf": b"%PDF"})
    at.file_uploader(key="upload").set_value(
        [
            ("archive.zip", archive, "application/zip"),
            ("undated.txt", b"Clashes **somewhere** [x](javascript:alert(1))\n", "text/plain"),
        ]
    ).run(timeout=180)
    assert not at.exception, at.exception
    assert shown_count(at) == (7, 7)
    assert "Prizren" in marker_names(at)
    assert any("1 new" in message.value for message in at.info)
    warnings = [unescaped(warning.value) for warning in at.warning]
    assert "archive.zip/north/notes.pdf: only .txt members are read" in warnings
    assert 'undated.txt:1: header must start with " date YYYY-MM[-DD]", got "Clashes **somewhere**…"' in warnings
    assert any(r"\*\*somewhere\*\*" in warning.value for warning in at.warning)  # shown as written, not bold
    (folder,) = (tmp_path / "uploads").iterdir()
    assert (folder / "archive" / "north" / "prizren.txt").read_bytes() == PRIZREN_ARTICLE
    at.run()
    assert shown_count(at) == (7, 7)  # read once, not again on every rerun


def test_an_upload_with_a_path_in_its_name_is_refused_and_nothing_is_written(run_app, tmp_path):
    at = run_app(SEVERAL_DAYS)
    at.file_uploader(key="upload").set_value(("../escape.txt", PRIZREN_ARTICLE, "text/plain")).run()
    assert shown_count(at) == (6, 6)
    assert any("may not hold a path" in warning.value for warning in at.warning)
    assert not list(tmp_path.rglob("escape.txt"))


# the filters ------------------------------------------------------------------------------------------


def test_filtering_by_event_type(run_app):
    at = run_app(SEVERAL_DAYS)
    at.multiselect(key="type").set_value(["clash", "arrest"]).run()
    assert marker_names(at) == ["Zubin Potok", "Zvečan"]
    assert shown_count(at) == (3, 6)
    assert type_counts(at) == {"clash": 2, "arrest": 1}
    assert timeline(at) == {"2023-05-26": 1, "2023-05-29": 1, "2023-06-01": 1}


def test_filtering_by_country(run_app):
    at = run_app(SEVERAL_DAYS)
    assert at.multiselect(key="country").options == ["Japan (JP)", "Kosovo (XK)"]
    at.multiselect(key="country").set_value(["JP"]).run()
    assert marker_names(at) == ["Tokyo"]
    assert shown_count(at) == (1, 6)


def test_filtering_by_place(run_app):
    at = run_app(SEVERAL_DAYS)
    at.multiselect(key="places").set_value([LEPOSAVIC.id, KOSOVO.id]).run()
    assert marker_names(at) == ["Kosovo", "Leposavić"]
    assert shown_count(at) == (2, 6)


def test_filtering_by_source_article(run_app):
    at = run_app(SEVERAL_DAYS)
    assert at.multiselect(key="source").options == [
        "2023-06-02 · Clashes in the north",
        "2023-06-02 · Markets in Asia",
    ]
    at.multiselect(key="source").set_value(["b.txt"]).run()
    assert marker_names(at) == ["Tokyo"]
    assert shown_count(at) == (1, 6)


def test_searching_the_text_folds_spelling(run_app):
    at = run_app(SEVERAL_DAYS)
    at.text_input(key="q").input("protesters zvecan").run()
    assert marker_names(at) == ["Zvečan"]
    assert shown_count(at) == (1, 6)
    at.text_input(key="q").input("nothing like this").run()
    assert shown_count(at) == (0, 6)
    assert marker_names(at) == []


def test_markers_can_be_sized_by_reporting_articles(run_app):
    second_report = reported(LEPOSAVIC, "2023-05-29", "Protesters gathered in Leposavić again.", "protest")
    at = run_app(SEVERAL_DAYS, also=[second_report])
    by_events = marker_options(at)
    assert by_events["zvecan"]["radius"] > by_events["leposavic"]["radius"]  # two events against one
    at.radio(key="size").set_value("sources").run()
    by_sources = marker_options(at)
    assert by_sources["zvecan"]["radius"] < by_sources["leposavic"]["radius"]  # one article against two


def test_the_base_map_can_switch_to_openstreetmap(run_app):
    at = run_app(SEVERAL_DAYS)
    assert at.selectbox(key="tiles").value == "none"
    at.selectbox(key="tiles").set_value("OpenStreetMap").run()
    assert "tile.openstreetmap.org" in map_args(at)["script"]


# the panel --------------------------------------------------------------------------------------------


def test_a_selected_place_lists_its_events_newest_first(run_app):
    at = run_app(SEVERAL_DAYS, title="Northern Kosovo unrest", query={"place": ZVECAN.id})
    shown = panel_events(at)
    assert "<h3>Zvečan</h3>" in shown
    assert "settlement · Kosovo (XK) · 2 events shown" in shown
    newer = shown.index("KFOR soldiers were hurt in")
    older = shown.index("Protesters clashed with police in")
    assert newer < older
    assert '<span class="event-date">2023-05-29</span> <span class="precision">(day known)</span>' in shown
    assert ">clash or violence</span>" in shown
    assert "Northern Kosovo unrest" in shown
    assert 'published <span class="published">2023-06-02</span> · <code>a.txt</code>' in shown
    assert "Leposavić" not in shown


def test_the_panel_marks_place_and_date_and_opens_the_full_article(run_app):
    at = run_app(SEVERAL_DAYS, query={"place": ZVECAN.id})
    shown = panel(at)
    assert (
        'Protesters clashed with police in <mark class="place">Zvečan</mark> on <mark class="date">Friday</mark>.'
    ) in shown
    assert '<p class="date-evidence">date: Friday → 2023-05-26</p>' in shown
    article = re.search(r'<div class="article-text">(.*?)</div>', shown, flags=re.DOTALL)
    assert article is not None
    assert '<mark class="sentence">KFOR soldiers were hurt in Zvečan.</mark>' in shown
    assert "Police arrested two men in Zubin Potok." in article.group(1)  # the whole article, not the sentence


def test_the_panel_lists_only_events_in_the_range_and_filters(run_app):
    at = run_app(SEVERAL_DAYS, query={"place": ZVECAN.id})
    at.slider(key="dates").set_value((D("2023-05-28"), D("2023-06-01"))).run()
    assert "KFOR soldiers were hurt in" in panel_events(at)
    assert "Protesters clashed" not in panel_events(at)
    at.multiselect(key="type").set_value(["protest"]).run()
    assert "0 events shown" in panel(at)
    assert any("widen them" in info.value for info in at.info)


def test_without_a_selection_the_panel_asks_for_a_click(run_app):
    at = run_app(SEVERAL_DAYS)
    assert not panel(at)
    assert any("Click a marker" in info.value for info in at.info)


def test_article_text_is_shown_as_text_not_markup_or_markdown(run_app):
    nasty = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) `code` \"q\" 'q'"
    at = run_app([reported(ZVECAN, "2023-05-26", nasty)], title=f"Title {nasty}", query={"place": ZVECAN.id})
    shown = panel(at)
    assert "<img" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt; **bold** [link](javascript:alert(1)) &#96;code&#96;" in shown
    assert "&quot;q&quot; &#x27;q&#x27;" in shown
    assert not any("onerror" in md.value for md in at.markdown)


# the shareable view -----------------------------------------------------------------------------------

SHARED = {
    "from": "2023-05-26",
    "to": "2023-05-31",
    "type": ["clash", "protest"],
    "country": "XK",
    "q": "protesters",
    "size": "sources",
    "place": ZVECAN.id,
}


def test_a_link_opens_the_view_it_describes(run_app):
    at = run_app(SEVERAL_DAYS, query=SHARED)
    assert at.slider(key="dates").value == (D("2023-05-26"), D("2023-05-31"))
    assert at.multiselect(key="type").value == ["clash", "protest"]
    assert at.multiselect(key="country").value == ["XK"]
    assert at.text_input(key="q").value == "protesters"
    assert at.radio(key="size").value == "sources"
    assert marker_names(at) == ["Leposavić", "Zvečan"]
    assert shown_count(at) == (2, 6)
    assert "1 event shown" in panel(at)
    assert "Protesters clashed with police in" in panel(at)
    assert at.query_params == SHARED  # the URL stays as it came


def test_every_control_writes_the_view_into_the_url(run_app):
    at = run_app(SEVERAL_DAYS)
    assert at.query_params == {}  # the whole range and no filter: a plain link
    at.slider(key="dates").set_value((D("2023-05-26"), D("2023-06-01"))).run()
    at.multiselect(key="type").set_value(["clash"]).run()
    at.multiselect(key="country").set_value(["XK"]).run()
    at.multiselect(key="places").set_value([ZVECAN.id]).run()
    at.multiselect(key="source").set_value(["a.txt"]).run()
    at.text_input(key="q").input("police").run()
    at.radio(key="size").set_value("sources").run()
    assert at.query_params == {
        "from": "2023-05-26",
        "type": "clash",
        "country": "XK",
        "places": ZVECAN.id,
        "source": "a.txt",
        "q": "police",
        "size": "sources",
    }
    at.multiselect(key="type").set_value([]).run()
    assert "type" not in at.query_params


def test_a_link_to_values_the_store_lacks_opens_what_it_can(run_app):
    query = {"from": "2020-01-01", "to": "2023-05-29", "type": ["riot", "clash"], "places": "nowhere", "size": "x"}
    at = run_app(SEVERAL_DAYS, query=query)
    assert at.slider(key="dates").value == (D("2023-05-01"), D("2023-05-29"))
    assert at.multiselect(key="type").value == ["clash"]
    assert at.multiselect(key="places").value == []
    assert at.radio(key="size").value == "events"
    assert at.query_params == {"to": "2023-05-29", "type": "clash"}


# edges ------------------------------------------------------------------------------------------------


def test_a_store_with_one_date_shows_no_slider_and_no_error(run_app):
    at = run_app([reported(ZVECAN, "2023-05-26", "One day only.")], markets=False)
    assert not at.slider
    assert any("2023-05-26" in caption.value for caption in at.caption)
    assert marker_names(at) == ["Zvečan"]


def test_an_empty_store_says_so(run_app):
    at = run_app([])
    assert any("holds no events" in info.value for info in at.info)
    assert not at.get("component_instance")


@pytest.mark.skipif(not config.GAZETTEER_CSV.exists(), reason="data/gazetteer.csv is not built")
def test_an_empty_store_takes_uploaded_articles(run_app):
    at = run_app([])
    at.file_uploader(key="upload").set_value(("prizren.txt", PRIZREN_ARTICLE, "text/plain")).run(timeout=180)
    assert not at.exception, at.exception
    assert marker_names(at) == ["Prizren"]
    assert shown_count(at) == (1, 1)
    assert any("1 new" in message.value for message in at.success)


@pytest.mark.skipif(not config.GAZETTEER_CSV.exists(), reason="data/gazetteer.csv is not built")
def test_the_first_run_ingests_the_seeds_into_the_default_store(tmp_path, monkeypatch):
    default_db = tmp_path / "default.db"
    monkeypatch.delenv("DASHBOARD_DB", raising=False)
    monkeypatch.setenv("DASHBOARD_TILES", "none")
    monkeypatch.setattr(config, "DEFAULT_DB", default_db)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    assert default_db.exists()
    assert {"Zvečan", "Zubin Potok"} <= set(marker_names(at))
