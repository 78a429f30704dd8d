"""The page's "Places to review" (dashboard/review_view.py) in the real app under Streamlit's AppTest, on a
real store in tmp_path: the table lists the unknown villages, and the form resolves one onto the map."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import config
from dashboard.pipeline import ingest_paths
from dashboard.review_view import COUNTRY_KEY, LAT_KEY, LON_KEY, NAME_KEY, SUBMIT_KEY, plain_markdown
from dashboard.store import Store
from dashboard.user_places import user_gazetteer_path
from tests.helpers import small_gazetteer, write_article

APP = str(config.PROJECT_DIR / "dashboard" / "app.py")
VILLAGE = "Barricades went up in the village of Orlane, near Zvečan, Kosovo, on Friday."
TWO_VILLAGES = "Police patrolled near Orlane and outside Kamenolom, Kosovo, on Saturday. <b>*Calm*</b> [x](y)."


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of two articles naming villages no gazetteer has, opened by the app through $DASHBOARD_DB."""
    write_article(tmp_path / "in", "a.txt", "2023-05-27", VILLAGE)
    write_article(tmp_path / "in", "b.txt", "2023-05-28", TWO_VILLAGES)
    path = tmp_path / "events.db"
    with Store(path) as store:
        ingest_paths([tmp_path / "in"], store, small_gazetteer())
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    monkeypatch.setenv("DASHBOARD_TILES", "none")
    return path


def _run() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _map_data(at: AppTest) -> str:
    """Everything the page sends its map component (the map, and any layer sent beside it), as JSON text."""
    return "".join(component.proto.json_args for component in at.get("component_instance"))


def _resolve(at: AppTest, name: str, lat: float | None, lon: float | None, country: str) -> AppTest:
    at.selectbox(key=NAME_KEY).set_value(name)
    if lat is not None and lon is not None:
        at.number_input(key=LAT_KEY).set_value(lat)
        at.number_input(key=LON_KEY).set_value(lon)
    at.text_input(key=COUNTRY_KEY).input(country)
    at.button(key=SUBMIT_KEY).click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_review_table_lists_the_unknown_villages_most_mentioned_first(db: Path) -> None:
    at = _run()
    (expander,) = [e for e in at.expander if e.label.startswith("Places to review")]
    assert expander.label == "Places to review (2)"
    table = at.dataframe[0].value
    assert table.to_dict("records") == [
        {"Name": "Orlane", "Mentions": 2, "Articles": 2, "Sample sentence": VILLAGE},
        {"Name": "Kamenolom", "Mentions": 1, "Articles": 1, "Sample sentence": TWO_VILLAGES},
    ]
    assert at.selectbox(key=NAME_KEY).options == ["Orlane", "Kamenolom"]


def test_resolving_a_village_in_the_form_puts_its_events_on_the_map(db: Path) -> None:
    at = _run()
    assert "Orlane" not in _map_data(at)
    _resolve(at, "Orlane", 42.8961, 21.2145, "XK")
    (message,) = at.success
    assert message.value.startswith(plain_markdown("Added Orlane (XK, settlement) to events.places.csv."))
    assert plain_markdown("2 event(s) added (Orlane 2023-05-26, Orlane 2023-05-27).") in message.value
    assert "Orlane" in _map_data(at)
    assert at.selectbox(key=NAME_KEY).options == ["Kamenolom"]
    assert user_gazetteer_path(db).exists()


def test_a_resolve_without_a_position_says_what_is_missing_and_writes_nothing(db: Path) -> None:
    at = _run()
    with Store(db) as store:
        before = store.version()
    _resolve(at, "Kamenolom", None, None, "XK")
    (message,) = at.error
    assert "Give the place's latitude, longitude and country" in message.value
    assert not user_gazetteer_path(db).exists()
    with Store(db) as store:
        assert store.version() == before


def test_article_text_in_messages_is_shown_as_written() -> None:
    assert plain_markdown("[x](http://e.org) *b* :red[c] $d$") == r"\[x\]\(http\://e\.org\) \*b\* \:red\[c\] \$d\$"
