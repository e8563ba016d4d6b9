"""The VoiceXML 2.1 dialect of the phone channel against real HTTP servers on loopback."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import httpx
import pytest

from simsuite.core.target import Target
from simsuite.customer import Customer
from simsuite.demo import DemoServer
from simsuite.model import FrictionKind
from simsuite.core.personas import make_persona
from simsuite.core.scenario import Scenario

try:
    from twiml_server import TwimlServer, twiml
except ImportError:  # tests/ imported as a package
    from tests.twiml_server import TwimlServer, twiml

VXML_NS = "http://www.w3.org/2001/vxml"
MENU = ('<menu id="main"><prompt>Main menu. <enumerate/></prompt>'
        '<choice dtmf="1" next="#billing">billing</choice>'
        '<choice dtmf="2" next="/support.vxml">technical support</choice></menu>')
BILLING = '<form id="billing"><block><prompt>Billing. Goodbye.</prompt><disconnect/></block></form>'


def vxml(*dialogs: str, namespace: bool = True) -> str:
    """A VoiceXML 2.1 document holding `dialogs`."""
    ns = f' xmlns="{VXML_NS}"' if namespace else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><vxml version="2.1"{ns}>{"".join(dialogs)}</vxml>'


def block(content: str, id_: str = "f") -> str:
    return f'<form id="{id_}"><block>{content}</block></form>'


# -- fixtures and helpers ------------------------------------------------------------------------
@pytest.fixture
def ivr():
    server = TwimlServer().start()
    yield server
    server.stop()


def _customer(url: str, host_port: str, knows: tuple[str, ...], patience: float = 120) -> Customer:
    persona = make_persona(1, "t", channels=["phone"], knows=list(knows))
    scenario = Scenario(name="t", goal="g", journeys=("j",), patience_minutes=patience)
    return Customer(persona, scenario, Target(base_url=url, allowed_hosts=frozenset({host_port})))


@pytest.fixture
def make_customer(ivr):
    made: list[Customer] = []

    def make(knows: tuple[str, ...] = ("phone",), patience: float = 120) -> Customer:
        made.append(_customer(ivr.url, ivr.host_port, knows, patience))
        return made[-1]

    yield make
    for customer in made:
        customer.close()


@pytest.fixture
def customer(make_customer):
    return make_customer()


def steps(customer: Customer, action: str) -> list:
    return [s for s in customer.steps if s.action == action]


def heard(customer: Customer) -> list[str]:
    return [s.text for s in steps(customer, "heard")]


def frictions(customer: Customer, kind: FrictionKind) -> list:
    return [f for f in customer.frictions if f.kind is kind]


# -- menus ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("namespace", [True, False], ids=["namespaced", "bare"])
def test_menu_choice_moves_to_the_next_dialog_without_a_request(ivr, customer, namespace):
    ivr.add("/voice", vxml(MENU, BILLING, namespace=namespace))
    call = customer.phone.call("/voice")
    assert call.dialect == "voicexml" and call.listening
    assert call.prompt == "Main menu. For billing, press 1. For technical support, press 2."
    assert call.menu == {"1": "For billing", "2": "For technical support"}
    call.press("1")
    assert ivr.paths == ["/voice"]  # "#billing" is in the same document: nothing is posted
    assert heard(customer)[-1] == "Billing. Goodbye."
    assert not call.active and call.ended_by == "company"
    assert steps(customer, "pressed")[0].detail == "1"


def test_choice_next_url_is_fetched_relative_to_the_document(ivr, customer):
    ivr.add("/ivr/voice", vxml(MENU.replace("/support.vxml", "support.vxml")))
    ivr.add("/ivr/support.vxml", vxml(block("<prompt>Technical support here.</prompt>")))
    call = customer.phone.call("/ivr/voice")
    assert call.choose("technical support") == "2"
    assert ivr.paths == ["/ivr/voice", "/ivr/support.vxml"]
    fetched = ivr.log[1]
    assert fetched.method == "GET" and fetched.params == {}  # a VoiceXML fetch carries no Twilio fields
    assert heard(customer)[-1] == "Technical support here."


def test_enumerate_template_and_automatic_dtmf(ivr, customer):
    ivr.add("/voice", vxml(
        '<menu id="m" dtmf="true"><prompt>Hello. <enumerate>To hear about <value expr="_prompt"/>, '
        'press <value expr="_dtmf"/>.</enumerate></prompt>'
        '<choice next="#a">opening hours</choice><choice next="#b">prices</choice></menu>',
        block("<prompt>We open at nine.</prompt>", "a"), block("<prompt>Prices vary.</prompt>", "b")))
    call = customer.phone.call("/voice")
    assert call.prompt == "Hello. To hear about opening hours, press 1. To hear about prices, press 2."
    call.press("2")
    assert heard(customer)[-1] == "Prices vary."


def test_speech_matching_a_choice_label_selects_it(ivr, customer):
    ivr.add("/voice", vxml(MENU, BILLING))
    call = customer.phone.call("/voice")
    call.say("billing please")
    assert heard(customer)[-1] == "Billing. Goodbye."
    assert steps(customer, "said")[0].detail == "billing please"


# -- nomatch and noinput -------------------------------------------------------------------------
NOMATCH_MENU = MENU.replace("</menu>", '<nomatch>Sorry, that is not an option.</nomatch>'
                                       '<nomatch count="2">Still not an option. <reprompt/></nomatch></menu>')


def test_nomatch_on_a_key_or_words_no_choice_fits(ivr, customer):
    ivr.add("/voice", vxml(NOMATCH_MENU, BILLING))
    call = customer.phone.call("/voice")
    call.press("9")
    assert call.listening and call.prompt == "Sorry, that is not an option."  # no <reprompt/>: menu not replayed
    call.say("there was a fire")
    assert call.prompt == "Still not an option. Main menu. For billing, press 1. For technical support, press 2."
    call.press("7")  # count 3 uses the count-2 handler
    assert call.prompt.startswith("Still not an option.")
    call.press("1")
    assert heard(customer)[-1] == "Billing. Goodbye."
    assert ivr.paths == ["/voice"]


def test_nomatch_without_a_handler_reprompts(ivr, customer):
    ivr.add("/voice", vxml(MENU))
    call = customer.phone.call("/voice")
    call.press("5")
    assert heard(customer)[-1] == "Main menu. For billing, press 1. For technical support, press 2."
    assert len(steps(customer, "gather")) == 2
    assert frictions(customer, FrictionKind.LOOP)  # the same prompt again


FIELD = ('<form id="acct"><property name="timeout" value="7s"/><field name="account" type="digits">'
         '<prompt>Please enter your account number.</prompt>'
         '<noinput>I did not hear anything.</noinput>'
         '<noinput count="2">Still nothing. <reprompt/></noinput>'
         '<filled><prompt>You entered <value expr="account"/>.</prompt>'
         '<submit next="/submit" namelist="account" method="post"/></filled></field></form>')


def test_noinput_advances_the_clock_by_the_timeout_and_escalates_by_count(ivr, customer):
    ivr.add("/voice", vxml(FIELD))
    call = customer.phone.call("/voice")
    before = customer.clock.now
    call.wait()
    assert steps(customer, "no_input")[0].detail == "said nothing for 7 s"
    assert heard(customer)[-1] == "I did not hear anything."
    assert customer.clock.now - before == pytest.approx(7 + 5 / 2.5)  # the timeout, then five words
    assert call.prompt == "I did not hear anything."
    call.wait()
    assert call.prompt == "Still nothing. Please enter your account number."
    call.wait()
    assert call.prompt == "Still nothing. Please enter your account number."
    assert ivr.paths == ["/voice"] and call.listening


def test_noinput_without_a_handler_reprompts_and_prompt_timeout_wins(ivr, customer):
    ivr.add("/voice", vxml('<form><field name="x"><prompt timeout="3s">Say something.</prompt></field></form>'))
    call = customer.phone.call("/voice")
    call.wait()
    assert steps(customer, "no_input")[0].detail == "said nothing for 3 s"
    assert heard(customer) == ["Say something.", "Say something."]


def test_field_filled_submits_the_value_as_form_data(ivr, make_customer):
    customer = make_customer(knows=("phone", "account_number"))
    ivr.add("/voice", vxml(FIELD))
    ivr.add("/submit", vxml(block("<prompt>Thank you.</prompt>")))
    call = customer.phone.call("/voice")
    assert call.asked_for == ["account_number"]
    call.answer("account_number")
    number = customer.fact("account_number")
    submitted = ivr.requests_to("/submit")
    assert len(submitted) == 1 and submitted[0].method == "POST"
    assert submitted[0].form == {"account": number}
    assert heard(customer)[-2:] == [f"You entered {number}.", "Thank you."]
    assert "account_number" in customer.journal.given
    assert steps(customer, "submit")[0].data["fields"] == ["account"]


def test_submit_defaults_to_get_with_every_field(ivr, customer):
    ivr.add("/voice", vxml('<form><field name="a" type="digits"><prompt>First.</prompt></field>'
                           '<field name="b" type="boolean"><prompt>Sure?</prompt></field>'
                           '<filled><submit next="/done"/></filled></form>'))
    ivr.add("/done", vxml(block("<exit/>")))
    call = customer.phone.call("/voice")
    call.press("42#")
    assert call.prompt == "Sure?"
    call.say("yes please")
    done = ivr.requests_to("/done")[0]
    assert done.method == "GET" and done.query == {"a": "42", "b": "true"}


def test_field_type_mismatch_is_a_nomatch(ivr, customer):
    ivr.add("/voice", vxml('<form><field name="pin" type="digits?length=4"><prompt>Your PIN.</prompt>'
                           '<nomatch>That is not four digits.</nomatch>'
                           '<filled><submit next="/pin" method="post"/></filled></field></form>'))
    ivr.add("/pin", vxml(block("<disconnect/>")))
    call = customer.phone.call("/voice")
    call.press("12#")
    assert call.prompt == "That is not four digits."
    call.say("one two three four")
    assert ivr.requests_to("/pin")[0].form == {"pin": "1234"}


# -- goto ----------------------------------------------------------------------------------------
def test_goto_within_the_document_and_to_another_url_with_a_fragment(ivr, customer):
    ivr.add("/voice", vxml(block('<prompt>One.</prompt><goto next="#two"/>', "one"),
                           block("<prompt>Skipped.</prompt>", "skipped"),
                           block('<prompt>Two.</prompt><goto next="/next.vxml#later"/>', "two")))
    ivr.add("/next.vxml", vxml(block("<prompt>Not this one.</prompt>", "first"),
                               block("<prompt>Later.</prompt>", "later")))
    call = customer.phone.call("/voice")
    assert heard(customer) == ["One.", "Two.", "Later."]
    assert ivr.paths == ["/voice", "/next.vxml"] and ivr.log[1].method == "GET"
    assert not call.active and call.ended_by == "company"
    assert "nothing more to do" in steps(customer, "ended")[0].detail


def test_goto_nextitem_and_clear_reask_a_field(ivr, customer):
    ivr.add("/voice", vxml('<form><field name="a"><prompt>Tell me.</prompt>'
                           '<filled><prompt>Again.</prompt><clear namelist="a"/><goto nextitem="a"/></filled>'
                           "</field></form>"))
    call = customer.phone.call("/voice")
    call.say("hello")
    assert call.listening and heard(customer)[-2:] == ["Again.", "Tell me."]


def test_voicexml_can_hand_over_to_twiml(ivr, customer):
    ivr.add("/voice", vxml(block('<goto next="/twiml"/>')))
    ivr.add("/twiml", twiml("<Say>Now in TwiML.</Say>"))
    call = customer.phone.call("/voice")
    assert call.dialect == "twiml" and heard(customer) == ["Now in TwiML."]


# -- transfers and endings -------------------------------------------------------------------------
def test_transfer_to_a_url_fetches_the_answering_party(ivr, customer):
    ivr.add("/voice", vxml(block('<prompt>Transferring you to billing.</prompt><transfer dest="/agent"/>')))
    ivr.add("/agent", vxml(block("<prompt>Billing, this is Kim.</prompt><disconnect/>")))
    call = customer.phone.call("/voice")
    transfer = steps(customer, "transfer")[0]
    assert transfer.data == {"target": "/agent", "noun": "transfer"}
    assert ivr.paths == ["/voice", "/agent"]
    assert heard(customer)[-1] == "Billing, this is Kim."
    assert call.bridged_to is None and call.ended_by == "company"
    customer.finish()
    moved = frictions(customer, FrictionKind.TRANSFER)
    assert len(moved) == 1 and "Transferring you to billing." in moved[0].evidence


def test_transfer_form_item_to_tel_bridges_the_call(ivr, customer):
    ivr.add("/voice", vxml('<form><transfer name="t" dest="tel:+18005550123"><prompt>Please hold.</prompt>'
                           '</transfer><block><prompt>Never heard.</prompt></block></form>'))
    call = customer.phone.call("/voice")
    assert not call.active and call.ended_by == "bridged" and call.bridged_to == "+18005550123"
    assert heard(customer) == ["Please hold."]
    assert frictions(customer, FrictionKind.TRANSFER)


@pytest.mark.parametrize("ending, detail", [("<disconnect/>", "disconnected"), ("<exit/>", "exited"),
                                             ("", "nothing more to do")])
def test_company_endings_are_dead_ends_unless_resolved(ivr, customer, ending, detail):
    ivr.add("/voice", vxml(block(f"<prompt>We cannot help with that.</prompt>{ending}"),
                           block("<prompt>Not reached by running off the end.</prompt>", "other")))
    call = customer.phone.call("/voice")
    assert not call.active and call.ended_by == "company"
    ended = steps(customer, "ended")[0]
    assert detail in ended.detail and ended.data["ended_by_company"] is True
    assert heard(customer) == ["We cannot help with that."]
    customer.finish()
    dead = frictions(customer, FrictionKind.DEAD_END)
    assert len(dead) == 1 and dead[0].evidence.startswith("We cannot help with that.")


def test_disconnect_after_the_goal_is_not_a_dead_end(ivr, customer):
    ivr.add("/voice", vxml(block("<prompt>Your appointment is moved to Friday.</prompt><disconnect/>")))
    customer.phone.call("/voice")
    customer.resolved("Your appointment is moved to Friday.")
    customer.finish()
    assert frictions(customer, FrictionKind.DEAD_END) == []


# -- broken and endless documents ------------------------------------------------------------------
@pytest.mark.parametrize("body, why", [
    pytest.param('<vxml version="2.1"><form><block>Hi</block></form>', "ParseError", id="malformed"),
    pytest.param('<vxml xmlns="urn:other"><form/></vxml>', "is not <Response>", id="foreign-namespace"),
    pytest.param(vxml('<property name="timeout" value="5s"/>'), "without a <form> or <menu>", id="no-dialog"),
    pytest.param(vxml(block('<goto next="#nowhere"/>')), "#nowhere", id="missing-dialog"),
])
def test_bad_voicexml_ends_the_call(ivr, customer, body, why):
    ivr.add("/voice", body)
    call = customer.phone.call("/voice")
    bad = steps(customer, "bad_document")
    assert len(bad) == 1 and why in bad[0].detail
    assert not call.active and call.ended_by == "company"


def test_http_error_on_submit_is_a_dead_end(ivr, customer):
    ivr.add("/voice", vxml('<form><field name="a"><prompt>Press 1 to continue.</prompt>'
                           '<filled><submit next="/broken"/></filled></field></form>'))
    ivr.add("/broken", (500, "oops"))
    call = customer.phone.call("/voice")
    call.press("1")
    assert steps(customer, "http_error")[0].status == 500
    assert call.ended_by == "company"
    customer.finish()
    assert len(frictions(customer, FrictionKind.DEAD_END)) == 1


def test_unsupported_elements_are_notes_and_skipped(ivr, customer):
    ivr.add("/voice", vxml('<var name="x" expr="1"/><script>x = 2;</script>',
                           block('<var name="y"/><if cond="x == 1"><prompt>Hidden.</prompt></if>'
                                 '<prompt>Shown.</prompt><assign name="y" expr="3"/>')))
    call = customer.phone.call("/voice")
    notes = " | ".join(s.detail for s in steps(customer, "note"))
    for tag in ("<var>", "<script>", "<if>", "<assign>"):
        assert tag in notes
    assert heard(customer) == ["Shown."]
    assert not call.active and call.ended_by == "company"


def test_a_document_that_loops_forever_is_bounded_with_a_loop_friction(ivr, customer):
    ivr.add("/voice", vxml(block('<prompt>Please hold.</prompt><goto next="#f"/>')))
    call = customer.phone.call("/voice")
    bounded = steps(customer, "bounded")
    assert len(bounded) == 1 and "25 visits to dialog #f" in bounded[0].detail
    assert len(heard(customer)) == 25
    assert not call.active and call.ended_by == "company"
    loops = frictions(customer, FrictionKind.LOOP)
    assert len(loops) == 1 and loops[0].evidence == "Please hold." and loops[0].step == bounded[0].index
    assert ivr.paths == ["/voice"]


def test_a_url_goto_loop_is_bounded_by_the_fetch_limit(ivr, customer):
    ivr.add("/voice", vxml(block('<goto next="/voice"/>')))
    call = customer.phone.call("/voice")
    assert len(steps(customer, "bounded")) == 1 and frictions(customer, FrictionKind.LOOP)
    assert 10 <= len(ivr.log) <= 26 and not call.active


def test_a_menu_that_noinputs_forever_is_bounded(ivr, customer):
    ivr.add("/voice", vxml(MENU))
    call = customer.phone.call("/voice")
    waits = 0
    while call.listening and waits < 100:
        call.wait()
        waits += 1
    assert waits == 25 and steps(customer, "bounded")
    assert call.ended_by == "company"
    assert len(frictions(customer, FrictionKind.LOOP)) >= 25


def test_the_patience_clock_ends_an_endless_reprompt(ivr, make_customer):
    customer = make_customer(patience=1)
    ivr.add("/voice", vxml(MENU.replace("<menu", '<menu timeout="20s"')))
    call = customer.phone.call("/voice")
    while call.listening:
        call.wait()
    assert call.ended_by == "customer" and customer.clock.exhausted
    assert steps(customer, "bounded") == []


# -- the demo VoiceXML IVR -------------------------------------------------------------------------
FIRE_WANTS = ("outage", "fire", "service is out", "call back when service is restored")


def run_fire_journey(mode: str) -> Customer:
    with DemoServer(mode) as server:
        customer = _customer(server.url, urlsplit(server.url).netloc, ("name", "phone", "address", "postcode"))
        call = customer.phone.call("/telecom/vxml/")
        assert call.dialect == "voicexml"
        call.navigate(FIRE_WANTS, fallback=("technical support", "technician"),
                      explain="There was a giant fire on my street and my phone and internet are out.",
                      max_turns=20)
        call.hangup()
        known = call.heard_any("restore service by", "service will be restored by", whole=True)
        customer.resolved(known) if known else customer.gave_up("Nobody acknowledged the outage.")
        customer.finish()
        customer.close()
    return customer


def test_demo_as_is_vxml_sends_a_phone_only_caller_to_the_website_and_loops():
    customer = run_fire_journey("as-is")
    assert customer.outcome.value == "unresolved"
    demands = [f.evidence for f in frictions(customer, FrictionKind.UNAVAILABLE_DEMAND)]
    assert any("visit our website" in e for e in demands)
    assert any("account number" in e for e in demands)
    loops = frictions(customer, FrictionKind.LOOP)
    assert any(f.evidence.startswith("Technical support. To check for outages") for f in loops)
    assert frictions(customer, FrictionKind.MISSING_OPTION)
    assert frictions(customer, FrictionKind.TRANSFER)[0].evidence.startswith("Transfer to /telecom/vxml/repair")


def test_demo_recovered_vxml_announces_the_outage_without_friction():
    customer = run_fire_journey("recovered")
    assert customer.outcome.value == "resolved"
    assert "restore service by Thursday at 6pm" in customer.journal.outcome_detail
    assert customer.frictions == []


def test_demo_vxml_documents_are_voicexml_and_escape_request_values():
    with DemoServer("as-is") as server:
        entry = httpx.get(server.url + "/telecom/vxml/")
        assert entry.headers["content-type"].startswith("application/voicexml+xml")
        assert ET.fromstring(entry.content).tag == f"{{{VXML_NS}}}vxml"
        hostile = '</prompt><disconnect/><prompt a="&'
        checked = httpx.post(server.url + "/telecom/vxml/account/check", data={"account_number": hostile})
        root = ET.fromstring(checked.content)
        spoken = "".join(root.iter(f"{{{VXML_NS}}}prompt").__next__().itertext())
        assert hostile in spoken
        assert root.find(f".//{{{VXML_NS}}}disconnect") is None
