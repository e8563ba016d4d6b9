"""The embedded demo companies: web pages, TwiML IVR and the loopback server."""

from __future__ import annotations

import httpx
import pytest
from defusedxml import ElementTree as SafeET
from flask.testing import FlaskClient
from markupsafe import escape

from simsuite.demo import MODES, DemoServer, create_app
from simsuite.demo import twiml as t

NASTY = "<script>alert(1)</script> ]]> & \"quote\""
IVR_PATHS = {
    "lab": ["voice", "menu", "hold", "agent", "agent/reference", "scheduling", "scheduling/reference",
            "reference", "reschedule"],
    "telecom": ["voice", "main", "phone-number", "tech", "tech/choice", "account", "hold", "agent", "repair",
                "repair/phone", "repair/choice", "billing", "billing/account", "credits", "credits/account"],
}


def client(mode: str) -> FlaskClient:
    return create_app(mode).test_client()


def call(c: FlaskClient, path: str, **form: str):
    """POST like Twilio does and return the parsed <Response> root."""
    data = {"CallSid": "CA1", "AccountSid": "AC1", "From": "+15550001111", "To": "+18005550100",
            "CallStatus": "in-progress", "Direction": "inbound", **form}
    r = c.post(path, data=data)
    assert r.status_code == 200
    assert r.mimetype == "text/xml"
    body = r.get_data(as_text=True)
    assert body.startswith('<?xml version="1.0" encoding="UTF-8"?><Response>')
    root = SafeET.fromstring(body)
    assert root.tag == "Response"
    return root


def says(root) -> str:
    return " ".join(e.text or "" for e in root.iter("Say"))


def test_unknown_mode_raises() -> None:
    with pytest.raises(ValueError, match="as-is"):
        create_app("broken")
    with pytest.raises(ValueError):
        DemoServer(mode="kafka")


@pytest.mark.parametrize("mode", MODES)
def test_index_and_footer_show_mode(mode: str) -> None:
    c = client(mode)
    page = c.get("/").get_data(as_text=True)
    for text in ("Northside Diagnostics", "Metro Telecom", "/lab/ivr/voice", "/telecom/ivr/voice"):
        assert text in page
    for path in ("/", "/lab/", "/lab/manage", "/telecom/", "/telecom/billing", "/telecom/outages"):
        assert f"Demo mode: {mode}" in c.get(path).get_data(as_text=True)
        assert c.post(path).status_code == 200


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("company", ["lab", "telecom"])
def test_ivr_entry_is_twiml(mode: str, company: str) -> None:
    root = call(client(mode), f"/{company}/ivr/voice")
    assert root.find("Gather").get("action") == f"/{company}/ivr/{'menu' if company == 'lab' else 'main'}"


def test_manage_booking_finds_any_8_digit_reference() -> None:
    c = client("as-is")
    r = c.post("/lab/manage", data={"booking_reference": "12345678", "last_name": "Doe"})
    assert r.status_code == 303 and r.headers["Location"] == "/lab/booking/12345678"
    page = c.get("/lab/booking/12345678").get_data(as_text=True)
    assert "Your appointment: Blood test, Monday 30 November at 09:00, Northside Clinic." in page
    assert 'href="/lab/booking/12345678/reschedule">Reschedule appointment<' in page
    r = c.post("/lab/manage", data={"booking_reference": "1234", "last_name": "Doe"})
    assert r.status_code == 200
    assert "We could not find a booking with that reference." in r.get_data(as_text=True)


def test_as_is_reschedule_is_phone_only() -> None:
    r = client("as-is").get("/lab/booking/12345678/reschedule")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "Appointments cannot be rescheduled online." in page
    assert "Back to my booking" in page and "<select" not in page


def test_recovered_reschedule_confirms() -> None:
    c = client("recovered")
    form = c.get("/lab/booking/12345678/reschedule").get_data(as_text=True)
    assert '<label for="new_slot">New date and time</label>' in form
    r = c.post("/lab/booking/12345678/reschedule", data={"new_slot": "Thursday 3 December, 14:00"})
    assert r.status_code == 303
    page = c.get(r.headers["Location"]).get_data(as_text=True)
    assert ("Your appointment has been moved to Thursday 3 December, 14:00. Booking reference 12345678. "
            "A confirmation text is on its way.") in page
    assert c.post("/lab/booking/12345678/reschedule", data={"new_slot": "Sunday"}).status_code == 400


def test_telecom_web_modes() -> None:
    assert "There are no known outages in your area." in client("as-is").get("/telecom/outages").get_data(as_text=True)
    assert "Service is out on Elm Street because of a fire." in client("recovered").get("/telecom/outages").get_data(
        as_text=True)
    for mode, text in [("as-is", "Outage credits cannot be requested online."),
                       ("recovered", "Your new balance is $60.60.")]:
        c = client(mode)
        r = c.post("/telecom/billing", data={"account_number": "1234567890", "postcode": "N1"})
        assert r.status_code == 303
        page = c.get(r.headers["Location"]).get_data(as_text=True)
        assert "Balance due: $84.00" in page and text in page


@pytest.mark.parametrize(("company", "limit", "agent"), [("lab", 2100, "/lab/ivr/agent"),
                                                         ("telecom", 2400, "/telecom/ivr/repair")])
def test_as_is_hold_redirects_at_limit(company: str, limit: int, agent: str) -> None:
    c = client("as-is")
    waiting = call(c, f"/{company}/ivr/hold", QueueTime=str(limit - 1))
    assert waiting.find("Redirect") is None and waiting.find("Play").get("loop") == "10"
    assert call(c, f"/{company}/ivr/hold", QueueTime=str(limit)).find("Redirect").text == agent
    assert call(c, f"/{company}/ivr/hold").find("Redirect") is None


def test_lab_as_is_call_transfers_and_dead_ends() -> None:
    c = client("as-is")
    menu = call(c, "/lab/ivr/menu", Digits="0")
    assert menu.find("Enqueue").get("waitUrl") == "/lab/ivr/hold"
    ref = call(c, "/lab/ivr/agent/reference", SpeechResult="one two three")
    assert "not permitted to reschedule" in says(ref)
    from simsuite.demo import DEPARTMENTS

    number = ref.find("Dial/Number").text
    assert DEPARTMENTS[number] == "/lab/ivr/scheduling" and ref.find("Dial/Number").get("url") is None
    end = call(c, "/lab/ivr/scheduling/reference", Digits="12345678")
    assert "unavailable" in says(end) and end.find("Hangup") is not None


def test_lab_recovered_call_reschedules() -> None:
    c = client("recovered")
    assert call(c, "/lab/ivr/menu", Digits="1").find("Gather").get("action") == "/lab/ivr/reschedule"
    done = call(c, "/lab/ivr/reschedule", Digits="12345678")
    assert "moved to Tuesday 1 December, 10:30" in says(done)
    assert call(c, "/lab/ivr/hold", QueueTime="60").find("Redirect").text == "/lab/ivr/agent"
    assert "This is Sam." in says(call(c, "/lab/ivr/agent"))


def test_telecom_as_is_tech_attempts_then_queue() -> None:
    c = client("as-is")
    first = call(c, "/telecom/ivr/tech/choice?attempt=1", Digits="2")
    assert first.find("Redirect").text == "/telecom/ivr/tech?attempt=2"
    second = call(c, "/telecom/ivr/tech/choice?attempt=2", Digits="2")
    assert second.find("Enqueue").text == "repairs"
    assert call(c, "/telecom/ivr/account?attempt=1", Digits="1234567890").find("Enqueue") is not None
    assert "check our website" in says(call(c, "/telecom/ivr/repair/choice", SpeechResult="there was a fire"))


def test_telecom_recovered_callback() -> None:
    c = client("recovered")
    assert "Every affected account is credited automatically" in says(call(c, "/telecom/ivr/voice"))
    assert "Your case reference is 55120." in says(call(c, "/telecom/ivr/main", Digits="1"))


def test_html_escapes_request_values() -> None:
    c = client("recovered")
    page = c.post("/lab/manage", data={"booking_reference": NASTY, "last_name": NASTY}).get_data(as_text=True)
    assert "<script>" not in page and str(escape(NASTY)) in page
    r = c.post("/lab/booking/12345678/reschedule", data={"new_slot": NASTY})
    assert r.status_code == 400 and "<script>" not in r.get_data(as_text=True)
    page = c.post("/telecom/billing", data={"account_number": NASTY}).get_data(as_text=True)
    assert "<script>" not in page and "&amp;" in page


@pytest.mark.parametrize("mode", MODES)
def test_twiml_is_well_formed_for_any_input(mode: str) -> None:
    c = client(mode)
    for company, paths in IVR_PATHS.items():
        for path in paths:
            call(c, f"/{company}/ivr/{path}?attempt={NASTY}", Digits=NASTY, SpeechResult=NASTY, QueueTime=NASTY)


def test_twiml_builder_escapes() -> None:
    root = SafeET.fromstring(t.render(t.say(NASTY), t.redirect(f"/x?q={NASTY}"), t.enqueue("q", f"/w?{NASTY}")))
    assert root.find("Say").text == NASTY
    assert root.find("Enqueue").get("waitUrl") == f"/w?{NASTY}"


def test_hold_music_is_audio() -> None:
    r = client("as-is").get("/telecom/static/hold.mp3")
    assert r.status_code == 200 and r.mimetype == "audio/mpeg" and r.data


def test_demo_server_over_loopback() -> None:
    with DemoServer() as server:
        assert server.url.startswith("http://127.0.0.1:") and not server.url.endswith("/")
        r = httpx.get(server.url + "/lab/")
        assert r.status_code == 200 and "Northside Diagnostics" in r.text and "Demo mode: as-is" in r.text
    with pytest.raises(RuntimeError):
        server.url
