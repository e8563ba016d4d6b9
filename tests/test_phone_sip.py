"""Calls over SIP with real audio: simsuite's SIP leg, the demo's SIP front, and SIPp as an independent peer.

Issue 14. The front renders the demo's TwiML as speech (espeak-ng) and takes keys; the leg hears it, splits
it into prompts by silence and recognises them against the prompts an earlier webhook call of the same IVR
heard. SIPp (Debian's sip-tester) calls the front and is called by the leg, so neither side is only tested
against itself. Everything runs in real time on loopback.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from flask import Flask, request

from simsuite.channels.phone import sip_leg
from simsuite.channels.phone.sip_leg import sip_address
from simsuite.core.personas import make_persona
from simsuite.customer import Customer, Target
from simsuite.demo.server import DemoServer
from simsuite.errors import SiteUnreachable
from simsuite.voice.caller import OutgoingCall
from simsuite.voice.front import TwimlFront
from simsuite.voice.server import SipServer
from tests.wsgi import serve

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")]
HERE = Path(__file__).resolve().parent
SIPP = shutil.which("sipp")


def test_a_path_becomes_the_user_part_of_the_phone_url_s_sip_address():
    assert sip_address("sip:127.0.0.1:5070", "/lab/ivr/voice") == "sip:lab/ivr/voice@127.0.0.1:5070"
    assert sip_address("sip:support@pbx.example.com", "/") == "sip:support@pbx.example.com"
    assert sip_address("sip:support@pbx.example.com", "/sales") == "sip:sales@pbx.example.com"
    assert sip_address("https://x.example", "sip:lab@127.0.0.1:5070") == "sip:lab@127.0.0.1:5070"


@pytest.fixture(scope="module")
def lab():
    """The as-is demo, its SIP front, and the prompts a webhook call of the lab's IVR heard."""
    with DemoServer("as-is") as demo, TwimlFront(demo.url, hold_speed=600) as front:
        learner = Customer(make_persona(1, "learn", channels=["phone"]), None, Target(base_url=demo.url))
        for key in "1230":
            call = learner.phone.call("/lab/ivr/voice")
            call.press(key)
            call.hangup()
        prompts = tuple(dict.fromkeys(s.text for s in learner.steps if s.action.value in ("heard", "gather")
                                      and s.text))
        yield demo, front, prompts


def caller(front: TwimlFront, prompts: tuple[str, ...], tmp_path: Path | None = None) -> Customer:
    target = Target(base_url="http://127.0.0.1:9", phone_url=f"sip:127.0.0.1:{front.port}", phone_prompts=prompts,
                    artifacts_dir=tmp_path, report_dir=tmp_path)
    return Customer(make_persona(2, "sip", channels=["phone"]), None, target)


def test_the_leg_hears_the_menu_presses_a_key_and_hears_the_answer(lab, tmp_path):
    _, front, prompts = lab
    customer = caller(front, prompts, tmp_path)
    call = customer.phone.call("/lab/ivr/voice")
    assert call.listening, [s.detail for s in customer.steps]
    assert "test results" in call.options.get("1", "").lower(), call.latest
    heard = [s for s in customer.steps if s.action.value == "heard"]
    assert heard[0].text.startswith("Thank you for calling Northside Diagnostics.")
    assert heard[0].data["confidence"] >= 0.5
    assert (tmp_path / heard[0].artifact).read_bytes()[:4] == b"RIFF"  # the prompt's audio, kept
    call.press("1")
    assert call.heard_any("available in the patient portal")
    deadline = time.monotonic() + 10
    while call.active and time.monotonic() < deadline:
        call.wait() if call.listening else time.sleep(0.1)
    assert call.ended_by == "company"
    assert [(url.rsplit("/lab", 1)[-1], keys) for call_id, url, keys in front.fetched if call_id == call.leg.call.call_id] \
        == [("/ivr/voice", ""), ("/ivr/menu", "1")]


def test_a_hold_is_measured_in_real_time_and_the_agent_answers(lab):
    _, front, prompts = lab
    customer = caller(front, prompts)
    call = customer.phone.call("/lab/ivr/voice")
    call.press("0")
    assert call.heard_any("Do you have a case reference"), call.transcript
    hold = next(s for s in customer.steps if s.action.value == "hold")
    assert 0 < hold.data["minutes"] < 0.5 and "agents are busy" in hold.text
    assert [s.action.value for s in customer.steps].index("queue") < [s.action.value for s in customer.steps].index(
        "hold")
    call.hangup()


def test_a_number_nobody_has_could_not_run_and_a_busy_line_is_the_company_s(lab):
    _, front, prompts = lab
    with pytest.raises(SiteUnreachable, match="404"):
        caller(front, prompts).phone.call("sip:no-such-line@127.0.0.1:%d" % front.port)
    busy = SipServer(lambda call: None, screen=lambda user: 486).start()
    try:
        customer = Customer(make_persona(3, "busy", channels=["phone"]), None,
                            Target(base_url="http://127.0.0.1:9", phone_url=f"sip:127.0.0.1:{busy.port}"))
        call = customer.phone.call("/")
        assert not call.active and call.ended_by == "company"
        assert any(s.detail == "the line answered SIP 486 Busy Here" for s in customer.steps)
    finally:
        busy.close()


def test_a_line_that_never_answers_could_not_run_within_its_bound(monkeypatch):
    monkeypatch.setattr(sip_leg, "RING_TIMEOUT_S", 2.0)
    customer = Customer(make_persona(4, "dead", channels=["phone"]), None,
                        Target(base_url="http://127.0.0.1:9", phone_url="sip:127.0.0.1:9"))
    started = time.monotonic()
    with pytest.raises(SiteUnreachable, match="could not be reached"):
        customer.phone.call("/")
    assert time.monotonic() - started < 5


@pytest.mark.skipif(SIPP is None, reason="SIPp (Debian's sip-tester) is not installed")
def test_sipp_calls_the_front_and_its_key_reaches_the_ivr(lab):
    _, front, _ = lab
    before = len(front.fetched)
    done = subprocess.run([SIPP, "-sf", str(HERE / "sip" / "uac_presses_1.xml"), f"127.0.0.1:{front.port}",
                           "-s", "lab/ivr/voice", "-i", "127.0.0.1", "-p", "0", "-m", "1", "-nostdin",
                           "-timeout", "30", "-timeout_error"], capture_output=True, text=True, timeout=60,
                          cwd=HERE / "sip")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    sipp_call = front.fetched[before][0] if len(front.fetched) > before else None
    sent = [(url.rsplit("/lab", 1)[-1], keys) for call_id, url, keys in front.fetched[before:] if call_id == sipp_call]
    assert sent[:2] == [("/ivr/voice", ""), ("/ivr/menu", "1")], sent


@pytest.mark.skipif(SIPP is None, reason="SIPp (Debian's sip-tester) is not installed")
def test_the_leg_calls_sipp_which_answers_without_audio_and_the_call_ends_bounded(monkeypatch, tmp_path):
    monkeypatch.setattr(sip_leg, "SILENT_LINE_S", 2.0)
    peer = subprocess.Popen([SIPP, "-sn", "uas", "-i", "127.0.0.1", "-p", "5097", "-m", "1", "-nostdin"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        time.sleep(0.5)
        customer = Customer(make_persona(5, "mute", channels=["phone"]), None,
                            Target(base_url="http://127.0.0.1:9", phone_url="sip:service@127.0.0.1:5097"))
        started = time.monotonic()
        call = customer.phone.call("/")
        assert not call.active and call.ended_by == "company" and time.monotonic() - started < 8
        assert any(s.detail == "the line gave no audio at all for 2 s" for s in customer.steps)
        assert peer.wait(10) == 0  # SIPp counted a whole call: our BYE ended it properly
    finally:
        if peer.poll() is None:
            peer.kill()


@pytest.mark.skipif(SIPP is None, reason="SIPp (Debian's sip-tester) is not installed")
def test_a_line_that_rings_unanswered_is_the_company_s_and_the_caller_cancels(monkeypatch, tmp_path):
    monkeypatch.setattr(sip_leg, "RING_TIMEOUT_S", 2.0)
    peer = subprocess.Popen([SIPP, "-sf", str(HERE / "sip" / "uas_rings.xml"), "-i", "127.0.0.1", "-p", "5096",
                             "-m", "1", "-nostdin"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=tmp_path)
    try:
        time.sleep(0.5)
        customer = Customer(make_persona(6, "ring", channels=["phone"]), None,
                            Target(base_url="http://127.0.0.1:9", phone_url="sip:service@127.0.0.1:5096"))
        call = customer.phone.call("/")
        assert not call.active and call.ended_by == "company"
        assert any(s.detail == "the line rang for 2 s and nobody answered" for s in customer.steps)
        assert peer.wait(10) == 0  # SIPp got the CANCEL its scenario waits for
    finally:
        if peer.poll() is None:
            peer.kill()


@pytest.mark.parametrize("address, why", [("sip:support@nohost.invalid", "its host is not known"),
                                          ("sip:support@127.0.0.1:notaport", "not a SIP address")])
def test_an_address_that_cannot_be_called_is_said_plainly(address, why):
    customer = Customer(make_persona(7, "typo", channels=["phone"]), None,
                        Target(base_url="http://127.0.0.1:9", phone_url=address))
    with pytest.raises(SiteUnreachable, match=f"could not be called \\({why}"):
        customer.phone.call("/")


def _desk() -> Flask:
    """A small TwiML IVR written as a Twilio customer writes one: a spoken menu with hints, then a Dial to a
    department on the same platform, and a department that says who it is."""
    app = Flask("desk")

    @app.post("/voice")
    def voice() -> str:
        return ('<Response><Gather input="speech dtmf" hints="billing, report a leak" action="/said" '
                'timeout="4"><Say>Tell me what you need, billing or report a leak.</Say></Gather>'
                '<Say>Nothing heard. Goodbye.</Say></Response>')

    @app.post("/said")
    def said() -> str:
        heard = request.form.get("SpeechResult", "")
        return (f'<Response><Say>{"Putting you through to billing." if heard == "billing" else "Sorry."}</Say>'
                '<Dial><Number>+15550100</Number></Dial></Response>')

    @app.post("/billing")
    def billing() -> str:
        return "<Response><Say>Billing department. Goodbye.</Say><Hangup/></Response>"

    return app


def test_a_spoken_answer_reaches_the_ivr_and_a_transfer_on_the_same_line_is_followed(tmp_path):
    prompts = ("Tell me what you need, billing or report a leak.", "Putting you through to billing.", "Sorry.",
               "Billing department. Goodbye.", "Nothing heard. Goodbye.")
    with serve(_desk()) as url, TwimlFront(url, routes={"+15550100": "/billing"}) as front:
        customer = caller(front, prompts, tmp_path)
        call = customer.phone.call(f"sip:voice@127.0.0.1:{front.port}")
        assert call.listening, call.transcript
        call.say("billing")
        deadline = time.monotonic() + 20
        while call.active and time.monotonic() < deadline:
            time.sleep(0.1)
        said = [(url.rsplit("/", 1)[-1], keys) for _, url, keys in front.fetched]
        assert said[:2] == [("voice", ""), ("said", "")] and said[2][0] == "billing", said
        heard = [text for who, text in call.transcript if who == "ivr"]
        assert "Putting you through to billing." in heard, heard  # the front heard "billing" among its hints
        transfer = next(s for s in customer.steps if s.action.value == "transfer")
        assert transfer.data["target"] == f"sip:+15550100@127.0.0.1:{front.port}"
        assert heard[-1] == "Billing department. Goodbye." and call.ended_by == "company", heard


@pytest.mark.skipif(SIPP is None, reason="SIPp (Debian's sip-tester) is not installed")
@pytest.mark.parametrize("password, answered", [("s3cret", True), ("wrong", False)])
def test_a_trunk_s_digest_challenge_is_answered_and_the_password_is_never_written(monkeypatch, tmp_path, password,
                                                                                   answered):
    monkeypatch.setattr(sip_leg, "SILENT_LINE_S", 2.0)
    peer = subprocess.Popen([SIPP, "-sf", str(HERE / "sip" / "uas_auth.xml"), "-i", "127.0.0.1", "-p", "5095",
                             "-m", "1", "-nostdin"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=tmp_path)
    try:
        time.sleep(0.5)
        target = Target(base_url="http://127.0.0.1:9", phone_url="sip:+15550100@127.0.0.1:5095",
                        sip_credentials=("alice", password))
        customer = Customer(make_persona(7, "trunk", channels=["phone"]), None, target)
        call = customer.phone.call("/")
        assert not call.active and call.ended_by == "company"
        details = [s.detail for s in customer.steps]
        if answered:
            assert "the line gave no audio at all for 2 s" in details, details
        else:
            assert "the line answered SIP 403 Forbidden" in details, details
        assert peer.wait(10) == 0  # SIPp ran its whole scenario: challenge, the checked answer, the end
        assert password not in repr([s.to_dict() for s in customer.steps])
    finally:
        if peer.poll() is None:
            peer.kill()


@pytest.mark.skipif(SIPP is None, reason="SIPp (Debian's sip-tester) is not installed")
def test_a_line_that_takes_no_key_events_gets_keys_as_sip_info(tmp_path):
    peer = subprocess.Popen([SIPP, "-sf", str(HERE / "sip" / "uas_info_keys.xml"), "-i", "127.0.0.1", "-p", "5094",
                             "-m", "1", "-nostdin"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=tmp_path)
    try:
        time.sleep(0.5)
        call = OutgoingCall("sip:menu@127.0.0.1:5094")
        assert call.start(5.0) == "connected" and call.media is not None and call.media.event_type is None
        call.press("1")
        time.sleep(0.3)
        call.hangup()
        assert peer.wait(10) == 0  # SIPp's scenario requires an INFO signalling 1 before the BYE
    finally:
        if peer.poll() is None:
            peer.kill()


@pytest.mark.skipif(SIPP is None or not Path("/usr/share/sip-tester/dtmf_2833_1.pcap").exists(),
                    reason="SIPp (Debian's sip-tester) and its captures are not installed")
def test_early_media_is_heard_before_the_line_answers(tmp_path):
    peer = subprocess.Popen([SIPP, "-sf", str(HERE / "sip" / "uas_early_media.xml"), "-i", "127.0.0.1", "-p", "5093",
                             "-m", "1", "-nostdin"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=tmp_path)
    try:
        time.sleep(0.5)
        call = OutgoingCall("sip:menu@127.0.0.1:5093")
        assert call.start(5.0) == "early"  # 183 with SDP: the media flows before any answer
        time.sleep(1.0)
        assert list(call.rtp.keys) == ["1"] and call.state == "early"  # SIPp's captured RFC 2833 "1", unanswered
        assert call.wait_connected(5.0)
        call.hangup()
        assert peer.wait(10) == 0
    finally:
        if peer.poll() is None:
            peer.kill()
