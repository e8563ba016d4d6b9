"""`simsuite explore` and the simsuite_explorer fixture, end to end against the demo on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simsuite.demo import DemoServer

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "tests" / "flows"
pytestmark = pytest.mark.e2e


def test_explore_phone_writes_map_json_and_report(simsuite_cli, tmp_path):
    with DemoServer("as-is") as demo:
        done = simsuite_cli("explore", "phone", "--phone-url", demo.url, "--entry", "/telecom/ivr/voice",
                            "--goal", "report an outage after a fire", "--max-calls", "40", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    maps = json.loads((tmp_path / "map.json").read_text())
    assert [m["kind"] for m in maps] == ["ivr", "ivr"] and maps[1]["goal"]
    assert any(f["kind"] == "missing_option" for f in maps[1]["findings"])
    html = (tmp_path / "report.html").read_text()
    assert "<svg" in html and "Findings, each with a path a person can replay" in html
    assert "path:" in done.stdout and "Report:" in done.stdout


def test_explore_flow_reads_exports_and_rejects_broken_ones(simsuite_cli, tmp_path):
    exports = [FLOWS / name for name in ("studio_defects.json", "studio_clean.json", "connect_defects.json")]
    done = simsuite_cli("explore", "flow", *map(str, exports), "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    kinds = {m["kind"] for m in json.loads((tmp_path / "map.json").read_text())}
    assert kinds == {"studio", "connect"}
    broken = tmp_path / "broken.json"
    broken.write_text('{"states": [\n  {"name": "Trigger",, }\n]}')
    done = simsuite_cli("explore", "flow", str(broken), "--out", str(tmp_path / "b"))
    assert done.returncode == 2 and str(broken) in done.stderr and "line 2" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_broken_export_in_a_batch_is_named_and_the_others_are_still_analysed(simsuite_cli, tmp_path):
    broken = tmp_path / "hand-edited.json"
    broken.write_text('{"states": [\n  {"name": "Trigger",, }\n]}')
    done = simsuite_cli("explore", "flow", str(FLOWS / "studio_defects.json"), str(broken), str(FLOWS / "connect_defects.json"),
                        "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{broken}" in done.stderr and "line 2" in done.stderr and "Fix:" in done.stderr
    maps = json.loads((tmp_path / "out" / "map.json").read_text())
    assert sorted(m["kind"] for m in maps) == ["connect", "studio"]
    report = (tmp_path / "out" / "report.html").read_text()
    assert "The explorers mapped 2 flows and found" in report  # the executive page counts the maps' findings
    assert "No friction was recorded." not in report


def test_explorer_fixture_in_a_users_project(pytester):
    pytester.makepyfile(test_ivr_map='''
        def test_recovered_ivr_has_no_loops(simsuite_explorer):
            ivr = simsuite_explorer.phone("/telecom/ivr/voice", max_calls=30)
            assert [f for f in ivr.findings if f.kind == "loop"] == []
            assert any(n.end == "resolved" for n in ivr.nodes)
    ''')
    result = pytester.runpytest_subprocess("--sim-demo", "recovered", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
