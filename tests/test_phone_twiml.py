"""The TwiML interpreter (simsuite.channels.phone) against a real IVR webhook server on loopback."""

from __future__ import annotations

from typing import Any

import socket

import pytest

from simsuite.core.target import Target
from simsuite.customer import Customer
from simsuite.errors import HostNotAllowed, SiteUnreachable
from simsuite.model import FrictionKind
from simsuite.core.personas import make_persona
from simsuite.core.scenario import Scenario

try:
    from twiml_server import TwimlServer, twiml
except ImportError:  # tests/ imported as a package
    from tests.twiml_server import TwimlServer, twiml

MENU = "For billing, press 1. For technical support, press 2."
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Response><Say>&lol9;</Say></Response>"""


# -- fixtures and helpers ------------------------------------------------------------------------
@pytest.fixture
def ivr():
    server = TwimlServer().start()
    yield server
    server.stop()


@pytest.fixture
def make_customer(ivr):
    made: list[Customer] = []

    def make(patience_minutes: float = 120, **target: Any) -> Customer:
        persona = make_persona(1, "t", channels=["phone"], knows=["phone", "booking_reference"])
        scenario = Scenario(name="t", goal="g", journeys=("j",), patience_minutes=patience_minutes)
        customer = Customer(persona, scenario,
                            Target(base_url=ivr.url, allowed_hosts=frozenset({ivr.host_port}), **target))
        made.append(customer)
        return customer

    yield make
    for customer in made:
        customer.close()


@pytest.fixture
def customer(make_customer):
    return make_customer()


def steps(customer: Customer, action: str) -> list:
    return [s for s in customer.steps if s.action == action]


def frictions(customer: Customer, kind: FrictionKind) -> list:
    return [f for f in customer.frictions if f.kind is kind]


def sequence(*answers: str):
    """A route that answers each request with the next document, repeating the last one."""
    served = iter(answers)
    last = [answers[-1]]

    def route(_request):
        last[0] = next(served, last[0])
        return last[0]

    return route


def gather(prompt: str = MENU, **attrs: str) -> str:
    attributes = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<Gather{attributes}><Say>{prompt}</Say></Gather>"


# -- the requests the interpreter makes ---------------------------------------------------------
def test_first_request_is_a_twilio_form_post(ivr, customer):
    ivr.add("/voice", twiml("<Say>Hello.</Say>"))
    call = customer.phone.call("/voice")
    first = ivr.log[0]
    assert (first.method, first.path) == ("POST", "/voice")
    assert first.content_type.startswith("application/x-www-form-urlencoded")
    form = first.form
    assert form["CallSid"] == call.sid and form["CallSid"].startswith("CA") and len(form["CallSid"]) == 34
    assert form["AccountSid"].startswith("AC") and len(form["AccountSid"]) == 34
    assert form["From"] == customer.persona.records["phone"]
    assert form["To"] == call.to == "+18005550100"
    assert form["CallStatus"] == "in-progress"
    assert form["Direction"] == "inbound"
    assert "Digits" not in form and "SpeechResult" not in form
    assert steps(customer, "call")[0].url == "/voice"  # step URLs are relative to the target


def test_press_posts_digits_to_the_gather_action(ivr, customer):
    ivr.add("/voice", twiml(gather(action="/menu")))
    ivr.add("/menu", twiml("<Say>Billing.</Say>"))
    call = customer.phone.call("/voice")
    assert call.listening and steps(customer, "gather")
    call.press("1")
    assert ivr.paths == ["/voice", "/menu"]
    posted = ivr.log[1]
    assert posted.method == "POST"
    assert posted.form["Digits"] == "1"
    assert posted.form["CallSid"] == ivr.log[0].form["CallSid"]
    assert steps(customer, "pressed")[0].detail == "1"


def test_gather_action_defaults_to_the_current_document(ivr, customer):
    ivr.add("/voice", twiml("<Redirect>/menu</Redirect>"))
    ivr.add("/menu", sequence(twiml(gather()), twiml("<Say>Thanks.</Say>")))
    call = customer.phone.call("/voice")
    call.press("2")
    assert ivr.paths == ["/voice", "/menu", "/menu"]
    assert ivr.log[2].method == "POST" and ivr.log[2].form["Digits"] == "2"


def test_gather_method_get_sends_query_parameters(ivr, customer):
    ivr.add("/voice", twiml(gather(action="/pick", method="GET")))
    ivr.add("/pick", twiml("<Say>Got it.</Say>"))
    customer.phone.call("/voice").press("2")
    picked = ivr.log[1]
    assert (picked.method, picked.path) == ("GET", "/pick")
    assert picked.query["Digits"] == "2"
    assert picked.query["CallSid"].startswith("CA")
    assert picked.query["From"] == customer.persona.records["phone"]
    assert picked.form == {}


def test_say_on_a_speech_gather_posts_speech_result(ivr, customer):
    ivr.add("/voice", twiml(gather("How can I help?", input="speech", action="/heard")))
    ivr.add("/heard", twiml("<Say>Okay.</Say>"))
    customer.phone.call("/voice").say("change my booking")
    heard = ivr.requests_to("/heard")
    assert len(heard) == 1
    assert heard[0].form["SpeechResult"] == "change my booking"
    assert "Digits" not in heard[0].form
    assert steps(customer, "said")[0].detail == "change my booking"


def test_finish_on_key_is_stripped_from_digits(ivr, customer):
    ivr.add("/voice", twiml(gather("Enter your reference, then press pound.", action="/ref")))
    ivr.add("/ref", twiml(gather("Enter your PIN, then press star.", action="/pin", finishOnKey="*")))
    ivr.add("/pin", twiml("<Say>Thank you.</Say>"))
    call = customer.phone.call("/voice")
    call.press("4821#")
    assert ivr.requests_to("/ref")[0].form["Digits"] == "4821"
    call.press("77*9")
    assert ivr.requests_to("/pin")[0].form["Digits"] == "77"


def test_num_digits_truncates_the_digits(ivr, customer):
    ivr.add("/voice", twiml(gather(action="/menu", numDigits="1")))
    ivr.add("/menu", twiml("<Say>Billing.</Say>"))
    customer.phone.call("/voice").press("12")
    assert ivr.requests_to("/menu")[0].form["Digits"] == "1"


# -- what the caller hears, on the simulated clock -----------------------------------------------
def test_say_is_a_heard_step_with_the_exact_text_and_takes_time(ivr, customer):
    ivr.add("/voice", twiml("<Say>Welcome to Acme Travel.</Say>", "<Say loop=\"2\">Goodbye now.</Say>"))
    customer.phone.call("/voice")
    heard = steps(customer, "heard")
    assert [s.text for s in heard] == ["Welcome to Acme Travel.", "Goodbye now."]
    # 4 words at 2.5 words/s, then 2 words (at least 1 s) twice
    assert customer.clock.now == pytest.approx(1.6 + 2 * 1.0)


def test_play_advances_the_clock_30_seconds_per_loop(ivr, customer):
    ivr.add("/voice", twiml('<Play loop="3">https://cdn.example/music.mp3</Play>'))
    customer.phone.call("/voice")
    assert customer.clock.now == pytest.approx(90.0)
    played = steps(customer, "heard")[0]
    assert played.data["audio"] is True and "x3" in played.detail
    assert ivr.paths == ["/voice"]  # the audio itself is never fetched


def test_pause_advances_the_simulated_clock_by_its_length(ivr, customer):
    ivr.add("/voice", twiml('<Pause length="600"/>', "<Pause/>", "<Hangup/>"))
    call = customer.phone.call("/voice")
    assert customer.clock.now == pytest.approx(601.0)  # 600 s, then the default 1 s
    assert [s.detail for s in steps(customer, "pause")] == ["Pause 600 s", "Pause 1 s"]
    assert not call.active


def test_gather_timeout_falls_through_without_requesting_the_action(ivr, customer):
    ivr.add("/voice", twiml(gather("Press 1 for billing.", action="/never", timeout="7"),
                            "<Say>We did not get that.</Say>", "<Hangup/>"))
    call = customer.phone.call("/voice")
    before = customer.clock.now
    call.wait()
    assert steps(customer, "no_input")[0].detail == "said nothing for 7 s"
    assert steps(customer, "heard")[-1].text == "We did not get that."
    assert customer.clock.now - before == pytest.approx(7 + 5 / 2.5)
    assert ivr.paths == ["/voice"]
    assert not call.active and call.ended_by == "company"


# -- how calls end -------------------------------------------------------------------------------
def test_document_running_out_of_verbs_ends_the_call(ivr, customer):
    ivr.add("/voice", twiml("<Say>Our offices are closed.</Say>"))
    call = customer.phone.call("/voice")
    assert not call.active and call.ended_by == "company"
    ended = customer.steps[-1]
    assert ended.action == "ended" and ended.data["ended_by_company"] is True
    assert ended.text == "Our offices are closed."


def test_hangup_verb_ends_the_call_before_later_verbs(ivr, customer):
    ivr.add("/voice", twiml("<Say>Goodbye.</Say>", "<Hangup/>", "<Say>Never spoken.</Say>"))
    call = customer.phone.call("/voice")
    assert not call.active and call.ended_by == "company"
    assert steps(customer, "ended")[0].detail == "the IVR hung up"
    assert "Never spoken." not in [s.text for s in steps(customer, "heard")]


def test_reject_as_first_verb_means_never_answered(ivr, customer):
    ivr.add("/voice", twiml('<Reject reason="busy"/>', "<Say>Hello?</Say>"))
    call = customer.phone.call("/voice")
    assert not call.active and call.ended_by == "company"
    assert "never answered" in steps(customer, "ended")[0].detail
    assert steps(customer, "heard") == []


def test_reject_after_speaking_is_not_never_answered(ivr, customer):
    ivr.add("/voice", twiml("<Say>Hello.</Say>", "<Reject/>"))
    customer.phone.call("/voice")
    assert "never answered" not in steps(customer, "ended")[0].detail


def test_customer_hangup_ends_the_call(ivr, customer):
    ivr.add("/voice", twiml(gather(action="/menu")))
    call = customer.phone.call("/voice")
    call.hangup()
    assert not call.active and not call.listening and call.ended_by == "customer"
    assert ivr.paths == ["/voice"]


# -- redirects -----------------------------------------------------------------------------------
def test_redirect_follows_with_post_by_default_and_honours_method(ivr, customer):
    ivr.add("/voice", twiml("<Redirect>/a</Redirect>"))
    ivr.add("/a", twiml('<Redirect method="GET">/b</Redirect>'))
    ivr.add("/b", twiml("<Say>Arrived.</Say>"))
    customer.phone.call("/voice")
    assert [(r.method, r.path) for r in ivr.log] == [("POST", "/voice"), ("POST", "/a"), ("GET", "/b")]
    assert ivr.log[2].query["CallSid"].startswith("CA")
    assert len(steps(customer, "redirect")) == 2
    assert steps(customer, "heard")[0].text == "Arrived."


def test_redirect_loop_is_bounded_with_a_loop_friction(ivr, customer):
    ivr.add("/voice", twiml("<Say>Please hold.</Say>", "<Redirect>/voice</Redirect>"))
    call = customer.phone.call("/voice")
    assert not call.active and call.ended_by == "company"
    assert len(steps(customer, "bounded")) == 1
    assert frictions(customer, FrictionKind.LOOP)
    assert 10 <= len(ivr.log) <= 26


def test_redirect_to_another_host_is_refused(ivr, customer):
    ivr.add("/voice", twiml("<Redirect>http://elsewhere.example/steal</Redirect>"))
    with pytest.raises(HostNotAllowed):
        customer.phone.call("/voice")
    assert ivr.paths == ["/voice"]


# -- Dial ---------------------------------------------------------------------------------------
def test_a_whisper_runs_on_the_agents_leg_and_the_caller_never_hears_it(ivr, customer):
    ivr.add("/voice", twiml('<Say>Connecting you.</Say><Dial><Number url="/whisper">+18005550199</Number></Dial>'))
    ivr.add("/whisper", twiml(gather("Press any key to accept this call.", action="/accepted", numDigits="1"),
                              "<Hangup/>"))
    ivr.add("/accepted", twiml("<Say>Connecting.</Say>"))
    call = customer.phone.call("/voice")
    transfer = steps(customer, "transfer")[0]
    assert transfer.data["target"] == "+18005550199" and transfer.data["agent_accepted"] is True
    assert transfer.data["whisper"] == "Press any key to accept this call. Connecting."
    assert ivr.paths == ["/voice", "/whisper", "/accepted"]
    assert ivr.log[1].form["ParentCallSid"] == call.sid and ivr.log[1].form["To"] == "+18005550199"
    assert ivr.log[2].form["Digits"] == "1"  # the simulated agent accepted
    assert [s.text for s in steps(customer, "heard")] == ["Connecting you."]
    assert "accept this call" not in " ".join(t for _, t in call.transcript)
    assert call.ended_by == "bridged" and call.bridged_to == "+18005550199"
    assert call.transfers == [{"to": "+18005550199", "kind": "Number", "step": transfer.index,
                               "whisper": "Press any key to accept this call. Connecting."}]
    assert frictions(customer, FrictionKind.TRANSFER)


def test_a_declined_whisper_goes_on_with_the_dial_action(ivr, customer):
    ivr.add("/voice", twiml('<Dial action="/after"><Number url="/whisper">+18005550199</Number></Dial>'))
    ivr.add("/whisper", twiml("<Say>Press 1 to accept.</Say><Hangup/>"))
    ivr.add("/after", twiml("<Say>Nobody could take your call. Goodbye.</Say><Hangup/>"))
    call = customer.phone.call("/voice")
    assert steps(customer, "transfer")[0].data["agent_accepted"] is False
    assert ivr.log[-1].path == "/after" and ivr.log[-1].form["DialCallStatus"] == "no-answer"
    assert call.ended_by == "company" and "Nobody could take your call." in call.heard_any("nobody", whole=True)


def test_a_number_the_target_answers_itself_continues_the_call_in_that_ivr(ivr, make_customer):
    ivr.add("/voice", twiml("<Dial><Number>+18005550142</Number></Dial>"))
    ivr.add("/scheduling", twiml("<Say>Scheduling department.</Say>"))
    customer = make_customer(dialled={"+18005550142": "/scheduling"})
    call = customer.phone.call("/voice")
    assert ivr.paths == ["/voice", "/scheduling"] and ivr.log[1].form["To"] == "+18005550142"
    assert steps(customer, "heard")[0].text == "Scheduling department."
    assert call.bridged_to is None and call.ended_by == "company"


def test_dial_without_url_bridges_the_call(ivr, customer):
    ivr.add("/voice", twiml("<Dial>+18005550123</Dial>", "<Say>Not reached.</Say>"))
    call = customer.phone.call("/voice")
    assert not call.active and call.ended_by == "bridged"
    assert call.bridged_to == "+18005550123"
    assert steps(customer, "heard") == []


# -- queues --------------------------------------------------------------------------------------
ESTIMATE = "Your estimated wait time is 5 minutes."


def test_enqueue_waits_until_a_redirect_answers(ivr, customer):
    wait_doc = twiml(f"<Say>{ESTIMATE}</Say>", "<Play>https://cdn.example/hold.mp3</Play>")
    ivr.add("/voice", twiml('<Enqueue waitUrl="/wait">support</Enqueue>'))
    ivr.add("/wait", sequence(wait_doc, wait_doc, wait_doc, twiml("<Redirect>/agent</Redirect>")))
    ivr.add("/agent", twiml("<Say>Thanks for waiting, this is Alex.</Say>"))
    call = customer.phone.call("/voice")

    queue_times = [int(r.form["QueueTime"]) for r in ivr.requests_to("/wait")]
    assert len(queue_times) == 4 and queue_times[0] == 0
    assert all(a < b for a, b in zip(queue_times, queue_times[1:]))
    assert ivr.paths[-1] == "/agent"
    assert steps(customer, "heard")[-1].text == "Thanks for waiting, this is Alex."
    assert [s.text for s in steps(customer, "heard") if s.data.get("on_hold")] == [ESTIMATE]  # said once

    hold = steps(customer, "hold")[0]
    assert hold.data["minutes"] > 1 and hold.data["explained"] is True
    assert steps(customer, "queue")[0].data["queue"] == "support"
    assert frictions(customer, FrictionKind.TRANSFER)
    wait = frictions(customer, FrictionKind.WAIT)
    assert len(wait) == 1 and wait[0].minutes == hold.data["minutes"] and wait[0].explained is True
    assert call.ended_by == "company"


def test_hold_music_alone_is_an_unexplained_wait(ivr, customer):
    music = twiml('<Play loop="2">https://cdn.example/hold.mp3</Play>')
    ivr.add("/voice", twiml('<Enqueue waitUrl="/wait">support</Enqueue>'))
    ivr.add("/wait", sequence(music, music, music, twiml("<Redirect>/agent</Redirect>")))
    ivr.add("/agent", twiml("<Say>Hello.</Say>"))
    customer.phone.call("/voice")
    hold = steps(customer, "hold")[0]
    assert hold.data == {"minutes": 3.0, "explained": False}
    assert "hold music" in hold.text
    wait = frictions(customer, FrictionKind.WAIT)
    assert len(wait) == 1 and wait[0].explained is False and wait[0].minutes == 3.0


def test_wait_url_that_never_answers_ends_on_patience(ivr, make_customer):
    customer = make_customer(patience_minutes=20)
    ivr.add("/voice", twiml('<Enqueue waitUrl="/wait">support</Enqueue>', "<Say>Not reached.</Say>"))
    ivr.add("/wait", twiml("<Play>https://cdn.example/hold.mp3</Play>"))
    call = customer.phone.call("/voice")
    assert not call.active and call.ended_by == "customer"
    assert customer.clock.now >= 20 * 60
    assert len(ivr.requests_to("/wait")) == 40  # 30 s of music each, until 20 minutes are gone
    assert steps(customer, "hold")[0].data["minutes"] == pytest.approx(20.0)
    assert "Not reached." not in [s.text for s in steps(customer, "heard")]


def test_enqueue_without_wait_url_holds_until_patience_runs_out(ivr, make_customer):
    customer = make_customer(patience_minutes=15)
    ivr.add("/voice", twiml("<Enqueue>support</Enqueue>"))
    call = customer.phone.call("/voice")
    assert not call.active and call.ended_by == "customer"
    assert steps(customer, "hold")[0].data["minutes"] == pytest.approx(15.0)
    assert frictions(customer, FrictionKind.WAIT)[0].minutes == pytest.approx(15.0)


def test_leave_continues_with_the_enqueue_action(ivr, customer):
    ivr.add("/voice", twiml('<Enqueue waitUrl="/wait" action="/after">support</Enqueue>',
                            "<Say>Skipped.</Say>"))
    ivr.add("/wait", twiml("<Say>All agents are busy.</Say>", "<Leave/>"))
    ivr.add("/after", twiml("<Say>You left the queue.</Say>"))
    customer.phone.call("/voice")
    assert ivr.paths == ["/voice", "/wait", "/after"]
    assert ivr.log[2].form["QueueResult"] == "leave"
    heard = [s.text for s in steps(customer, "heard")]
    assert heard[-1] == "You left the queue." and "Skipped." not in heard


def test_leave_without_action_continues_in_the_enqueuing_document(ivr, customer):
    ivr.add("/voice", sequence(
        twiml('<Enqueue waitUrl="/wait">support</Enqueue>', gather("Press 1 to leave a message.")),
        twiml("<Say>Message.</Say>")))
    ivr.add("/wait", twiml("<Leave/>"))
    call = customer.phone.call("/voice")
    assert call.listening
    call.press("1")
    # the Gather's default action is the document that holds it, not the queue's wait URL
    assert ivr.paths == ["/voice", "/wait", "/voice"]
    assert ivr.log[2].form["Digits"] == "1"


# -- Record --------------------------------------------------------------------------------------
def test_record_requests_the_action_with_a_recording_url(ivr, customer):
    ivr.add("/voice", twiml("<Say>Leave a message.</Say>", '<Record action="/recorded" maxLength="20"/>'))
    ivr.add("/recorded", twiml("<Say>Thank you.</Say>"))
    customer.phone.call("/voice")
    recorded = ivr.requests_to("/recorded")
    assert len(recorded) == 1 and recorded[0].method == "POST"
    assert recorded[0].form["RecordingUrl"].startswith("https://")
    assert recorded[0].form["RecordingDuration"] == "20"
    assert steps(customer, "record")
    assert steps(customer, "heard")[-1].text == "Thank you."


# -- a broken IVR --------------------------------------------------------------------------------
def test_http_500_is_an_error_step_and_a_dead_end(ivr, customer):
    ivr.add("/voice", twiml(gather("Let me check your booking. Press 1 to continue.", action="/broken")))
    ivr.add("/broken", (500, "Internal Server Error"))
    call = customer.phone.call("/voice")
    call.press("1")
    error = steps(customer, "http_error")[0]
    assert error.status == 500
    assert not call.active and call.ended_by == "company"
    customer.finish()
    dead = frictions(customer, FrictionKind.DEAD_END)
    assert len(dead) == 1
    assert "500" in dead[0].evidence and "Let me check your booking" in dead[0].evidence


@pytest.mark.parametrize("body, why", [
    pytest.param("<Response><Say>Hi</Say></Respo", "ParseError", id="malformed"),
    pytest.param("<html><body><Say>Hi</Say></body></html>", "<html>", id="not-response-root"),
    pytest.param(BOMB, "EntitiesForbidden", id="billion-laughs"),
])
def test_bad_documents_end_the_call(ivr, customer, body, why):
    ivr.add("/voice", body)
    call = customer.phone.call("/voice")
    bad = steps(customer, "bad_document")
    assert len(bad) == 1 and bad[0].status == 200 and why in bad[0].detail
    assert not call.active and call.ended_by == "company"
    assert steps(customer, "heard") == []
    assert all(len(s.text) <= 200 and "lollollol" not in s.text for s in customer.steps)


def test_server_down_is_site_unreachable(make_customer):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens there
    persona = make_persona(1, "t", channels=["phone"])
    customer = Customer(persona, None, Target(base_url=f"http://127.0.0.1:{port}"))
    with pytest.raises(SiteUnreachable):
        customer.phone.call("/voice")


# -- choosing from a menu ------------------------------------------------------------------------
def test_choose_presses_the_option_that_fits(ivr, customer):
    ivr.add("/voice", twiml(gather(action="/route")))
    ivr.add("/route", twiml("<Say>Connecting you.</Say>"))
    call = customer.phone.call("/voice")
    assert call.menu == {"1": "For billing", "2": "For technical support"}
    assert call.choose("technical support") == "2"
    assert ivr.requests_to("/route")[0].form["Digits"] == "2"
    assert frictions(customer, FrictionKind.MISSING_OPTION) == []


def test_choose_with_no_fitting_option_is_a_missing_option(ivr, customer):
    ivr.add("/voice", twiml(gather(action="/route")))
    call = customer.phone.call("/voice")
    assert call.choose("fire") is None
    missing = frictions(customer, FrictionKind.MISSING_OPTION)
    assert len(missing) == 1
    assert missing[0].evidence == MENU and missing[0].source == "menu"
    assert customer.steps[missing[0].step].action == "gather"
    assert steps(customer, "pressed") == [] and ivr.paths == ["/voice"]
    assert call.listening


def test_repeated_missing_option_does_not_relabel_other_frictions(ivr, customer):
    ivr.add("/voice", twiml(gather(action="/route"), "<Redirect>/voice</Redirect>"))
    call = customer.phone.call("/voice")
    call.choose("fire")
    call.wait()  # falls through to the Redirect: the same menu again, a loop
    assert call.choose("fire") is None
    assert len(frictions(customer, FrictionKind.MISSING_OPTION)) == 1
    assert [f.source for f in frictions(customer, FrictionKind.LOOP)] == ["loop"]
