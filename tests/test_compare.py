"""Comparing two runs: index change per scenario, friction new and gone, with evidence from both."""

from __future__ import annotations

from typing import Any

from simsuite.compare import compare, format_comparison
from simsuite.core.index import kafkaesque_index
from simsuite.model import Friction, FrictionKind, JourneyResult, Outcome, Step
from simsuite.results import SCHEMA_VERSION
from simsuite.suite import summarize

STEPS = [
    Step(0, "web", "goto", "open the booking page", text="Book or manage your test", at=0.0, status=200,
         url="/lab/"),
    Step(1, "web", "click", "Reschedule", text="Rescheduling is not available online. Call 1-800-LAB.",
         at=30.0, status=200, url="/lab/reschedule"),
    Step(2, "phone", "heard", "Say", text="Please hold. Your call is important to us.", at=95.0,
         contact="phone-1"),
    Step(3, "phone", "heard", "Say", text="Please enter your account number.", at=120.0, contact="phone-1"),
]

DEAD_END = Friction(FrictionKind.DEAD_END, 1, "web", "Rescheduling is not available online.")
SWITCH = Friction(FrictionKind.FORCED_SWITCH, 1, "web", "Call 1-800-LAB.")
TRANSFER = Friction(FrictionKind.TRANSFER, 2, "phone", "Please hold. Your call is important to us.")
DEMAND = Friction(FrictionKind.UNAVAILABLE_DEMAND, 3, "phone", "Please enter your account number.")


def journey(scenario: str, mode: str | None, outcome: Outcome, frictions: list[Friction],
            persona_id: str = "p0") -> dict[str, Any]:
    """A realistic journey dict, scored by the real index."""
    index, components = kafkaesque_index(outcome, frictions)
    return JourneyResult(
        scenario=scenario, journey="reschedule", mode=mode,
        persona={"id": persona_id, "name": "Ada Lovelace", "channels": ["phone", "web"], "knows": ["name"],
                 "situation": [], "records": {}},
        outcome=outcome, outcome_detail="", index=index, components=components, frictions=frictions,
        steps=list(STEPS), simulated_minutes=12.0, started="2024-01-01T00:00:00+00:00", wall_seconds=1.0,
    ).to_dict()


def document(run: dict[str, Any], journeys: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "tool": {"name": "simsuite", "version": "0.1.0"},
            "run": {"seed": 1, "complete": True, **run}, "journeys": journeys, "maps": [],
            "summary": summarize(journeys)}


def docs() -> tuple[dict[str, Any], dict[str, Any]]:
    before = document({"started": "2024-01-01T10:00:00+00:00"}, [
        journey("lab-reschedule", "as-is", Outcome.UNRESOLVED, [DEAD_END, SWITCH]),
        journey("telecom-fire", "as-is", Outcome.PROMISED, [TRANSFER]),
        journey("telecom-fire", "as-is", Outcome.ERROR, [DEMAND], persona_id="p9"),  # errors never count
    ])
    after = document({"id": "run2", "started": "2024-01-02T10:00:00+00:00", "git_revision": "abc1234"}, [
        journey("lab-reschedule", "as-is", Outcome.UNRESOLVED, [DEAD_END, DEMAND]),
        journey("telecom-fire", "as-is", Outcome.RESOLVED, [TRANSFER]),
    ])
    return before, after


def idx(outcome: Outcome, frictions: list[Friction]) -> float:
    return kafkaesque_index(outcome, frictions)[0]


def test_compare_exact() -> None:
    before, after = docs()
    c = compare(before, after)
    lab_b, lab_a = idx(Outcome.UNRESOLVED, [DEAD_END, SWITCH]), idx(Outcome.UNRESOLVED, [DEAD_END, DEMAND])
    fire_b, fire_a = idx(Outcome.PROMISED, [TRANSFER]), idx(Outcome.RESOLVED, [TRANSFER])
    lab = {"scenario": "lab-reschedule", "mode": "as-is", "before": round(lab_b, 1), "after": round(lab_a, 1),
           "change": round(round(lab_a, 1) - round(lab_b, 1), 1)}
    fire = {"scenario": "telecom-fire", "mode": "as-is", "before": round(fire_b, 1), "after": round(fire_a, 1),
            "change": round(round(fire_a, 1) - round(fire_b, 1), 1)}
    assert lab["change"] > 0 and fire["change"] < 0
    suite_b = round((lab_b + fire_b) / 2, 1)
    suite_a = round((lab_a + fire_a) / 2, 1)
    assert c == {
        "before": {"id": "2024-01-01T10:00:00+00:00", "started": "2024-01-01T10:00:00+00:00", "finished": None,
                   "target": None, "seed": 1, "version": "0.1.0", "git_revision": None, "journeys": 3},
        "after": {"id": "run2", "started": "2024-01-02T10:00:00+00:00", "finished": None, "target": None,
                  "seed": 1, "version": "0.1.0", "git_revision": "abc1234", "journeys": 2},
        "scenarios": [lab, fire],
        "suite": {"before": suite_b, "after": suite_a, "change": round(suite_a - suite_b, 1)},
        "new_frictions": [{"scenario": "lab-reschedule", "mode": "as-is", "kind": "unavailable_demand",
                           "channel": "phone", "evidence": "Please enter your account number.",
                           "journey_id": "lab-reschedule/reschedule/as-is/p0", "step": 3}],
        "gone_frictions": [{"scenario": "lab-reschedule", "mode": "as-is", "kind": "forced_channel_switch",
                            "channel": "web", "evidence": "Call 1-800-LAB.",
                            "journey_id": "lab-reschedule/reschedule/as-is/p0", "step": 1}],
        "new_kinds": ["unavailable_demand"],
        "new_kinds_by_scenario": [{"scenario": "lab-reschedule", "mode": "as-is", "kind": "unavailable_demand"}],
        "worse": [lab],
        "better": [fire],
    }


def test_compare_scenarios_on_one_side_only_and_whitespace() -> None:
    before, after = docs()
    spaced = Friction(FrictionKind.DEAD_END, 1, "web", "Rescheduling  is not\navailable online.")
    after["journeys"][0] = journey("lab-reschedule", "as-is", Outcome.UNRESOLVED, [spaced, SWITCH])
    after["journeys"].append(journey("lab-reschedule", None, Outcome.RESOLVED, []))
    c = compare(before, after)
    assert c["new_frictions"] == [] and c["gone_frictions"] == [] and c["new_kinds"] == []
    assert c["scenarios"][1] == {"scenario": "lab-reschedule", "mode": "target", "before": None, "after": 0.0,
                                 "change": None}
    assert all(s["change"] is not None for s in c["worse"] + c["better"])
    assert compare(after, after)["worse"] == [] and compare(after, after)["new_frictions"] == []
    text = format_comparison(c)
    assert "lab-reschedule (target)" in text and "new" in text
    assert "New friction: none" in text and "Friction gone: none" in text


def test_format_comparison() -> None:
    before, after = docs()
    c = compare(before, after)
    text = format_comparison(c)
    lab, fire = c["scenarios"]
    lines = text.splitlines()
    assert lines[0] == "simsuite compare: 2024-01-01T10:00:00+00:00 -> run2 (2024-01-02T10:00:00+00:00, abc1234)"
    assert lines[1] == (f"Suite index: {c['suite']['before']:.1f} -> {c['suite']['after']:.1f}  "
                        + (f"▲ +{c['suite']['change']:.1f} worse" if c["suite"]["change"] > 0
                           else f"▼ {c['suite']['change']:.1f} better"))
    assert lines[2] == "Index per scenario:"
    assert lines[3] == f"  lab-reschedule (as-is)  {lab['before']:>5.1f} -> {lab['after']:>5.1f}  ▲ +{lab['change']:.1f} worse"
    assert lines[4] == f"  telecom-fire (as-is)    {fire['before']:>5.1f} -> {fire['after']:>5.1f}  ▼ {fire['change']:.1f} better"
    assert lines[5:] == [
        "New friction (1):",
        '  + unavailable demand in lab-reschedule (as-is) [phone, step 3, lab-reschedule/reschedule/as-is/p0]: '
        '"Please enter your account number."',
        "Friction gone (1):",
        '  - forced channel switch in lab-reschedule (as-is) [web, step 1, lab-reschedule/reschedule/as-is/p0]: '
        '"Call 1-800-LAB."',
        "New kinds of friction: unavailable demand in lab-reschedule (as-is)",
    ]
    assert '"Please enter your account number."' in text


def test_compare_documents_from_history(tmp_path) -> None:
    from simsuite.history import History

    before, after = docs()
    with History(tmp_path / "h.sqlite") as h:
        a = h.record(before)
        b = h.record(after)
        c = compare(h.load("previous"), h.load("latest"))
    assert c["before"]["id"] == a and c["after"]["id"] == b  # history's ids replace any in the document
    assert c["before"]["target"] == c["after"]["target"] == "demo"
    assert [f["kind"] for f in c["new_frictions"]] == ["unavailable_demand"]
