import re

from event_factory import LEPOSAVIC, ZVECAN, make_event, make_source

from dashboard.counts import count_shown, counts_html


def shown_events():
    return [
        make_event(ZVECAN, "2023-05-26", sources=(make_source(event_type="clash", article="a.txt"),)),
        make_event(ZVECAN, "2023-05-29", sources=(make_source(event_type="clash", article="b.txt"),)),
        make_event(LEPOSAVIC, "2023-05-29", sources=(make_source(article="a.txt"),)),
    ]


def test_counts_cover_events_places_articles_and_types():
    counts = count_shown(shown_events(), total=10)
    assert (counts.events, counts.total, counts.places, counts.articles) == (3, 10, 2, 2)
    assert counts.by_type == {"clash": 2, "other": 1}


def test_the_counts_read_as_a_sentence_and_a_row_per_type():
    html = counts_html(count_shown(shown_events(), total=10))
    assert "<b>3</b> of 10 events · 2 places · 2 articles" in html
    rows = {kind: count for kind, count in re.findall(r'<tr class="type-(\w+)">.*?>(\d+)</td></tr>', html)}
    assert rows == {"attack": "0", "clash": "2", "arrest": "0", "protest": "0", "political": "0", "other": "1"}


def test_one_of_each_is_singular():
    html = counts_html(count_shown(shown_events()[:1], total=1))
    assert "<b>1</b> of 1 events · 1 place · 1 article" in html
