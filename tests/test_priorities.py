"""Fix these first: problems grouped from frictions, their drops measured by recomputing the index."""

from __future__ import annotations

import pytest

from simsuite.core.index import kafkaesque_index
from simsuite.model import Friction, Outcome
from simsuite.priorities import destinations, fix_first, significant_words
from simsuite.suite import summarize


def friction(kind, step, evidence, channel="web", **extra):
    return {"kind": kind, "step": step, "channel": channel, "evidence": evidence, "detail": "",
            "source": "test", "factor": 1.0, "minutes": extra.get("minutes"), "explained": extra.get("explained")}


def journey(jid, frictions, outcome="resolved", scenario="s", mode="as-is"):
    objs = [Friction(**f) for f in frictions]
    index = kafkaesque_index(Outcome(outcome), objs)[0]
    return {"id": jid, "scenario": scenario, "mode": mode, "outcome": outcome, "index": index,
            "frictions": frictions, "steps": []}


def test_words_and_destinations_ignore_channel_words_numbers_and_plurals():
    assert significant_words("Please visit our website to check for outages.") == {"outag"}
    assert significant_words("Appointments cannot be rescheduled online") == significant_words(
        "to reschedule an appointment")
    assert destinations("call 1-800-555-0100 or go to example.org/help.") == {"18005550100", "example.org/help"}


def test_a_rule_met_on_two_channels_with_the_same_number_is_one_problem():
    web = journey("a", [friction("dead_end", 3, "Appointments cannot be changed online."),
                        friction("forced_channel_switch", 3, "Please call 1-800-555-0100.")])
    chat = journey("b", [friction("forced_channel_switch", 2, "Our team on 1-800-555-0100 changes appointments.",
                                  channel="chat")], scenario="other")
    unrelated = journey("c", [friction("transfer", 5, "Transferring you now.", channel="phone")])
    problems = fix_first([web, chat, unrelated])
    first = problems[0]
    assert first["customers"] == 2 and first["journeys"] == ["a", "b"]
    assert first["kind"] == "dead_end" and first["words"] == "Appointments cannot be changed online."
    assert {"transfer"} == {p["kind"] for p in problems[1:]}


def test_the_drop_is_the_mean_index_recomputed_without_the_problem():
    hit = journey("a", [friction("wait", 4, "Hold please.", channel="phone", minutes=20, explained=True),
                        friction("transfer", 5, "Transferring you.", channel="phone")])
    clean = journey("b", [])
    problems = {p["kind"]: p for p in fix_first([hit, clean])}
    only_transfer = kafkaesque_index(Outcome.RESOLVED, [Friction(**hit["frictions"][1])])[0]
    expected = round((hit["index"] - only_transfer) / 2, 1)  # two journeys in the mode
    assert problems["wait"]["drop"] == expected > 0
    assert problems["wait"]["drop_by_mode"] == {"as-is": expected}
    assert problems["wait"]["remedy"]


def test_the_wall_an_unresolved_journey_ended_at_takes_the_unresolved_outcome_with_it():
    ended = journey("a", [friction("transfer", 1, "Transferring you.", channel="phone"),
                          friction("dead_end", 4, "We cannot help with that by phone.", channel="phone")],
                    outcome="unresolved")
    problems = {p["kind"]: p for p in fix_first([ended])}
    without_wall = kafkaesque_index(Outcome.RESOLVED, [Friction(**ended["frictions"][0])])[0]
    assert problems["dead_end"]["drop"] == round(ended["index"] - without_wall, 1)
    assert problems["dead_end"]["drop"] > 60
    assert problems["transfer"]["drop"] < 5  # still unresolved without the transfer


def test_errors_and_unknown_kinds_are_left_out_and_the_list_is_bounded():
    broken = {"id": "e", "scenario": "s", "mode": None, "outcome": "error", "index": None,
              "frictions": [friction("dead_end", 1, "boom")]}
    odd = journey("o", [friction("transfer", 1, "Transferring you.")])
    odd["frictions"].append({"kind": "no_such_kind", "step": 2, "evidence": "x"})
    many = [journey(f"j{n}", [friction("dead_end", 1, f"Topic{n} stops here, sorry {chr(97 + n) * 5}.")],
                    scenario=f"s{n}") for n in range(8)]
    assert [p["journeys"] for p in fix_first([broken, odd])] == [["o"]]
    ranked = fix_first(many, limit=3)
    assert [p["rank"] for p in ranked] == [1, 2, 3]


def test_summary_carries_the_list():
    j = journey("a", [friction("dead_end", 1, "Not online.")], mode=None)
    assert summarize([j])["fix_first"][0]["modes"] == ["target"]


@pytest.mark.e2e
def test_on_the_demo_the_outage_website_demand_and_the_phone_only_reschedule_are_in_the_top_three(demo_run):
    _, _, doc = demo_run
    top = doc["summary"]["fix_first"][:3]
    words = " ".join(p["words"].lower() for p in top)
    assert "website" in words and "outage" in words, top
    assert "rescheduled online" in words, top
    for p in top:
        assert p["drop"] > 0 and p["customers"] >= 1 and p["remedy"] and p["where"]


def test_the_same_words_judged_as_two_kinds_are_one_problem_and_list_their_frictions():
    web_user = journey("a", [friction("forced_channel_switch", 2, "Fill in the moving home form on our website.",
                                      channel="phone")], scenario="one")
    phone_only = journey("b", [friction("unavailable_demand", 2, "Fill in the moving home form on our website.",
                                        channel="phone")], outcome="unresolved", scenario="two")
    (problem,) = fix_first([web_user, phone_only])
    assert problem["customers"] == 2 and problem["kind"] == "unavailable_demand"
    assert problem["frictions"] == [{"journey": "a", "step": 2, "kind": "forced_channel_switch"},
                                    {"journey": "b", "step": 2, "kind": "unavailable_demand"}]


def test_one_phone_number_serving_two_rules_is_two_problems():
    claims = journey("a", [friction("forced_channel_switch", 2, "For changes to a claim please phone us on 0800 123 4567.")],
                     scenario="claims")
    cancel = journey("b", [friction("forced_channel_switch", 3, "Please call us on 0800 123 4567 so our loyalty team "
                                                                 "can go through your options.")], scenario="cancel")
    assert len(fix_first([claims, cancel])) == 2
