"""Run history: recording and reading runs, concurrent writers, old schemas, URLs, PostgreSQL."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from simsuite.errors import SimsuiteError
from simsuite.history import (
    DEFAULT_HISTORY, SCHEMA_VERSION, History, HistoryError, default_target, history_location,
)
from simsuite.core.index import kafkaesque_index
from simsuite.model import Friction, FrictionKind, JourneyResult, Outcome, Step
from simsuite.results import SCHEMA_VERSION as RESULTS_SCHEMA
from simsuite.suite import summarize


def journey(scenario: str = "lab-reschedule", mode: str | None = "as-is", persona_id: str = "p0",
            outcome: Outcome = Outcome.UNRESOLVED, frictions: list[Friction] | None = None) -> dict[str, Any]:
    """A realistic journey dict, scored by the real index."""
    steps = [
        Step(0, "web", "goto", "open the booking page", text="Book or manage your test", at=0.0, status=200,
             url="/lab/"),
        Step(1, "web", "click", "Reschedule", text="Rescheduling is not available online. Call 1-800-LAB.",
             at=30.0, status=200, url="/lab/reschedule"),
    ]
    if frictions is None:
        frictions = [Friction(FrictionKind.DEAD_END, 1, "web", "Rescheduling is not available online.")]
    index, components = kafkaesque_index(outcome, frictions)
    return JourneyResult(
        scenario=scenario, journey="reschedule", mode=mode,
        persona={"id": persona_id, "name": "Ada Lovelace", "channels": ["web"], "knows": ["name"],
                 "situation": [], "records": {}},
        outcome=outcome, outcome_detail="gave up", index=index, components=components, frictions=frictions,
        steps=steps, simulated_minutes=5.0, started="2024-01-01T00:00:00+00:00", wall_seconds=0.1,
    ).to_dict()


def document(started: str, journeys: list[dict[str, Any]], seed: int = 1,
             targets: Any = None) -> dict[str, Any]:
    """A finished results document like ResultsWriter.close() returns."""
    return {
        "schema": RESULTS_SCHEMA,
        "tool": {"name": "simsuite", "version": "0.1.0"},
        "run": {"seed": seed, "targets": targets if targets is not None else [], "modes": ["as-is"],
                "started": started, "finished": started, "complete": True},
        "journeys": journeys,
        "maps": [],
        "summary": summarize(journeys),
    }


def two_docs() -> tuple[dict[str, Any], dict[str, Any]]:
    first = document("2024-01-01T10:00:00+00:00", [journey(), journey(persona_id="p1", outcome=Outcome.RESOLVED)])
    second = document("2024-01-02T10:00:00+00:00", [
        journey(), journey(scenario="telecom-fire", persona_id="p0",
                           frictions=[Friction(FrictionKind.TRANSFER, 1, "phone", "Transferring you to billing.")]),
    ], seed=2)
    return first, second


def test_history_location(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SIMSUITE_HISTORY", raising=False)
    assert history_location(None) == DEFAULT_HISTORY == "reports/history.sqlite"
    monkeypatch.setenv("SIMSUITE_HISTORY", "/tmp/x.sqlite")
    assert history_location(None) == "/tmp/x.sqlite"
    assert history_location("given.sqlite") == "given.sqlite"


def test_default_target() -> None:
    assert default_target({"run": {}}) == "demo"
    assert default_target({"run": {"targets": ["staging"]}}) == "staging"
    demo = [{"mode": "as-is", "base_url": "http://127.0.0.1:40111"},
            {"mode": "recovered", "base_url": "http://127.0.0.1:40999"}]
    assert default_target({"run": {"targets": demo}}) == "http://127.0.0.1"
    assert default_target({"run": {"targets": [{"base_url": "https://staging.example.com/"}]}}) \
        == "https://staging.example.com"


def test_record_and_read_back(tmp_path: Path) -> None:
    first, second = two_docs()
    path = tmp_path / "deep" / "history.sqlite"
    with History(path) as h:
        a = h.record(first)
        b = h.record(second)
        assert first["run"].get("id") is None  # the caller's document is untouched
        runs = h.runs()
        assert [r["id"] for r in runs] == [b, a]
        assert set(runs[0]) == {"id", "started", "finished", "target", "seed", "version", "git_revision",
                                "mean_index", "journeys"}
        assert runs[0]["seed"] == 2 and runs[0]["target"] == "demo" and runs[0]["version"] == "0.1.0"
        assert runs[0]["journeys"] == 2
        assert runs[0]["mean_index"] == second["summary"]["mean_index"]
        assert runs[1]["mean_index"] == first["summary"]["mean_index"]
        assert runs[0]["git_revision"] == h.load(b)["run"]["git_revision"]

        loaded = h.load(a[:5])
        assert loaded["journeys"] == first["journeys"] and loaded["run"]["id"] == a
        assert h.load("latest")["run"]["id"] == b
        assert h.load("previous")["run"]["id"] == a
        assert h.previous(b) == runs[1]
        assert h.previous(a) is None
        assert h.runs(limit=1) == runs[:1]
        assert h.runs(target="nowhere") == []

        trend = h.trend()
        assert [p["id"] for p in trend["runs"]] == [a, b]
        assert set(trend["runs"][0]) == {"id", "started", "mean_index"}
        assert sorted(trend["scenarios"]) == ["lab-reschedule (as-is)", "telecom-fire (as-is)"]
        assert [p["id"] for p in trend["scenarios"]["lab-reschedule (as-is)"]] == [a, b]
        assert [p["id"] for p in trend["scenarios"]["telecom-fire (as-is)"]] == [b]
        first_lab = [r for r in first["summary"]["by_scenario"] if r["scenario"] == "lab-reschedule"][0]
        assert trend["scenarios"]["lab-reschedule (as-is)"][0]["mean_index"] == first_lab["mean_index"]
        assert h.trend(limit=1)["runs"] == [{"id": b, "started": second["run"]["started"],
                                             "mean_index": second["summary"]["mean_index"]}]

    with History(path) as h:  # reopening keeps everything
        assert len(h.runs()) == 2 and h.schema_version() == SCHEMA_VERSION


def test_targets_keep_separate_histories(tmp_path: Path) -> None:
    first, second = two_docs()
    with History(tmp_path / "h.sqlite") as h:
        a = h.record(first, target="staging")
        h.record(second, target="production")
        c = h.record(second, target="staging")
        assert [r["id"] for r in h.runs(target="staging")] == [c, a]
        assert h.previous(c)["id"] == a
        assert [p["id"] for p in h.trend(target="staging")["runs"]] == [a, c]


def test_unknown_and_ambiguous_run_ids(tmp_path: Path) -> None:
    first, second = two_docs()
    with History(tmp_path / "h.sqlite") as h:
        with pytest.raises(HistoryError, match="no runs recorded yet"):
            h.load("latest")
        a = h.record(first)
        b = h.record(second)
        with pytest.raises(HistoryError) as err:
            h.load("zzz-not-a-run")
        assert isinstance(err.value, SimsuiteError)
        assert a in str(err.value) and b in str(err.value) and "zzz-not-a-run" in str(err.value)
        with pytest.raises(HistoryError, match="no run id given"):
            h.load("  ")
        third = {**first, "run": {**first["run"], "started": "2024-01-03T10:00:00+00:00"}}
        h.record(third, target="other")
        with pytest.raises(HistoryError, match="no previous run"):
            h.load("previous")


def test_sqlite_url(tmp_path: Path) -> None:
    first, _ = two_docs()
    path = tmp_path / "url.sqlite"
    with History(f"sqlite:///{path}") as h:  # absolute path: sqlite:////tmp/...
        run_id = h.record(first)
    with History(path) as h:
        assert h.load(run_id)["journeys"] == first["journeys"]
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        with History("sqlite:///relative/h.sqlite") as h:
            h.record(first)
        assert (tmp_path / "relative" / "h.sqlite").exists()
    finally:
        os.chdir(old)
    with pytest.raises(HistoryError, match="unsupported history URL"):
        History("mysql://user:secret@db/history")


def test_wal_mode_and_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with History(path) as h:
        h.record(two_docs()[0])
        assert h._db.execute("PRAGMA busy_timeout")[0][0] >= 10_000  # type: ignore[attr-defined]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


WRITER = textwrap.dedent("""
    import json, os, sys, time
    from simsuite.history import History
    path, tag, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    doc = json.loads(open(sys.argv[4]).read())
    go = sys.argv[4] + ".go"
    deadline = time.monotonic() + 60
    while not os.path.exists(go) and time.monotonic() < deadline:  # start together
        time.sleep(0.005)
    with History(path) as h:
        for i in range(n):
            doc["run"]["seed"] = i
            h.record(doc, target=tag)
    print("done", tag)
""")


def test_four_processes_writing_at_once(tmp_path: Path) -> None:
    first, _ = two_docs()
    doc_file = tmp_path / "doc.json"
    doc_file.write_text(json.dumps(first))
    path = tmp_path / "shared.sqlite"  # no process finds a schema: all race to create it too
    writers = [f"writer-{name}" for name in "abcd"]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag, "10", str(doc_file)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag in writers]
    time.sleep(0.5)
    Path(f"{doc_file}.go").touch()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with History(path) as h:
        runs = h.runs(limit=1000)
        assert len(runs) == 40 and len({r["id"] for r in runs}) == 40
        for tag in writers:
            assert sorted(r["seed"] for r in h.runs(limit=100, target=tag)) == list(range(10))
        assert len(h.trend(limit=100)["scenarios"]["lab-reschedule (as-is)"]) == 40
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 40
    seqs = [r[0] for r in conn.execute("SELECT seq FROM runs ORDER BY seq")]
    assert seqs == list(range(1, 41))
    conn.close()


def make_v1_database(path: Path, docs: list[tuple[str, dict[str, Any]]]) -> None:
    """A history file as simsuite's first history layout wrote it: no git_revision, no per-scenario rows."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE runs (id TEXT PRIMARY KEY, started TEXT, finished TEXT, target TEXT NOT NULL,
                           seed INTEGER, version TEXT, mean_index REAL, journeys INTEGER NOT NULL,
                           document TEXT NOT NULL);
    """)
    for run_id, doc in docs:
        conn.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (run_id, doc["run"]["started"], doc["run"]["finished"], "demo", doc["run"]["seed"],
                      "0.0.9", doc["summary"]["mean_index"], len(doc["journeys"]), json.dumps(doc)))
    conn.commit()
    conn.close()


def test_v1_database_is_migrated_and_its_runs_still_load(tmp_path: Path) -> None:
    first, second = two_docs()
    path = tmp_path / "old.sqlite"
    make_v1_database(path, [("old000000001", first), ("old000000002", second)])
    with History(path) as h:
        assert h.schema_version() == SCHEMA_VERSION == 3
        runs = h.runs()
        assert [r["id"] for r in runs] == ["old000000002", "old000000001"]
        assert runs[0]["git_revision"] is None and runs[0]["version"] == "0.0.9"
        with pytest.raises(HistoryError, match="ambiguous") as err:
            h.load("old0000000")
        assert "old000000001" in str(err.value) and "old000000002" in str(err.value)
        assert h.load("old000000002")["run"]["id"] == "old000000002"  # v1 documents lack run.id
        assert h.load("old000000001")["journeys"] == first["journeys"]
        assert h.previous("old000000002")["id"] == "old000000001"
        trend = h.trend()
        assert [p["id"] for p in trend["scenarios"]["lab-reschedule (as-is)"]] == ["old000000001", "old000000002"]
        assert [p["id"] for p in trend["modes"]["as-is"]] == ["old000000001", "old000000002"]  # filled by v2 -> v3
        new = h.record(second)
        assert [r["id"] for r in h.runs()][0] == new
        assert h.previous(new)["id"] == "old000000002"
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "3"
    assert {"git_revision", "seq", "recorded"} <= {r[1] for r in conn.execute("PRAGMA table_info(runs)")}
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    with History(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(HistoryError, match="newer than this simsuite"):
        History(path)


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(HistoryError, match="not a usable SQLite history"):
        History(path)


# ---------------------------------------------------------------------------------------------------
# PostgreSQL: a throwaway server when initdb and psycopg are available, else skipped.


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    pytest.importorskip("psycopg")
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl)")
    prefix: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # initdb refuses to run as root
        runuser = shutil.which("runuser")
        if not runuser:
            pytest.skip("running as root without runuser")
        prefix = [runuser, "-u", "nobody", "--"]
    base = Path(tempfile.mkdtemp(prefix="simsuite-pg-"))
    os.chmod(base, 0o777)
    data = base / "data"
    port = _free_port()
    try:
        subprocess.run([*prefix, initdb, "-D", str(data), "-U", "simsuite", "--auth=trust", "-E", "UTF8"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60",
                        "-o", f"-p {port} -k {base} -c listen_addresses=127.0.0.1", "start"],
                       check=True, capture_output=True, timeout=120)
    except (subprocess.SubprocessError, OSError) as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"could not start a PostgreSQL server: {exc}")
    try:
        yield f"postgresql://simsuite@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True,
                       timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def test_postgresql_url(postgres_url: str, tmp_path: Path) -> None:
    first, second = two_docs()
    with History(postgres_url) as h:
        a = h.record(first)
        b = h.record(second)
        assert [r["id"] for r in h.runs()][:2] == [b, a]
        assert h.load(a[:6])["journeys"] == first["journeys"]
        assert h.previous(b)["id"] == a
        assert [p["id"] for p in h.trend()["runs"]][-2:] == [a, b]
    with History(postgres_url.replace("postgresql://", "postgresql+psycopg://")) as h:
        assert h.load("latest")["run"]["id"] == b
        with pytest.raises(HistoryError, match="known runs"):
            h.load("nope")
    doc_file = tmp_path / "doc.json"
    doc_file.write_text(json.dumps(first))
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, postgres_url, tag, "10", str(doc_file)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag in ("pg-a", "pg-b")]
    time.sleep(0.5)
    Path(f"{doc_file}.go").touch()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with History(postgres_url) as h:
        assert len(h.runs(limit=100, target="pg-a")) == 10 and len(h.runs(limit=100, target="pg-b")) == 10
        seqs = sorted(r[0] for r in h._db.execute("SELECT seq FROM runs"))  # type: ignore[attr-defined]
        assert seqs == list(range(1, len(seqs) + 1))
