"""Tests for dashboard/geocoding.py against a small fake Nominatim server on 127.0.0.1 started here."""

from __future__ import annotations

import socket
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.errors import ConfigError
from dashboard.geocoding import Geocoder, GeocodeResult, GeocoderSettings, SqliteGeocodeCache, geocoder_settings
from tests.fake_nominatim import FakeNominatim, serving

USER_AGENT = "news-event-map-tests"
MIN_DELAY = 0.2
TIMEOUT = 0.3


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeNominatim, str]]:
    """The fake service and its URL; system proxies are bypassed so requests stay on this machine."""
    monkeypatch.setenv("no_proxy", "*")
    service = FakeNominatim()
    with serving(service) as url:
        yield service, url


def _geocoder(url: str, cache: SqliteGeocodeCache, *, min_delay: float = 0.0) -> Geocoder:
    settings = GeocoderSettings.from_url(url, user_agent=USER_AGENT, min_delay_seconds=min_delay, timeout=TIMEOUT)
    return Geocoder(settings, cache)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[SqliteGeocodeCache]:
    store = SqliteGeocodeCache(tmp_path / "events.db")
    yield store
    store.close()


def test_geocoding_is_off_unless_an_endpoint_is_set() -> None:
    assert geocoder_settings({}) is None
    assert geocoder_settings({"DASHBOARD_GEOCODER_URL": " ", "DASHBOARD_GEOCODER_USER_AGENT": USER_AGENT}) is None


def test_settings_from_the_environment_split_the_endpoint() -> None:
    settings = geocoder_settings(
        {"DASHBOARD_GEOCODER_URL": "https://maps.example.org/nominatim/", "DASHBOARD_GEOCODER_USER_AGENT": USER_AGENT}
    )
    assert settings == GeocoderSettings("https", "maps.example.org/nominatim", USER_AGENT, 1.0, 10.0)
    assert settings.url == "https://maps.example.org/nominatim"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"DASHBOARD_GEOCODER_USER_AGENT": ""}, "USER_AGENT must name"),
        ({"DASHBOARD_GEOCODER_URL": "ftp://maps.example.org"}, "http(s) URL"),
        ({"DASHBOARD_GEOCODER_URL": "https://maps.example.org/search?q=x"}, "without a query"),
        ({"DASHBOARD_GEOCODER_MIN_DELAY": "soon"}, "MIN_DELAY must be a number"),
        ({"DASHBOARD_GEOCODER_MIN_DELAY": "-1"}, "0 or more"),
        ({"DASHBOARD_GEOCODER_TIMEOUT": "0"}, "TIMEOUT must be a positive"),
        (
            {"DASHBOARD_GEOCODER_URL": "https://nominatim.openstreetmap.org", "DASHBOARD_GEOCODER_MIN_DELAY": "0.5"},
            "at most one request a second",
        ),
    ],
)
def test_unusable_settings_are_config_errors(extra: dict[str, str], message: str) -> None:
    env = {"DASHBOARD_GEOCODER_URL": "https://maps.example.org", "DASHBOARD_GEOCODER_USER_AGENT": USER_AGENT}
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        geocoder_settings({**env, **extra})


def test_a_name_is_asked_once_then_answered_from_the_cache(
    fake: tuple[FakeNominatim, str], cache: SqliteGeocodeCache, tmp_path: Path
) -> None:
    service, url = fake
    first = _geocoder(url, cache).lookup("Banjska")
    assert first == GeocodeResult("Banjska", True, 42.9733, 20.7808, "Banjska, Zvečan, Kosovo", country="XK")
    assert service.requests[0]["path"] == "/search"
    assert service.requests[0]["format"] == "json"
    assert service.requests[0]["addressdetails"] == "1"
    assert service.requests[0]["user-agent"] == USER_AGENT
    assert _geocoder(url, cache).lookup("Banjska") == first
    assert _geocoder(url, cache).lookup("BANJSKA ").found
    later_run = SqliteGeocodeCache(tmp_path / "events.db")
    assert _geocoder(url, later_run).lookup("Banjska") == first
    later_run.close()
    assert service.searches() == ["Banjska"]


def test_not_found_is_an_answer_and_cached(fake: tuple[FakeNominatim, str], cache: SqliteGeocodeCache) -> None:
    service, url = fake
    geocoder = _geocoder(url, cache)
    assert geocoder.lookup("Nowhereville") == GeocodeResult("Nowhereville", False)
    assert geocoder.lookup("Nowhereville") == GeocodeResult("Nowhereville", False)
    assert service.searches() == ["Nowhereville"]


def test_a_time_out_is_reported_and_asked_again_later(
    fake: tuple[FakeNominatim, str], cache: SqliteGeocodeCache
) -> None:
    service, url = fake
    service.mode = "slow"
    geocoder = _geocoder(url, cache)
    started = time.monotonic()
    result = geocoder.lookup("Banjska")
    assert time.monotonic() - started < 4 * TIMEOUT
    assert not result.found
    assert result.error == f"geocoding 'Banjska' at {url} failed: timed out after {TIMEOUT:g} s (Service timed out)"
    service.mode = "ok"
    assert geocoder.lookup("Banjska").found
    assert service.searches() == ["Banjska", "Banjska"]


def test_a_server_error_is_reported_and_asked_again_later(
    fake: tuple[FakeNominatim, str], cache: SqliteGeocodeCache
) -> None:
    service, url = fake
    service.mode = "error"
    geocoder = _geocoder(url, cache)
    result = geocoder.lookup("Banjska")
    assert not result.found
    assert result.error is not None
    assert result.error.startswith(f"geocoding 'Banjska' at {url} failed: service error (HTTP Error 500")
    service.mode = "ok"
    assert geocoder.lookup("Banjska").found
    assert len(service.requests) == 2


def test_an_unreadable_answer_is_reported(fake: tuple[FakeNominatim, str], cache: SqliteGeocodeCache) -> None:
    service, url = fake
    service.mode = "garbage"
    result = _geocoder(url, cache).lookup("Banjska")
    assert result.error is not None
    assert result.error.startswith(f"geocoding 'Banjska' at {url} failed: unreadable answer")
    assert cache.get("Banjska") is None


def test_a_refused_connection_is_reported(cache: SqliteGeocodeCache, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("no_proxy", "*")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nothing listens there
    result = _geocoder(f"http://127.0.0.1:{port}", cache).lookup("Banjska")
    assert result.error is not None
    assert result.error.startswith(f"geocoding 'Banjska' at http://127.0.0.1:{port} failed:")
    assert "Connection refused" in result.error


def test_requests_are_spaced_by_the_minimum_delay_and_cached_answers_are_not(
    fake: tuple[FakeNominatim, str], cache: SqliteGeocodeCache
) -> None:
    service, url = fake
    geocoder = _geocoder(url, cache, min_delay=MIN_DELAY)
    started = time.monotonic()
    geocoder.lookup("Banjska")
    geocoder.lookup("Nowhereville")
    assert time.monotonic() - started >= MIN_DELAY
    # The limiter spaces the sends; an arrival may lag its send on a busy machine, but never comes before it.
    assert service.arrivals[1] - started >= MIN_DELAY
    started = time.monotonic()
    geocoder.lookup("Banjska")
    assert time.monotonic() - started < MIN_DELAY
    assert len(service.requests) == 2


def test_country_codes_limit_the_search_and_key_the_cache(
    fake: tuple[FakeNominatim, str], cache: SqliteGeocodeCache
) -> None:
    service, url = fake
    geocoder = _geocoder(url, cache)
    limited = geocoder.lookup("Banjska", country_codes=["XK", "rs"])
    assert limited.countries == ("rs", "xk")
    assert service.requests[0]["countrycodes"] == "rs,xk"
    geocoder.lookup("Banjska", country_codes=["rs", "XK"])
    geocoder.lookup("Banjska")
    assert "countrycodes" not in service.requests[1]
    assert len(service.requests) == 2


def test_cache_leaves_the_callers_transaction_to_the_caller(tmp_path: Path) -> None:
    connection = sqlite3.connect(tmp_path / "events.db", isolation_level=None)
    cache = SqliteGeocodeCache(connection)
    connection.execute("BEGIN")
    cache.put(GeocodeResult("Banjska", True, 42.97, 20.78))
    assert cache.get("Banjska") is not None
    connection.execute("ROLLBACK")
    assert cache.get("Banjska") is None
    cache.put(GeocodeResult("Banjska", True, 42.97, 20.78))
    connection.close()
    assert SqliteGeocodeCache(tmp_path / "events.db").get("Banjska") == GeocodeResult("Banjska", True, 42.97, 20.78)


def test_an_error_is_not_cached(cache: SqliteGeocodeCache) -> None:
    with pytest.raises(ValueError, match="no geocoder answer"):
        cache.put(GeocodeResult("Banjska", False, error="timed out"))
