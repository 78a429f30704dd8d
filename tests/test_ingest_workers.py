"""Tests for what makes parallel ingest cheap and safe: dashboard/gazetteer_cache.py and dashboard/workers.py."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard import gazetteer_cache
from dashboard.errors import DashboardError, GazetteerError
from dashboard.gazetteer import Gazetteer
from dashboard.gazetteer_cache import cache_file, cached_gazetteer
from dashboard.pipeline import PARALLEL_MIN_FILES, ingest_paths
from dashboard.store import Store
from dashboard.user_places import add_user_place, user_gazetteer_path
from tests.helpers import write_gazetteer_csv, write_report_articles


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    return write_gazetteer_csv(tmp_path / "places.csv")


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Forget the gazetteers this process loaded, as a new process (a worker) would start without them."""
    monkeypatch.setattr(gazetteer_cache, "_loaded", {})
    yield


def _load(csv_path: Path, folder: Path) -> set[str]:
    gazetteer_cache._loaded.clear()
    return set(cached_gazetteer(csv_path, folder=folder, min_bytes=0).places)


def test_the_index_is_pickled_once_and_read_back(csv_file: Path, tmp_path: Path, fresh_process: None) -> None:
    cache = tmp_path / "cache"
    built = _load(csv_file, cache)
    pickled = cache_file(csv_file, cache)
    assert pickled.exists()
    assert pickled.stat().st_mode & 0o077 == 0, "only this user may read or write the pickle"
    stamp = pickled.stat().st_mtime_ns
    assert _load(csv_file, cache) == built == {"t:zvecan", "t:leposavic", "t:zubin-potok", "t:mitrovice",
                                                "country:XK", "country:RS", "t:belgrade", "t:march"}  # fmt: skip
    assert pickled.stat().st_mtime_ns == stamp, "read, not rebuilt"


def test_a_changed_csv_is_loaded_anew(csv_file: Path, tmp_path: Path, fresh_process: None) -> None:
    cache = tmp_path / "cache"
    _load(csv_file, cache)
    old = cache_file(csv_file, cache)
    lines = csv_file.read_text(encoding="utf-8").splitlines()
    csv_file.write_text("\n".join(line for line in lines if "t:belgrade" not in line) + "\n", encoding="utf-8")
    assert "t:belgrade" not in _load(csv_file, cache)
    assert cache_file(csv_file, cache) != old


@pytest.mark.parametrize("damage", ["garbage", "not a gazetteer", "writable by others"])
def test_a_pickle_that_is_damaged_or_not_safe_to_read_is_rebuilt(
    csv_file: Path, tmp_path: Path, fresh_process: None, damage: str
) -> None:
    cache = tmp_path / "cache"
    expected = _load(csv_file, cache)
    pickled = cache_file(csv_file, cache)
    if damage == "garbage":
        pickled.write_bytes(b"\x80\x05 not a pickle")
    elif damage == "not a gazetteer":
        pickled.write_bytes(pickle.dumps({"t:zvecan": "somewhere else"}))
    else:
        pickled.write_bytes(pickle.dumps(Gazetteer([])))  # well-formed, but anyone could have put it there
        pickled.chmod(0o666)
    assert _load(csv_file, cache) == expected
    assert pickle.loads(pickled.read_bytes()).places.keys() == expected


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    csv_file: Path, tmp_path: Path, fresh_process: None
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert "t:zvecan" in _load(csv_file, blocked / "cache")


def test_a_missing_gazetteer_stops_the_ingest_with_its_name(tmp_path: Path) -> None:
    write_report_articles(tmp_path / "in", 3)
    with Store(tmp_path / "events.db") as store, pytest.raises(GazetteerError, match=r"nowhere\.csv"):
        ingest_paths([tmp_path / "in"], store, tmp_path / "nowhere.csv")


def test_an_error_in_a_worker_stops_the_run_with_its_message_and_writes_nothing(tmp_path: Path) -> None:
    write_report_articles(tmp_path / "in", PARALLEL_MIN_FILES)
    with Store(tmp_path / "events.db") as store:
        with pytest.raises(DashboardError, match=r"nowhere\.csv"):
            ingest_paths([tmp_path / "in"], store, tmp_path / "nowhere.csv", workers=2)
        assert store.article_count() == 0


def test_workers_loading_the_csv_add_the_user_gazetteer_beside_the_store(csv_file: Path, tmp_path: Path) -> None:
    write_report_articles(tmp_path / "in", PARALLEL_MIN_FILES, places=("Zvečan", "Orlane"))
    with Store(tmp_path / "events.db") as store:
        add_user_place(user_gazetteer_path(store.path), name="Orlane", lat=42.8961, lon=21.2145, country="XK")
        ingest_paths([tmp_path / "in"], store, csv_file, workers=2)
        assert {e.place.id for e in store.events()} == {"t:zvecan", "user:orlane", "country:XK"}


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership is a POSIX notion")
def test_the_default_cache_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DASHBOARD_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    from dashboard.config import cache_dir

    assert cache_dir() == tmp_path / "xdg" / "news-event-map"
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "chosen"))
    assert cache_dir() == tmp_path / "chosen"
