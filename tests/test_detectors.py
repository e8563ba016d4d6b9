"""Detectors on recorded steps: each friction kind from its evidence, and none where there is none.

Each test records steps in a journey's `Journal` (the core object channels write to and detectors read)."""

import pytest

from simsuite import Detector, Friction, FrictionKind, register_detector
from simsuite.core.context import new_context
from simsuite.core.detectors import DETECTORS
from simsuite.core.personas import make_persona
from simsuite.core.phrases import load_phrases
from simsuite.core.target import Target
from simsuite.errors import ScriptError
from simsuite.model import Outcome


def customer(channels=("web", "phone"), knows=("name", "booking_reference"), situation=()):
    """A fresh journal for a customer with these channels and facts, judged by every registered detector."""
    persona = make_persona(3, "detectors", channels=channels, knows=knows, situation=situation)
    return new_context(persona, Target(base_url="http://127.0.0.1:9")).journal


def kinds(c):
    return [f.kind for f in c.frictions]


def test_sent_to_a_channel_the_customer_has_is_a_forced_switch():
    c = customer()
    c.record("web", "page", "opened", "Reschedule is not possible here. Please call our toll-free line 0800 1.")
    assert kinds(c) == [FrictionKind.FORCED_SWITCH]
    assert c.frictions[0].evidence == "Please call our toll-free line 0800 1."
    assert "from web to phone" in c.frictions[0].detail


def test_sent_to_a_channel_the_customer_lacks_is_an_unavailable_demand():
    c = customer(channels=("phone",), situation=("no power or internet",))
    c.record("phone", "heard", "Say", "For updates, please visit our website.")
    assert kinds(c) == [FrictionKind.UNAVAILABLE_DEMAND]
    assert "no power or internet" in c.frictions[0].detail


def test_same_channel_mention_is_not_friction():
    c = customer()
    c.record("phone", "heard", "Say", "Please call back later.")
    c.record("web", "page", "opened", "Book a test online at any time.")
    assert c.frictions == []


def test_dead_end_phrase_on_a_page_counts_besides_the_way_it_sends_the_customer():
    c = customer()
    c.record("web", "page", "opened", "This cannot be done online.")
    assert kinds(c) == [FrictionKind.DEAD_END]
    d = customer()  # the page closes the web and sends to the phone: both (tests/corpus conventions)
    d.record("web", "page", "opened", "This cannot be done online. Please call us on 0800 1.")
    assert sorted(kinds(d)) == sorted([FrictionKind.FORCED_SWITCH, FrictionKind.DEAD_END])
    e = customer()  # on a call, being sent elsewhere is the demand; the hang-up is its dead end
    e.record("phone", "heard", "Say", "This cannot be done by phone. Please visit our website.")
    assert kinds(e) == [FrictionKind.FORCED_SWITCH]


def test_http_error_page_is_a_dead_end_with_the_status_as_evidence():
    c = customer()
    c.record("web", "page", "opened", "Oops", status=500, url="http://x/reschedule")
    assert kinds(c) == [FrictionKind.DEAD_END]
    assert c.frictions[0].evidence == "HTTP 500 at http://x/reschedule"


def test_asked_for_an_unknown_fact_is_an_unavailable_demand_and_a_given_fact_asked_again_is_repeated():
    c = customer()
    c.record("web", "page", "form", "Find booking", data={"fields": ["Booking reference", "Account number"]})
    assert kinds(c) == [FrictionKind.UNAVAILABLE_DEMAND]
    step = c.record("web", "fill", "Booking reference = x")
    c.note_values_sent(c.fact("booking_reference"), step)
    c.record("phone", "heard", "Say", "Welcome. Can I have your booking reference, please?")
    assert kinds(c)[-1] is FrictionKind.REPEATED_INFORMATION
    assert "already given at step 1 (web" in c.frictions[-1].detail


def test_mentioning_a_fact_without_asking_is_not_a_demand():
    c = customer(knows=())
    c.record("phone", "heard", "Say", "Your booking reference is printed on your letter.")
    assert c.frictions == []


def test_the_same_prompt_twice_in_a_call_is_a_loop_per_revisit():
    c = customer()
    for _ in range(3):
        c.record("phone", "gather", "listening", "For billing, press 1.", contact="call-1")
    c.record("phone", "gather", "listening", "For billing, press 1.", contact="call-2")
    assert kinds(c) == [FrictionKind.LOOP, FrictionKind.LOOP]


def test_transfer_is_half_when_warm():
    c = customer()
    c.record("phone", "heard", "Say", "I have passed your details to billing.", contact="call-1")
    c.record("phone", "transfer", "Dial Number +1", contact="call-1")
    c.record("phone", "transfer", "Dial Number +2", contact="call-1")
    assert [f.factor for f in c.frictions] == [0.5, 1.0]


def test_wait_carries_minutes_and_whether_it_was_explained():
    c = customer()
    c.record("phone", "hold", "held 12 min", "Your estimated wait time is 12 minutes.",
             data={"minutes": 12.0, "explained": True})
    assert c.frictions[0].kind is FrictionKind.WAIT and c.frictions[0].minutes == 12 and c.frictions[0].explained


def test_company_ending_a_contact_is_a_dead_end_unless_it_resolved_the_goal():
    c = customer()
    c.record("phone", "heard", "Say", "Our system is down. Goodbye.", contact="call-1")
    c.record("phone", "ended", "the IVR hung up", contact="call-1", data={"ended_by_company": True})
    c.record("web", "page", "opened", "Hello", contact="web-2")
    c.finish()
    assert kinds(c) == [FrictionKind.DEAD_END, FrictionKind.FORCED_SWITCH]
    assert c.frictions[0].evidence.startswith("Our system is down. Goodbye.")
    ok = customer()
    ok.record("phone", "heard", "Say", "Your appointment has been moved. Goodbye.", contact="call-1")
    ok.record("phone", "ended", "the IVR hung up", contact="call-1", data={"ended_by_company": True})
    ok.conclude(Outcome.RESOLVED, "Your appointment has been moved.")
    ok.finish()
    assert ok.frictions == []


def test_scripts_record_friction_only_with_evidence_and_a_step():
    c = customer()
    with pytest.raises(ScriptError, match="record a step"):
        c.friction(FrictionKind.LOOP, "words")
    c.record("web", "page", "opened", "Hello")
    made = c.friction("missing_option", "Reason: Billing; Sales", detail="no option for a fire")
    assert made.source == "script" and made.step == 0


def test_a_project_can_register_its_own_detector_and_phrases(tmp_path):
    class ShoutingDetector(Detector):
        name = "shouting"

        def on_step(self, journal, step):
            if step.text and step.text.isupper():
                yield Friction(kind=FrictionKind.DEAD_END, step=step.index, channel=step.channel,
                               evidence=step.text, source=self.name)

    register_detector(ShoutingDetector)
    try:
        c = customer()
        c.record("web", "page", "opened", "GO AWAY")
        assert [f.source for f in c.frictions] == ["shouting"]
    finally:
        DETECTORS.unregister("shouting")
    extra = tmp_path / "phrases.yaml"
    extra.write_text("channel_demands:\n  in_person: ['pop into a branch']\n")
    phrases = load_phrases(extra)
    assert phrases.channel_demands_in("Please pop into a branch.") == [("in_person", "Please pop into a branch.")]


def test_moving_channel_after_a_web_dead_end_is_a_forced_switch():
    c = customer()
    c.record("web", "page", "opened", "Error", status=503, url="/reschedule", contact="web-1")
    c.record("phone", "call", "called +1", contact="call-2")
    c.finish()
    assert kinds(c) == [FrictionKind.DEAD_END, FrictionKind.FORCED_SWITCH]
    assert c.frictions[1].evidence == "HTTP 503 at /reschedule" and c.frictions[1].channel == "phone"
    asked = customer()
    asked.record("web", "page", "opened", "Not available online. Please call us.", contact="web-1")
    asked.record("phone", "call", "called +1", contact="call-2")
    asked.finish()
    assert sorted(kinds(asked)) == sorted([FrictionKind.FORCED_SWITCH, FrictionKind.DEAD_END])  # no second switch


def test_a_reference_the_company_issued_asked_back_by_another_contact_is_repeated():
    c = customer(channels=("chat", "phone"))
    c.record("chat", "heard", "reply", "Thanks. I have opened case 551234 for you. Please call us.", contact="chat-1")
    assert c.knows("case_reference") and c.fact("case_reference") == "551234"
    c.record("phone", "heard", "Say", "Do you have a case reference?", contact="call-2")
    repeated = c.frictions[-1]
    assert repeated.kind is FrictionKind.REPEATED_INFORMATION
    assert repeated.evidence == "Do you have a case reference?"
    assert "chat: \"I have opened case 551234 for you.\"" in repeated.detail


def test_asking_for_a_reference_never_issued_is_only_a_question():
    c = customer(channels=("phone",))
    c.record("phone", "heard", "Say", "Do you have a case reference?", contact="call-1")
    assert c.frictions == []


def test_business_hours_are_an_unavailable_demand_only_outside_them():
    text = "Please call our toll-free line, Monday to Friday, 9am to 5pm."
    late = customer(channels=("phone", "web"), situation=("outside business hours: works nights",))
    late.record("web", "page", "opened", text)
    assert FrictionKind.UNAVAILABLE_DEMAND in kinds(late)
    day = customer(channels=("phone", "web"))
    day.record("web", "page", "opened", text)
    assert kinds(day) == [FrictionKind.FORCED_SWITCH]


def test_hanging_up_after_sending_the_customer_elsewhere_is_not_a_dead_end():
    c = customer(channels=("phone", "email"))
    c.record("phone", "heard", "Say", "We've emailed you a link. Goodbye.", contact="call-1")
    c.record("phone", "ended", "the IVR hung up", contact="call-1", data={"ended_by_company": True})
    c.finish()
    assert kinds(c) == [FrictionKind.FORCED_SWITCH]


def test_a_detector_sees_only_the_step_actions_it_declares():
    """`actions` limits on_step; a detector without it sees every step; an empty set only finishes."""
    from simsuite.core.journal import Journal
    from simsuite.core.clock import SimClock
    from simsuite.model import Action

    class Seen(Detector):
        def __init__(self, actions):
            self.actions, self.seen = actions, []

        def on_step(self, journal, step):
            self.seen.append(step.action)
            return ()

    everything, heard_only, finishing = Seen(None), Seen(frozenset({Action.HEARD})), Seen(frozenset())
    persona = make_persona(3, "detectors")
    journal = Journal(persona, load_phrases(), SimClock(), [everything, heard_only, finishing])
    journal.record("phone", Action.GATHER, "listening", "Press 1")
    journal.record("phone", Action.HEARD, "Say", "Hello")
    journal.record("web", Action.PAGE, "opened", "Home")
    assert everything.seen == [Action.GATHER, Action.HEARD, Action.PAGE]
    assert heard_only.seen == [Action.HEARD]
    assert finishing.seen == []
