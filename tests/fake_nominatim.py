"""A small fake Nominatim service on 127.0.0.1, for the geocoding tests: it answers /search as Nominatim does
for a few places, or times out, fails with HTTP 500 or sends garbage when told to, and records every request.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SLOW_SECONDS = 1.5  # how long a "slow" answer waits at most: longer than any test's time-out
PLACES = {
    "banjska": {"lat": "42.9733", "lon": "20.7808", "display_name": "Banjska, Zvečan, Kosovo", "country_code": "xk"},
    "orlane": {"lat": "42.8961", "lon": "21.2145", "display_name": "Orlane, Podujevë, Kosovo", "country_code": "xk"},
}


@dataclass
class FakeNominatim:
    """What the fake service answers (``mode``) and every request it received, with its arrival time."""

    mode: str = "ok"  # ok, slow, error, garbage
    requests: list[dict[str, str]] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def searches(self) -> list[str]:
        return [r["q"] for r in self.requests]

    def answer(self, params: dict[str, str]) -> list[dict[str, object]]:
        """Nominatim's JSON for a search: the match, with its address only when asked for (addressdetails=1)."""
        place = PLACES.get(params.get("q", "").lower())
        if place is None:
            return []
        found: dict[str, object] = {
            **{k: v for k, v in place.items() if k != "country_code"},
            "place_id": 1, "osm_type": "node", "class": "place", "type": "village",
        }  # fmt: skip
        if params.get("addressdetails") == "1":
            found["address"] = {"country_code": place["country_code"]}
        return [found]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        fake.requests.append({**params, "path": parts.path, "user-agent": self.headers.get("User-Agent", "")})
        fake.arrivals.append(time.monotonic())
        if fake.mode == "slow":
            fake.release.wait(SLOW_SECONDS)
        if fake.mode == "error":
            self._send(500, b"Internal Server Error", "text/plain")
        elif fake.mode == "garbage":
            self._send(200, b"<html>not json", "text/html")
        else:
            self._send(200, json.dumps(fake.answer(params)).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the requests are recorded in ``FakeNominatim``."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeNominatim) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that timed out has closed its socket before the slow answer: not a test failure."""


@contextmanager
def serving(fake: FakeNominatim) -> Iterator[str]:
    """Serve ``fake`` on a free port of 127.0.0.1 for the block; yields its URL."""
    server = _Server(fake)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
