import re
import shutil
import subprocess

import folium
import pytest
from event_factory import KOSOVO, LEPOSAVIC, TOKYO, ZUBIN_POTOK, ZVECAN, make_event, make_place

from dashboard.assets import STATIC_URL, asset_files
from dashboard.mapview import (
    NORTHERN_KOSOVO,
    build_map,
    clicked_place_id,
    marker_class,
    place_labels,
)

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


def test_country_events_sit_in_their_own_layer_drawn_dashed():
    m = build_map([make_event(ZVECAN, "2023-05-26"), make_event(KOSOVO, "2023-05-01", precision="month")])
    groups = {child.layer_name: child for child in m._children.values() if isinstance(child, folium.FeatureGroup)}
    assert set(groups) == {"Places", "Countries"}
    countries = [c for c in groups["Countries"]._children.values() if isinstance(c, folium.CircleMarker)]
    places = [c for c in groups["Places"]._children.values() if isinstance(c, folium.CircleMarker)]
    assert [c.location for c in countries] == [[KOSOVO.lat, KOSOVO.lon]]
    assert countries[0].options["dashArray"] == "6 4"
    assert [c.location for c in places] == [[ZVECAN.lat, ZVECAN.lon]]
    page = m.get_root().render()
    assert "L.control.layers(" in page
    assert re.search(r'"Countries" : feature_group_\w+', page)


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
