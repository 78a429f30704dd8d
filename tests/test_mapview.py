import re
import shutil
import subprocess

import folium
import pytest
from event_factory import KOSOVO, LEPOSAVIC, TOKYO, ZUBIN_POTOK, ZVECAN, make_event, make_place, make_source

from dashboard.assets import STATIC_URL, asset_files
from dashboard.mapview import (
    COUNTRY_CLASS,
    LEGEND_CLASS,
    NORTHERN_KOSOVO,
    build_map,
    clicked_place_id,
    marker_class,
    place_labels,
    summarise_places,
)
from dashboard.palette import PRECISION_DASHES, legend_types, type_colour

NASTY = "Zve<script>alert(\"x\")</script> 'q' `tick` ${document.cookie} C:\\users"


def render(events, **options):
    options.setdefault("tiles", "none")
    return build_map(events, **options).get_root().render()


def scripts(page: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)


def north_kosovo_events():
    return [
        make_event(ZVECAN, "2023-05-26"),
        make_event(ZVECAN, "2023-05-29"),
        make_event(LEPOSAVIC, "2023-05-26"),
        make_event(ZUBIN_POTOK, "2023-06-01"),
    ]


def test_one_marker_per_place_with_its_name_as_tooltip():
    page = render(north_kosovo_events())
    assert page.count("L.circleMarker(") == 3
    for place in (ZVECAN, LEPOSAVIC, ZUBIN_POTOK):
        assert marker_class(place.id) in page
        assert re.search(rf"bindTooltip\(\s*`<div>\s*{place.name}\s*</div>`", page)


def test_country_events_sit_in_their_own_layer_drawn_as_heavy_rings():
    m = build_map([make_event(ZVECAN, "2023-05-26"), make_event(KOSOVO, "2023-05-01")])
    groups = {child.layer_name: child for child in m._children.values() if isinstance(child, folium.FeatureGroup)}
    assert set(groups) == {"Places", "Countries"}
    countries = [c for c in groups["Countries"]._children.values() if isinstance(c, folium.CircleMarker)]
    places = [c for c in groups["Places"]._children.values() if isinstance(c, folium.CircleMarker)]
    assert [c.location for c in countries] == [[KOSOVO.lat, KOSOVO.lon]]
    assert [c.location for c in places] == [[ZVECAN.lat, ZVECAN.lon]]
    assert countries[0].options["weight"] > places[0].options["weight"]
    assert countries[0].options["radius"] > places[0].options["radius"]
    assert COUNTRY_CLASS in countries[0].options["className"].split()
    assert COUNTRY_CLASS not in places[0].options["className"].split()
    page = m.get_root().render()
    assert "L.control.layers(" in page
    assert re.search(r'"Countries" : feature_group_\w+', page)


def markers(m: folium.Map) -> dict[str, folium.CircleMarker]:
    """The map's markers by place id, read from their classes."""

    def walk(element):
        yield element
        for child in element._children.values():
            yield from walk(child)

    found = [e for e in walk(m) if isinstance(e, folium.CircleMarker)]
    return {re.search(r"dashboard-marker-(\S+)", c.options["className"]).group(1): c for c in found}


def typed(place, when, *types, article="a.txt"):
    return make_event(place, when, sources=tuple(make_source(event_type=t, article=article) for t in types))


def test_a_marker_is_filled_with_the_most_severe_type_at_its_place():
    m = build_map(
        [
            typed(ZVECAN, "2023-05-26", "protest"),
            typed(ZVECAN, "2023-05-27", "clash"),
            typed(LEPOSAVIC, "2023-05-26", "arrest"),
        ]
    )
    found = markers(m)
    assert found["zvecan"].options["fillColor"] == type_colour("clash")
    assert "type-clash" in found["zvecan"].options["className"].split()
    assert found["leposavic"].options["fillColor"] == type_colour("arrest")


@pytest.mark.parametrize(
    ("dates", "precision", "dash"),
    [
        (["2023-05-26", "2023-05"], "day", None),
        (["2023-05", "2023"], "month", PRECISION_DASHES["month"]),
        (["2023"], "year", PRECISION_DASHES["year"]),
    ],
)
def test_a_marker_outline_shows_the_finest_date_precision_at_its_place(dates, precision, dash):
    (marker,) = markers(build_map([make_event(ZVECAN, d) for d in dates])).values()
    assert f"precision-{precision}" in marker.options["className"].split()
    assert marker.options.get("dashArray") == dash


def test_coarser_dates_are_fainter():
    opacity = {
        precision: markers(build_map([make_event(ZVECAN, when)]))["zvecan"].options["fillOpacity"]
        for precision, when in (("day", "2023-05-26"), ("month", "2023-05"), ("year", "2023"))
    }
    assert opacity["day"] > opacity["month"] > opacity["year"]


def test_markers_grow_with_events_or_with_reporting_articles():
    many_events = [typed(ZVECAN, f"2023-05-{day:02d}", "other") for day in range(1, 10)]
    many_sources = [
        make_event(LEPOSAVIC, "2023-05-26", sources=tuple(make_source(article=f"{n}.txt") for n in range(4)))
    ]
    by_events = markers(build_map([*many_events, *many_sources]))
    by_sources = markers(build_map([*many_events, *many_sources], size_by="sources"))
    assert by_events["zvecan"].options["radius"] > by_events["leposavic"].options["radius"]
    assert by_sources["zvecan"].options["radius"] < by_sources["leposavic"].options["radius"]


def test_an_unknown_size_measure_is_refused():
    with pytest.raises(ValueError, match="size_by must be one of events, sources, got 'articles'"):
        build_map([], size_by="articles")


def test_summaries_count_events_and_distinct_articles_per_place():
    events = [
        make_event(ZVECAN, "2023-05-26", sources=(make_source(article="a.txt"), make_source(article="b.txt"))),
        typed(ZVECAN, "2023-05", "attack", article="a.txt"),
    ]
    (summary,) = summarise_places(events)
    assert (summary.place, summary.events, summary.sources) == (ZVECAN, 2, 2)
    assert (summary.event_type, summary.precision) == ("attack", "day")


def test_the_legend_names_every_type_and_precision_in_the_map_colours():
    page = render(north_kosovo_events())
    assert LEGEND_CLASS in page
    for _, label, colour in legend_types():
        assert label in page
        assert colour in page
    for words in ("day known", "month only", "year only", "country-wide"):
        assert words in page


def test_an_empty_map_has_no_legend():
    assert LEGEND_CLASS not in render([])


def test_no_events_shows_northern_kosovo_without_markers_or_layer_control():
    page = render([])
    assert "L.circleMarker(" not in page
    assert "L.control.layers(" not in page
    assert f"center: [{NORTHERN_KOSOVO[0]}, {NORTHERN_KOSOVO[1]}]" in page


def test_one_place_is_centred_not_fitted():
    page = render([make_event(ZVECAN, "2023-05-26")])
    assert f"center: [{ZVECAN.lat}, {ZVECAN.lon}]" in page
    assert "fitBounds" not in page


def test_events_far_apart_are_all_in_view():
    page = render([make_event(ZVECAN, "2023-05-26"), make_event(TOKYO, "2023-05-26")])
    bounds = re.search(r"fitBounds\(\s*\[\[(.*?)\], \[(.*?)\]\]", page, flags=re.DOTALL)
    assert bounds is not None
    south, west = map(float, bounds.group(1).split(","))
    north, east = map(float, bounds.group(2).split(","))
    assert (south, west, north, east) == (TOKYO.lat, ZVECAN.lon, ZVECAN.lat, TOKYO.lon)


def test_the_view_frames_towns_rather_than_country_centroids():
    far_country = make_place("rs", "Serbia", level="country", lat=44.0)
    page = render(
        [
            make_event(ZVECAN, "2023-05-26"),
            make_event(ZUBIN_POTOK, "2023-05-26"),
            make_event(far_country, "2023"),
        ]
    )
    bounds = re.search(r"fitBounds\(\s*\[\[(.*?)\], \[(.*?)\]\]", page, flags=re.DOTALL)
    assert bounds is not None
    assert float(bounds.group(2).split(",")[0]) == ZUBIN_POTOK.lat


def test_an_explicit_centre_and_zoom_win():
    page = render(north_kosovo_events(), center=(1.5, 2.5), zoom=4)
    assert "center: [1.5, 2.5]" in page
    assert '"zoom": 4' in page
    assert "fitBounds" not in page


def test_tooltips_escape_markup_quotes_backticks_and_template_syntax():
    page = render([make_event(make_place("nasty", NASTY), "2023-05-26")])
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;" not in page  # quotes are escaped too
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&#x27;q&#x27; &#96;tick&#96; &#36;{document.cookie} C:&#92;users" in page
    tooltip = re.search(r"bindTooltip\(\s*`(.*?)`", page, flags=re.DOTALL)
    assert tooltip is not None
    assert not {"`", "$", "\\"} & set(tooltip.group(1))


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_map_script_with_nasty_names_is_valid_javascript(tmp_path):
    page = render([make_event(make_place("nasty", NASTY), "2023-05-26"), make_event(KOSOVO, "2023")])
    script = tmp_path / "map.js"
    script.write_text("\n".join(scripts(page)), encoding="utf-8")
    subprocess.run(["node", "--check", str(script)], check=True, capture_output=True)


def test_the_page_links_only_the_local_leaflet_and_nothing_external():
    page = render([*north_kosovo_events(), make_event(KOSOVO, "2023")])
    links = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert links == [f"{STATIC_URL}/leaflet/leaflet.js", f"{STATIC_URL}/leaflet/leaflet.css"]
    assert not re.search(r"https?://", page)
    assert "$(`" not in page, "folium popups need jQuery, which is not served"


def test_every_linked_asset_is_committed():
    for path in asset_files():
        assert path.is_file(), path
        assert (path.parent / "LICENSE").is_file()


def test_every_element_that_st_folium_collects_links_from_is_local():
    """st_folium loads each element's default_js/default_css into its iframe."""
    m = build_map([*north_kosovo_events(), make_event(KOSOVO, "2023")], asset_base="/base/app/static")

    def walk(element):
        yield element
        for child in element._children.values():
            yield from walk(child)

    links = [url for e in walk(m) for _, url in (*getattr(e, "default_js", []), *getattr(e, "default_css", []))]
    assert links
    assert all(url.startswith("/base/app/static/leaflet/") for url in links)


def test_openstreetmap_tiles_by_default_and_none_on_request():
    assert "tile.openstreetmap.org" in build_map([]).get_root().render()
    assert "L.tileLayer" not in render([], tiles=None)
    assert "L.tileLayer" not in render([], tiles="none")


def test_places_sharing_a_name_get_distinct_labels():
    a = make_place("a", "Mitrovica")
    b = a.__class__("b", "Mitrovica", 44.0, 19.6, "settlement", "RS")
    c = a.__class__("c", "Mitrovica", 42.8, 20.9, "site", "XK")
    assert place_labels([a, b, c, ZVECAN]) == {
        "a": "Mitrovica (a)",
        "b": "Mitrovica, RS",
        "c": "Mitrovica (c)",
        "zvecan": "Zvečan",
    }


PLACES = [ZVECAN, LEPOSAVIC, KOSOVO]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, None),
        ({}, None),
        ({"last_object_clicked_tooltip": None}, None),
        ({"last_object_clicked_tooltip": "Zvečan"}, "zvecan"),
        ({"last_object_clicked_tooltip": "  Zvečan\n  "}, "zvecan"),
        ({"last_object_clicked_tooltip": "Kosovo"}, "xk"),
        ({"last_object_clicked_tooltip": "Zvecan"}, None),
        ({"last_object_clicked_tooltip": "Nowhere"}, None),
        ({"last_object_clicked_tooltip": 42}, None),
        ({"last_clicked": {"lat": ZVECAN.lat, "lng": ZVECAN.lon}}, None),
    ],
)
def test_clicked_place_id_reads_the_tooltip_of_the_clicked_marker(state, expected):
    assert clicked_place_id(state, PLACES) == expected


def test_clicked_place_id_round_trips_an_escaped_name():
    nasty = make_place("nasty", NASTY)
    # the browser reports the tooltip's text: the escaped HTML decoded back to the name
    assert clicked_place_id({"last_object_clicked_tooltip": NASTY}, [nasty, ZVECAN]) == "nasty"


def test_clicked_place_id_tells_apart_places_sharing_a_name():
    a = make_place("a", "Mitrovica")
    b = a.__class__("b", "Mitrovica", 44.0, 19.6, "settlement", "RS")
    assert clicked_place_id({"last_object_clicked_tooltip": "Mitrovica, RS"}, [a, b]) == "b"
