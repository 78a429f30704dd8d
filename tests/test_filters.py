from dataclasses import replace

import pytest
from event_factory import KOSOVO, LEPOSAVIC, TOKYO, ZVECAN, make_event, make_place, make_source

from dashboard.event_types import event_types
from dashboard.filters import Filters, apply_filters, country_label, filter_options


def reported(place, when, sentence, *, event_type="other", article="a.txt", title="Report", published="2023-05-27"):
    source = make_source(sentence=sentence, event_type=event_type, article=article, title=title, published=published)
    return make_event(place, when, sources=(source,), summary=sentence)


ZVECAN_CLASH = reported(ZVECAN, "2023-05-26", "Police clashed with protesters in Zvečan.", event_type="clash")
LEPOSAVIC_ARREST = reported(LEPOSAVIC, "2023-05-29", "Two men were arrested.", event_type="arrest", article="b.txt")
KOSOVO_TALKS = reported(KOSOVO, "2023-05", "Talks resumed in Brussels.", event_type="political", article="b.txt")
TOKYO_OTHER = reported(TOKYO, "2023-05-27", "Markets opened in Tokyo.", article="c.txt", title="Markets")
EVENTS = [ZVECAN_CLASH, LEPOSAVIC_ARREST, KOSOVO_TALKS, TOKYO_OTHER]


def kept(**filters) -> list:
    return apply_filters(EVENTS, Filters(**filters))


def test_no_filter_keeps_everything_in_order():
    assert kept() == EVENTS


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"countries": ("JP",)}, [TOKYO_OTHER]),
        ({"countries": ("XK", "JP")}, EVENTS),
        ({"places": (LEPOSAVIC.id, KOSOVO.id)}, [LEPOSAVIC_ARREST, KOSOVO_TALKS]),
        ({"types": ("clash",)}, [ZVECAN_CLASH]),
        ({"types": ("arrest", "political")}, [LEPOSAVIC_ARREST, KOSOVO_TALKS]),
        ({"sources": ("b.txt",)}, [LEPOSAVIC_ARREST, KOSOVO_TALKS]),
        ({"countries": ("XK",), "types": ("political", "other")}, [KOSOVO_TALKS]),
        ({"types": ("attack",)}, []),
    ],
)
def test_each_filter_keeps_what_it_names_and_filters_combine(filters, expected):
    assert kept(**filters) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zvecan", [ZVECAN_CLASH]),  # folded: no diacritics needed
        ("ЗВЕЧАН", [ZVECAN_CLASH]),  # nor Latin script
        ("police zvečan", [ZVECAN_CLASH]),  # every word must match
        ("police tokyo", []),
        ("markets", [TOKYO_OTHER]),  # titles count
        ("brussels", [KOSOVO_TALKS]),
        ("  ", EVENTS),
    ],
)
def test_text_search_matches_every_word_folded(text, expected):
    assert kept(text=text) == expected


def test_a_source_filter_keeps_an_event_any_chosen_article_reports_with_all_its_sources():
    both = make_event(ZVECAN, "2023-05-26", sources=(make_source(article="a.txt"), make_source(article="b.txt")))
    (event,) = apply_filters([both], Filters(sources=("b.txt",)))
    assert [s.article for s in event.sources] == ["a.txt", "b.txt"]


def test_an_event_takes_the_type_of_its_most_severe_source():
    mixed = make_event(
        ZVECAN, "2023-05-26", sources=(make_source(event_type="protest"), make_source(event_type="attack"))
    )
    assert apply_filters([mixed], Filters(types=("attack",))) == [mixed]
    assert apply_filters([mixed], Filters(types=("protest",))) == []


def test_options_offer_what_the_events_hold_with_readable_labels():
    alpha = make_place("alpha", "Alpha")
    options = filter_options([*EVENTS, reported(alpha, "2023-05-27", "x", article="d.txt", title="Report")])
    assert options.countries == {"JP": "Japan (JP)", "XK": "Kosovo (XK)"}
    assert list(options.places.values()) == ["Alpha", "Kosovo", "Leposavić", "Tokyo", "Zvečan"]
    assert list(options.types) == list(event_types())
    assert options.types["clash"] == "clash or violence"
    assert options.sources["c.txt"] == "2023-05-27 · Markets"
    # two articles with the same date and title are told apart by their file names
    assert options.sources["a.txt"] == "2023-05-27 · Report (a.txt)"
    assert options.sources["d.txt"] == "2023-05-27 · Report (d.txt)"


def test_sources_are_offered_newest_first():
    older = reported(ZVECAN, "2023-05-01", "x", article="old.txt", title="B", published="2023-05-02")
    newer = reported(ZVECAN, "2023-05-01", "x", article="new.txt", title="A", published="2023-06-02")
    assert list(filter_options([older, newer]).sources) == ["new.txt", "old.txt"]


def test_countries_are_offered_by_name():
    germany, france = make_place("de", "Berlin"), make_place("fr", "Paris")
    events = [make_event(replace(germany, country="DE"), "2023"), make_event(replace(france, country="FR"), "2023")]
    assert list(filter_options(events).countries.values()) == ["France (FR)", "Germany (DE)"]


def test_a_country_code_cldr_does_not_know_is_shown_as_is():
    assert country_label("QQ") == "QQ"
