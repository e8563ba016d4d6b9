"""Outputs survive faults: a damaged or unreachable history, and Ctrl-C, still leave results and a report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simsuite import RunConfig, TargetConfig, run
from simsuite.history import History

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e
JOURNEY = (ROOT / "journeys" / "report_outage_in_a_fire.py",)


def config(tmp_path: Path, history: str, out: str = "out") -> RunConfig:
    return RunConfig(target=TargetConfig(demo=("recovered",)), out=tmp_path / out, journeys=JOURNEY, only_given=True,
                     explore=False, history=history, fail_over_budget=False)


@pytest.mark.parametrize("damage", ["random bytes", "truncated"])
def test_a_damaged_history_is_set_aside_and_the_run_keeps_its_report(tmp_path, damage):
    history = tmp_path / "history.sqlite"
    if damage == "random bytes":
        history.write_bytes(os.urandom(8192))
    else:
        run(config(tmp_path, str(history), "first"), log=lambda _: None)
        with History(str(history)) as store:  # fold the WAL in, so the file itself holds the runs
            store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = history.read_bytes()
        history.write_bytes(data[: len(data) // 2] + os.urandom(2048))
    lines: list[str] = []
    report = run(config(tmp_path, str(history)), log=lines.append)
    said = "\n".join(lines)
    assert report.report is not None and report.report.is_file()
    assert json.loads((tmp_path / "out" / "results.json").read_text())["journeys"]
    aside = sorted(tmp_path.glob("history.sqlite.damaged-*"))
    if aside:  # SQLite noticed the damage: the file was set aside and a new history holds this run
        assert "set aside" in said and "new one started" in said
        with History(str(history)) as store:
            assert len(store.runs()) == 1
    else:  # the damage was past what SQLite reads: the history simply took the run
        assert report.doc["history"].get("run_id")
    assert damage == "truncated" or aside, said


def test_an_unreachable_history_server_is_said_and_the_report_is_kept(tmp_path):
    pytest.importorskip("psycopg")
    lines: list[str] = []
    report = run(config(tmp_path, "postgresql://cx:s3cr3t-pw@127.0.0.1:9/history"), log=lines.append)
    assert report.report is not None and report.report.is_file()
    assert "not kept in the history" in "\n".join(lines)
    written = (tmp_path / "out" / "results.json").read_text() + report.report.read_text() + "\n".join(lines)
    assert "s3cr3t-pw" not in written
    assert "error" in report.doc["history"]


def test_ctrl_c_keeps_the_finished_journeys_and_their_report(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "simsuite.cli", "demo", "--mode", "as-is", "--no-explore",
                             "--no-history", "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    finished, output = 0, []
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and finished < 2:
        line = proc.stdout.readline()
        if not line:
            break
        output.append(line)
        finished += line.lstrip().startswith("[")
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=120)
    text = "".join(output) + rest
    assert proc.returncode == 130, text
    assert "interrupted after" in text and "report" in text
    doc = json.loads((out / "results.json").read_text())
    assert len(doc["journeys"]) >= 2 and doc["run"]["complete"] is False
    assert (out / "report.html").is_file()
