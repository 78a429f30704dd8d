import datetime as dt

import pytest

from dashboard.filters import Filters
from dashboard.viewstate import View, clamp_range, view_from_query, view_to_query

D = dt.date.fromisoformat
BOUNDS = (D("2023-05-01"), D("2023-06-30"))

FULL = View(
    start=D("2023-05-26"),
    end=D("2023-05-29"),
    filters=Filters(
        countries=("XK", "RS"),
        places=("geonames:783770",),
        types=("clash", "arrest"),
        sources=("a b.txt",),
        text="police, Zvečan",
    ),
    size_by="sources",
    place="curated:ibar-bridge",
)


def test_a_view_survives_the_url_round_trip():
    query = view_to_query(FULL, bounds=BOUNDS)
    assert query == {
        "from": ["2023-05-26"],
        "to": ["2023-05-29"],
        "country": ["XK", "RS"],
        "places": ["geonames:783770"],
        "type": ["clash", "arrest"],
        "source": ["a b.txt"],
        "q": ["police, Zvečan"],
        "size": ["sources"],
        "place": ["curated:ibar-bridge"],
    }
    assert view_from_query(query) == FULL


def test_defaults_are_left_out_so_a_plain_view_has_a_plain_link():
    assert view_to_query(View(start=BOUNDS[0], end=BOUNDS[1], size_by="events"), bounds=BOUNDS) == {}
    assert view_to_query(View(filters=Filters(text="   ")), bounds=BOUNDS) == {}
    assert view_from_query({}) == View()


def test_one_end_of_the_range_can_be_shared_alone():
    query = view_to_query(View(start=D("2023-06-01"), end=BOUNDS[1]), bounds=BOUNDS)
    assert query == {"from": ["2023-06-01"]}
    assert view_from_query(query) == View(start=D("2023-06-01"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"from": ["26.5.2023"], "to": ["2023-05-29"]}, View(end=D("2023-05-29"))),
        ({"from": ["2023-05-29"], "to": ["2023-05-26"]}, View(start=D("2023-05-26"), end=D("2023-05-29"))),
        ({"size": ["huge"]}, View()),
        ({"type": ["clash", "", "clash"]}, View(filters=Filters(types=("clash",)))),
        ({"place": ["", "xk"]}, View(place="xk")),
        ({"q": ["first", "second"]}, View(filters=Filters(text="second"))),
    ],
)
def test_an_edited_or_mangled_link_still_opens(query, expected):
    assert view_from_query(query) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, BOUNDS),
        ("2023-05-26", "2023-05-29", (D("2023-05-26"), D("2023-05-29"))),
        ("2023-04-01", "2023-05-10", (D("2023-05-01"), D("2023-05-10"))),
        ("2023-06-20", "2023-08-01", (D("2023-06-20"), D("2023-06-30"))),
        ("2024-01-01", "2024-02-01", BOUNDS),  # wholly outside: everything
    ],
)
def test_a_linked_range_is_clamped_to_the_stored_dates(start, end, expected):
    view = View(start=start and D(start), end=end and D(end))
    assert clamp_range(view, BOUNDS) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, (D("2023-06-01"), D("2023-06-30"))),
        ("2023-05-26", None, (D("2023-05-26"), D("2023-06-30"))),
        (None, "2023-06-10", (D("2023-06-01"), D("2023-06-10"))),
        ("2023-05-02", "2023-05-03", (D("2023-05-02"), D("2023-05-03"))),
        ("2024-01-01", "2024-02-01", (D("2023-06-01"), D("2023-06-30"))),  # wholly outside: the opening range
    ],
)
def test_dates_a_link_leaves_out_are_the_opening_range(start, end, expected):
    view = View(start=start and D(start), end=end and D(end))
    opening = (D("2023-06-01"), D("2023-06-30"))
    assert clamp_range(view, BOUNDS, opening=opening) == expected
    assert view_to_query(View(*opening), bounds=BOUNDS, opening=opening) == {}
    # The opening range moves as the store grows: a link to any other range names both its dates.
    inside = View(D("2023-06-01"), D("2023-06-10"))
    assert view_to_query(inside, bounds=BOUNDS, opening=opening) == {"from": ["2023-06-01"], "to": ["2023-06-10"]}
    assert view_to_query(View(*BOUNDS), bounds=BOUNDS, opening=opening) == {
        "from": ["2023-05-01"],
        "to": ["2023-06-30"],
    }
