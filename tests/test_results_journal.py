"""Finished journeys go to a journal as they finish; results.json is assembled from it, even after kill -9."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simsuite.results import JOURNAL_FILE, RESULTS_FILE, ResultsWriter, load_results

ROOT = Path(__file__).resolve().parent.parent


def journey(n: int) -> dict:
    return {"id": f"s/j/p{n}", "scenario": "s", "journey": "j", "mode": None, "outcome": "resolved", "index": 0.0,
            "frictions": [], "steps": []}


def test_a_closed_run_leaves_results_json_whole_and_no_journal(tmp_path):
    with ResultsWriter(tmp_path, {"seed": 1}) as writer:
        for n in range(40):
            writer.add(journey(n))
    assert not (tmp_path / JOURNAL_FILE).exists()
    doc = json.loads((tmp_path / RESULTS_FILE).read_text())
    assert len(doc["journeys"]) == 40 and doc["run"]["complete"] is True


def test_a_run_that_never_closed_is_read_whole_from_its_journal(tmp_path):
    writer = ResultsWriter(tmp_path, {"seed": 1})
    writer.ALWAYS_WRITTEN = 0
    writer._write_cost = 3600.0  # results.json is not rewritten again: only the journal knows
    for n in range(25):
        writer.add(journey(n))
    on_disk = json.loads((tmp_path / RESULTS_FILE).read_text())
    assert len(on_disk["journeys"]) < 25
    with open(tmp_path / JOURNAL_FILE, "a", encoding="utf-8") as fh:
        fh.write('{"journey": {"id": "cut sh')  # the line a crash cut short
    doc = load_results(tmp_path)
    assert [j["id"] for j in doc["journeys"]] == [f"s/j/p{n}" for n in range(25)]
    assert doc["run"]["complete"] is False and doc["run"]["seed"] == 1 and doc["summary"]["count"] == 25


def test_a_missing_or_torn_results_json_is_rebuilt_from_the_journal(tmp_path):
    writer = ResultsWriter(tmp_path, {"seed": 2})
    writer.add(journey(1))
    (tmp_path / RESULTS_FILE).write_text('{"schema": 2, "tool": {"na', encoding="utf-8")
    assert [j["id"] for j in load_results(tmp_path)["journeys"]] == ["s/j/p1"]
    (tmp_path / RESULTS_FILE).unlink()
    assert load_results(tmp_path / RESULTS_FILE)["run"]["seed"] == 2


@pytest.mark.e2e
def test_kill_9_mid_run_keeps_every_finished_journey(tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "simsuite.cli", "demo", "--mode", "as-is", "--no-explore",
                             "--no-history", "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    finished = 0
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline and finished < 3:
            line = proc.stdout.readline()
            if not line:
                break
            if line.lstrip().startswith("["):
                finished += 1
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert finished == 3
    doc = load_results(out)
    assert len(doc["journeys"]) >= 3 and doc["run"]["complete"] is False
    assert all(j.get("index") is not None for j in doc["journeys"])
