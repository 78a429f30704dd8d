import re
import shutil
import subprocess

import folium
import pytest
from event_factory import (
    KOSOVO,
    LEPOSAVIC,
    TOKYO,
    ZUBIN_POTOK,
    ZVECAN,
    make_event,
    make_place,
    make_source,
    synthetic_events,
)
from map_helpers import features, layer_payload, marker_names, marker_options

from dashboard.assets import STATIC_URL, asset_files
from dashboard.mapview import (
    CANVAS_FROM,
    COUNTRY_CLASS,
    DEFAULT_ZOOM,
    LEGEND_CLASS,
    NORTHERN_KOSOVO,
    PLACE_ZOOM,
    SWITCH_CLASS,
    MapFrame,
    PlaceLayer,
    base_map,
    build_map,
    clicked_place_id,
    map_frame,
    marker_class,
    place_labels,
    place_layer,
    script_json,
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
    assert marker_names(page) == ["Leposavić", "Zubin Potok", "Zvečan"]
    for place in (ZVECAN, LEPOSAVIC, ZUBIN_POTOK):
        assert marker_class(place.id) in page


def test_the_places_are_one_geojson_layer_however_many_events():
    events = synthetic_events(10_000, places=800)
    layer = place_layer(events)
    assert [type(child) for child in layer._children.values()] == [PlaceLayer]
    page = render(events)
    assert page.count("L.geoJson(") == 2  # places, and countries beneath them
    assert page.count("L.circleMarker(") == 1  # in the function that draws each feature
    assert len(features(page)) == 800


def test_many_places_are_drawn_on_a_canvas_few_as_svg_paths():
    assert not PlaceLayer(
        summarise_places(synthetic_events(CANVAS_FROM - 1, places=CANVAS_FROM - 1)), size_by="events"
    ).canvas
    assert PlaceLayer(summarise_places(synthetic_events(CANVAS_FROM, places=CANVAS_FROM)), size_by="events").canvas


def test_country_events_sit_beneath_the_places_drawn_as_heavy_rings():
    page = render([make_event(ZVECAN, "2023-05-26"), make_event(KOSOVO, "2023-05-01")])
    payload = layer_payload(page)
    assert [f["properties"]["id"] for f in payload["countries"]] == ["xk"]
    assert [f["properties"]["id"] for f in payload["places"]] == ["zvecan"]
    assert payload["countries"][0]["geometry"]["coordinates"] == [KOSOVO.lon, KOSOVO.lat]
    options = marker_options(page)
    assert options["xk"]["weight"] > options["zvecan"]["weight"]
    assert options["xk"]["radius"] > options["zvecan"]["radius"]
    assert COUNTRY_CLASS in options["xk"]["className"].split()
    assert COUNTRY_CLASS not in options["zvecan"]["className"].split()
    assert "countries.bringToBack()" in page


def test_the_countries_follow_the_switch_on_the_base_map():
    page = render([make_event(ZVECAN, "2023-05-26"), make_event(KOSOVO, "2023-05-01")])
    assert SWITCH_CLASS in page
    assert 'map.fire("dashboardcountries")' in page  # the switch tells the map
    assert re.search(r'\.on\("dashboardcountries", showCountries\)', page)  # the layer listens to the map


def markers(m: folium.Map) -> dict[str, dict]:
    """The map's markers' Leaflet options by place id."""
    return marker_options(m.get_root().render())


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
    assert found["zvecan"]["fillColor"] == type_colour("clash")
    assert "type-clash" in found["zvecan"]["className"].split()
    assert found["leposavic"]["fillColor"] == type_colour("arrest")


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
    assert f"precision-{precision}" in marker["className"].split()
    assert marker.get("dashArray") == dash


def test_coarser_dates_are_fainter():
    opacity = {
        precision: markers(build_map([make_event(ZVECAN, when)]))["zvecan"]["fillOpacity"]
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
    assert by_events["zvecan"]["radius"] > by_events["leposavic"]["radius"]
    assert by_sources["zvecan"]["radius"] < by_sources["leposavic"]["radius"]


def test_markers_sharing_a_look_share_one_style():
    events = [typed(make_place(f"p{n}", f"Place {n}"), "2023-05-26", "clash") for n in range(50)]
    assert len(layer_payload(render(events))["styles"]) == 1


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


def test_an_empty_map_has_no_legend_and_no_switch():
    page = render([])
    assert LEGEND_CLASS not in page
    assert SWITCH_CLASS not in page


def test_no_events_shows_northern_kosovo_without_markers():
    page = render([])
    assert features(page) == []
    assert "L.control.layers(" not in page
    assert f"center: [{NORTHERN_KOSOVO[0]}, {NORTHERN_KOSOVO[1]}]" in page


def base_script(frame: MapFrame, **options) -> str:
    """The base map's page with folium's random element ids made alike, as st_folium compares it."""
    page = base_map(frame, tiles="none", **options).get_root().render()
    return re.sub(r"_[0-9a-f]{32}", "_id", page)


def test_the_base_map_is_the_same_from_the_same_frame_and_holds_no_markers():
    frame = map_frame(north_kosovo_events())
    assert base_script(frame) == base_script(frame)
    assert "L.geoJson(" not in base_script(frame)
    assert LEGEND_CLASS in base_script(frame)
    assert base_script(frame) != base_script(map_frame([make_event(TOKYO, "2023-05-26")]))


def test_the_frame_fits_the_places_centres_one_and_defaults_to_northern_kosovo():
    assert map_frame([]) == MapFrame(NORTHERN_KOSOVO, DEFAULT_ZOOM)
    assert map_frame([make_event(ZVECAN, "2023-05-26")]) == MapFrame((ZVECAN.lat, ZVECAN.lon), PLACE_ZOOM)
    spread = map_frame([make_event(ZVECAN, "2023-05-26"), make_event(LEPOSAVIC, "2023-05-26")])
    assert spread.bounds == ((ZVECAN.lat, LEPOSAVIC.lon), (LEPOSAVIC.lat, ZVECAN.lon))


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
    (label,) = [feature["properties"]["label"] for feature in features(page)]
    assert label == (
        "Zve&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#x27;q&#x27; &#96;tick&#96; "
        "&#36;{document.cookie} C:&#92;users"
    )
    assert marker_names(page) == [NASTY]  # the browser shows the name as written


def test_the_layer_payload_cannot_close_its_script_element():
    assert script_json({"a": "</script><b>&'\u2028"}) == '{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\'\\u2028"}'


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


PLACE_IDS = {ZVECAN.id, LEPOSAVIC.id, KOSOVO.id}


def clicked(place_id: object) -> dict:
    """st_folium's return value after a click on the marker of ``place_id``: the feature as GeoJSON."""
    point = {"type": "Point", "coordinates": [20.8, 42.9]}
    return {"last_active_drawing": {"type": "Feature", "properties": {"id": place_id, "r": 8}, "geometry": point}}


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (None, None),
        ({}, None),
        ({"last_active_drawing": None}, None),
        (clicked("zvecan"), "zvecan"),
        (clicked("xk"), "xk"),
        (clicked("nowhere"), None),
        (clicked(42), None),
        ({"last_active_drawing": {"type": "Feature"}}, None),
        ({"last_active_drawing": "zvecan"}, None),
        ({"last_object_clicked_tooltip": "Zvečan"}, None),
    ],
)
def test_clicked_place_id_reads_the_id_of_the_clicked_feature(state, expected):
    assert clicked_place_id(state, PLACE_IDS) == expected


def test_every_feature_carries_the_id_a_click_returns():
    page = render(north_kosovo_events())
    for feature in features(page):
        assert (
            clicked_place_id({"last_active_drawing": feature}, PLACE_IDS | {ZUBIN_POTOK.id})
            == feature["properties"]["id"]
        )
