"""The application layer: one frozen run configuration and one `run(config)` behind the CLI, schedule and pytest."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

import simsuite
from simsuite.app import AlertConfig, RunConfig, TargetConfig, run
from simsuite.cli import _parser, run_config
from simsuite.history import History

ROOT = Path(__file__).resolve().parent.parent
FIRE = ROOT / "journeys" / "report_outage_in_a_fire.py"
pytestmark = pytest.mark.e2e


def test_the_cli_describes_a_run_as_a_frozen_config():
    args = _parser().parse_args(["run", str(FIRE), "--base-url", "https://staging.example.com", "--mode", "staging",
                                 "--reporter", "junit", "--alert-max-index", "60", "--no-fail"])
    config = run_config(args)
    assert config.target == TargetConfig(base_url="https://staging.example.com", mode="staging")
    assert config.journeys == (FIRE,) and config.only_given and not config.fail_over_budget
    assert config.reporters == ("junit",) and config.alerts == AlertConfig(max_index=60)
    assert config.target.label == "staging"
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.seed = 3  # type: ignore[misc]
    demo = run_config(_parser().parse_args(["demo", "--mode", "both", "--no-explore"]))
    assert demo.target.demo == ("as-is", "recovered") and not demo.explore and not demo.fail_over_budget


def test_run_from_python_writes_results_reports_and_history_and_sets_the_exit_code(tmp_path):
    history = tmp_path / "history.sqlite"
    config = RunConfig(target=TargetConfig(demo=("as-is",)), out=tmp_path / "out", journeys=(FIRE,),
                       only_given=True, explore=False, reporters=("json", "junit"), history=str(history))
    lines: list[str] = []
    report = simsuite.run(config, log=lines.append)
    assert report.exit_code == 1  # the fire scenario's budget (40) is exceeded on the as-is demo
    assert sorted(p.name for p in report.paths) == ["junit.xml", "results.json"] and report.report is None
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert [j["index"] for j in doc["journeys"]] == [97.7, 97.7]
    assert doc["history"]["run_id"] == report.doc["run"]["id"]
    with History(str(history)) as store:
        assert [r["target"] for r in store.runs()] == ["demo"]
    failures = ElementTree.parse(tmp_path / "out" / "junit.xml").getroot().findall("testcase/failure")
    assert len(failures) == 2 and "forbidden unavailable demand" in failures[0].get("message")
    assert any("exceeded their friction budget" in line for line in lines)
    quiet = run(dataclasses.replace(config, fail_over_budget=False, keep_history=False, out=tmp_path / "again"),
                log=lambda line: None)
    assert quiet.exit_code == 0 and "history" not in quiet.doc
