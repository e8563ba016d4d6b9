"""Workers: journeys spread over processes, each with its own browser, with nothing lost and the serial order."""

from __future__ import annotations

from pathlib import Path

import pytest

from simsuite import RunConfig, TargetConfig, run
from simsuite.cli import main
from simsuite.errors import SimsuiteError
from simsuite.results import load_results, strip_times

ROOT = Path(__file__).resolve().parent.parent
JOURNEYS = (ROOT / "journeys" / "reschedule_lab_appointment.py", ROOT / "journeys" / "report_outage_in_a_fire.py")

pytestmark = pytest.mark.e2e

CRASHING = '''
import os
from pathlib import Path

from simsuite import journey

MARK = Path(__file__).with_name("crashed-once")


@journey
def steady(customer):
    customer.resolved("done")


@journey
def crash_once(customer):
    try:  # exactly one journey, in whichever worker gets here first, creates the mark and dies
        os.close(os.open(MARK, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return customer.resolved("done after all")
    os.kill(os.getpid(), 9)  # the whole worker process dies mid-journey (SIGKILL)
'''

SCENARIO = '''
name: {name}
goal: Get it done.
persona: {{count: {count}, channels: [web]}}
journeys: [{journey}]
'''


def test_two_workers_give_the_serial_run_in_its_order(tmp_path):
    def config(out: str, workers: int) -> RunConfig:
        return RunConfig(target=TargetConfig(demo=("as-is",)), out=tmp_path / out, journeys=JOURNEYS,
                         only_given=True, explore=False, keep_history=False, fail_over_budget=False,
                         workers=workers)

    lines: list[str] = []
    parallel = run(config("two", 2), log=lines.append).doc
    serial = run(config("one", 1), log=lambda _: None).doc
    assert [j["id"] for j in parallel["journeys"]] == [j["id"] for j in serial["journeys"]]
    assert strip_times(parallel)["journeys"] == strip_times(serial)["journeys"]
    assert parallel["summary"] == serial["summary"] and parallel["run"]["workers"] == 2
    assert load_results(tmp_path / "two")["journeys"] == parallel["journeys"]
    progress = [line for line in lines if line.lstrip().startswith("[")]
    total = len(serial["journeys"])
    assert len(progress) == total and progress[-1].lstrip().startswith(f"[{total}/{total} ")


def test_a_worker_that_dies_loses_only_its_journey(tmp_path):
    journeys = tmp_path / "journeys"
    scenarios = tmp_path / "scenarios"
    journeys.mkdir()
    scenarios.mkdir()
    (journeys / "crashy.py").write_text(CRASHING)
    (scenarios / "a.yaml").write_text(SCENARIO.format(name="crashing", count=3, journey="crash_once"))
    (scenarios / "b.yaml").write_text(SCENARIO.format(name="steady", count=3, journey="steady"))
    report = run(RunConfig(target=TargetConfig(base_url="http://127.0.0.1:9"), out=tmp_path / "out",
                           journeys=(journeys,), scenarios=scenarios, keep_history=False, fail_over_budget=False,
                           workers=2), log=lambda _: None)
    doc = report.doc
    assert len(doc["journeys"]) == 6 and doc["run"]["complete"] is True
    lost = [j for j in doc["journeys"] if j["outcome"] == "error"]
    assert len(lost) == 1 and lost[0]["journey"] == "crash_once"
    assert "worker process running this journey stopped (exit code -9)" in lost[0]["error"]
    assert sorted(j["outcome"] for j in doc["journeys"] if j is not lost[0]) == ["resolved"] * 5
    assert [tuple(j["order"]) for j in doc["journeys"]] == sorted(tuple(j["order"]) for j in doc["journeys"])


def test_a_worker_count_that_cannot_work_is_refused_with_the_fix(tmp_path, capsys):
    assert main(["demo", "--workers", "0", "--out", str(tmp_path / "x")]) == 2
    assert "--workers 0" in capsys.readouterr().err
    assert main(["run", "--base-url", "http://127.0.0.1:9", "--workers", "2", "--smtp-port", "2525",
                 "--out", str(tmp_path / "y")]) == 2
    err = capsys.readouterr().err
    assert "--smtp-port 2525" in err and "Fix:" in err and "Traceback" not in err
    with pytest.raises(SimsuiteError):
        run(RunConfig(target=TargetConfig(demo=("as-is",)), out=tmp_path / "z", workers=-1))
