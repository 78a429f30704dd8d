"""Ingest figures: articles and megabytes per second, and peak memory, for the product and simple peers.

The product runs as a user runs it (``python -m dashboard ingest``) in a subprocess whose whole process
tree is sampled for memory; the peers (``geotext`` for places, plus ``dateparser``'s free-text search for
dates) run in this process over a sample of the same texts.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from corpus import CorpusGenerator

PROJECT_DIR = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.1


@dataclass(frozen=True, slots=True)
class IngestFigure:
    articles: int
    workers: int
    seconds: float
    megabytes: float
    peak_mb: float
    events: int

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds

    @property
    def mb_per_second(self) -> float:
        return self.megabytes / self.seconds


@dataclass(frozen=True, slots=True)
class PeerFigure:
    name: str
    articles: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.articles / self.seconds


def write_corpus(folder: Path, count: int, *, seed: int = 1) -> float:
    """Generate ``count`` articles into ``folder``; returns their size in MB."""
    return CorpusGenerator(seed=seed).write(folder, count) / 1e6


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


def time_ingest(
    folder: Path, megabytes: float, count: int, *, workers: int, gazetteer_warm: bool = True
) -> IngestFigure:
    """Run one fresh ingest of ``folder`` into a new store and measure it."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        command = [sys.executable, "-m", "dashboard", "ingest", str(folder), "--db", str(db), "--workers", str(workers)]
        env = {**os.environ, "COLUMNS": "120", "TERM": "dumb"}
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss_kb(process.pid))
            time.sleep(POLL_SECONDS)
        seconds = time.perf_counter() - start
        output = process.stdout.read().decode() if process.stdout else ""
        if process.returncode != 0:
            raise RuntimeError(f"ingest failed ({process.returncode}): {output[-500:]}")
        return IngestFigure(count, workers, seconds, megabytes, peak / 1024, _event_count(db))


def _event_count(db: Path) -> int:
    import sqlite3

    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM events").fetchone()[0]


def sample_texts(count: int, *, seed: int = 2) -> list[str]:
    return [text for _language, text in CorpusGenerator(seed=seed).articles(count)]


def time_geotext(texts: list[str]) -> PeerFigure:
    from geotext import GeoText

    start = time.perf_counter()
    for text in texts:
        places = GeoText(text)
        _ = places.cities, places.countries
    return PeerFigure("geotext (places only)", len(texts), time.perf_counter() - start)


def time_geotext_dateparser(texts: list[str]) -> PeerFigure:
    from dateparser.search import search_dates
    from geotext import GeoText

    start = time.perf_counter()
    for text in texts:
        places = GeoText(text)
        _ = places.cities, places.countries
        search_dates(text)
    return PeerFigure("geotext + dateparser.search_dates", len(texts), time.perf_counter() - start)
