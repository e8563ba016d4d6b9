"""What a run shows while it runs and when it ends: live progress, counted lines, --quiet and --json."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simsuite.core.progress import LineProgress, journey_label
from simsuite.terminal import LiveProgress, choose_progress, verdict, verdict_line

ROOT = Path(__file__).resolve().parent.parent


def test_counted_lines_name_the_journey_its_index_outcome_and_elapsed_time():
    lines: list[str] = []
    progress = LineProgress(lines.append)
    progress.planned(3)
    label = journey_label("as-is", "lab-reschedule", "reschedule")
    progress.started(label)
    progress.finished(label, 89.6, "resolved")
    progress.finished(journey_label(None, "s", "j"), None, "error")
    assert lines[0] == "simsuite: 3 journeys to run"
    assert lines[1].startswith("  [1/3 ") and "89.6  resolved" in lines[1] and "lab-reschedule / reschedule (as-is)" in lines[1]
    assert "[2/3 " in lines[2] and "error  error" in lines[2] and "(target)" in lines[2]
    assert progress.elapsed() == "0:00"


def test_the_live_display_prints_each_finished_journey_above_the_bar():
    stream = io.StringIO()
    progress = LiveProgress(stream)
    progress.planned(2)
    progress.started("a / b (as-is)")
    progress.finished("a / b (as-is)", 12.5, "unresolved")
    progress.note("explored ivr /x: 3 states")
    progress.close()
    text = stream.getvalue()
    assert "12.5" in text and "unresolved" in text and "a / b (as-is)" in text and "explored ivr /x" in text


def test_quiet_shows_nothing_and_a_pipe_gets_lines():
    assert type(choose_progress(True)).__name__ == "Progress"
    assert isinstance(choose_progress(False, io.StringIO()), LineProgress)


def test_the_verdict_counts_what_went_wrong():
    doc = {"run": {"id": "r1"}, "summary": {"mean_index": 50.0, "by_mode": {"as-is": {"mean_index": 50.0}},
                                            "fix_first": [{"rank": 1, "kind": "dead_end", "words": "No.",
                                                           "where": "chat", "customers": 1, "drop": 9.0}]},
           "journeys": [{"id": "a", "outcome": "resolved", "budget_violations": ["index 50 > 40"]},
                        {"id": "b", "outcome": "error", "error": "site down"}]}
    v = verdict(doc, 3, "/r/report.html")
    assert v["over_budget"] == ["a"] and v["could_not_run"] == [{"id": "b", "error": "site down"}]
    assert v["fix_first"][0]["drop"] == 9.0 and v["outcomes"] == {"error": 1, "resolved": 1}
    line = verdict_line(v)
    assert "as-is 50.0" in line and "1 could not run" in line and "1 over budget" in line and "(exit 3)" in line


@pytest.mark.e2e
def test_json_prints_only_the_verdict_on_stdout(tmp_path, simsuite_cli):
    out = tmp_path / "run"
    done = simsuite_cli("demo", "--mode", "recovered", "--no-explore", "--json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    v = json.loads(done.stdout)  # nothing else on stdout
    doc = json.loads((out / "results.json").read_text())
    assert v["by_mode"] == {"recovered": doc["summary"]["by_mode"]["recovered"]["mean_index"]}
    assert v["journeys"] == len(doc["journeys"]) > 0 and v["report"].endswith("report.html")


@pytest.mark.e2e
def test_quiet_prints_one_line(tmp_path, simsuite_cli):
    out = tmp_path / "run"
    done = simsuite_cli("demo", "--mode", "as-is", "--no-explore", "--quiet", "--out", str(out))
    doc = json.loads((out / "results.json").read_text())
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout
    assert f"as-is {doc['summary']['by_mode']['as-is']['mean_index']:.1f}" in lines[0]
    assert f"(exit {done.returncode})" in lines[0]


@pytest.mark.e2e
def test_on_a_terminal_progress_is_live_with_a_counter(tmp_path):
    """Run under a pseudo-terminal, as a person at a terminal does: the counter and the journey in progress show."""
    main, child = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "TERM": "xterm-256color"}
    proc = subprocess.Popen([sys.executable, "-m", "simsuite.cli", "demo", "--mode", "recovered", "--no-explore",
                             "--out", str(tmp_path / "run")], cwd=ROOT, stdin=child, stdout=child, stderr=child,
                            env=env)
    os.close(child)
    seen = b""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 1)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        elif proc.poll() is not None:
            break
    proc.wait(timeout=30)
    os.close(main)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text[-2000:]
    assert "0/7" in text and "7/7" in text, text[-2000:]
    assert "running lab-reschedule / reschedule_lab_appointment (recovered)" in text
    assert "Mean index" in text
