"""Static analysis of flow exports: hand-written Studio and Connect flows, with defects, clean, and broken."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simsuite.errors import SimsuiteError
from simsuite.explore.flows import FlowError, analyse_flow, analyse_flow_data

FLOWS = Path(__file__).resolve().parent / "flows"
STUDIO_MENU = "Welcome to Acme. Press 1 for billing. Press 2 for technical support. Press 0 to speak to an agent."
CONNECT_MENU = "Press 1 for billing. Press 2 for outages."


def summary(explored):
    """The findings as a sorted list of (kind, node) pairs."""
    return sorted((f.kind, f.node) for f in explored.findings)


def finding(explored, kind, node, word=""):
    """The one finding of this kind about this node whose title contains `word`."""
    found = [f for f in explored.findings if f.kind == kind and f.node == node and word in f.title]
    assert len(found) == 1, [(f.kind, f.node, f.title) for f in explored.findings]
    return found[0]


def test_studio_defects_are_found_exactly():
    explored = analyse_flow(FLOWS / "studio_defects.json")
    assert explored.kind == "studio" and explored.target.endswith("studio_defects.json")
    assert summary(explored) == [
        ("dead_end", "billing_lookup"),
        ("dead_end", "tech_info"),
        ("loop", "welcome_menu"),
        ("loop", "welcome_menu"),
        ("unannounced_option", "welcome_menu"),
        ("unreachable", "old_promo"),
    ]
    to_menu = ["Trigger", "incomingCall", "welcome_menu"]
    timeout = finding(explored, "loop", "welcome_menu", "Timeout")
    assert timeout.path == to_menu + ["timeout", "welcome_menu"] and timeout.evidence == STUDIO_MENU
    no_match = finding(explored, "loop", "welcome_menu", "No match")
    assert no_match.path == to_menu + ["keypress", "route_menu", "noMatch", "welcome_menu"]
    assert no_match.evidence == STUDIO_MENU
    dead = finding(explored, "dead_end", "tech_info")
    assert dead.evidence == "For technical support, please visit our website. Goodbye."
    assert dead.path == to_menu + ["keypress", "route_menu", "keypress 2", "tech_info"]
    failed = finding(explored, "dead_end", "billing_lookup")
    assert "'failed'" in failed.title and "make-http-request" in failed.evidence
    assert failed.path == to_menu + ["keypress", "route_menu", "keypress 1", "billing_lookup", "failed"]
    hidden = finding(explored, "unannounced_option", "welcome_menu")
    assert "9" in hidden.title and hidden.path[-1] == "keypress 9" and hidden.evidence == STUDIO_MENU
    gone = finding(explored, "unreachable", "old_promo")
    assert gone.path == [] and gone.evidence == "Ask us about our summer promotion!"


def test_studio_map_nodes_and_edges():
    explored = analyse_flow(FLOWS / "studio_defects.json")
    ends = {n.id: n.end for n in explored.nodes if n.end}
    assert ends == {"billing_balance": "resolved", "tech_info": "dead_end", "agent": "resolved",
                    "staff_line": "resolved", "old_promo": "dead_end", "billing_lookup:failed": "error"}
    menu = explored.node("welcome_menu")
    assert menu.kind == "menu" and menu.depth == 1 and menu.path == ["Trigger", "incomingCall", "welcome_menu"]
    assert menu.label.startswith("welcome_menu (gather-input-on-call): Welcome to Acme")
    assert explored.node("agent").depth == 3 and explored.node("old_promo").depth == -1
    edges = {(e.source, e.target, e.label): e for e in explored.edges}
    assert edges[("welcome_menu", "welcome_menu", "timeout")].outcome == "loop"
    assert edges[("route_menu", "welcome_menu", "noMatch")].outcome == "loop"
    assert edges[("billing_lookup", "billing_lookup:failed", "failed")].outcome == "error"
    assert not edges[("route_menu", "staff_line", "keypress 9")].announced
    assert edges[("route_menu", "agent", "keypress 0")].announced
    assert ("welcome_menu", "welcome_menu:speech", "speech") not in edges
    assert not any(e.source == "Trigger" and e.label != "incomingCall" for e in explored.edges)
    assert json.loads(json.dumps(explored.to_dict()))["kind"] == "studio"


def test_clean_studio_flow_wrapped_in_definition_has_no_findings():
    explored = analyse_flow(FLOWS / "studio_clean.json")
    assert explored.kind == "studio"
    assert explored.findings == []
    assert {n.id: n.end for n in explored.nodes if n.end} == {"balance_say": "resolved", "agent": "resolved"}
    assert all(n.depth >= 0 for n in explored.nodes)
    assert explored.stats["reachable"] == explored.stats["states"] == 6


def test_connect_defects_are_found_exactly():
    explored = analyse_flow(FLOWS / "connect_defects.json")
    assert explored.kind == "connect"
    assert summary(explored) == [
        ("dead_end", "Billing"),
        ("loop", "Menu"),
        ("loop", "Menu"),
        ("loop", "OutageHold"),
        ("unreachable", "Legacy"),
    ]
    to_menu = ["Welcome", "next", "Menu"]
    error = finding(explored, "dead_end", "Billing")
    assert "NoMatchingError" in error.title
    assert error.path == to_menu + ["Condition: Equals 1", "Billing", "NoMatchingError", "Hangup"]
    timeout = finding(explored, "loop", "Menu", "InputTimeLimitExceeded")
    assert timeout.path == to_menu + ["InputTimeLimitExceeded", "Menu"] and timeout.evidence == CONNECT_MENU
    no_match = finding(explored, "loop", "Menu", "NoMatchingCondition")
    assert no_match.path == to_menu + ["NoMatchingCondition", "Menu"] and no_match.evidence == CONNECT_MENU
    trap = finding(explored, "loop", "OutageHold")
    assert "OutageHold" in trap.title and "OutageUpdate" in trap.title
    assert trap.path == to_menu + ["Condition: Equals 2", "OutageHold", "next", "OutageUpdate", "next", "OutageHold"]
    assert "Please hold" in trap.evidence and "continue to hold" in trap.evidence
    assert finding(explored, "unreachable", "Legacy").evidence == "Press 3 for our fax line."
    ends = {n.id: n.end for n in explored.nodes if n.end}
    assert ends == {"Transfer": "resolved", "OutageHold": "loop", "OutageUpdate": "loop", "Hangup": "error"}
    edges = {(e.source, e.target, e.label): e for e in explored.edges}
    assert edges[("Menu", "Billing", "Condition: Equals 1")].announced
    assert edges[("OutageHold", "OutageUpdate", "next")].outcome == "loop"
    assert edges[("Billing", "Hangup", "NoMatchingError")].outcome == "error"


def test_clean_connect_flow_has_no_findings():
    explored = analyse_flow(FLOWS / "connect_clean.json")
    assert explored.kind == "connect" and explored.findings == []
    assert {n.id: n.end for n in explored.nodes if n.end} == {
        "Transfer": "resolved", "Callback": "resolved", "Goodbye": "resolved"}
    assert explored.node("Goodbye").path[-2:] == ["next", "Goodbye"]


def test_resolution_words_are_configurable():
    explored = analyse_flow(FLOWS / "studio_defects.json", resolution_words=["visit our website"])
    assert ("dead_end", "tech_info") not in summary(explored)
    assert explored.node("tech_info").end == "resolved"
    assert explored.node("billing_balance").end == "dead_end"


def studio(*states, initial="Trigger"):
    """A Studio definition with a trigger that sends calls to the first given state."""
    trigger = {"name": "Trigger", "type": "trigger",
               "transitions": [{"event": "incomingCall", "next": states[0]["name"]}]}
    return {"states": [trigger, *states], "initial_state": initial, "flags": {}}


def test_studio_timeout_that_hangs_up_and_retry_through_an_apology():
    menu = {"name": "menu", "type": "gather-input-on-call", "properties": {"say": "Press 1 for sales."},
            "transitions": [{"event": "keypress", "next": "sales"}, {"event": "timeout", "next": "sorry"}]}
    sorry = {"name": "sorry", "type": "say-play", "properties": {"say": "Sorry, I did not get that."},
             "transitions": [{"event": "audioComplete", "next": "menu"}]}
    sales = {"name": "sales", "type": "gather-input-on-call", "properties": {"say": "Enter your order number."},
             "transitions": [{"event": "keypress", "next": "queue"}, {"event": "timeout"}]}
    queue = {"name": "queue", "type": "enqueue-call", "properties": {"queue_name": "sales"},
             "transitions": [{"event": "callComplete"}, {"event": "failedToEnqueue", "next": "agent"},
                             {"event": "callFailure", "next": "agent"}]}
    agent = {"name": "agent", "type": "connect-call-to", "transitions": [{"event": "callCompleted"}]}
    explored = analyse_flow_data(studio(menu, sorry, sales, queue, agent), "inline")
    assert summary(explored) == [("dead_end", "sales"), ("loop", "menu")]
    assert finding(explored, "loop", "menu").path == ["Trigger", "incomingCall", "menu", "timeout", "sorry",
                                                      "audioComplete", "menu"]
    assert explored.node("sales:timeout").end == "dead_end"
    assert finding(explored, "dead_end", "sales").evidence == "Enter your order number."


def test_connect_cycle_whose_only_exit_is_an_error_is_still_a_trap():
    flow = {"StartAction": "a", "Actions": [
        {"Identifier": "a", "Type": "MessageParticipant", "Parameters": {"Text": "Please hold."},
         "Transitions": {"NextAction": "b", "Errors": [{"NextAction": "q", "ErrorType": "NoMatchingError"}]}},
        {"Identifier": "b", "Type": "MessageParticipant", "Parameters": {"Text": "Still holding."},
         "Transitions": {"NextAction": "a"}},
        {"Identifier": "q", "Type": "TransferContactToQueue", "Transitions": {}},
    ]}
    explored = analyse_flow_data(flow)
    assert summary(explored) == [("loop", "a")]
    assert explored.node("q").end == "resolved"


def test_bad_json_names_file_line_and_column():
    with pytest.raises(FlowError) as caught:
        analyse_flow(FLOWS / "bad_json.json")
    error = caught.value
    assert isinstance(error, SimsuiteError)
    assert (error.line, error.column) == (4, 65)
    assert "bad_json.json:4:65" in str(error) and "line 4, column 65" in str(error) and "Fix:" in str(error)


def test_unknown_format_says_what_each_format_needs():
    with pytest.raises(FlowError, match=r"unknown_format\.json: neither a Twilio Studio nor an Amazon") as caught:
        analyse_flow(FLOWS / "unknown_format.json")
    assert "'initial_state'" in str(caught.value) and "'StartAction'" in str(caught.value)


def test_dangling_studio_transition_names_state_and_target():
    with pytest.raises(FlowError, match=r"studio_dangling\.json: state 'main_menu' has a 'keypress' transition to "
                                        r"'route_menu', which no state defines\. Fix: add a state named 'route_menu'"):
        analyse_flow(FLOWS / "studio_dangling.json")


def test_dangling_connect_transition_names_action_and_target():
    with pytest.raises(FlowError, match=r"action 'Welcome' has a 'NoMatchingError' transition to 'Fallback'"):
        analyse_flow(FLOWS / "connect_dangling.json")


@pytest.mark.parametrize("data,words", [
    ({"states": [{"type": "trigger"}], "initial_state": "Trigger"}, "state #1 has no name"),
    ({"states": [{"name": "x", "type": "say-play"}, {"name": "x", "type": "say-play"}], "flags": {}},
     "two states are named 'x'"),
    ({"states": [{"name": "x", "type": "say-play"}], "initial_state": "Start"}, "initial_state 'Start' is not a state"),
    ({"states": [{"name": "x"}], "initial_state": "x"}, "state 'x' has no type"),
    ({"StartAction": "a", "Actions": [{"Type": "DisconnectParticipant"}]}, "action #1 has no Identifier"),
    ({"StartAction": "z", "Actions": [{"Identifier": "a", "Type": "DisconnectParticipant"}]},
     "StartAction 'z' is not an action"),
    ([1, 2], "neither a Twilio Studio nor an Amazon Connect flow"),
])
def test_malformed_structures_are_explained(data, words):
    with pytest.raises(FlowError, match=words):
        analyse_flow_data(data, "flow.json")


def test_missing_file_is_a_flow_error(tmp_path):
    with pytest.raises(FlowError, match="cannot read the flow export"):
        analyse_flow(tmp_path / "nope.json")
