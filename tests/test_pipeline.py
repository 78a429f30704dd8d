"""Tests for dashboard/pipeline.py: ingesting folders into a real store with a small gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.models import Problem
from dashboard.pipeline import ingest_paths
from dashboard.store import Store
from tests.helpers import small_gazetteer, write_article

GAZETTEER = small_gazetteer()
ZVECAN = "Clashes broke out in Zvečan, Kosovo, on Friday."
LEPOSAVIC = "Protests in Leposavić, Kosovo, on Friday."


@pytest.fixture
def store(tmp_path: Path) -> Store:
    with Store(tmp_path / "events.db") as opened:
        yield opened


def _places_by_article(store: Store) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for event in store.events():
        for source in event.sources:
            found.setdefault(source.article, set()).add(event.place.id)
    return found


def test_ingest_counts_new_unchanged_and_problems(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", "2023-05-27", ZVECAN)
    (tmp_path / "in" / "bad.txt").write_bytes(b"no header\n")
    first = ingest_paths([tmp_path / "in"], store, GAZETTEER)
    assert (first.read, first.new, first.unchanged) == (2, 1, 0)
    assert first.problems == (Problem(str(tmp_path / "in" / "bad.txt"), 1, first.problems[0].message),)
    again = ingest_paths([tmp_path / "in"], store, GAZETTEER)
    assert (again.read, again.new, again.unchanged) == (2, 0, 1)
    assert store.problems() == list(first.problems)


def test_a_missing_path_is_a_problem_not_a_crash(tmp_path: Path, store: Store) -> None:
    report = ingest_paths([tmp_path / "nowhere"], store, GAZETTEER)
    assert report.read == 0
    assert [p.message for p in report.problems] == ["no such file or folder"]


def test_articles_are_stored_with_their_language(tmp_path: Path, store: Store) -> None:
    write_article(
        tmp_path / "in", "sr.txt", "2023-05-27", "Neredi su izbili u Zvečanu na Kosovu u petak, kaže policija."
    )
    ingest_paths([tmp_path / "in"], store, GAZETTEER)
    assert _places_by_article(store) == {"sr.txt": {"t:zvecan", "country:XK"}}


def test_a_file_edited_to_repeat_another_file_drops_its_old_events(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", "2023-05-27", ZVECAN)
    write_article(tmp_path / "in", "b.txt", "2023-05-27", LEPOSAVIC)
    ingest_paths([tmp_path / "in"], store, GAZETTEER)
    write_article(tmp_path / "in", "a.txt", "2023-05-27", LEPOSAVIC)
    ingest_paths([tmp_path / "in"], store, GAZETTEER)
    assert "t:zvecan" not in {event.place.id for event in store.events()}
