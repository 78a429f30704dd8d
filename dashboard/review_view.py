"""The page's "Places to review": names articles use like places that no gazetteer row has, and a form that
resolves one into the user gazetteer beside the store, as ``python -m dashboard review --resolve`` does.

Resolving writes to the store, which bumps its version: the page is then run again, so the map, reading the
events cached per store version, shows the new events at once. What the resolve did is kept in the session
for that next run to show. Names and sentences come from articles, so they are shown as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

import streamlit as st

from .errors import DashboardError
from .gazetteer import Gazetteer
from .review import Resolution, resolve_place
from .store import PlaceToReview
from .stores import open_store
from .text import shorten

NAME_KEY = "review_name"
LAT_KEY = "review_lat"
LON_KEY = "review_lon"
COUNTRY_KEY = "review_country"
LEVEL_KEY = "review_level"
SUBMIT_KEY = "review_submit"
MESSAGE_KEY = "review_message"
LEVELS = ("settlement", "site")
SENTENCE_LIMIT = 300
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


@st.cache_data(show_spinner=False, max_entries=4)
def load_places_to_review(db_path: str, version: int) -> list[PlaceToReview]:
    """The store's places to review; ``version`` is only a cache key, so a changed store is read again."""
    with open_store(db_path) as store:
        return store.unknown_places()


def review_table(places: Sequence[PlaceToReview]) -> dict[str, list[object]]:
    """The columns of the review table, as ``python -m dashboard review`` lists them."""
    return {
        "Name": [p.name for p in places],
        "Mentions": [p.mentions for p in places],
        "Articles": [p.articles for p in places],
        "Sample sentence": [shorten(p.sentence, SENTENCE_LIMIT) for p in places],
    }


def resolution_message(resolution: Resolution) -> str:
    """What a resolve did, in a sentence: the place added and the events its articles gained."""
    place, reread = resolution.place, resolution.reread
    added = ", ".join(f"{name} {day}" for name, day, _ in reread.added)
    message = (
        f"Added {place.name} ({place.country}, {place.level}) to {resolution.path.name}. "
        f"Read {reread.articles} article(s) again: {len(reread.added)} event(s) added"
        + (f" ({added})" if added else "")
        + (f", {len(reread.removed)} removed." if reread.removed else ".")
    )
    problems = "; ".join(str(p) for p in reread.problems)
    return message + (f" Not read again: {problems}" if problems else "")


def plain_markdown(text: str) -> str:
    """Text that Streamlit's markdown shows as written: no link, image, emphasis or formula from an article."""
    return _MARKDOWN.sub(r"\\\1", text)


def show_review(db_path: Path, version: int, gazetteer: Callable[[], Gazetteer]) -> None:
    """The "Places to review" section: the table and the resolve form; ``gazetteer`` gives the base gazetteer,
    called only when a place is resolved (its articles are then read again)."""
    places = load_places_to_review(str(db_path), version)
    message = st.session_state.pop(MESSAGE_KEY, None)
    with st.expander(f"Places to review ({len(places)})", expanded=message is not None):
        if message is not None:
            kind, text = message
            (st.success if kind == "success" else st.error)(plain_markdown(text))
        if not places:
            st.caption("No names to review: every place-like name in the articles is in the gazetteer.")
            return
        st.caption(
            "Names the articles use like places (in X, near X, the village of X) that the gazetteer lacks, most "
            "mentioned first. Give one its position to add it to the user gazetteer beside the store."
        )
        st.dataframe(review_table(places), hide_index=True, width="stretch")
        _resolve_form(db_path, [p.name for p in places], gazetteer)


def _resolve_form(db_path: Path, names: list[str], gazetteer: Callable[[], Gazetteer]) -> None:
    if st.session_state.get(NAME_KEY) not in names:
        st.session_state.pop(NAME_KEY, None)  # resolved meanwhile: start from the first name
    with st.form("review_resolve"):
        name = st.selectbox("Name", names, key=NAME_KEY)
        lat_column, lon_column, country_column, level_column = st.columns(4)
        lat = lat_column.number_input(
            "Latitude", min_value=-90.0, max_value=90.0, value=None, format="%.6f", key=LAT_KEY
        )
        lon = lon_column.number_input(
            "Longitude", min_value=-180.0, max_value=180.0, value=None, format="%.6f", key=LON_KEY
        )
        country = country_column.text_input("Country", max_chars=2, placeholder="XK", key=COUNTRY_KEY)
        level = level_column.selectbox("Level", LEVELS, key=LEVEL_KEY)
        submitted = st.form_submit_button("Add to the gazetteer", key=SUBMIT_KEY)
    if submitted:
        st.session_state[MESSAGE_KEY] = _resolve(db_path, gazetteer, name, lat, lon, country, level)
        st.rerun()


def _resolve(
    db_path: Path,
    gazetteer: Callable[[], Gazetteer],
    name: str | None,
    lat: float | None,
    lon: float | None,
    country: str,
    level: str,
) -> tuple[str, str]:
    """Resolve the place as the command line does; returns the kind of message (success, error) and its text."""
    if name is None or lat is None or lon is None or not country.strip():
        return "error", "Give the place's latitude, longitude and country (an ISO code such as XK) to add it."
    try:
        with st.spinner(plain_markdown(f"Adding {name} and reading its articles again…")), open_store(db_path) as store:
            resolution = resolve_place(
                store, gazetteer(), name=name, lat=lat, lon=lon, country=country.strip(), level=level
            )
    except DashboardError as exc:
        return "error", f"{name} was not added: {exc}"
    return "success", resolution_message(resolution)
