"""Reading the store while an ingest writes to it, as the app does while someone runs ``ingest``.

The reader is another process, opening the store afresh for every read as each rerun of the app does, and
never waiting for a lock: any read that had to wait for the writer fails (as reads do without WAL).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from dashboard.pipeline import ingest_paths
from dashboard.store import Store
from tests.helpers import small_gazetteer, write_report_articles

PROJECT_DIR = Path(__file__).resolve().parent.parent
ARTICLES = 60
READER = """
import json, sys
from pathlib import Path
from dashboard import store as store_module
store_module.BUSY_SECONDS = 0
db, stop = Path(sys.argv[1]), Path(sys.argv[2])
seen = []
while not stop.exists():
    with store_module.Store(db) as store:
        version, events = store.version(), store.events()
    assert all(event.sources for event in events)
    if not seen:
        print("reading", flush=True)
    seen.append((version, len(events)))
print(json.dumps(seen))
"""


def _start_reader(db: Path, stop: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-c", READER, str(db), str(stop)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_reader_process_sees_no_error_and_new_events_while_an_ingest_writes(tmp_path: Path) -> None:
    write_report_articles(tmp_path / "in", ARTICLES, places=("Zvečan", "Leposavić", "Zubin Potok", "Mitrovica"))
    db, stop = tmp_path / "events.db", tmp_path / "stop"
    # The writer's connection is open before the reader starts and until it stops: the last connection to
    # close a store tidies its write-ahead log under an exclusive lock, a wait the app's lock timeout covers.
    with Store(db) as store:
        reader = _start_reader(db, stop)
        try:
            assert reader.stdout is not None
            assert reader.stdout.readline() == "reading\n", "the reader failed before the ingest began"
            report = ingest_paths([tmp_path / "in"], store, small_gazetteer())
        finally:
            stop.touch()
            out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    assert report.new == ARTICLES
    seen = json.loads(out)
    versions = [version for version, _ in seen]
    assert versions == sorted(versions), "a reader never sees the store go back"
    assert len(set(versions)) > 3, "the reader saw the store change while the ingest ran, without a restart"
    assert [count for _, count in seen] == sorted(count for _, count in seen)
