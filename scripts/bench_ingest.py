"""Ingest speed: articles per second in one process and in worker processes, and for an unchanged re-run.

    .venv/bin/python scripts/bench_ingest.py FOLDER                 # the folder's articles as they are
    .venv/bin/python scripts/bench_ingest.py FOLDER --copies 3000   # that many distinct copies of them

Each run is ``python -m dashboard ingest`` in a new process, timed from start to exit as a user sees it
(start-up and loading the gazetteer included). Copies differ by a last line ("Copy 17."), so each is a
new text to analyse. Everything is written to a temporary folder that is removed at the end; the
gazetteer's pickle cache is warmed first, so the figures are those of a user's second and later runs.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from dashboard.analysis import analyse  # noqa: E402
from dashboard.articles import read_article  # noqa: E402
from dashboard.config import available_cpus  # noqa: E402
from dashboard.gazetteer_cache import cached_gazetteer  # noqa: E402
from dashboard.pipeline import find_files, worker_count  # noqa: E402


def write_copies(source: Path, target: Path, count: int) -> int:
    """``count`` distinct articles made from the files under ``source`` (cycled), in ``target``."""
    files, _ = find_files([source])
    target.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        original = files[i % len(files)]
        text = original.read_text(encoding="utf-8").rstrip("\n")
        (target / f"{i:05d}_{original.name}").write_text(f"{text}\n\nCopy {i}.\n", encoding="utf-8")
    return count


def timed_ingest(folder: Path, db: Path, workers: int) -> float:
    """Seconds ``python -m dashboard ingest`` takes, from start to exit."""
    command = [sys.executable, "-m", "dashboard", "ingest", str(folder), "--db", str(db), "--workers", str(workers)]
    started = time.perf_counter()
    subprocess.run(command, cwd=PROJECT_DIR, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def warm_analysis_rate(folder: Path, *, limit: int = 200) -> float:
    """Articles per second of the analysis alone, on one core, once every lazily built table is built."""
    articles = [read_article(path) for path in find_files([folder])[0][:limit]]
    gazetteer = cached_gazetteer()
    for article in articles:
        analyse(article, gazetteer)
    started = time.perf_counter()
    for article in articles:
        analyse(article, gazetteer)
    return len(articles) / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="articles to ingest")
    parser.add_argument("--copies", type=int, default=0, help="ingest this many distinct copies instead")
    parser.add_argument("--workers", type=int, default=available_cpus(), help="for the parallel run")
    args = parser.parse_args(argv)
    cached_gazetteer()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder
        if args.copies:
            folder = Path(scratch) / "copies"
            write_copies(args.folder, folder, args.copies)
        count = len(find_files([folder])[0])
        print(f"{'analysis only':>14}: {warm_analysis_rate(folder):7.1f} articles/s on one core, warm")
        for workers in sorted({1, args.workers}):
            label = f"{worker_count(count, workers)} process(es)"
            db = Path(scratch) / f"{workers}.db"
            for run in (label, "unchanged"):
                seconds = timed_ingest(folder, db, workers)
                print(f"{run:>14}: {count} articles in {seconds:6.1f} s = {count / seconds:7.1f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
