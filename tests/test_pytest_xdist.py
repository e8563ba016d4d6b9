"""The pytest plugin under pytest-xdist (`pytest -n 2`): every worker's journeys reach one results.json, one
report and one history entry, in collection order, equal to a serial run of the same seed; a worker that dies
loses nothing else. Real pytest sessions in a subprocess, against the demo companies."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

from simsuite.history import History
from simsuite.results import strip_times

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e
PROPERTIES = {"simsuite_index", "simsuite_outcome", "simsuite_mode", "simsuite_simulated_minutes"}

WORKER_DIES = '''"""Resolved at once, except that one customer takes its pytest-xdist worker down when asked to."""

import os

from simsuite import journey


@journey
def worker_dies(customer):
    """The second customer's worker process dies when SIMSUITE_TEST_KILL_WORKER is set."""
    if os.environ.get("SIMSUITE_TEST_KILL_WORKER") and os.environ.get("PYTEST_XDIST_WORKER") \\
            and customer.persona.id.startswith("p2"):
        os.kill(os.getpid(), 9)  # SIGKILL: the worker process dies
    customer.resolved("Nothing to do.")
'''

# Makes xdist's reports lose simsuite's payload, so that only the workers' final output carries the journeys.
CONFTEST = '''import os

import pytest

if os.environ.get("SIMSUITE_TEST_STRIP_REPORTS"):
    @pytest.hookimpl(wrapper=True)
    def pytest_report_to_serializable(config, report):
        data = yield
        if data:
            data.pop("simsuite", None)
        return data
'''


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A user's project: two bundled journeys (phone, chat), one that can kill its worker, and a test that
    maps the IVR with simsuite_explorer; 9 items, 8 of them journeys."""
    path = tmp_path_factory.mktemp("xdist_project")
    (path / "journeys").mkdir()
    (path / "scenarios").mkdir()
    for name in ("report_outage_in_a_fire.py", "report_outage_by_chat.py"):
        (path / "journeys" / name).write_text((ROOT / "journeys" / name).read_text())
    (path / "journeys" / "worker_dies.py").write_text(WORKER_DIES)
    (path / "scenarios" / "fire.yaml").write_text(
        (ROOT / "scenarios" / "telecom_fire_outage.yaml").read_text().replace("count: 2", "count: 3"))
    (path / "scenarios" / "chat.yaml").write_text(
        (ROOT / "scenarios" / "telecom_outage_hard_of_hearing.yaml").read_text().replace("count: 1", "count: 2"))
    (path / "scenarios" / "dies.yaml").write_text(
        "name: dies\ngoal: Nothing.\npersona: {count: 3, channels: [web]}\njourneys: [worker_dies]\n")
    (path / "conftest.py").write_text(CONFTEST)
    (path / "test_ivr_map.py").write_text(
        "def test_ivr_map(simsuite_explorer):\n"
        "    assert simsuite_explorer.phone('/telecom/ivr/voice', max_depth=2, max_calls=10)\n")
    (path / "pytest.ini").write_text("[pytest]\n")
    return path


def run_pytest(project: Path, name: str, *args: str, **env: str) -> dict:
    """One pytest session on the project with --sim-out and its own history; what it wrote."""
    out, history, junit = project / name, project / f"{name}.sqlite", project / f"{name}-junit.xml"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_XDIST", "SIMSUITE_TEST"))}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "journeys", "test_ivr_map.py", "-p", "no:cacheprovider", "--sim-demo", "as-is",
         "--sim-seed", "7", "--sim-out", str(out), "--sim-history", str(history), f"--junitxml={junit}", *args],
        check=False, cwd=project, capture_output=True, text=True, timeout=300, env={**clean, **env})
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]  # the as-is fire journeys fail
    return {"stdout": done.stdout, "out": out, "history": history, "junit": junit,
            "doc": json.loads((out / "results.json").read_text()),
            "html": (out / "report.html").read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def serial(project):
    return run_pytest(project, "serial")


@pytest.fixture(scope="module")
def parallel(project):
    return run_pytest(project, "parallel", "-n", "2")


def ids(run: dict) -> list[str]:
    return [j["id"] for j in run["doc"]["journeys"]]


def comparable(doc: dict) -> dict:
    """The document without wall-clock times and what belongs to this run alone (its history entry)."""
    doc = strip_times(doc)
    doc.pop("history", None)
    doc["run"].pop("id", None)
    for explored in doc["maps"]:
        explored["stats"].pop("wall_seconds", None)
    return doc


def report_journeys(page: str) -> Counter:
    """The journeys report.html draws in full: 'scenario / journey / mode / persona name', counted."""
    heads = re.findall(r'<details class="journey[^"]*"[^>]*>\s*<summary>\s*(.*?)\s*&mdash;', page, re.DOTALL)
    return Counter(" ".join(html.unescape(h).split()) for h in heads)


def cases_of(path: Path) -> dict[str, dict[str, str]]:
    """Each test case of a JUnit file by name, with its properties."""
    root = ElementTree.parse(path).getroot()
    return {case.get("name"): {p.get("name"): p.get("value") for p in case.iter("property")}
            for case in root.iter("testcase")}


def test_every_journey_of_every_worker_reaches_one_results_file_and_one_report(serial, parallel):
    ran = len([name for name in cases_of(serial["junit"]) if "[" in name])  # the journey items
    assert ran == 8 and len(cases_of(parallel["junit"])) == len(cases_of(serial["junit"])) == ran + 1
    assert "2/2 workers" in parallel["stdout"]
    assert "5 failed, 4 passed" in serial["stdout"] and "5 failed, 4 passed" in parallel["stdout"]
    assert len(ids(parallel)) == len(ids(serial)) == ran
    assert all(n == 1 for n in Counter(ids(parallel)).values())
    assert ids(parallel) == ids(serial)  # collection order, whichever worker ran what
    assert parallel["doc"]["run"]["complete"] is True
    drawn = Counter(f"{j['scenario']} / {j['journey']} / {j['mode']} / {j['persona']['name']}"
                    for j in parallel["doc"]["journeys"])
    assert report_journeys(parallel["html"]) == drawn and sum(drawn.values()) == ran
    assert parallel["doc"]["summary"]["count"] == ran
    assert len(parallel["doc"]["maps"]) == len(serial["doc"]["maps"]) == 1  # made in a worker, kept once


def test_the_results_equal_the_serial_runs_apart_from_times(serial, parallel):
    assert comparable(parallel["doc"]) == comparable(serial["doc"])
    facts = [(j["outcome"], j["index"], [f["kind"] for f in j["frictions"]], j["budget_violations"])
             for j in parallel["doc"]["journeys"]]
    assert facts == [(j["outcome"], j["index"], [f["kind"] for f in j["frictions"]], j["budget_violations"])
                     for j in serial["doc"]["journeys"]]
    assert {j["outcome"] for j in parallel["doc"]["journeys"]} >= {"resolved", "unresolved"}


def test_the_run_is_kept_in_history_once_by_the_controller(parallel):
    with History(str(parallel["history"])) as store:
        runs = store.runs()
    assert [r["target"] for r in runs] == ["demo"]
    assert parallel["doc"]["history"]["run_id"] == runs[0]["id"] == parallel["doc"]["run"]["id"]


def test_junit_files_have_every_test_case_with_simsuites_properties(serial, parallel):
    cases = cases_of(parallel["junit"])  # pytest's --junitxml, written by the controller from workers' reports
    by_name = {f"{j['journey']}[{j['scenario']}-{j['persona']['id']}]": j for j in parallel["doc"]["journeys"]}
    assert set(cases) == set(by_name) | {"test_ivr_map"}
    for name, props in cases.items():
        if name == "test_ivr_map":
            continue
        assert PROPERTIES <= set(props), name
        j = by_name[name]
        assert props["simsuite_outcome"] == j["outcome"] and props["simsuite_index"] == str(j["index"])
        assert props["simsuite_mode"] == "as-is" and props["simsuite_simulated_minutes"] == str(j["simulated_minutes"])
    assert cases == cases_of(serial["junit"])
    ours = cases_of(parallel["out"] / "junit.xml")  # simsuite's own junit reporter, run once on the controller
    assert len(ours) == len(by_name) and all(PROPERTIES <= set(p) for p in ours.values())


def test_the_workers_final_output_alone_brings_every_journey(project, serial):
    alone = run_pytest(project, "ledger", "-n", "2", SIMSUITE_TEST_STRIP_REPORTS="1")
    assert comparable(alone["doc"]) == comparable(serial["doc"])
    assert report_journeys(alone["html"]) == report_journeys(serial["html"])


def test_a_worker_that_dies_loses_only_its_running_journey(project, serial):
    # xdist's load scheduling first gives each worker two items, so the worker that dies on worker_dies' p2 (the
    # 7th of 9 items) has finished journeys of its own before; xdist does not run a crashed item again.
    crashed = run_pytest(project, "crash", "-n", "2", "-v", SIMSUITE_TEST_KILL_WORKER="1")
    dead = re.search(r"worker '(gw\d+)' crashed while running", crashed["stdout"]).group(1)
    finished_there = re.findall(rf"\[{dead}\] \[ *\d+%\] (?:PASSED|FAILED) journeys/\S+", crashed["stdout"])
    assert finished_there  # journeys that finished on the worker before it died: their results came with reports
    assert ids(crashed) == ids(serial)
    dies = {j["persona"]["id"][:2]: j for j in crashed["doc"]["journeys"] if j["journey"] == "worker_dies"}
    assert dies["p1"]["outcome"] == "resolved" and dies["p3"]["outcome"] == "resolved"
    assert dies["p2"]["outcome"] == "error" and dies["p2"]["index"] is None
    assert "worker" in dies["p2"]["error"] and "crashed while running" in dies["p2"]["error"]
    kept = [j for j in comparable(crashed["doc"])["journeys"] if j["id"] != dies["p2"]["id"]]
    assert kept == [j for j in comparable(serial["doc"])["journeys"] if j["id"] != dies["p2"]["id"]]
    assert sum(report_journeys(crashed["html"]).values()) == len(ids(serial))
    assert "crashed while running" in crashed["html"]
    with History(str(crashed["history"])) as store:
        assert len(store.runs()) == 1
