"""Tests for dashboard/pipeline.py: ingesting folders into a real store with a small gazetteer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.models import IngestReport, Problem
from dashboard.pipeline import PARALLEL_MIN_FILES, ingest_paths
from dashboard.store import Store
from dashboard.user_places import add_user_place, user_gazetteer_path
from tests.helpers import small_gazetteer, write_article, write_report_articles

GAZETTEER = small_gazetteer()
ZVECAN = "Clashes broke out in Zvečan, Kosovo, on Friday."
ZVECAN_AGAIN = "Police fired tear gas in Zvecan, Kosovo, on Friday. Talks in Belgrade ended on 20 May."
LEPOSAVIC = "Protests in Leposavić, Kosovo, on Friday."
MAY = "Tension grew in Zvečan, Kosovo, in May 2023."
VILLAGE = "Barricades went up in the village of Orlane, near Zvečan, Kosovo, on Friday."
SATURDAY = "2023-05-27"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "events.db") as opened:
        yield opened


def _ingest(store: Store, *paths: Path, **options: object) -> IngestReport:
    return ingest_paths(list(paths), store, GAZETTEER, **options)  # type: ignore[arg-type]


def _counts(report: IngestReport) -> dict[str, int]:
    return {
        "read": report.read, "new": report.new, "changed": report.changed, "unchanged": report.unchanged,
        "pruned": report.pruned, "problems": len(report.problems),
    }  # fmt: skip


def _places_by_article(store: Store) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for event in store.events():
        for source in event.sources:
            found.setdefault(source.article, set()).add(event.place.id)
    return found


def _contents(store: Store) -> list[tuple[object, ...]]:
    """Everything a reader sees, ids and places to review included, in a comparable form."""
    return [
        *[
            (
                e.id,
                e.key,
                e.related,
                e.summary,
                [(s.article, s.sentence, s.date_evidence, s.event_type) for s in e.sources],
            )
            for e in store.events()
        ],
        *store.unknown_places(),
    ]


def _add_orlane(db: Path) -> None:
    """Orlane, resolved by hand into the user gazetteer beside the store at ``db``."""
    add_user_place(user_gazetteer_path(db), name="Orlane", lat=42.8961, lon=21.2145, country="XK")


def test_ingest_counts_new_unchanged_and_problems(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    (tmp_path / "in" / "bad.txt").write_bytes(b"no header\n")
    first = _ingest(store, tmp_path / "in")
    assert _counts(first) == {"read": 2, "new": 1, "changed": 0, "unchanged": 0, "pruned": 0, "problems": 1}
    assert first.problems == (Problem(str(tmp_path / "in" / "bad.txt"), 1, first.problems[0].message),)
    assert first.events == store.event_count() == 2
    again = _ingest(store, tmp_path / "in")
    assert (again.read, again.new, again.unchanged, len(again.problems)) == (2, 0, 1, 1)
    assert store.problems() == list(first.problems)


def test_a_missing_path_is_a_problem_and_the_other_paths_are_still_read(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    report = _ingest(store, tmp_path / "nowhere", tmp_path / "in")
    assert (report.read, report.new) == (1, 1)
    assert [p.message for p in report.problems] == ["no such file or folder"]


def test_articles_are_stored_with_their_language(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "sr.txt", SATURDAY, "Neredi su izbili u Zvečanu na Kosovu u petak, kaže policija.")
    _ingest(store, tmp_path / "in")
    assert _places_by_article(store) == {"sr.txt": {"t:zvecan", "country:XK"}}


def test_reingesting_unchanged_files_writes_nothing(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    write_article(tmp_path / "in", "copy-of-a.txt", SATURDAY, ZVECAN)
    (tmp_path / "in" / "bad.txt").write_bytes(b"no header\n")
    _ingest(store, tmp_path / "in")
    version = store.version()
    with sqlite3.connect(tmp_path / "events.db") as watcher:
        before = watcher.execute("PRAGMA data_version").fetchone()
        again = _ingest(store, tmp_path / "in", prune=True)
        assert watcher.execute("PRAGMA data_version").fetchone() == before
    assert _counts(again) == {"read": 3, "new": 0, "changed": 0, "unchanged": 2, "pruned": 0, "problems": 1}
    assert store.version() == version


def test_a_changed_file_replaces_only_its_own_events(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    write_article(tmp_path / "in", "b.txt", SATURDAY, ZVECAN_AGAIN)
    _ingest(store, tmp_path / "in")
    write_article(tmp_path / "in", "b.txt", SATURDAY, LEPOSAVIC)
    report = _ingest(store, tmp_path / "in")
    assert (report.new, report.changed, report.unchanged) == (0, 1, 1)
    assert _places_by_article(store) == {"a.txt": {"t:zvecan", "country:XK"}, "b.txt": {"t:leposavic", "country:XK"}}


def test_prune_removes_what_came_from_files_that_are_gone(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    gone = write_article(tmp_path / "in", "sub/b.txt", SATURDAY, ZVECAN_AGAIN)
    broken = tmp_path / "in" / "bad.txt"
    broken.write_bytes(b"no header\n")
    write_article(tmp_path / "elsewhere", "c.txt", SATURDAY, LEPOSAVIC)
    _ingest(store, tmp_path / "in", tmp_path / "elsewhere")
    gone.unlink()
    broken.unlink()
    kept = _ingest(store, tmp_path / "in")
    assert kept.pruned == 0
    assert "b.txt" in _places_by_article(store)
    pruned = _ingest(store, tmp_path / "in", prune=True)
    assert (pruned.pruned, pruned.unchanged) == (1, 1)
    assert _places_by_article(store) == {
        "a.txt": {"t:zvecan", "country:XK"},
        "c.txt": {"t:leposavic", "country:XK"},  # not under the path given: left alone
    }
    assert store.problems() == []
    assert pruned.events == store.event_count() == 3


def test_a_duplicate_text_under_a_second_name_adds_nothing(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    _ingest(store, tmp_path / "in")
    before = _contents(store)
    write_article(tmp_path / "in", "z-copy.txt", SATURDAY, ZVECAN)
    report = _ingest(store, tmp_path / "in")
    assert (report.new, report.unchanged) == (0, 2)
    assert store.article_count() == 1
    assert _contents(store) == before


def test_two_copies_of_a_new_text_in_one_run_make_one_article(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    write_article(tmp_path / "in", "b.txt", SATURDAY, ZVECAN)
    report = _ingest(store, tmp_path / "in")
    assert (report.new, report.unchanged) == (1, 1)
    assert _places_by_article(store) == {"a.txt": {"t:zvecan", "country:XK"}}


def test_two_articles_on_the_same_event_merge_with_both_sources(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    write_article(tmp_path / "in", "b.txt", "2023-05-28", "Police fired tear gas in Zvecan, Kosovo, on 26 May 2023.")
    _ingest(store, tmp_path / "in")
    (zvecan,) = [e for e in store.events() if e.place.id == "t:zvecan"]
    assert zvecan.date_label == "2023-05-26"
    assert {s.article: s.sentence for s in zvecan.sources} == {
        "a.txt": ZVECAN,
        "b.txt": "Police fired tear gas in Zvecan, Kosovo, on 26 May 2023.",
    }


def test_a_month_report_is_its_own_event_related_to_the_day_events_inside_it(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    write_article(tmp_path / "in", "may.txt", SATURDAY, MAY)
    _ingest(store, tmp_path / "in")
    zvecan = {e.precision: e for e in store.events() if e.place.id == "t:zvecan"}
    assert [s.article for s in zvecan["month"].sources] == ["may.txt"]
    assert zvecan["month"].related == (zvecan["day"].id,)


def test_a_file_edited_to_repeat_another_file_drops_its_old_events(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    write_article(tmp_path / "in", "b.txt", SATURDAY, LEPOSAVIC)
    _ingest(store, tmp_path / "in")
    write_article(tmp_path / "in", "a.txt", SATURDAY, LEPOSAVIC)
    _ingest(store, tmp_path / "in")
    assert "t:zvecan" not in {event.place.id for event in store.events()}


def test_a_stored_file_that_becomes_unreadable_is_a_problem_and_loses_its_events(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    path = write_article(tmp_path / "in", "b.txt", SATURDAY, LEPOSAVIC)
    _ingest(store, tmp_path / "in")
    path.write_bytes(b"Protests, but no date line\n")
    report = _ingest(store, tmp_path / "in")
    assert [p.path for p in report.problems] == [str(path)]
    assert _places_by_article(store) == {"a.txt": {"t:zvecan", "country:XK"}}
    write_article(tmp_path / "in", "b.txt", SATURDAY, LEPOSAVIC)
    assert _ingest(store, tmp_path / "in").problems == ()
    assert store.problems() == []


def test_an_unknown_village_is_kept_for_review_until_the_user_gazetteer_has_it(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, VILLAGE)
    _ingest(store, tmp_path / "in")
    (village,) = store.unknown_places()
    assert (village.name, village.mentions, village.sentence) == ("Orlane", 1, VILLAGE)
    assert _places_by_article(store) == {"a.txt": {"t:zvecan", "country:XK"}}
    _add_orlane(store.path)
    write_article(tmp_path / "in", "b.txt", SATURDAY, VILLAGE.replace("Barricades", "Roadblocks"))
    _ingest(store, tmp_path / "in")
    assert _places_by_article(store)["b.txt"] == {"user:orlane", "t:zvecan", "country:XK"}
    assert [(p.name, p.article) for p in store.unknown_places()] == [("Orlane", "a.txt")], "a.txt is unchanged"


def _varied_articles(folder: Path, count: int) -> None:
    """``count`` article files about a few places and days, one of them known only to the user gazetteer and one
    in no gazetteer, with a copy and an unreadable file among them."""
    places = ("Zvečan", "Leposavić", "Zubin Potok", "Mitrovica", "Orlane", "Kamenolom")
    (first, *_) = write_report_articles(folder, count - 2, places=places)
    (folder / "copy.txt").write_bytes(first.read_bytes())
    (folder / "zz-bad.txt").write_bytes(b"\x00binary")


def test_a_parallel_ingest_stores_exactly_what_a_sequential_one_does(tmp_path: Path) -> None:
    _varied_articles(tmp_path / "in", PARALLEL_MIN_FILES + 2)
    seen: list[tuple[int, int]] = []
    with Store(tmp_path / "one.db") as one, Store(tmp_path / "two.db") as two:
        _add_orlane(one.path)
        _add_orlane(two.path)
        sequential = _ingest(one, tmp_path / "in")
        parallel = _ingest(two, tmp_path / "in", workers=2, progress=lambda done, total, _: seen.append((done, total)))
        assert _counts(parallel) == _counts(sequential)
        assert (parallel.new, parallel.unchanged, len(parallel.problems)) == (PARALLEL_MIN_FILES, 1, 1)
        assert _contents(two) == _contents(one)
        assert "user:orlane" in {e.place.id for e in two.events()}, "the workers read the user gazetteer"
        assert [p.name for p in two.unknown_places()] == ["Kamenolom"], "the workers send the unknown places"
        assert seen == [(n, PARALLEL_MIN_FILES + 2) for n in range(1, PARALLEL_MIN_FILES + 3)]
        again = _ingest(two, tmp_path / "in", workers=2)
        assert (again.new, again.unchanged) == (0, PARALLEL_MIN_FILES + 1)


def test_a_copy_skipped_for_an_original_that_then_changes_is_stored_itself(tmp_path: Path, store: Store) -> None:
    write_article(tmp_path / "in", "a.txt", SATURDAY, ZVECAN)
    _ingest(store, tmp_path / "in")
    write_article(tmp_path / "in", "0-copy.txt", SATURDAY, ZVECAN)  # read before a.txt, while a.txt holds its text
    write_article(tmp_path / "in", "a.txt", SATURDAY, LEPOSAVIC)
    report = _ingest(store, tmp_path / "in")
    assert (report.new, report.changed, report.unchanged) == (1, 1, 0)
    assert _places_by_article(store) == {
        "0-copy.txt": {"t:zvecan", "country:XK"},
        "a.txt": {"t:leposavic", "country:XK"},
    }
