"""Run the benchmarks, print a table per part and write benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/run.py            # the full run (about an hour on 2 cores)
    .venv/bin/python benchmarks/run.py --quick    # small sizes, under two minutes
    .venv/bin/python benchmarks/run.py --only ingest,map

Targets (2 cores): ingest >= 500 articles/s on one core and 100,000 articles in under 5 minutes on both
with peak memory under 2 GB; a rerun after a slider change under 0.5 s at 10,000 events; first markers
under 3 s; 100,000 events usable with a page under 20 MB; a slider change under 1 s at 1,000,000 events on
the server backend.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import ingest_bench  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

RESULTS = HERE / "RESULTS.md"
PACKAGES = ("streamlit", "folium", "streamlit-folium", "geopy", "babel", "geotext", "dateparser", "playwright")

FULL = {
    "ingest": (1_000, 10_000, 100_000),
    "one_core": (1_000, 10_000),
    "peers": 500,
    "map": (1_000, 10_000, 100_000),
    "browser": 100_000,
    "store": (1_000_000,),
}
QUICK = {"ingest": (300,), "one_core": (300,), "peers": 20, "map": (1_000,), "browser": 1_000, "store": (20_000,)}


def machine() -> list[str]:
    memory_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return [
        f"- date: {dt.datetime.now().isoformat(timespec='seconds')}",
        f"- cores: {os.cpu_count()}, memory: {memory_kb / 1024 / 1024:.1f} GiB, load average at start: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg()),
        f"- Python {platform.python_version()} on {platform.platform()}",
        "- " + ", ".join(versions),
    ]


def ingest_part(sizes: dict, console: Console) -> list[str]:
    table = Table("articles", "workers", "seconds", "articles/s", "MB/s", "peak MB", "events", title="Ingest")
    lines = [
        "| articles | workers | seconds | articles/s | MB/s | peak MB | events |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for count in sizes["ingest"]:
            folder = Path(tmp) / f"corpus{count}"
            megabytes = ingest_bench.write_corpus(folder, count)
            runs = [1, 2] if count in sizes["one_core"] else [2]
            for workers in runs:
                figure = ingest_bench.time_ingest(folder, megabytes, count, workers=workers)
                row = [f"{count:,}", str(workers), f"{figure.seconds:.1f}", f"{figure.per_second:.0f}",
                       f"{figure.mb_per_second:.2f}", f"{figure.peak_mb:.0f}", f"{figure.events:,}"]  # fmt: skip
                table.add_row(*row)
                lines.append("| " + " | ".join(row) + " |")
    console.print(table)
    return lines


def peers_part(sizes: dict, console: Console) -> list[str]:
    texts = ingest_bench.sample_texts(sizes["peers"])
    figures = [ingest_bench.time_geotext(texts), ingest_bench.time_geotext_dateparser(texts)]
    table = Table("peer", "articles", "seconds", "articles/s", title="Peers over the same kind of texts")
    lines = ["| peer | articles | seconds | articles/s |", "|---|---:|---:|---:|"]
    for figure in figures:
        row = [figure.name, str(figure.articles), f"{figure.seconds:.2f}", f"{figure.per_second:.1f}"]
        table.add_row(*row)
        lines.append("| " + " | ".join(row) + " |")
    console.print(table)
    return lines


def map_part(sizes: dict, console: Console) -> list[str]:
    import map_bench

    table = Table("events", "places", "layer s", "layer MB", "app first run s", "rerun after slider s",
                  "page MB", "first markers s", "next visit s", title="Map")  # fmt: skip
    lines = [
        "| events | places | layer build+serialise s | layer MB | app first run s | rerun after slider s | page MB"
        " | first markers s | next visit s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count in sizes["map"]:
        events = map_bench.synthetic_events(count, places=map_bench.places_for(count))
        layer = map_bench.layer_figure(events)
        with map_bench.synthetic_store(count) as db:
            app = map_bench.app_figure(db, count, layer.places)
            browser = map_bench.browser_figure(db, count, layer.places) if count <= sizes["browser"] else None
        row = [f"{count:,}", f"{layer.places:,}", f"{layer.seconds:.2f}", f"{layer.bytes / 1e6:.2f}",
               f"{app.first_run_seconds:.2f}", f"{app.rerun_seconds:.3f}", f"{app.page_bytes / 1e6:.2f}",
               f"{browser.first_visit_seconds:.1f}" if browser else "-",
               f"{browser.next_visit_seconds:.1f}" if browser else "-"]  # fmt: skip
        table.add_row(*row)
        lines.append("| " + " | ".join(row) + " |")
    naive = ["", "Naive folium map (one folium.Marker with a popup per event):", "",
             "| events | build+render s | page MB |", "|---:|---:|---:|"]  # fmt: skip
    for count in [size for size in sizes["map"] if size <= 10_000]:
        figure = map_bench.naive_figure(map_bench.synthetic_events(count, places=map_bench.places_for(count)))
        naive.append(f"| {count:,} | {figure.seconds:.2f} | {figure.bytes / 1e6:.2f} |")
        table.add_row(f"{count:,} naive", "", f"{figure.seconds:.2f}", f"{figure.bytes / 1e6:.2f}")
    console.print(table)
    return lines + naive


def store_part(sizes: dict, console: Console) -> list[str]:
    import store_bench

    table = Table("backend", "events", "open ms", "slider (30 days) ms", "whole range ms", "search ms", "panel ms",
                  "markers", title="A store too large to load: the page's questions")  # fmt: skip
    lines = [
        "| backend | events | open ms | slider (30 days) ms | whole range ms | search ms | panel ms | markers |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count in sizes["store"]:
        for figure in store_bench.both_backends(count):
            row = [figure.backend, f"{figure.events:,}", f"{figure.open_seconds * 1000:.0f}",
                   f"{figure.window_seconds * 1000:.0f}", f"{figure.whole_seconds * 1000:.0f}",
                   f"{figure.search_seconds * 1000:.0f}", f"{figure.panel_seconds * 1000:.0f}", f"{figure.markers:,}"]  # fmt: skip
            table.add_row(*row)
            lines.append("| " + " | ".join(row) + " |")
    console.print(table)
    return lines


PARTS: dict[str, tuple[str, Callable[[dict, Console], list[str]]]] = {
    "ingest": ("Ingest (python -m dashboard ingest, fresh store, generated multilingual articles)", ingest_part),
    "peers": ("Peers (one process, same generator, a sample)", peers_part),
    "map": ("Map and app (synthetic events in a real store; the real app under AppTest and in Chromium)", map_part),
    "store": (
        "Store past the aggregation limit (synthetic events, 1,000 places, SQLite and a throwaway PostgreSQL)",
        store_part,
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: under two minutes")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {', '.join(PARTS)}")
    parser.add_argument("--no-write", action="store_true", help=f"print only; do not write {RESULTS.name}")
    parser.add_argument("--max", type=int, help="leave out sizes above this (a shorter run than the full one)")
    parser.add_argument("--peers", type=int, help="articles for the peers (default: 500, quick: 20)")
    args = parser.parse_args()
    sizes = dict(QUICK if args.quick else FULL)
    if args.max:
        sizes.update(
            {key: tuple(n for n in sizes[key] if n <= args.max) for key in ("ingest", "one_core", "map", "store")}
        )
    if args.peers:
        sizes["peers"] = args.peers
    console = Console()
    sections = [
        "# Benchmark results",
        "",
        *machine(),
        f"- mode: {'quick' if args.quick else 'full'}"
        + (f", sizes up to {args.max:,}" if args.max else "")
        + (f", {args.peers} peer articles" if args.peers else ""),
        "",
    ]
    for name in args.only.split(","):
        title, part = PARTS[name.strip()]
        console.rule(title)
        sections += [f"## {title}", "", *part(sizes, console), ""]
    if not args.no_write:
        RESULTS.write_text("\n".join(sections) + "\n", encoding="utf-8")
        console.print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
