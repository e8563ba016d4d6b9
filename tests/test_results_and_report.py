"""results.json, suite summaries, worst moments, the HTML report and the terminal summary."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from simsuite.core.index import kafkaesque_index
from simsuite.errors import SimsuiteError
from simsuite.model import Friction, FrictionKind, JourneyResult, Outcome, Step
from simsuite.report import format_summary, render_html
import simsuite.reporters as reporters_mod
from simsuite.reporters import register_reporter, reporters, write_reports
from simsuite.results import SCHEMA_VERSION, ResultsWriter, load_results, strip_times
from simsuite.suite import summarize, worst_moments

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def journey(
    scenario: str = "lab-reschedule",
    mode: str | None = "as-is",
    outcome: Outcome = Outcome.UNRESOLVED,
    frictions: list[Friction] | None = None,
    steps: list[Step] | None = None,
    persona_id: str = "p0",
    error: str | None = None,
) -> dict:
    """A realistic journey dict, scored by the real index."""
    steps = steps or [
        Step(0, "web", "goto", "open the booking page", text="Book or manage your test", at=0.0,
             status=200, url="http://127.0.0.1:8000/"),
        Step(1, "web", "click", "Reschedule", text="Rescheduling is not available online. Call 1-800-LAB.",
             at=30.0, status=200, url="http://127.0.0.1:8000/reschedule"),
        Step(2, "phone", "heard", "Say", text="Press 1 for billing. Press 2 for results.", at=95.0,
             contact="phone-1"),
        Step(3, "phone", "pressed", "2", at=100.0, contact="phone-1"),
    ]
    frictions = frictions if frictions is not None else [
        Friction(FrictionKind.DEAD_END, 1, "web", "Rescheduling is not available online."),
        Friction(FrictionKind.FORCED_SWITCH, 1, "web", "Call 1-800-LAB."),
    ]
    index, components = kafkaesque_index(outcome, frictions)
    result = JourneyResult(
        scenario=scenario, journey="reschedule", mode=mode,
        persona={"id": persona_id, "name": "Ada Lovelace", "channels": ["phone", "web"],
                 "knows": ["name", "phone"], "situation": ["moved house"], "records": {}},
        outcome=outcome, outcome_detail="gave up after the hold", index=index if outcome != Outcome.ERROR else 0.0,
        components=components, frictions=frictions, steps=steps, simulated_minutes=12.0,
        error=error, started="2024-01-01T00:00:00+00:00", wall_seconds=1.25,
    )
    return result.to_dict()


def test_results_json_rewritten_after_each_add_and_loadable_without_close(tmp_path: Path) -> None:
    writer = ResultsWriter(tmp_path / "out", {"seed": 7, "targets": ["demo"]})
    path = tmp_path / "out" / "results.json"
    assert json.loads(path.read_text())["journeys"] == []
    writer.add(journey())
    assert len(json.loads(path.read_text())["journeys"]) == 1
    writer.add(journey(persona_id="p1"))
    doc = load_results(path)
    assert len(doc["journeys"]) == 2
    assert doc["schema"] == SCHEMA_VERSION
    assert doc["tool"]["name"] == "simsuite"
    assert doc["run"]["complete"] is False and doc["run"]["seed"] == 7
    assert doc["summary"]["count"] == 2
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_close_marks_complete_and_strip_times(tmp_path: Path) -> None:
    with ResultsWriter(tmp_path, {"seed": 1}) as writer:
        writer.add(journey())
    doc = load_results(tmp_path / "results.json")
    assert doc["run"]["complete"] is True and doc["run"]["finished"]
    stripped = strip_times(doc)
    assert "started" not in stripped["run"] and "finished" not in stripped["run"]
    assert "wall_seconds" not in stripped["journeys"][0] and "started" not in stripped["journeys"][0]
    assert "wall_seconds" in doc["journeys"][0]


def test_load_results_rejects_foreign_and_newer_files(tmp_path: Path) -> None:
    other = tmp_path / "package.json"
    other.write_text(json.dumps({"name": "left-pad"}))
    with pytest.raises(ValueError, match="package.json"):
        load_results(other)
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"schema": SCHEMA_VERSION + 1, "tool": {"name": "simsuite"}, "journeys": []}))
    with pytest.raises(ValueError, match="newer"):
        load_results(newer)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match="broken.json"):
        load_results(broken)


def test_summarize_excludes_errors_from_means() -> None:
    bad = journey()
    good = journey(mode="recovered", outcome=Outcome.RESOLVED, frictions=[])
    err = journey(persona_id="p9", outcome=Outcome.ERROR, frictions=[], error="site unreachable")
    err["index"] = 99.0
    s = summarize([bad, good, err])
    assert s["count"] == 3 and s["errors"] == 1
    assert s["mean_index"] == round((bad["index"] + good["index"]) / 2, 1)
    assert s["by_mode"]["as-is"]["mean_index"] == bad["index"]
    assert s["by_mode"]["as-is"]["worst_id"] == bad["id"]
    assert s["worst"]["id"] == bad["id"]
    rows = {(r["scenario"], r["mode"]): r for r in s["by_scenario"]}
    assert rows[("lab-reschedule", "as-is")]["outcomes"] == {"error": 1, "unresolved": 1}
    assert rows[("lab-reschedule", "as-is")]["band"] == "Kafkaesque"
    assert rows[("lab-reschedule", "recovered")]["band"] == "effortless"
    assert s["friction_counts"]["dead_end"] == 1
    assert summarize([])["worst"] is None


def test_summarize_target_without_mode() -> None:
    s = summarize([journey(mode=None)])
    assert list(s["by_mode"]) == ["target"]
    assert s["by_scenario"][0]["mode"] == "target"


def test_worst_moments_ranked_by_weight_then_index_and_deduplicated() -> None:
    mild = journey(persona_id="p1", outcome=Outcome.RESOLVED, frictions=[
        Friction(FrictionKind.TRANSFER, 2, "phone", "Transferring you to billing."),
        Friction(FrictionKind.DEAD_END, 1, "web", "Rescheduling is not available online."),
    ])
    harsh = journey(persona_id="p2", frictions=[
        Friction(FrictionKind.DEAD_END, 1, "web", "Rescheduling is not available online."),
        Friction(FrictionKind.UNAVAILABLE_DEMAND, 2, "phone", "Please visit our website."),
        Friction(FrictionKind.TRANSFER, 2, "phone", "Transferring you to billing."),
    ], steps=[
        Step(0, "web", "goto", "home"),
        Step(1, "web", "click", "Reschedule", artifact="artifacts/x/step-1.png"),
        Step(2, "phone", "heard", "Say", text="Please visit our website."),
    ])
    moments = worst_moments([mild, harsh], n=5)
    assert [m["kind"] for m in moments] == ["unavailable_demand", "dead_end", "transfer"]
    assert moments[1]["journey_id"] == harsh["id"]
    assert moments[1]["artifact"] == "artifacts/x/step-1.png"
    assert set(moments[0]) == {"journey_id", "scenario", "mode", "kind", "channel", "step", "evidence",
                               "detail", "artifact"}
    assert len(worst_moments([mild, harsh], n=1)) == 1
    assert worst_moments([mild, harsh], mode="recovered") == []


def test_worst_moments_give_every_scenario_its_worst_before_any_second() -> None:
    lab = journey(scenario="lab", persona_id="p1", frictions=[
        Friction(FrictionKind.UNAVAILABLE_DEMAND, 2, "phone", "Please visit our website."),
        Friction(FrictionKind.DEAD_END, 1, "web", "Rescheduling is not available online."),
    ])
    telecom = journey(scenario="telecom", persona_id="p2", frictions=[
        Friction(FrictionKind.TRANSFER, 2, "phone", "Transferring you to billing."),
    ])
    moments = worst_moments([lab, telecom], n=2)
    assert [(m["scenario"], m["kind"]) for m in moments] == [("lab", "unavailable_demand"), ("telecom", "transfer")]


def test_render_html_escapes_hostile_text_and_embeds_screenshots(tmp_path: Path) -> None:
    shot = tmp_path / "artifacts" / "j" / "step-1.png"
    shot.parent.mkdir(parents=True)
    shot.write_bytes(PNG)
    hostile = "<script>alert(1)</script>"
    j = journey(frictions=[Friction(FrictionKind.DEAD_END, 1, "web", hostile, detail=hostile)], steps=[
        Step(0, "web", "goto", "home", text=hostile, url="javascript:alert(1)"),
        Step(1, "web", "click", hostile, text="x" * 2000, artifact="artifacts/j/step-1.png"),
        Step(2, "web", "click", "gone", artifact="artifacts/j/missing.png"),
        Step(3, "phone", "heard", "Say", text="Press 1 for billing.", contact="phone-1", at=125.0),
        Step(4, "phone", "pressed", "1", contact="phone-1", at=130.0),
    ])
    j["persona"]["name"] = hostile
    doc = {"schema": 1, "tool": {"name": "simsuite", "version": "0"},
           "run": {"seed": 3, "targets": ["demo"], "started": "2024-01-01T00:00:00+00:00", "complete": True},
           "journeys": [j, journey(mode="recovered", outcome=Outcome.RESOLVED, frictions=[])]}
    path = render_html(doc, tmp_path)
    html = path.read_text()
    assert path == tmp_path / "report.html"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and html.count("<script") == 1  # the report's own filters, nothing else
    assert 'href="javascript' not in html
    assert "data:image/png;base64," + base64.b64encode(PNG).decode() in html
    assert "missing.png" in html
    assert "x" * 500 not in html
    assert "02:05" in html and "pressed 1" in html and "IVR" in html
    assert "<title>simsuite report" not in html and "By scenario" in html and "Worst moments" in html
    assert "KI = 100 * (1 - (1-w_U)^U" in html
    assert "<link" not in html and "http://" not in html.replace("http://127.0.0.1:8000", "")


def test_format_summary(tmp_path: Path) -> None:
    err = journey(scenario="telecom-outage", persona_id="p9", outcome=Outcome.ERROR, frictions=[],
                  error="site unreachable: connection refused")
    doc = {"run": {"seed": 5}, "journeys": [
        journey(), journey(mode="recovered", outcome=Outcome.RESOLVED, frictions=[]),
        journey(scenario="telecom-outage", frictions=[
            Friction(FrictionKind.UNAVAILABLE_DEMAND, 2, "phone", "Please visit our website " + "y" * 200)]),
        err,
    ]}
    report = tmp_path / "report.html"
    text = format_summary(doc, report)
    assert f"Report: {report}" in text
    assert "lab-reschedule" in text and "telecom-outage" in text
    assert "Kafkaesque" in text and "effortless" in text
    assert "connection refused" in text
    assert "y" * 120 not in text
    assert "\x1b[" not in text


def test_write_reports_and_registry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reporters_mod.REPORTERS, "_entries", dict(reporters_mod.REPORTERS._entries))
    names = [r.name for r in reporters()]
    assert {"html", "json", "junit"} <= set(names)
    doc = {"schema": 2, "tool": {"name": "simsuite", "version": "0"}, "run": {}, "journeys": [journey()]}
    paths = write_reports(doc, tmp_path)
    assert {p.name for p in paths} == {"results.json", "report.html", "junit.xml"}
    assert load_results(tmp_path / "results.json")["journeys"][0]["id"] == doc["journeys"][0]["id"]
    with pytest.raises(SimsuiteError, match="unknown reporter 'nope'. Fix: use one of json, html, junit"):
        write_reports(doc, tmp_path, ["nope"])

    @register_reporter
    class Count:
        name = "test-count"

        def write(self, doc: dict, out_dir: Path) -> Path:
            p = out_dir / "count.txt"
            p.write_text(str(len(doc["journeys"])))
            return p

    assert isinstance(Count, type)
    assert write_reports(doc, tmp_path, ["test-count"]) == [tmp_path / "count.txt"]


def test_render_html_caps_embedded_screenshots(tmp_path: Path) -> None:
    steps = []
    for i in range(45):
        shot = tmp_path / "artifacts" / f"step-{i}.png"
        shot.parent.mkdir(parents=True, exist_ok=True)
        shot.write_bytes(PNG)
        steps.append(Step(i, "web", "click", f"button {i}", artifact=f"artifacts/step-{i}.png"))
    doc = {"run": {}, "journeys": [journey(steps=steps, frictions=[])]}
    html = render_html(doc, tmp_path).read_text()
    assert html.count("data:image/png;base64,") == 40
    assert "artifacts/step-44.png" in html


def test_a_schema_1_file_loads_with_each_step_given_its_actor(tmp_path: Path) -> None:
    old = journey()
    for step in old["steps"]:
        step.pop("actor")
    old["steps"].append({"index": 4, "channel": "phone", "action": "ended", "detail": "the customer hung up",
                         "data": {"ended_by": "customer"}})
    old["steps"].append({"index": 5, "channel": "phone", "action": "goto", "detail": "goto #menu"})
    (tmp_path / "results.json").write_text(json.dumps({"schema": 1, "tool": {"name": "simsuite", "version": "0.1.0"},
                                                       "run": {}, "journeys": [old]}))
    doc = load_results(tmp_path)
    assert doc["schema"] == SCHEMA_VERSION == 2
    assert [s["actor"] for s in doc["journeys"][0]["steps"]] == [
        "company", "customer", "company", "customer", "customer", "company"]
    assert "Company" in render_html(doc, tmp_path).read_text(encoding="utf-8")


def test_junit_report_has_a_case_per_journey_with_failures_errors_and_evidence(tmp_path: Path) -> None:
    from xml.etree import ElementTree

    over = journey(persona_id="p1")
    over["budget_violations"] = ["Kafkaesque index 72 exceeds the budget of 40"]
    broken = journey(persona_id="p2", outcome=Outcome.ERROR, error="site unreachable: \x1b[31mconnection refused")
    fine = journey(persona_id="p3", outcome=Outcome.RESOLVED, frictions=[])
    doc = {"schema": 2, "tool": {"name": "simsuite", "version": "0"}, "run": {"started": "2026-11-30T00:00:00+00:00"},
           "journeys": [over, broken, fine]}
    [path] = write_reports(doc, tmp_path, ["junit"])
    suite = ElementTree.parse(path).getroot()
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "1", "1")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["reschedule[as-is-p1]", "reschedule[as-is-p2]", "reschedule[as-is-p3]"]
    failure = cases[0].find("failure")
    assert failure.get("message") == "Kafkaesque index 72 exceeds the budget of 40"
    assert 'dead_end: "Rescheduling is not available online."' in failure.text
    assert cases[1].find("error").get("message") == "site unreachable: [31mconnection refused"
    assert cases[2].find("failure") is None and cases[2].find("error") is None
    props = {p.get("name"): p.get("value") for p in cases[2].find("properties")}
    assert props["simsuite_outcome"] == "resolved" and props["simsuite_index"] == "0.0"
