"""The real app under Streamlit's AppTest, reading a real SQLite store in tmp_path through $DASHBOARD_DB."""

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest
from event_factory import KOSOVO, LEPOSAVIC, ZUBIN_POTOK, ZVECAN, make_event, make_source
from streamlit.testing.v1 import AppTest

from dashboard import config
from dashboard.models import Article, Event
from dashboard.store import Store

APP = str(config.PROJECT_DIR / "dashboard" / "app.py")
D = dt.date.fromisoformat


def save(db: Path, events: list[Event], *, title: str = "Clashes in the north", name: str = "a.txt") -> None:
    """Store the events as reported by one article (the store takes titles and files from the article)."""
    text = " ".join(source.sentence for event in events for source in event.sources)
    article = Article(
        path=f"seeds/{name}",
        name=name,
        published=D("2023-06-02"),
        published_precision="day",
        title=title,
        text=text,
        sha256=hashlib.sha256(f"{name}{text}".encode()).hexdigest(),
    )
    with Store(db) as store:
        store.save_article(article, events)


def reported(place, when, sentence, **options) -> Event:
    return make_event(place, when, sources=(make_source(sentence=sentence),), **options)


SEVERAL_DAYS = [
    reported(ZVECAN, "2023-05-26", "Protesters clashed with police in Zvečan."),
    reported(ZVECAN, "2023-05-29", "KFOR soldiers were hurt in Zvečan."),
    reported(LEPOSAVIC, "2023-05-29", "Soldiers guarded the building in Leposavić."),
    reported(ZUBIN_POTOK, "2023-06-01", "Police stood by the town hall in Zubin Potok."),
    reported(KOSOVO, "2023-05", "Tension grew across Kosovo in May."),
]


@pytest.fixture
def run_app(tmp_path, monkeypatch):
    """Start the app on a store holding the given events; returns the AppTest after its first run."""
    db = tmp_path / "events.db"
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_TILES", "none")

    def run(events: list[Event], **save_options) -> AppTest:
        if events:
            save(db, events, **save_options)
        at = AppTest.from_file(APP, default_timeout=30)
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def marker_names(at: AppTest) -> list[str]:
    return re.findall(r"bindTooltip\(\s*`<div>\s*(.*?)\s*</div>`", map_args(at)["script"], flags=re.DOTALL)


def panel(at: AppTest) -> str:
    return "".join(element.proto.body for element in at.get("html"))


def test_the_map_shows_every_place_and_the_slider_spans_the_events(run_app):
    at = run_app(SEVERAL_DAYS)
    assert sorted(marker_names(at)) == ["Kosovo", "Leposavić", "Zubin Potok", "Zvečan"]
    # the range starts at the month event's first day; AppTest reports min and max only as microseconds
    assert at.slider(key="dates").value == (D("2023-05-01"), D("2023-06-01"))


def test_the_map_loads_leaflet_from_the_app_not_a_cdn(run_app):
    args = map_args(run_app(SEVERAL_DAYS))
    assert args["js_links"] == ["/app/static/leaflet/leaflet.js"]
    assert args["css_links"] == ["/app/static/leaflet/leaflet.css"]
    assert "L.tileLayer" not in args["script"]
    assert args["returned_objects"] == ["last_object_clicked_tooltip"]


def test_moving_the_slider_shows_only_events_overlapping_the_range(run_app):
    at = run_app(SEVERAL_DAYS)
    at.slider(key="dates").set_value((D("2023-05-29"), D("2023-05-30"))).run()
    assert sorted(marker_names(at)) == ["Kosovo", "Leposavić", "Zvečan"]  # Kosovo's event is all of May
    at.slider(key="dates").set_value((D("2023-06-01"), D("2023-06-01"))).run()
    assert marker_names(at) == ["Zubin Potok"]


def test_a_selected_place_lists_its_events_newest_first(run_app):
    at = run_app(SEVERAL_DAYS, title="Northern Kosovo unrest")
    at.query_params["place"] = ZVECAN.id
    at.run()
    shown = panel(at)
    assert "<h3>Zvečan</h3>" in shown
    newer = shown.index("KFOR soldiers were hurt in Zvečan.")
    older = shown.index("Protesters clashed with police in Zvečan.")
    assert newer < older
    assert "2023-05-29" in shown
    assert "Northern Kosovo unrest" in shown
    assert "<code>a.txt</code>, published 2023-06-02" in shown
    assert "Leposavić" not in shown


def test_the_panel_lists_only_events_in_the_range(run_app):
    at = run_app(SEVERAL_DAYS)
    at.query_params["place"] = ZVECAN.id
    at.slider(key="dates").set_value((D("2023-05-28"), D("2023-06-01"))).run()
    shown = panel(at)
    assert "KFOR soldiers were hurt in Zvečan." in shown
    assert "Protesters clashed" not in shown


def test_without_a_selection_the_panel_asks_for_a_click(run_app):
    at = run_app(SEVERAL_DAYS)
    assert not at.get("html")
    assert any("Click a marker" in info.value for info in at.info)


def test_article_text_is_shown_as_text_not_markup_or_markdown(run_app):
    nasty = "<img src=x onerror=alert(1)> **bold** [link](javascript:alert(1)) `code` \"q\" 'q'"
    at = run_app([reported(ZVECAN, "2023-05-26", nasty)], title=f"Title {nasty}")
    at.query_params["place"] = ZVECAN.id
    at.run()
    shown = panel(at)
    assert "<img" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt; **bold** [link](javascript:alert(1)) &#96;code&#96;" in shown
    assert "&quot;q&quot; &#x27;q&#x27;" in shown
    assert not any("onerror" in md.value for md in at.markdown)


def test_a_store_with_one_date_shows_no_slider_and_no_error(run_app):
    at = run_app([reported(ZVECAN, "2023-05-26", "One day only.")])
    assert not at.slider
    assert any("2023-05-26" in caption.value for caption in at.caption)
    assert marker_names(at) == ["Zvečan"]


def test_an_empty_store_says_so(run_app):
    at = run_app([])
    assert any("holds no events" in info.value for info in at.info)
    assert not at.get("component_instance")


def test_the_base_map_can_switch_to_openstreetmap(run_app):
    at = run_app(SEVERAL_DAYS)
    assert at.selectbox(key="tiles").value == "none"
    at.selectbox(key="tiles").set_value("OpenStreetMap").run()
    assert "tile.openstreetmap.org" in map_args(at)["script"]


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
