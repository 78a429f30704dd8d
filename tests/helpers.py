"""Small hand-made fixtures shared by the pipeline tests: a seven-place gazetteer and article files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dashboard.articles import parse_article
from dashboard.gazetteer import Gazetteer
from dashboard.models import Article

PLACE_ROWS = [
    ("t:zvecan", "Zvečan", "Zvecan|Zveçan|Звечан", 42.9075, 20.84028, "settlement", "XK", 17000),
    ("t:leposavic", "Leposavić", "Leposaviq|Лепосавић", 43.10389, 20.80278, "settlement", "XK", 19000),
    ("t:zubin-potok", "Zubin Potok", "", 42.91444, 20.68972, "settlement", "XK", 14900),
    ("t:mitrovice", "Mitrovicë", "Mitrovica|Kosovska Mitrovica", 42.88333, 20.86667, "settlement", "XK", 107045),
    ("country:XK", "Kosovo", "Kosova|Kosovë|Косово", 42.54583, 20.79514, "country", "XK", 1845300),
    ("country:RS", "Serbia", "Srbija|Србија", 44.86836, 20.3193, "country", "RS", 6982084),
    ("t:belgrade", "Belgrade", "Beograd|Београд", 44.80401, 20.46513, "settlement", "RS", 1200000),
    # A big place spelled like a month, so that only the month rule can keep it out of "in March".
    ("t:march", "March", "", 42.6, 20.9, "settlement", "XK", 200000),
]


def gazetteer_rows() -> list[dict[str, str]]:
    """The fixture places as CSV-like rows, the way ``Gazetteer.from_rows`` reads them."""
    keys = ("id", "name", "aliases", "lat", "lon", "level", "country", "population")
    return [{**dict(zip(keys, map(str, row), strict=True)), "source": "test fixture"} for row in PLACE_ROWS]


def small_gazetteer() -> Gazetteer:
    return Gazetteer.from_rows(gazetteer_rows())


def write_article(folder: Path, name: str, published: str, text: str) -> Path:
    """An article file in the corpus format: a ` date` header line, then the text."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f" date {published}\n{text}\n", encoding="utf-8")
    return path


def make_article(text: str, published: dt.date, precision: str = "day", *, name: str = "a.txt") -> Article:
    """An Article parsed from text, as if read from a file called ``name`` (dated to the month if asked)."""
    stamp = published.isoformat() if precision == "day" else published.isoformat()[:7]
    return parse_article(f" date {stamp}\n{text}".encode(), path=name)


def write_report_articles(folder: Path, count: int, *, places: tuple[str, ...] = ("Zvečan", "Leposavić")) -> list[Path]:
    """``count`` short, distinct articles reporting events at ``places`` on a few days, for ingest runs."""
    days = ("on Friday", "on 20 May", "in May 2023", "yesterday", "on 2 April")
    return [
        write_article(
            folder,
            f"{i:04d}.txt",
            "2023-05-27",
            f"Report {i}: protesters gathered in {places[i % len(places)]}, Kosovo, {days[i // len(places) % len(days)]}."
            f" Police said {i} people were detained in {places[(i + 1) % len(places)]} on Thursday.",
        )
        for i in range(count)
    ]


def summary_counts(output: str) -> dict[str, int]:
    """The counts of the summary table ``python -m dashboard ingest`` prints, by column name."""
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("┃"))
    names = [cell.strip() for cell in lines[header].strip("┃").split("┃")]
    row = next(line for line in lines[header + 1 :] if line.startswith("│"))
    values = [int(cell.strip().replace(",", "")) for cell in row.strip("│").split("│")]
    return dict(zip(names, values, strict=True))


def write_gazetteer_csv(path: Path) -> Path:
    """The fixture places as a gazetteer CSV file, for runs of the command line with ``--gazetteer``."""
    import csv

    rows = gazetteer_rows()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
