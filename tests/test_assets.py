import mimetypes

import folium
import pytest

from dashboard.assets import STATIC_DIR, asset_files, register_asset_types, static_url, use_local_assets


@pytest.mark.parametrize(
    ("base_url_path", "expected"),
    [
        ("", "/app/static"),
        ("/", "/app/static"),
        ("news", "/news/app/static"),
        ("/news/map/", "/news/map/app/static"),
    ],
)
def test_static_url_follows_the_server_base_path(base_url_path, expected):
    assert static_url(base_url_path) == expected


def test_local_assets_replace_the_cdn_links_on_the_instance_only():
    m = folium.Map(tiles=None)
    use_local_assets(m, base_url="/x/app/static")
    assert m.default_js == [("leaflet", "/x/app/static/leaflet/leaflet.js")]
    assert m.default_css == [("leaflet_css", "/x/app/static/leaflet/leaflet.css")]
    assert all(url.startswith("https://") for _, url in folium.Map.default_js)


def test_the_linked_files_and_their_licence_are_committed():
    assert [path.relative_to(STATIC_DIR).as_posix() for path in asset_files()] == [
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
    ]
    assert all(path.is_file() for path in asset_files())
    assert "BSD 2-Clause" in (STATIC_DIR / "leaflet" / "LICENSE").read_text()
    assert {p.name for p in (STATIC_DIR / "leaflet" / "images").iterdir()} >= {"layers.png", "layers-2x.png"}


def test_scripts_and_styles_get_their_types_whatever_the_system_table_says(monkeypatch):
    table = mimetypes.MimeTypes(filenames=())
    table.add_type("text/plain", ".js")  # what some systems' tables say
    monkeypatch.setattr(mimetypes, "_db", table)
    register_asset_types()
    assert mimetypes.guess_type("leaflet.js")[0] == "text/javascript"
    assert mimetypes.guess_type("leaflet.css")[0] == "text/css"
