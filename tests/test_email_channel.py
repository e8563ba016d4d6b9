"""The email channel with real servers on loopback: SMTP in, the demo's mail out, reading, following links."""

from __future__ import annotations

import smtplib
import socket
import threading
import time
from contextlib import ExitStack

import pytest

from simsuite.core.target import Target
from simsuite.customer import Customer
from simsuite.demo import DemoServer
from simsuite.demo.app import create_app
from simsuite.demo.mail import send_mail
from simsuite.errors import HostNotAllowed, ScriptError
from simsuite.mailbox import MailServer, parse_message
from simsuite.model import FrictionKind
from simsuite.core.personas import make_persona
from simsuite.browser import BrowserPool
from simsuite.runner import RunTarget
from simsuite.core.scenario import Scenario

SCENARIO = Scenario(name="mail", goal="g", journeys=("j",))


@pytest.fixture
def mail():
    with MailServer() as server:
        yield server


def make_customer(mailbox=None, channels=("web", "phone", "email"), base_url="http://127.0.0.1:9", **target):
    persona = make_persona(5, "email", channels=channels)
    return Customer(persona, SCENARIO, Target(base_url=base_url, mailbox=mailbox, **target))


def relay_send(server: MailServer, to: str, subject: str, text: str, html: str | None = None) -> bool:
    """Send as a demo company does, through an app whose relay is `server`."""
    app = create_app("as-is", mail_relay=server.relay)
    with app.app_context():
        return send_mail(to, subject, text, html)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- the SMTP server -------------------------------------------------------------------------------
def test_smtp_exchange_stores_the_message_by_recipient_with_subject_text_and_links(mail):
    raw = (b"From: Northside <no-reply@northside.example>\r\nTo: Ann@Example.com\r\n"
           b"Subject: Your booking\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/alternative; boundary=XX\r\n\r\n"
           b"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nManage it: http://h.example/m?x=1.\r\n"
           b"--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
           b"<html><head><style>p{color:red}</style></head><body><p>Manage it "
           b"<a href=\"http://h.example/m?x=1\">Manage <b>my booking</b></a></p>"
           b"<script>alert(1)</script></body></html>\r\n--XX--\r\n")
    with smtplib.SMTP(mail.host, mail.port, timeout=5) as smtp:
        smtp.sendmail("no-reply@northside.example", ["Ann@Example.com", "bob@example.com"], raw)
    [msg] = mail.messages_for("ann@example.COM")
    assert (msg.subject, msg.sender, msg.index) == ("Your booking", "Northside <no-reply@northside.example>", 0)
    assert msg.text == "Manage it: http://h.example/m?x=1."
    assert msg.links == [("Manage my booking", "http://h.example/m?x=1")]
    assert "<a href" in msg.html and "alert" not in msg.text
    assert mail.messages_for("bob@example.com") == [msg] and mail.messages_for("carl@example.com") == []


def test_wait_for_wakes_when_mail_arrives_and_is_bounded_when_none_does(mail):
    def later() -> None:
        time.sleep(0.3)
        with smtplib.SMTP(mail.host, mail.port, timeout=5) as smtp:
            smtp.sendmail("a@b.example", ["c@d.example"], b"Subject: late\r\n\r\nhello\r\n")

    sender = threading.Thread(target=later)
    start = time.monotonic()
    sender.start()
    msg = mail.wait_for("c@d.example", lambda m: m.subject == "late", timeout_s=10)
    sender.join()
    assert msg is not None and msg.text == "hello" and time.monotonic() - start < 5
    start = time.monotonic()
    assert mail.wait_for("c@d.example", lambda m: m.subject == "never", timeout_s=0.5) is None
    assert 0.4 < time.monotonic() - start < 3


def test_a_fixed_port_can_be_given_for_a_staging_relay():
    port = closed_port()
    with MailServer(port=port) as mail:
        assert mail.relay == ("127.0.0.1", port)
        with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
            smtp.sendmail("a@b.example", ["c@d.example"], b"Subject: fixed\r\n\r\nok\r\n")
        assert mail.messages_for("c@d.example")[0].subject == "fixed"


def test_oversized_mail_is_refused_and_not_stored():
    with MailServer(max_bytes=10_000) as mail:
        with smtplib.SMTP(mail.host, mail.port, timeout=5) as smtp:
            with pytest.raises(smtplib.SMTPException) as refused:
                smtp.sendmail("a@b.example", ["c@d.example"], b"Subject: big\r\n\r\n" + b"x" * 20_000)
        assert "552" in str(refused.value)
        assert mail.messages_for("c@d.example") == []


def test_odd_messages_are_still_parsed(mail):
    odd = {
        "nosubject@x.example": b"From: a@b.example\r\n\r\nNo subject here, see https://h.example/a, thanks\r\n",
        "htmlonly@x.example": (b"Subject: =?utf-8?q?Caf=C3=A9?=\r\nContent-Type: text/html\r\n\r\n"
                               b"<p>Hi&nbsp;there &amp; <a href='https://h.example/r'>reset</a><br>bye"),
        "latin1@x.example": (b"Subject: Re\xe7u\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
                             b"Content-Transfer-Encoding: 8bit\r\n\r\nVotre re\xe7u\r\n"),
        "unknown@x.example": (b"Subject: odd\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
                              b"\r\nplain words\r\n"),
    }
    with smtplib.SMTP(mail.host, mail.port, timeout=5) as smtp:
        for rcpt, raw in odd.items():
            smtp.sendmail("a@b.example", [rcpt], raw)
    [none] = mail.messages_for("nosubject@x.example")
    assert none.subject == "" and none.links == [("https://h.example/a", "https://h.example/a")]
    [html] = mail.messages_for("htmlonly@x.example")
    assert html.subject == "Café" and html.text == "Hi there & reset\nbye"
    assert html.links == [("reset", "https://h.example/r")]
    [latin] = mail.messages_for("latin1@x.example")
    assert latin.text == "Votre reçu" and latin.subject.startswith("Re")  # raw 8-bit header: replaced, not crashed
    latin.subject.encode("utf-8")
    [unknown] = mail.messages_for("unknown@x.example")
    assert unknown.text == "plain words" and unknown.subject == "odd"
    assert parse_message(b"").text == "" and parse_message(b"\xff\xfe garbage").index == 0


# -- the demo companies' outgoing mail -------------------------------------------------------------
def test_send_mail_goes_through_the_configured_relay(mail):
    html = '<p>Open <a href="http://127.0.0.1:9/lab/manage">Manage my booking</a></p>'
    assert relay_send(mail, "ann@example.com", "Your\nbooking", "Open http://127.0.0.1:9/lab/manage", html)
    msg = mail.wait_for("ann@example.com", None, 2)
    assert msg is not None and msg.subject == "Your booking" and msg.sender == "no-reply@northside.example"
    assert msg.text == "Open http://127.0.0.1:9/lab/manage"
    assert msg.links == [("Manage my booking", "http://127.0.0.1:9/lab/manage")]


def test_send_mail_without_a_relay_drops_the_mail():
    with create_app("as-is").app_context():
        assert send_mail("ann@example.com", "s", "t") is False


def test_send_mail_to_a_relay_that_is_down_returns_false_without_hanging():
    app = create_app("recovered", mail_relay=("127.0.0.1", closed_port()))
    start = time.monotonic()
    with app.app_context():
        assert send_mail("ann@example.com", "s", "t") is False
    assert time.monotonic() - start < 6


def test_demo_server_passes_the_mail_relay_to_the_app():
    assert DemoServer("as-is", mail_relay=("127.0.0.1", 2525)).app.config["MAIL_RELAY"] == ("127.0.0.1", 2525)
    assert DemoServer("as-is").app.config["MAIL_RELAY"] is None


# -- the channel -----------------------------------------------------------------------------------
def test_channel_reads_new_mail_once_and_records_what_the_company_wrote(mail):
    c = make_customer(mail)
    assert relay_send(mail, c.email.address.upper(), "Booking confirmed",
                      "Your test is booked. If it does not suit you, please call our toll-free line 0800 1.")
    msg = c.email.wait_for("booking", within_minutes=30)
    assert msg is not None and c.clock.now == 60
    step = c.steps[-1]
    assert (step.channel, step.action, step.contact) == ("email", "heard", "email-1")
    assert step.detail == "mail from no-reply@northside.example: Booking confirmed"
    assert step.text.startswith("Your test is booked.") and step.data == {"subject": "Booking confirmed", "links": []}
    assert [f.kind for f in c.frictions] == [FrictionKind.FORCED_SWITCH]  # detectors saw the mail's words
    assert c.email.wait_for("booking", within_minutes=30, real_timeout_s=0.2) is None  # already read


def test_containing_filters_on_the_text(mail):
    c = make_customer(mail)
    relay_send(mail, c.email.address, "News", "nothing for you")
    relay_send(mail, c.email.address, "News", "your reset code is 123")
    assert c.email.wait_for("news", containing="RESET CODE").text == "your reset code is 123"


def test_mail_that_never_arrives_is_a_bounded_no_mail_step(mail):
    c = make_customer(mail)
    start = time.monotonic()
    assert c.email.wait_for("Password reset", within_minutes=45, real_timeout_s=0.5) is None
    assert time.monotonic() - start < 3
    assert c.clock.now == 45 * 60
    step = c.steps[-1]
    assert (step.channel, step.action, step.detail) == ("email", "no_mail", "no mail about Password reset within 45 min")
    c.email.wait_for(within_minutes=2.5, real_timeout_s=0.1)
    assert c.steps[-1].detail == "no mail within 2.5 min"


def test_persona_without_email_or_without_mailbox_gets_a_script_error(mail):
    with pytest.raises(ScriptError, match="cannot use email"):
        make_customer(mail, channels=("web", "phone")).email
    with pytest.raises(ScriptError, match="run through `simsuite`"):
        make_customer(None).email


def test_follow_without_such_link_looks_and_foreign_hosts_are_refused(mail):
    c = make_customer(mail, allowed_hosts=frozenset({"127.0.0.1:9"}))
    html = '<a href="https://evil.example/x">Reset password</a> <a href="mailto:help@x">Write to us</a>'
    relay_send(mail, c.email.address, "Reset", "see html", html)
    msg = c.email.wait_for("Reset")
    assert c.email.follow(msg, "Manage my booking") is False
    assert c.steps[-1].action == "looked" and "found no such link" in c.steps[-1].detail
    assert c.email.follow(msg, "write to us") is False and "not a web address" in c.steps[-1].detail
    with pytest.raises(HostNotAllowed, match="evil.example"):
        c.email.follow(msg, "reset")


def test_a_persona_without_email_told_to_check_email_has_an_unavailable_demand():
    c = make_customer(None, channels=("phone",))
    c.journal.record("phone", "heard", "Say", "Thank you. We've emailed you a link.")
    [f] = c.frictions
    assert f.kind is FrictionKind.UNAVAILABLE_DEMAND and f.evidence == "We've emailed you a link."


@pytest.mark.e2e
def test_follow_opens_the_link_in_a_real_browser(mail):
    with DemoServer("as-is", mail_relay=mail.relay) as demo, ExitStack() as stack:
        hosts = RunTarget(None, demo.url).hosts
        c = make_customer(mail, base_url=demo.url, allowed_hosts=hosts,
                          page_factory=BrowserPool(stack).page_factory(hosts))
        with demo.app.app_context():
            assert send_mail(c.email.address, "Manage your booking", f"Go to {demo.url}/lab/manage",
                             f'<p>Go <a href="{demo.url}/lab/manage?from=mail">Manage my booking</a></p>')
        msg = c.email.wait_for("manage your booking")
        # the target's own URLs are kept as paths, so results do not depend on the port
        assert c.steps[-1].data["links"] == [{"text": "Manage my booking", "href": "/lab/manage?from=mail"}]
        assert c.steps[-1].text == "Go to /lab/manage"
        assert c.email.follow(msg, "manage my") is True
        click, page = c.steps[-2:]
        assert (click.channel, click.action, click.url, click.contact) == (
            "email", "click", "/lab/manage?from=mail", "email-1")
        assert (page.channel, page.action, page.url, page.status) == ("web", "page", "/lab/manage?from=mail", 200)
        assert "Booking reference" in page.data["fields"]
