"""Optional online geocoding of unknown place names through geopy's Nominatim: off by default, rate-limited, cached.

Turned on by ``$DASHBOARD_GEOCODER_URL`` (a Nominatim endpoint such as https://nominatim.openstreetmap.org)
together with ``$DASHBOARD_GEOCODER_USER_AGENT`` (Nominatim's usage policy asks each application to name
itself); ``$DASHBOARD_GEOCODER_MIN_DELAY`` and ``$DASHBOARD_GEOCODER_TIMEOUT`` tune it. Requests go through
geopy's ``RateLimiter``, at most one a second by default. Each name is asked once: every answer, "not found"
included, is kept in a ``GeocodeCache`` (in the event store's own file: ``SqliteGeocodeCache``). An answer
carries the country Nominatim places the match in, so a found name can become a gazetteer row. A failed request (time-out, HTTP error, refused connection,
unreadable answer) comes back as a ``GeocodeResult`` with an ``error`` message, is not cached, and is asked
again next time; nothing here raises for the network.
"""

from __future__ import annotations

import math
import os
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderParseError, GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.location import Location

from .errors import ConfigError
from .store import GEOCODE_CACHE_TABLE
from .text import fold

URL_ENV = "DASHBOARD_GEOCODER_URL"
USER_AGENT_ENV = "DASHBOARD_GEOCODER_USER_AGENT"
MIN_DELAY_ENV = "DASHBOARD_GEOCODER_MIN_DELAY"
TIMEOUT_ENV = "DASHBOARD_GEOCODER_TIMEOUT"
MIN_DELAY_SECONDS = 1.0
TIMEOUT_SECONDS = 10.0
PUBLIC_NOMINATIM = "nominatim.openstreetmap.org"  # its policy: at most one request a second

_FAILURES: tuple[tuple[type[GeopyError], str], ...] = (
    (GeocoderTimedOut, "timed out"),
    (GeocoderUnavailable, "service unavailable"),
    (GeocoderRateLimited, "rate limited by the service"),
    (GeocoderParseError, "unreadable answer"),
    (GeopyError, "service error"),
)


@dataclass(frozen=True, slots=True)
class GeocoderSettings:
    """Where the Nominatim service is and how politely to ask it; checked when built.

    Raises:
        ConfigError: a scheme other than http or https, no host, an empty user agent, a negative delay,
            a delay under a second for the public OpenStreetMap service, or a time-out that is not positive.
    """

    scheme: str
    domain: str
    user_agent: str
    min_delay_seconds: float = MIN_DELAY_SECONDS
    timeout: float = TIMEOUT_SECONDS

    def __post_init__(self) -> None:
        if self.scheme not in ("http", "https") or not self.domain:
            raise ConfigError(f"geocoder endpoint must be an http(s) URL with a host, got {self.url!r}")
        if not self.user_agent.strip():
            raise ConfigError(f"{USER_AGENT_ENV} must name this application for the geocoder, got an empty value")
        if not (math.isfinite(self.min_delay_seconds) and self.min_delay_seconds >= 0):
            raise ConfigError(f"{MIN_DELAY_ENV} must be a number of seconds, 0 or more, got {self.min_delay_seconds}")
        if self.domain == PUBLIC_NOMINATIM and self.min_delay_seconds < MIN_DELAY_SECONDS:
            raise ConfigError(
                f"{PUBLIC_NOMINATIM} allows at most one request a second, got a delay of {self.min_delay_seconds} s"
            )
        if not (math.isfinite(self.timeout) and self.timeout > 0):
            raise ConfigError(f"{TIMEOUT_ENV} must be a positive number of seconds, got {self.timeout}")

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.domain}"

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        user_agent: str,
        min_delay_seconds: float = MIN_DELAY_SECONDS,
        timeout: float = TIMEOUT_SECONDS,
    ) -> GeocoderSettings:
        """Settings for an endpoint URL, split into the scheme and the domain (with any path) geopy takes.

        Raises:
            ConfigError: the URL has a query or fragment, or the settings are unusable (see the class).
        """
        parts = urlsplit(url.strip())
        if parts.query or parts.fragment:
            raise ConfigError(f"{URL_ENV} must be the service's base URL, without a query, got {url!r}")
        domain = (parts.netloc + parts.path).rstrip("/")
        return cls(parts.scheme.lower(), domain, user_agent.strip(), min_delay_seconds, timeout)


def geocoder_settings(environ: Mapping[str, str] | None = None) -> GeocoderSettings | None:
    """The geocoder settings from the environment, or None when ``$DASHBOARD_GEOCODER_URL`` is unset (off).

    Raises:
        ConfigError: the URL is set but a setting is missing or unusable.
    """
    env = os.environ if environ is None else environ
    url = env.get(URL_ENV, "").strip()
    if not url:
        return None
    return GeocoderSettings.from_url(
        url,
        user_agent=env.get(USER_AGENT_ENV, ""),
        min_delay_seconds=_seconds(env, MIN_DELAY_ENV, MIN_DELAY_SECONDS),
        timeout=_seconds(env, TIMEOUT_ENV, TIMEOUT_SECONDS),
    )


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    value = env.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, got {value!r}") from None


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """What the geocoder said about a name: found at a point, not found, or an error that was not an answer.

    ``countries`` are the lower-case ISO codes the search was limited to, empty for anywhere; ``country`` is
    the upper-case ISO code of the match's country, empty when the service gave none.
    """

    name: str
    found: bool
    lat: float | None = None
    lon: float | None = None
    display_name: str = ""
    error: str | None = None
    countries: tuple[str, ...] = ()
    country: str = ""


class GeocodeCache(Protocol):
    """Answers kept between runs, keyed by the folded name and the countries searched."""

    def get(self, name: str, countries: tuple[str, ...] = ()) -> GeocodeResult | None: ...

    def put(self, result: GeocodeResult) -> None: ...


class Geocoder:
    """Nominatim behind a rate limiter and a cache: each name is asked once, failures come back as results.

    Requests use geopy's urllib adapter, which does not retry: a request that failed is asked again on a
    later lookup rather than repeated at once. System proxy settings apply.
    """

    def __init__(self, settings: GeocoderSettings, cache: GeocodeCache) -> None:
        self.settings = settings
        self._cache = cache
        nominatim = Nominatim(
            domain=settings.domain,
            scheme=settings.scheme,
            user_agent=settings.user_agent,
            timeout=settings.timeout,
            adapter_factory=URLLibAdapter,
        )
        self._geocode = RateLimiter(
            nominatim.geocode,
            min_delay_seconds=settings.min_delay_seconds,
            max_retries=0,
            swallow_exceptions=False,
        )

    def lookup(self, name: str, *, country_codes: Iterable[str] | None = None) -> GeocodeResult:
        """The place ``name`` names, optionally searched only in ``country_codes`` (ISO 3166-1 alpha-2).

        From the cache when the name was asked before; otherwise one request, whose answer is cached unless
        it failed. Never raises for the network: a failure is a result whose ``error`` says what went wrong.
        """
        query = " ".join(name.split())
        countries = tuple(sorted({c.strip().lower() for c in country_codes or () if c.strip()}))
        if not query:
            return GeocodeResult(name=name, found=False, error="geocoding needs a name, got an empty one")
        cached = self._cache.get(query, countries)
        if cached is not None:
            return replace(cached, name=query)
        try:
            location = self._geocode(
                query, exactly_one=True, country_codes=list(countries) or None, addressdetails=True
            )
            result = _answer(query, countries, location)
        except GeopyError as exc:
            return self._failure(query, countries, _failure_reason(exc, self.settings.timeout))
        except (TypeError, ValueError) as exc:  # geopy read JSON of an unexpected shape
            return self._failure(query, countries, f"unreadable answer ({exc})")
        self._cache.put(result)
        return result

    def _failure(self, query: str, countries: tuple[str, ...], reason: str) -> GeocodeResult:
        message = f"geocoding {query!r} at {self.settings.url} failed: {reason}"
        return GeocodeResult(name=query, found=False, error=message, countries=countries)


def _answer(query: str, countries: tuple[str, ...], location: Location | None) -> GeocodeResult:
    """The result for what Nominatim answered: the first match, or not found.

    Raises:
        ValueError: the match has no usable coordinates.
    """
    if location is None:
        return GeocodeResult(name=query, found=False, countries=countries)
    lat, lon = float(location.latitude), float(location.longitude)
    if not (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon) and -180 <= lon <= 180):
        raise ValueError(f"coordinates out of range: {lat}, {lon}")
    address = location.raw.get("address") if isinstance(location.raw, dict) else None
    country = address.get("country_code", "") if isinstance(address, dict) else ""
    return GeocodeResult(
        name=query,
        found=True,
        lat=lat,
        lon=lon,
        display_name=location.address or "",
        countries=countries,
        country=country.upper() if isinstance(country, str) else "",
    )


def _failure_reason(exc: GeopyError, timeout: float) -> str:
    kind = next(text for cls, text in _FAILURES if isinstance(exc, cls))
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, GeocoderTimedOut):
        kind = f"{kind} after {timeout:g} s"
    return f"{kind} ({detail})"


CACHE_COLUMNS = "name, found, lat, lon, display_name, country"
"""The columns of a cached answer that ``cached_result`` reads."""


def cache_key(name: str, countries: tuple[str, ...]) -> tuple[str, str]:
    """The row key of an answer: the folded name and the countries searched."""
    return fold(name), ",".join(countries)


def cached_result(row: Sequence[Any], countries: tuple[str, ...]) -> GeocodeResult:
    """An answer from its cached row (name, found, lat, lon, display name, country)."""
    name, found, lat, lon, display_name, country = row
    return GeocodeResult(name, bool(found), lat, lon, display_name, None, countries, country)


def cache_row(result: GeocodeResult) -> tuple[object, ...]:
    """The row that keeps an answer, in the table's column order.

    Raises:
        ValueError: the result is an error, which is no answer to keep.
    """
    if result.error is not None:
        raise ValueError(f"an error is no geocoder answer to cache: {result.error}")
    return (*cache_key(result.name, result.countries), result.name, result.found, result.lat, result.lon,
            result.display_name, result.country)  # fmt: skip


class SqliteGeocodeCache:
    """Geocoder answers in a SQLite table ``geocode_cache``: in the event store's file (given its path or a
    connection to it), which has the table from its schema 3, or in a file of their own.

    Writes commit only what they began: inside a caller's open transaction the row waits for its commit.
    """

    def __init__(self, database: sqlite3.Connection | str | os.PathLike[str]) -> None:
        self._owned = not isinstance(database, sqlite3.Connection)
        if isinstance(database, sqlite3.Connection):
            self._db = database
        else:
            self._db = sqlite3.connect(Path(database), check_same_thread=False)
        self._write(GEOCODE_CACHE_TABLE, ())

    def get(self, name: str, countries: tuple[str, ...] = ()) -> GeocodeResult | None:
        query = f"SELECT {CACHE_COLUMNS} FROM geocode_cache WHERE key = ? AND countries = ?"
        row = self._db.execute(query, cache_key(name, countries)).fetchone()
        return None if row is None else cached_result(row, countries)

    def put(self, result: GeocodeResult) -> None:
        """Keep an answer, replacing an earlier one for the same name and countries.

        Raises:
            ValueError: the result is an error, which is no answer to keep.
        """
        self._write(
            "INSERT OR REPLACE INTO geocode_cache (key, countries, name, found, lat, lon, display_name, country)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            cache_row(result),
        )

    def close(self) -> None:
        """Close the connection if this cache opened it; a connection handed in stays the caller's."""
        if self._owned:
            self._db.close()

    def _write(self, sql: str, params: tuple[object, ...]) -> None:
        began = not self._db.in_transaction
        self._db.execute(sql, params)
        if began and self._db.in_transaction:
            self._db.commit()
