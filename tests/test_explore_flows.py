"""Static analysis of flow exports: one rule at a time on small inline exports, the hand-written fixtures in
tests/flows, and the labelled corpus in tests/corpus/flows end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from simsuite.core.personas import make_persona
from simsuite.errors import SimsuiteError
from simsuite.explore.flow_words import offered_keys, recording_name, spoken
from simsuite.explore.flows import (
    FlowCaller,
    FlowError,
    analyse_flow,
    analyse_flow_data,
    analyse_flows,
)

FLOWS = Path(__file__).resolve().parent / "flows"
CORPUS = Path(__file__).resolve().parent / "corpus" / "flows"
LABELS = yaml.safe_load((CORPUS / "labels.yaml").read_text(encoding="utf-8"))
STUDIO_MENU = "Welcome to Acme. Press 1 for billing. Press 2 for technical support. Press 0 to speak to an agent."
CONNECT_MENU = "Press 1 for billing. Press 2 for outages."
FRICTION = {"dead_end", "forced_channel_switch", "unavailable_demand", "repeated_information", "transfer", "loop",
            "wait", "missing_option"}


def summary(explored):
    """The findings as a sorted list of (kind, node) pairs."""
    return sorted((f.kind, f.node) for f in explored.findings)


def finding(explored, kind, node, word=""):
    """The one finding of this kind about this node whose title contains `word`."""
    found = [f for f in explored.findings if f.kind == kind and f.node == node and word in f.title]
    assert len(found) == 1, [(f.kind, f.node, f.title) for f in explored.findings]
    return found[0]


def studio(*states, initial="Trigger"):
    """A Studio definition with a trigger that sends calls to the first given state."""
    trigger = {"name": "Trigger", "type": "trigger",
               "transitions": [{"event": "incomingCall", "next": states[0]["name"]}]}
    return {"states": [trigger, *states], "initial_state": initial, "flags": {}}


def say(name, words, nxt=None):
    """A Studio say-play state."""
    return {"name": name, "type": "say-play", "properties": {"say": words},
            "transitions": [{"event": "audioComplete", **({"next": nxt} if nxt else {})}]}


def gather(name, words, keypress=None, timeout=None, digits=1):
    """A Studio gather-input-on-call state."""
    return {"name": name, "type": "gather-input-on-call",
            "properties": {"say": words, "number_of_digits": digits, "finish_on_key": "#", "timeout": 5},
            "transitions": [{"event": "keypress", **({"next": keypress} if keypress else {})},
                            {"event": "speech"}, {"event": "timeout", **({"next": timeout} if timeout else {})}]}


def split(name, reads, routes, no_match=None):
    """A Studio split-based-on that routes the keys a gather read: routes is {key: next}."""
    matches = [{"event": "match", "next": nxt, "conditions": [{"friendly_name": key, "arguments": [],
                                                              "type": "equal_to", "value": key}]}
               for key, nxt in routes.items()]
    return {"name": name, "type": "split-based-on", "properties": {"input": f"{{{{widgets.{reads}.Digits}}}}"},
            "transitions": [{"event": "noMatch", **({"next": no_match} if no_match else {})}, *matches]}


def dial(name, number="+15550100", event_next=None):
    """A Studio connect-call-to state."""
    return {"name": name, "type": "connect-call-to", "properties": {"noun": "number", "to": number},
            "transitions": [{"event": "callCompleted", **({"next": event_next} if event_next else {})},
                            {"event": "hangup"}]}


def action(ident, type_, next_=None, errors=(), conditions=(), **parameters):
    """A Connect action: errors is [(ErrorType, next)], conditions is [(operand, next)]."""
    return {"Identifier": ident, "Type": type_, "Parameters": parameters,
            "Transitions": {**({"NextAction": next_} if next_ else {}),
                            "Errors": [{"ErrorType": e, "NextAction": n} for e, n in errors],
                            "Conditions": [{"NextAction": n, "Condition": {"Operator": "Equals", "Operands": [o]}}
                                           for o, n in conditions]}}


def connect(*actions, metadata=None):
    """A Connect flow starting at the first action."""
    flow = {"Version": "2019-10-30", "StartAction": actions[0]["Identifier"], "Actions": list(actions)}
    if metadata:
        flow["Metadata"] = {"ActionMetadata": metadata}
    return flow


HANGUP = action("bye", "DisconnectParticipant")


# --------------------------------------------------------------------------- the words the caller hears


def test_spoken_strips_ssml_and_makes_placeholders_readable():
    assert spoken('<speak>Hello.<break time="300ms"/> Press <say-as interpret-as="digits">1</say-as>.</speak>') \
        == "Hello. Press 1."
    assert spoken("Your balance is $.External.balance dollars, due $.External.dueDate.") \
        == "Your balance is [balance] dollars, due [due date]."
    assert spoken("Your visit is {{widgets.lookup.parsed.date_spoken}} for {{widgets.student_id.Digits | "
                  "split: '' | join: ' '}}.") == "Your visit is [date spoken] for [student id]."
    assert spoken("{% if flow.variables.back %}Welcome back.{% else %}Welcome.{% endif %} Visit ${var.claims_url}"
                  " or ${portal}.") == "Welcome back. Welcome. Visit [claims url] or [portal]."
    assert spoken("Tom &amp; Jerry.Press 2") == "Tom & Jerry. Press 2"


def test_recording_name_prefers_the_export_name_then_the_arn_tail():
    arn = "arn:aws:connect:us-west-2:1:instance/i/prompt/0f1e"
    assert recording_name(arn, "Welcome.wav") == "Welcome.wav"
    assert recording_name(arn) == "0f1e"
    assert recording_name("https://cdn.example.com/ivr/menu-v2.mp3?sig=x") == "menu-v2.mp3"


@pytest.mark.parametrize("text,keys", [
    ("For sales press 1, for support press 2, to cancel press 3.", ["1", "2", "3"]),
    ("Press 1 for billing, 2 for support, or 0 for an operator.", ["1", "2", "0"]),
    ("Press one for hours. To repeat, press the star key. Press pound to finish.", ["1", "*", "#"]),
    ("Say refill or press 1. You can also press 1, 2 or 0.", ["1", "2", "0"]),
    ("Para español, oprima 2.", ["2"]),
    ("Please enter your 10 digit account number. Our hours are 8 to 5, 7 days a week.", []),
])
def test_offered_keys_read_real_menu_wording(text, keys):
    assert list(offered_keys(text)) == keys


# --------------------------------------------------------------------------- one rule at a time


def test_connect_prompts_by_text_ssml_and_arn_quote_words_or_the_recording_name():
    arn = "arn:aws:connect:us-east-1:1:instance/i/prompt/5d2c0f7e-aaaa-bbbb-cccc-0123456789ab"
    flow = connect(
        action("a", "MessageParticipant", "b", SSML="<speak>Thanks for calling.<break time='1s'/></speak>"),
        action("b", "MessageParticipant", "c", PromptId=arn),
        action("c", "MessageParticipant", "bye", PromptId=arn.replace("5d2c", "6e3d")),
        HANGUP,
        metadata={"b": {"promptName": "Closed_Holiday.wav"}})
    explored = analyse_flow_data(flow)
    assert explored.node("a").evidence == "Thanks for calling."
    assert explored.node("b").evidence == "recording Closed_Holiday.wav"
    dead = finding(explored, "dead_end", "c")
    assert dead.evidence == "recording 6e3d0f7e-aaaa-bbbb-cccc-0123456789ab"
    assert all("<" not in n.evidence and "arn:" not in n.evidence for n in explored.nodes)


def test_wrappers_describe_contact_flow_minified_and_studio_rest_resource():
    flow = connect(action("a", "MessageParticipant", "bye", Text="Your balance is $.External.b."), HANGUP)
    described = {"ContactFlow": {"Arn": "arn:x", "Name": "Main", "Content": json.dumps(flow, separators=(",", ":"))}}
    assert analyse_flow_data(described).kind == "connect"
    rest = {"sid": "FW1", "friendly_name": "IVR", "definition": studio(say("hi", "Hello, your order is confirmed."))}
    assert analyse_flow_data(rest).kind == "studio"
    rest_text = {"sid": "FW1", "definition": json.dumps(studio(say("hi", "Hello.")))}
    assert analyse_flow_data(rest_text).node("hi") is not None


def test_a_website_demand_on_an_error_branch_is_unavailable_for_a_phone_only_caller():
    flow = studio(
        {"name": "lookup", "type": "make-http-request", "properties": {"url": "https://api.example.com/x"},
         "transitions": [{"event": "success", "next": "ok"}, {"event": "failed", "next": "oops"}]},
        say("ok", "Your order is confirmed."),
        say("oops", "Sorry, something went wrong. Please try again later or visit our website."))
    explored = analyse_flow_data(flow)
    demand = finding(explored, "unavailable_demand", "oops")
    assert demand.evidence == "Please try again later or visit our website."
    assert "web" in demand.title
    assert finding(explored, "dead_end", "oops").evidence.startswith("Sorry, something went wrong.")
    with_web = analyse_flow_data(flow, caller=FlowCaller(frozenset({"phone", "web"})))
    assert finding(with_web, "forced_channel_switch", "oops").evidence == demand.evidence
    assert not [f for f in with_web.findings if f.kind == "unavailable_demand"]


def test_a_call_to_another_number_is_a_dead_end_but_no_channel_switch():
    explored = analyse_flow_data(studio(say("info", "For emergencies, please call our on-call line.")))
    assert summary(explored) == [("dead_end", "info")]


def test_facts_the_caller_lacks_and_facts_asked_twice():
    flow = connect(
        action("acct", "GetParticipantInput", "acct2", [("NoMatchingError", "bye")],
               Text="Please enter your account number.", StoreInput="True"),
        action("acct2", "GetParticipantInput", "bye", [("NoMatchingError", "bye")],
               Text="To confirm, enter your account number again.", StoreInput="True"),
        HANGUP)
    knows_all = analyse_flow_data(flow)
    assert not [f for f in knows_all.findings if f.kind == "unavailable_demand"]
    again = finding(knows_all, "repeated_information", "acct2")
    assert "account number" in again.title and again.evidence == "To confirm, enter your account number again."
    assert not [f for f in knows_all.findings if f.kind == "repeated_information" and f.node == "acct"]
    stranger = analyse_flow_data(flow, caller=FlowCaller(knows=frozenset()))
    assert {f.node for f in stranger.findings if f.kind == "unavailable_demand"} == {"acct", "acct2"}


def test_business_hours_are_a_demand_only_on_a_caller_outside_them():
    flow = studio(say("closed", "Our office hours are nine to five. Goodbye."))
    assert not [f for f in analyse_flow_data(flow).findings if f.kind == "unavailable_demand"]
    late = analyse_flow_data(flow, caller=FlowCaller(outside_business_hours=True))
    assert finding(late, "unavailable_demand", "closed").evidence == "Our office hours are nine to five."


def test_caller_from_a_persona():
    persona = make_persona(3, "p1", channels=["phone", "sms"], knows=["name"])
    caller = FlowCaller.from_persona(persona)
    assert caller.can_use("sms") and not caller.can_use("web")
    assert caller.knows_fact("name") and not caller.knows_fact("account_number")


def test_one_finding_per_problem_with_the_branches_that_reach_it():
    flow = connect(
        action("menu", "GetParticipantInput", None, [("InputTimeLimitExceeded", "sorry"),
                                                     ("NoMatchingCondition", "sorry"), ("NoMatchingError", "sorry")],
               [("1", "lambda")], Text="For your balance, press 1."),
        action("lambda", "InvokeLambdaFunction", "bal", [("NoMatchingError", "sorry")],
               LambdaFunctionARN="arn:aws:lambda:us-east-1:1:function:balance"),
        action("bal", "MessageParticipant", "bye", [("NoMatchingError", "bye")], Text="Your balance is $.External.b."),
        action("sorry", "MessageParticipant", "bye", [("NoMatchingError", "bye")],
               Text="Sorry, we cannot help right now. Please try again later."),
        HANGUP)
    explored = analyse_flow_data(flow)
    dead = [f for f in explored.findings if f.kind == "dead_end"]
    assert [(f.node, f.count) for f in dead] == [("sorry", 4)]
    assert len(dead[0].more_paths) == 3 and dead[0].path[-1] == "sorry"
    assert {p[-2] for p in [dead[0].path, *dead[0].more_paths]} == {
        "InputTimeLimitExceeded", "NoMatchingCondition", "NoMatchingError"}


@pytest.mark.parametrize("parameters", [
    {"StoreInput": "True"},
    {"StoreInput": "False", "InputEncryption": {"EncryptionKeyId": "k", "Key": "-----BEGIN CERTIFICATE-----"}},
])
def test_connect_data_inputs_are_not_menus(parameters):
    flow = connect(
        action("card", "GetParticipantInput", "thanks", [("NoMatchingError", "thanks")],
               Text="Enter your card number, then press pound. Press star to start again.", **parameters),
        action("thanks", "MessageParticipant", "bye", Text="Your payment has been received."), HANGUP)
    explored = analyse_flow_data(flow)
    assert explored.node("card").kind == "data"
    assert not [f for f in explored.findings if f.kind in ("unannounced_option", "missing_option")]


def test_studio_data_inputs_are_not_menus():
    digits = gather("dob", "Enter your date of birth, then press pound. Press 1 if you need help.", "check", digits=8)
    check = split("check", "dob", {"19870419": "ok"}, no_match="ok")
    explored = analyse_flow_data(studio(digits, check, say("ok", "Your appointment is confirmed.")))
    assert explored.node("dob").kind == "data"
    assert not [f for f in explored.findings if f.kind in ("unannounced_option", "missing_option")]
    reason = gather("reason", "Press 1 if you are ill, 2 for an appointment.", "saved", "saved")
    explored = analyse_flow_data(studio(reason, say("saved", "Your absence has been recorded.")))
    assert explored.node("reason").kind == "data" and not explored.findings


def test_lex_intents_are_not_keys():
    flow = connect(action("bot", "ConnectParticipantWithLexBot", None, [("NoMatchingCondition", "q")],
                          [("Refill", "q")], Text="Say refill or press 1. Say status or press 2."),
                   action("q", "TransferContactToQueue"))
    explored = analyse_flow_data(flow)
    assert summary(explored) == [("transfer", "q")]


def test_a_menu_option_announced_with_no_branch_is_missing():
    menu = gather("main", "For billing press 1, for support press 2, to cancel your service press 3.", "route", "main")
    route = split("route", "main", {"1": "agent", "2": "agent"}, no_match="main")
    explored = analyse_flow_data(studio(menu, route, dial("agent")))
    missing = finding(explored, "missing_option", "main")
    assert missing.evidence == "For billing press 1, for support press 2, to cancel your service press 3."
    assert "3" in missing.title and missing.count == 1


def test_keys_routed_but_never_announced():
    menu = gather("main", "Press 1 for billing.", "route", "agent")
    route = split("route", "main", {"1": "agent", "9": "agent"}, no_match="agent")
    explored = analyse_flow_data(studio(menu, route, dial("agent")))
    assert "9" in finding(explored, "unannounced_option", "main").title


@pytest.mark.parametrize("type_,parameters,evidence", [
    ("TransferContactToQueue", {}, "TransferContactToQueue (queue Billing)"),
    ("TransferParticipantToThirdParty", {"ThirdPartyPhoneNumber": "+15550100"},
     "TransferParticipantToThirdParty (+15550100)"),
])
def test_connect_transfers(type_, parameters, evidence):
    flow = connect(action("set", "UpdateContactTargetQueue", "t", QueueId="arn:aws:connect:x:queue/q1"),
                   action("t", type_, errors=[("QueueAtCapacity", "full")], **parameters),
                   action("full", "MessageParticipant", "bye", Text="We'll call you back within the hour."), HANGUP,
                   metadata={"set": {"parameters": {"QueueId": {"displayName": "Billing"}}}})
    explored = analyse_flow_data(flow)
    transfer = finding(explored, "transfer", "t")
    assert transfer.evidence == evidence and explored.node("t").end == "human"


@pytest.mark.parametrize("widget,properties,evidence", [
    ("connect-call-to", {"noun": "number", "to": "${var.desk_number}"}, "connect-call-to ${var.desk_number}"),
    ("enqueue-call", {"queue_name": "billing"}, "enqueue-call (queue billing)"),
    ("send-to-flex", {"workflow": "WW1", "channel": "TC1"}, "send-to-flex"),
])
def test_studio_transfers(widget, properties, evidence):
    explored = analyse_flow_data(studio({"name": "t", "type": widget, "properties": properties,
                                         "transitions": [{"event": "callComplete"}]}))
    assert summary(explored) == [("transfer", "t")] and explored.findings[0].evidence == evidence


def test_waits_an_estimate_a_hold_before_a_queue_and_a_call_back():
    estimate = analyse_flow_data(studio(say("hold", "Your estimated wait time is {{widgets.w.parsed.m}} minutes.", "q"),
                                        {"name": "q", "type": "enqueue-call", "properties": {"queue_name": "b"},
                                         "transitions": [{"event": "callComplete"}]}))
    assert finding(estimate, "wait", "hold").evidence == "Your estimated wait time is [m] minutes."
    arn = "arn:aws:connect:x:prompt/p1"
    audio = analyse_flow_data(connect(action("busy", "MessageParticipant", "q", PromptId=arn),
                                      action("q", "TransferContactToQueue"),
                                      metadata={"busy": {"promptName": "AgentsBusy.wav"}}))
    assert finding(audio, "wait", "busy").evidence == "recording AgentsBusy.wav"
    callback = analyse_flow_data(connect(
        action("offer", "GetParticipantInput", None, [("InputTimeLimitExceeded", "q")], [("1", "num"), ("2", "q")],
               Text="To get a call back, press 1. To hold, press 2."),
        action("num", "UpdateContactCallbackNumber", "cb", CallbackNumber="$.CustomerEndpoint.Address"),
        action("cb", "CreateCallbackContact", "done"),
        action("done", "MessageParticipant", "bye", Text="You're all set, we'll call you back."),
        action("q", "TransferContactToQueue"), HANGUP))
    assert [f.node for f in callback.findings if f.kind == "wait"] == ["offer"]
    assert not [f for f in callback.findings if f.kind == "dead_end"]


def test_please_hold_before_a_dial_is_no_wait():
    explored = analyse_flow_data(studio(say("connecting", "Please hold while I connect you.", "desk"), dial("desk")))
    assert summary(explored) == [("transfer", "desk")]


def test_a_voicemail_with_a_call_back_promise_is_a_wait_and_a_plain_recording_is_not():
    def flow(words):
        return studio(say("ask", words, "rec"),
                      {"name": "rec", "type": "record-voicemail", "properties": {"max_length": 60},
                       "transitions": [{"event": "recordingComplete", "next": "thanks"}, {"event": "hangup"}]},
                      say("thanks", "Thank you, goodbye."))
    promised = analyse_flow_data(flow("Leave your name after the beep and we'll call you back before 5 PM."))
    assert summary(promised) == [("wait", "ask")]
    plain = analyse_flow_data(flow("After the tone, please say your name."))
    assert plain.findings == []


def test_a_menu_replayed_on_silence_and_wrong_keys_is_one_loop_at_the_reprompt():
    menu = gather("menu", "Press 1 for sales.", "route", "sorry")
    route = split("route", "menu", {"1": "sales"}, no_match="sorry")
    explored = analyse_flow_data(studio(menu, route, say("sorry", "Sorry, I did not get that.", "menu"), dial("sales")))
    loop = finding(explored, "loop", "sorry")
    assert loop.count == 2 and loop.evidence == "Sorry, I did not get that. / Press 1 for sales."
    assert sorted([loop.path[-4], *(p[-4] for p in loop.more_paths)]) == ["noMatch", "timeout"]


def test_a_replay_with_a_way_out_or_a_rephrased_retry_is_no_loop():
    menu = gather("menu", "Press 1 for sales.", "route", "desk")
    route = split("route", "menu", {"1": "desk"}, no_match="menu")
    assert summary(analyse_flow_data(studio(menu, route, dial("desk")))) == [("transfer", "desk")]
    flow = connect(
        action("bot", "ConnectParticipantWithLexBot", None, [("NoMatchingCondition", "retry")], [("Sales", "q")],
               Text="What can I help you with?"),
        action("retry", "ConnectParticipantWithLexBot", None, [("NoMatchingCondition", "q")], [("Sales", "q")],
               Text="Sorry, say sales or agent."),
        action("q", "TransferContactToQueue"))
    assert summary(analyse_flow_data(flow)) == [("transfer", "q")]


def test_silence_ends_the_call_a_dead_end_unless_the_caller_got_their_answer():
    first = analyse_flow_data(studio(gather("lang", "For English, press 1.", "route"),
                                     split("route", "lang", {"1": "desk"}), dial("desk")))
    assert finding(first, "dead_end", "lang").evidence == "For English, press 1."
    assert first.node("lang:timeout").end == "dead_end"
    answered = studio(gather("menu", "For our hours, press 1. To book, press 2.", "route", "desk"),
                      split("route", "menu", {"1": "hours", "2": "desk"}, no_match="desk"),
                      say("hours", "We are open from 5 to 10 PM.", "more"),
                      gather("more", "To book, press 2. Or simply hang up.", "route"), dial("desk"))
    assert summary(analyse_flow_data(answered)) == [("transfer", "desk")]


def test_unreachable_blocks_are_one_finding_per_lost_branch():
    flow = connect(action("a", "MessageParticipant", "q", Text="Welcome."), action("q", "TransferContactToQueue"),
                   action("lost", "UpdateContactTargetQueue", "lost_q", QueueId="arn:x"),
                   action("lost_q", "TransferContactToQueue"),
                   metadata={"lost": {"parameters": {"QueueId": {"displayName": "General"}}}})
    explored = analyse_flow_data(flow)
    gone = finding(explored, "unreachable", "lost")
    assert gone.evidence == "UpdateContactTargetQueue (General)" and "lost_q" in gone.title and gone.count == 0
    assert explored.node("lost_q").depth == -1 and ("transfer", "lost_q") not in summary(explored)


# --------------------------------------------------------------------------- the hand-written fixtures


def test_studio_defects_are_found_exactly():
    explored = analyse_flow(FLOWS / "studio_defects.json")
    assert explored.kind == "studio" and explored.target.endswith("studio_defects.json")
    assert summary(explored) == [
        ("dead_end", "billing_lookup"),
        ("dead_end", "tech_info"),
        ("loop", "welcome_menu"),
        ("transfer", "agent"),
        ("transfer", "staff_line"),
        ("unannounced_option", "welcome_menu"),
        ("unavailable_demand", "tech_info"),
        ("unreachable", "old_promo"),
    ]
    to_menu = ["Trigger", "incomingCall", "welcome_menu"]
    loop = finding(explored, "loop", "welcome_menu")
    assert loop.count == 2 and loop.evidence == STUDIO_MENU
    assert loop.path == to_menu + ["timeout", "welcome_menu"]
    assert loop.more_paths == [to_menu + ["keypress", "route_menu", "noMatch", "welcome_menu"]]
    dead = finding(explored, "dead_end", "tech_info")
    assert dead.evidence == "For technical support, please visit our website. Goodbye."
    assert dead.path == to_menu + ["keypress", "route_menu", "keypress 2", "tech_info"]
    assert finding(explored, "unavailable_demand", "tech_info").evidence == \
        "For technical support, please visit our website."
    failed = finding(explored, "dead_end", "billing_lookup")
    assert "'failed'" in failed.title and "make-http-request" in failed.evidence
    assert failed.path == to_menu + ["keypress", "route_menu", "keypress 1", "billing_lookup", "failed"]
    hidden = finding(explored, "unannounced_option", "welcome_menu")
    assert "9" in hidden.title and hidden.path[-1] == "keypress 9" and hidden.evidence == STUDIO_MENU
    assert finding(explored, "transfer", "staff_line").evidence == "connect-call-to +15550199"
    gone = finding(explored, "unreachable", "old_promo")
    assert gone.path == [] and gone.evidence == "Ask us about our summer promotion!"


def test_studio_map_nodes_and_edges():
    explored = analyse_flow(FLOWS / "studio_defects.json")
    ends = {n.id: n.end for n in explored.nodes if n.end}
    assert ends == {"billing_balance": "resolved", "tech_info": "dead_end", "agent": "human",
                    "staff_line": "human", "old_promo": "dead_end", "billing_lookup:failed": "error"}
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


def test_clean_studio_flow_wrapped_in_definition_has_only_its_transfer():
    explored = analyse_flow(FLOWS / "studio_clean.json")
    assert explored.kind == "studio"
    assert summary(explored) == [("transfer", "agent")]
    assert finding(explored, "transfer", "agent").count == 4
    assert {n.id: n.end for n in explored.nodes if n.end} == {"balance_say": "resolved", "agent": "human"}
    assert all(n.depth >= 0 for n in explored.nodes)
    assert explored.stats["reachable"] == explored.stats["states"] == 6


def test_connect_defects_are_found_exactly():
    explored = analyse_flow(FLOWS / "connect_defects.json")
    assert explored.kind == "connect"
    assert summary(explored) == [
        ("dead_end", "Billing"),
        ("loop", "Menu"),
        ("loop", "OutageHold"),
        ("transfer", "Transfer"),
        ("unreachable", "Legacy"),
    ]
    to_menu = ["Welcome", "next", "Menu"]
    error = finding(explored, "dead_end", "Billing")
    assert "NoMatchingError" in error.title and error.evidence == "InvokeLambdaFunction (billing)"
    assert error.path == to_menu + ["Condition: Equals 1", "Billing", "NoMatchingError", "Hangup"]
    retry = finding(explored, "loop", "Menu")
    assert retry.count == 2 and retry.evidence == CONNECT_MENU
    assert [retry.path, *retry.more_paths] == [to_menu + ["InputTimeLimitExceeded", "Menu"],
                                               to_menu + ["NoMatchingCondition", "Menu"]]
    trap = finding(explored, "loop", "OutageHold")
    assert "OutageHold" in trap.title and "OutageUpdate" in trap.title
    assert trap.path == to_menu + ["Condition: Equals 2", "OutageHold", "next", "OutageUpdate", "next", "OutageHold"]
    assert "Please hold" in trap.evidence and "continue to hold" in trap.evidence
    assert finding(explored, "unreachable", "Legacy").evidence == "Press 3 for our fax line."
    ends = {n.id: n.end for n in explored.nodes if n.end}
    assert ends == {"Transfer": "human", "OutageHold": "loop", "OutageUpdate": "loop", "Hangup": "hangup",
                    "Legacy": "dead_end"}
    edges = {(e.source, e.target, e.label): e for e in explored.edges}
    assert edges[("Menu", "Billing", "Condition: Equals 1")].announced
    assert edges[("OutageHold", "OutageUpdate", "next")].outcome == "loop"
    assert edges[("Billing", "Hangup", "NoMatchingError")].outcome == "error"


def test_clean_connect_flow_has_only_its_transfer_and_call_back():
    explored = analyse_flow(FLOWS / "connect_clean.json")
    assert explored.kind == "connect" and summary(explored) == [("transfer", "Transfer"), ("wait", "Callback")]
    assert finding(explored, "wait", "Callback").evidence == "CreateCallbackContact"
    assert {n.id: n.end for n in explored.nodes if n.end} == {
        "Transfer": "human", "SayBalance": "resolved", "Goodbye": "hangup"}
    assert explored.node("Goodbye").path[-2:] == ["next", "Goodbye"]


def test_resolution_words_are_configurable():
    explored = analyse_flow(FLOWS / "studio_defects.json", resolution_words=["visit our website"])
    assert ("dead_end", "tech_info") not in summary(explored)
    assert explored.node("tech_info").end == "resolved"
    assert explored.node("billing_balance").end == "resolved"  # it speaks the balance it looked up


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
    assert summary(explored) == [("dead_end", "sales"), ("loop", "sorry"), ("transfer", "agent"),
                                 ("transfer", "queue")]
    assert finding(explored, "loop", "sorry").path == ["Trigger", "incomingCall", "menu", "timeout", "sorry",
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
    assert summary(explored) == [("loop", "a"), ("transfer", "q")]
    assert explored.node("q").end == "human"


# --------------------------------------------------------------------------- broken exports


def test_bad_json_names_file_line_column_and_fix():
    with pytest.raises(FlowError) as caught:
        analyse_flow(FLOWS / "bad_json.json")
    error = caught.value
    assert isinstance(error, SimsuiteError)
    assert (error.line, error.column) == (4, 65)
    assert "bad_json.json:4:65" in str(error) and "line 4, column 65" in str(error)
    assert "Fix: remove the trailing comma" in str(error)


def test_a_missing_comma_is_placed_at_the_end_of_the_line_before(tmp_path):
    broken = tmp_path / "flow.json"
    broken.write_text('{\n  "states": [],\n  "initial_state": "Trigger"\n  "flags": {}\n}\n', encoding="utf-8")
    with pytest.raises(FlowError) as caught:
        analyse_flow(broken)
    assert caught.value.line == 4 and "add the missing comma at the end of line 3" in caught.value.fix


def test_a_batch_names_each_broken_file_and_analyses_the_others(tmp_path):
    good = FLOWS / "studio_clean.json"
    maps, errors = analyse_flows([good, CORPUS / "studio-broken-hand-edit.json", tmp_path / "gone.json",
                                  FLOWS / "connect_defects.json"])
    assert [m.target for m in maps] == [str(good), str(FLOWS / "connect_defects.json")]
    assert [(Path(e.path).name, e.line) for e in errors] == [("studio-broken-hand-edit.json", 60), ("gone.json", None)]
    assert "add the missing comma at the end of line 59" in errors[0].fix


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
    ({"ContactFlow": {"Content": "{not json"}}, "the embedded flow content is not valid JSON"),
    ([1, 2], "neither a Twilio Studio nor an Amazon Connect flow"),
])
def test_malformed_structures_are_explained(data, words):
    with pytest.raises(FlowError, match=words):
        analyse_flow_data(data, "flow.json")


def test_missing_file_is_a_flow_error(tmp_path):
    with pytest.raises(FlowError, match="cannot read the flow export"):
        analyse_flow(tmp_path / "nope.json")


# --------------------------------------------------------------------------- the labelled corpus, end to end


def corpus_maps():
    """Every corpus export through analyse_flows, each with its labelled caller: {file name: map}."""
    out = {}
    for name, truth in LABELS.items():
        caller = FlowCaller(frozenset(truth["caller_channels"]))
        maps, errors = analyse_flows([CORPUS / name], caller=caller)
        assert bool(errors) == truth["broken"], (name, errors)
        if maps:
            out[name] = maps[0]
    return out


CORPUS_MAPS = corpus_maps()
UUID = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")


def test_corpus_batch_reads_every_export_and_names_the_broken_one():
    maps, errors = analyse_flows(sorted(CORPUS.glob("*.json")))
    assert len(maps) == len(LABELS) - 1 and len(errors) == 1
    assert errors[0].path.endswith("studio-broken-hand-edit.json") and errors[0].line == 60
    assert {m.kind for m in maps} == {"connect", "studio"}


@pytest.mark.parametrize("name", sorted(CORPUS_MAPS))
def test_corpus_evidence_is_what_the_caller_hears(name):
    for f in CORPUS_MAPS[name].findings:
        assert f.evidence.strip(), f
        assert not UUID.match(f.evidence) and "arn:aws" not in f.evidence, f
        assert not re.search(r"<[a-z/]|\{\{|\{%", f.evidence), f


@pytest.mark.parametrize("name", sorted(CORPUS_MAPS))
def test_corpus_one_finding_per_problem(name):
    seen = [(f.kind, f.node, f.evidence) for f in CORPUS_MAPS[name].findings]
    assert len(seen) == len(set(seen))


def _recalled(explored, label):
    return any(f.kind == label["kind"] and f.node == label["at"] and label["evidence"].lower() in f.evidence.lower()
               for f in explored.findings)


@pytest.mark.parametrize("name", sorted(CORPUS_MAPS))
def test_corpus_structural_labels_are_found_with_their_branches(name):
    """Loops, transfers, waits, dead ends, missing options and unreachable blocks, with their branch counts
    (channel demands depend on the phrase lists and are measured by benchmarks/validity_flows.py)."""
    explored = CORPUS_MAPS[name]
    for label in LABELS[name]["findings"]:
        if label["kind"] in ("unavailable_demand", "forced_channel_switch"):
            continue
        assert _recalled(explored, label), (label, [(f.kind, f.node, f.evidence[:60]) for f in explored.findings])


@pytest.mark.parametrize("name", sorted(CORPUS_MAPS))
def test_corpus_clean_blocks_carry_no_friction(name):
    clean = set(LABELS[name]["clean"])
    assert not [(f.kind, f.node) for f in CORPUS_MAPS[name].findings if f.kind in FRICTION and f.node in clean]


def test_corpus_data_inputs_are_not_menus():
    card = CORPUS_MAPS["connect-card-payment.json"]
    for ident in ("e1e7a0d1-f330-4d2c-a448-7972ccbd5d0b", "48956cd7-7a1e-471a-a9dc-f4816b2fd340",
                  "5ecc10ea-e8b8-4c44-b83f-6f1b95c04bd0", "39fa63fc-b21f-4912-823e-9e97076677c7"):
        assert card.node(ident).kind == "data"
    assert CORPUS_MAPS["studio-dental-liquid.json"].node("dob").kind == "data"
    assert CORPUS_MAPS["studio-school-absence.json"].node("student_id").kind == "data"
    for explored in CORPUS_MAPS.values():
        for f in explored.findings:
            if f.kind in ("unannounced_option", "missing_option"):
                assert explored.node(f.node).kind == "menu", f


def test_corpus_branch_counts_and_audio_names():
    billing = CORPUS_MAPS["connect-billing-queue.json"]
    error = finding(billing, "dead_end", "fd62c74d-73c3-41f6-a41d-6692fc7789a0")
    assert error.count == 8 and len(error.more_paths) == 7
    audio = CORPUS_MAPS["connect-prompt-arn-audio.json"]
    assert finding(audio, "loop", "6d0ffff6-76a4-4a03-b1ba-9e9a176da392").evidence == \
        "recording Summit_MainMenu_v3.wav"
    lex = CORPUS_MAPS["connect-lex-loop.json"]
    assert finding(lex, "loop", "672d508a-b65a-4013-8a0f-05a5c97f44e2").count == 2


def test_connect_menus_missing_and_unannounced_keys():
    flow = connect(action("menu", "GetParticipantInput", None, [("InputTimeLimitExceeded", "q")],
                          [("1", "q"), ("9", "q")], Text="For billing, press 1. For outages, press 2."),
                   action("q", "TransferContactToQueue"))
    explored = analyse_flow_data(flow)
    assert finding(explored, "missing_option", "menu").evidence == "For outages, press 2."
    assert "9" in finding(explored, "unannounced_option", "menu").title


def test_corpus_channel_demands_are_judged_against_the_callers_channels():
    for name, explored in CORPUS_MAPS.items():
        for label in LABELS[name]["findings"]:
            if label["kind"] not in ("unavailable_demand", "forced_channel_switch"):
                continue
            judged = {f.kind for f in explored.findings if f.node == label["at"]
                      and f.kind in ("unavailable_demand", "forced_channel_switch")
                      and label["evidence"].lower() in f.evidence.lower()}
            assert judged <= {label["kind"]}, (name, label, judged)


def test_validity_benchmark_scores_the_corpus():
    from benchmarks.validity_flows import score_flows

    result = score_flows(CORPUS)
    assert result["overall"]["precision"] >= 0.95 and not result["false_positives"]
    for kind in ("dead_end", "loop", "transfer", "wait", "missing_option", "unreachable", "broken_file"):
        assert result["kinds"][kind]["recall"] == 1.0, (kind, result["misses"])
    assert {m["kind"] for m in result["misses"]} <= {"unavailable_demand", "forced_channel_switch"}


def test_silence_and_a_wrong_key_that_hang_up_are_one_dead_end_at_the_menu():
    explored = analyse_flow_data(studio(gather("menu", "Press 1 to Sales or 2 to Services", "route"),
                                        split("route", "menu", {"1": "desk", "2": "desk"}), dial("desk")))
    dead = finding(explored, "dead_end", "menu")
    assert dead.count == 2 and {dead.path[-1], dead.more_paths[0][-1]} == {"timeout", "noMatch"}
    assert dead.evidence == "Press 1 to Sales or 2 to Services"


def test_a_long_chain_makes_a_map_that_grows_with_its_states(tmp_path):
    """4,000 states in a row: a map of a few MB in seconds (each node used to carry its whole path)."""
    import json
    import time

    from simsuite.explore.flows import analyse_flow_data

    n = 4000
    states = [{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingCall", "next": "s0"}],
               "properties": {}}]
    states += [{"name": f"s{i}", "type": "say-play", "properties": {"say": f"Step {i} of the message."},
                "transitions": [{"event": "audioComplete", "next": f"s{i + 1}" if i < n - 1 else None}]}
               for i in range(n)]
    began = time.monotonic()
    doc = analyse_flow_data({"description": "chain", "states": states, "initial_state": "Trigger"}).to_dict()
    size = len(json.dumps(doc))
    assert time.monotonic() - began < 30 and size < 10_000_000, size
    deepest = max(doc["nodes"], key=lambda node: node["depth"])
    assert deepest["depth"] >= n and "\u2026" in deepest["path"] and deepest["path"][0] == "Trigger"
