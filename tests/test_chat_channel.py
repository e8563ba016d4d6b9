"""The chat channel (simsuite.channels.chat) against real bots on loopback: the demo companies' Rasa
webhooks, a small generic JSON bot, broken bots, and the lab's chat widget in a real Chromium."""

from __future__ import annotations

import json
import re
import socket
import threading
from contextlib import ExitStack
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import pytest

from simsuite.channels.chat import (
    MAX_REPLIES_PER_TURN,
    MAX_TURNS,
    ChatConfigError,
    chat_config_from_file,
    fill_template,
    resolve_path,
    validate_chat_config,
)
from simsuite.core.target import Target
from simsuite.customer import Customer
from simsuite.demo import create_app
from simsuite.demo import chat as demo_chat
from simsuite.errors import HostNotAllowed, ScriptError, SimsuiteError, SiteUnreachable
from simsuite.model import FrictionKind
from simsuite.core.personas import make_persona
from simsuite.browser import BrowserPool
from simsuite.runner import RunTarget
from simsuite.core.scenario import Scenario

GENERIC = {
    "adapter": "http-json",
    "url": "/api/talk",
    "request": {"session": {"id": "{sender}"}, "input": "{message}", "lang": "en"},
    "replies": "data.replies",
    "text": "body",
    "buttons": "options",
    "title": "label",
    "payload": "value",
    "headers": {"X-Bot-Key": "k1"},
}


# -- servers ---------------------------------------------------------------------------------------
class JsonBot:
    """A tiny bot on 127.0.0.1: `answer(path, json_body, headers) -> (status, body bytes)` decides replies."""

    def __init__(self, answer: Callable[[str, Any, dict[str, str]], tuple[int, bytes]]) -> None:
        self.answer = answer
        self.requests: list[tuple[str, Any, dict[str, str]]] = []
        bot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                headers = {k.lower(): v for k, v in self.headers.items()}
                bot.requests.append((self.path, body, headers))
                status, out = bot.answer(self.path, body, headers)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def jbody(document: Any) -> bytes:
    return json.dumps(document).encode()


@pytest.fixture
def bots():
    started: list[JsonBot] = []

    def start(answer: Callable[[str, Any, dict[str, str]], tuple[int, bytes]]) -> JsonBot:
        started.append(JsonBot(answer))
        return started[-1]

    yield start
    for bot in started:
        bot.stop()


@pytest.fixture
def make_customer():
    made: list[Customer] = []

    def make(url: str, *, channels=("chat", "phone"), knows=("booking_reference", "name"), key: str = "t",
             chat_config: dict | None = None, chat_url: str | None = None, hosts: frozenset | None = None,
             page_factory=None) -> Customer:
        persona = make_persona(1, key, channels=list(channels), knows=list(knows))
        target = Target(base_url=url, chat_url=chat_url, chat_config=chat_config or {},
                        allowed_hosts=hosts if hosts is not None else RunTarget(None, url).hosts,
                        page_factory=page_factory)
        customer = Customer(persona, Scenario(name="t", goal="g", journeys=("j",)), target)
        made.append(customer)
        return customer

    yield make
    for customer in made:
        customer.close()


def kinds(customer: Customer) -> list[str]:
    return [f.kind.value for f in customer.frictions]


def steps(customer: Customer, action: str) -> list:
    return [s for s in customer.steps if s.action == action]


# -- the demo bots over Rasa's REST channel --------------------------------------------------------
def test_lab_as_is_sends_the_customer_to_the_phone_and_asks_twice(as_is, make_customer):
    customer = make_customer(as_is.url, key="lab-as-is")
    chat = customer.chat.connect("/lab/chat")
    replies = chat.send("Hi").last_replies
    assert [r.text for r in replies] == [demo_chat.LAB_GREETING]
    assert chat.asked_for == ["booking_reference"] and chat.buttons == []
    heard = steps(customer, "heard")[-1]
    assert (heard.channel, heard.text, heard.url, heard.data["buttons"]) == (
        "chat", demo_chat.LAB_GREETING, "/lab/chat/webhooks/rest/webhook", [])

    reference = customer.fact("booking_reference")
    chat.answer("booking_reference")
    said = steps(customer, "said")[-1]
    assert said.detail == reference and said.data["gave"] == ["booking_reference"]
    assert customer.journal.given["booking_reference"] == said.index
    case = f"I have opened case 55{reference[-4:]} for you."
    assert case in chat.last_text and chat.heard_any("opened case") == case
    switch = [f for f in customer.frictions if f.kind is FrictionKind.FORCED_SWITCH]
    assert switch[0].evidence == ("Please call our toll-free line 1-800-555-0100 and quote your case reference.")

    chat.send("Can you not just move it?")
    assert chat.last_text == demo_chat.LAB_NOT_UNDERSTOOD
    repeated = [f for f in customer.frictions if f.kind is FrictionKind.REPEATED_INFORMATION]
    assert len(repeated) == 1 and repeated[0].channel == "chat"
    assert repeated[0].evidence == "What is your booking reference?"
    assert [who for who, _ in chat.transcript] == ["customer", "bot"] * 3
    assert customer.clock.now > 20


def test_lab_recovered_moves_the_appointment_in_chat(recovered, make_customer):
    customer = make_customer(recovered.url, key="lab-recovered")
    chat = customer.chat.connect("/lab/chat")
    chat.send("Hello")
    chat.answer("booking_reference")
    assert chat.last_text == demo_chat.LAB_OFFER
    assert chat.buttons == list(demo_chat.LAB_SLOTS)
    assert steps(customer, "heard")[-1].data["buttons"] == list(demo_chat.LAB_SLOTS)

    replies = chat.press("wednesday 2").last_replies
    pressed = steps(customer, "pressed")[-1]
    assert pressed.detail == "Wednesday 2 December, 08:15"
    assert pressed.data["payload"].startswith("/choose_slot{")
    done = "Done: your appointment has been moved to Wednesday 2 December, 08:15."
    assert replies[0].text.startswith(done) and chat.heard_any("has been moved to") == done
    customer.resolved(done)
    chat.end()
    customer.finish()
    assert customer.frictions == [] and not chat.active and chat.ended_by == "customer"


def test_choose_without_a_fitting_button_is_a_missing_option_then_the_fallback(recovered, make_customer):
    customer = make_customer(recovered.url, key="choose")
    chat = customer.chat.connect("/lab/chat")
    chat.send("hi")
    chat.answer("booking_reference")
    assert chat.choose("sunday evening", fallback=("thursday",)) == "Thursday 3 December, 14:00"
    missing = [f for f in customer.frictions if f.kind is FrictionKind.MISSING_OPTION]
    assert len(missing) == 1 and missing[0].evidence.endswith(f"(buttons: {'; '.join(demo_chat.LAB_SLOTS)})")
    assert missing[0].evidence.startswith(customer.steps[missing[0].step].text)  # the words that offered them
    assert customer.steps[missing[0].step].action == "heard"
    assert "moved to Thursday 3 December, 14:00" in chat.last_text


def test_pressing_a_button_that_is_not_offered_is_a_script_error(recovered, make_customer):
    customer = make_customer(recovered.url, key="press")
    chat = customer.chat.connect("/lab/chat")
    chat.send("hi")
    with pytest.raises(ScriptError, match="offered: none"):
        chat.press("Tuesday")
    chat.answer("booking_reference")
    with pytest.raises(ScriptError, match="Tuesday 1 December, 10:30; Wednesday"):
        chat.press("Friday")


def test_telecom_as_is_sends_a_customer_without_web_to_the_website(as_is, make_customer):
    customer = make_customer(as_is.url, channels=("phone", "chat"), key="telecom")
    chat = customer.chat.connect("/telecom/chat")
    chat.send("Hi, my internet is down because of the fire")
    assert chat.buttons == ["Billing", "Technical support"]
    unavailable = [f for f in customer.frictions if f.kind is FrictionKind.UNAVAILABLE_DEMAND]
    assert unavailable[0].evidence == "For outages, please check our website at metrotelecom.example/outages."
    assert chat.choose("report a fire", fallback=("technical support",)) == "Technical support"
    assert chat.last_text == demo_chat.TELECOM_CALL
    assert set(kinds(customer)) == {"unavailable_demand", "missing_option", "forced_channel_switch"}


def test_telecom_recovered_tells_the_customer_at_once(recovered, make_customer):
    customer = make_customer(recovered.url, channels=("phone", "chat"), key="telecom-r")
    chat = customer.chat.connect("/telecom/chat")
    chat.send("Hi")
    assert chat.heard_any("restore service by") and chat.buttons == []
    customer.resolved(chat.heard_any("restore service by"))
    customer.finish()
    assert customer.frictions == []


def test_chat_url_and_ending_contacts(as_is, make_customer):
    customer = make_customer("http://127.0.0.1:9", chat_url=as_is.url + "/lab/chat",
                             hosts=RunTarget(None, as_is.url).hosts)
    chat = customer.chat.connect()
    chat.send("hi")
    assert steps(customer, "chat")[0].detail == "opened a chat at /"
    customer.close()
    ended = steps(customer, "ended")[-1]
    assert ended.data == {"ended_by": "customer"} and not chat.active
    with pytest.raises(ScriptError, match="has ended"):
        chat.send("hello?")


# -- the generic HTTP/JSON adapter ---------------------------------------------------------------
def test_http_json_adapter_with_its_own_shape(bots, make_customer):
    def answer(path, body, headers):
        if body["input"] == "menu":
            return 200, jbody({"data": {"replies": [
                {"body": "Pick one.", "options": [{"label": "Move booking", "value": "MOVE"},
                                                   {"label": "Cancel", "value": "CANCEL"}]}]}})
        if body["input"] == "MOVE":
            return 200, jbody({"data": {"replies": [{"body": "Moved. Anything else?"}, {"body": "Bye."}]}})
        return 200, jbody({"data": {"replies": [{"body": "What is your booking reference?"}]}})

    bot = bots(answer)
    customer = make_customer(bot.url, chat_config=GENERIC, key="generic")
    chat = customer.chat.connect("/support")
    chat.send("hello")
    path, body, headers = bot.requests[-1]
    assert path == "/support/api/talk" and headers["x-bot-key"] == "k1"
    assert body["input"] == "hello" and body["lang"] == "en"
    assert re.fullmatch(f"{customer.persona.id}-chat-1-[0-9a-f]{{8}}", body["session"]["id"])  # unique to this run
    assert chat.asked_for == ["booking_reference"]
    chat.send("menu")
    assert chat.buttons == ["Move booking", "Cancel"]
    replies = chat.press("move booking").last_replies
    assert bot.requests[-1][1]["input"] == "MOVE"
    assert [r.text for r in replies] == ["Moved. Anything else?", "Bye."]
    assert [s.text for s in steps(customer, "heard")][-2:] == ["Moved. Anything else?", "Bye."]


def test_http_json_strings_at_the_root_and_get(bots, make_customer):
    bot = bots(lambda path, body, headers: (200, jbody(["One.", "Two."])))
    config = {**GENERIC, "replies": "$"}
    customer = make_customer(bot.url, chat_config=config, key="root")
    assert [r.text for r in customer.chat.connect().send("x").last_replies] == ["One.", "Two."]


def test_replies_without_text_are_recorded_sensibly(bots, make_customer):
    answer = [{"recipient_id": "x", "buttons": [{"title": "Yes", "payload": "/yes"}]},
              {"recipient_id": "x", "image": "https://img.example/map.png"},
              {"recipient_id": "x", "custom": {"kind": "card"}}]
    bot = bots(lambda path, body, headers: (200, jbody(answer)))
    customer = make_customer(bot.url, key="notext")
    chat = customer.chat.connect()
    chat.send("hi")
    heard = steps(customer, "heard")
    assert [h.detail for h in heard] == ["bot offered buttons: Yes", "bot sent an image: https://img.example/map.png"]
    assert heard[1].data["image"] == "https://img.example/map.png"
    assert steps(customer, "note")[-1].detail == "the bot sent a reply with nothing to read"
    assert chat.buttons == ["Yes"] and chat.last_text == ""
    bot.answer = lambda path, body, headers: (200, b"[]")
    chat.press("yes")
    assert bot.requests[-1][1]["message"] == "/yes"
    assert steps(customer, "no_reply")


# -- broken bots -----------------------------------------------------------------------------------
@pytest.mark.parametrize("config, body, problem", [
    ({}, b"<html>oops</html>", "not JSON"),
    ({}, jbody({"text": "hi"}), "not a list of messages"),
    ({}, jbody([{"text": 5}]), "not text"),
    ({}, jbody([{"text": "hi", "buttons": [{"payload": "/x"}]}]), "a button has no text"),
    (GENERIC, jbody({"data": {"messages": []}}), "missing 'replies'"),
    (GENERIC, jbody({"data": {"replies": 7}}), "not a list of messages"),
])
def test_malformed_replies_end_the_chat_as_a_dead_end(bots, make_customer, config, body, problem):
    bot = bots(lambda path, b, headers: (200, body))
    customer = make_customer(bot.url, chat_config=config, key="bad")
    chat = customer.chat.connect()
    assert chat.send("hi").last_replies == []
    bad = steps(customer, "bad_reply")
    assert len(bad) == 1 and problem in bad[0].detail and bad[0].status == 200
    ended = customer.steps[-1]
    assert ended.action == "ended" and ended.data["ended_by_company"] is True and not chat.active
    customer.finish()
    assert kinds(customer) == ["dead_end"]


def test_http_500_is_a_dead_end(bots, make_customer):
    bot = bots(lambda path, body, headers: (500, b'{"error": "boom"}'))
    customer = make_customer(bot.url, key="500")
    chat = customer.chat.connect()
    chat.send("hi")
    error = steps(customer, "http_error")[0]
    assert (error.status, error.detail) == (500, "HTTP 500 from /webhooks/rest/webhook")
    customer.finish()
    dead = customer.frictions
    assert [f.kind for f in dead] == [FrictionKind.DEAD_END] and "HTTP 500" in dead[0].evidence


def test_a_bot_that_is_down_is_unreachable(make_customer):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    customer = make_customer(f"http://127.0.0.1:{port}", key="down")
    chat = customer.chat.connect()
    with pytest.raises(SiteUnreachable, match="could not be reached"):
        chat.send("hi")


def test_bounds_on_replies_body_and_turns(bots, make_customer):
    bot = bots(lambda path, body, headers: (200, jbody([{"text": f"Line {i}."} for i in range(80)])))
    customer = make_customer(bot.url, key="bounds")
    chat = customer.chat.connect()
    assert len(chat.send("hi").last_replies) == MAX_REPLIES_PER_TURN
    assert "sent 80 replies" in steps(customer, "note")[-1].detail

    bot.answer = lambda path, body, headers: (200, jbody([{"text": "Again."}]))
    for _ in range(MAX_TURNS - 1):
        chat.send("hi")
    assert chat.active and chat.send("hi").last_replies == []
    assert steps(customer, "bounded") and chat.ended_by == "customer"
    assert FrictionKind.LOOP in [f.kind for f in customer.frictions]

    bot.answer = lambda path, body, headers: (200, b"[" + b'{"text": "x"},' * 100_000 + b"{}]")
    big = make_customer(bot.url, key="big").chat.connect()
    big.send("hi")
    assert "larger than 1 MB" in big.journal.steps[-2].detail


# -- configuration and set-up --------------------------------------------------------------------
def test_config_errors_name_the_missing_key(tmp_path, bots, make_customer):
    broken = {k: v for k, v in GENERIC.items() if k != "replies"}
    with pytest.raises(ChatConfigError, match="needs the key 'replies'"):
        validate_chat_config(broken)
    customer = make_customer("http://127.0.0.1:9", chat_config=broken, key="cfg")
    with pytest.raises(SimsuiteError, match="'replies'"):
        customer.chat.connect()
    with pytest.raises(ChatConfigError, match="unknown chat adapter 'grpc'"):
        validate_chat_config({"adapter": "grpc"})
    with pytest.raises(ChatConfigError, match="unknown key 'replys'"):
        validate_chat_config({**GENERIC, "replys": "x"})
    with pytest.raises(ChatConfigError, match="never uses"):
        validate_chat_config({**GENERIC, "request": {"q": "{sender}"}})

    path = tmp_path / "bot.yaml"
    path.write_text("adapter: http-json\nurl: /api\nrequest: {text: '{message}'}\n")
    with pytest.raises(ChatConfigError, match=f"{path}.*'replies'"):
        chat_config_from_file(path)
    path.write_text("url: /api\nrequest: '{\"text\": \"{message}\"}'\nreplies: messages\n")
    assert chat_config_from_file(path)["adapter"] == "http-json"
    path.write_text("url: [unclosed\n")
    with pytest.raises(ChatConfigError, match=f"{path}:.*not valid YAML"):
        chat_config_from_file(path)
    with pytest.raises(ChatConfigError, match="not found"):
        chat_config_from_file(tmp_path / "missing.yaml")


def test_channel_needs_chat_and_an_allowed_host(as_is, make_customer):
    no_chat = make_customer(as_is.url, channels=("web",), key="nochat")
    with pytest.raises(ScriptError, match="can_use"):
        no_chat.chat
    elsewhere = make_customer(as_is.url, chat_url="http://bots.example", key="elsewhere")
    with pytest.raises(HostNotAllowed, match="bots.example"):
        elsewhere.chat.connect()


def test_resolve_path_and_fill_template():
    doc = {"data": {"items": [{"text": "a"}, {"text": "b"}]}}
    assert resolve_path(doc, "$") is doc and resolve_path(doc, "") is doc
    assert resolve_path(doc, "data.items.1.text") == "b" == resolve_path(doc, "$.data.items[1].text")
    with pytest.raises(KeyError):
        resolve_path(doc, "data.items.5")
    filled = fill_template({"a": ["{message}!", {"{sender}": 1}], "n": 3}, {"message": "hi {x}", "sender": "s"})
    assert filled == {"a": ["hi {x}!", {"s": 1}], "n": 3}


def test_demo_webhook_rejects_what_is_not_a_rasa_message_and_widget_escapes():
    c = create_app("as-is").test_client()
    assert c.post("/lab/chat/webhooks/rest/webhook", data="nope").status_code == 400
    assert c.post("/telecom/chat/webhooks/rest/webhook", json={"sender": 1, "message": "x"}).status_code == 400
    nasty = "<script>alert(1)</script>"
    first = c.post("/lab/chat/widget", data={"message": nasty})
    page = c.get(first.location).get_data(as_text=True)
    assert nasty not in page and "&lt;script&gt;" in page and demo_chat.LAB_GREETING.split(",")[0] in page
    assert "Chat with us" in c.get("/lab/").get_data(as_text=True)
    assert "Chat with us" not in c.get("/telecom/").get_data(as_text=True)


# -- the widget on the lab's web pages, in a real Chromium ----------------------------------------
@pytest.mark.e2e
def test_lab_widget_through_the_web_channel(recovered, as_is, make_customer):
    with ExitStack() as stack:
        pool = BrowserPool(stack)
        hosts = RunTarget(None, recovered.url).hosts
        customer = make_customer(recovered.url, channels=("web", "chat"), key="widget", hosts=hosts,
                                 page_factory=pool.page_factory(hosts))
        web = customer.web
        web.goto("/lab/")
        assert web.has_text("Chat with us") and web.has_field("Message")
        web.fill("Message", "Hi")
        assert web.click("Send")
        assert web.has_text(demo_chat.LAB_GREETING)
        web.fill("Message", customer.fact("booking_reference"))
        web.click("Send")
        assert web.has_text(demo_chat.LAB_OFFER)
        assert web.click("Wednesday 2 December, 08:15")
        moved = web.sentence_with("has been moved to")
        assert moved == "Done: your appointment has been moved to Wednesday 2 December, 08:15."
        assert customer.steps[-1].action == "page" and customer.steps[-1].status == 200
        assert customer.journal.given["booking_reference"]

        hosts = RunTarget(None, as_is.url).hosts
        kafka = make_customer(as_is.url, channels=("web", "phone"), key="widget-as-is", hosts=hosts,
                              page_factory=pool.page_factory(hosts))
        kafka.web.goto("/lab/contact")
        kafka.web.fill("Message", "hello")
        kafka.web.click("Send")
        kafka.web.fill("Message", kafka.fact("booking_reference"))
        kafka.web.click("Send")
        assert kafka.web.has_text("Please call our toll-free line 1-800-555-0100")
        assert "forced_channel_switch" in kinds(kafka)


# -- navigating like a customer with a goal (the conversation base every talking channel shares) -------------
def test_navigate_answers_what_is_asked_takes_the_fitting_button_and_stops_at_the_goal(bots, make_customer):
    def answer(path: str, body: Any, headers: dict[str, str]) -> tuple[int, bytes]:
        said = body["message"]
        if said.startswith("Hello"):
            return 200, jbody([{"text": "Sure. What is your booking reference?"}])
        if said == customer.fact("booking_reference"):
            return 200, jbody([{"text": "Which day suits you?", "buttons": [
                {"title": "Monday 7 December", "payload": "/mon"}, {"title": "Talk to a person", "payload": "/agent"}]}])
        if said == "/mon":
            return 200, jbody([{"text": "Done: your appointment has been moved to Monday 7 December."}])
        return 200, jbody([{"text": "Sorry?"}])

    bot = bots(answer)
    customer = make_customer(bot.url, key="navigate")  # the bot's answer() reads it when the chat begins
    chat = customer.chat.connect()
    chat.send("Hello, I need to move my blood test")
    moved = chat.navigate(("tuesday", "wednesday"), fallback=("monday",), until=("has been moved",))
    assert moved == "Done: your appointment has been moved to Monday 7 December."
    assert [s.detail for s in steps(customer, "said")][1] == customer.fact("booking_reference")
    assert [s.detail for s in steps(customer, "pressed")] == ["Monday 7 December"]
    [missing] = customer.frictions
    assert missing.kind is FrictionKind.MISSING_OPTION
    assert missing.evidence == "Which day suits you? (buttons: Monday 7 December; Talk to a person)"  # words and buttons
    assert missing.detail.startswith("no button for: tuesday, wednesday;") and missing.source == "menu"


def test_navigate_stops_when_nothing_is_offered_and_says_so(bots, make_customer):
    bot = bots(lambda path, body, headers: (200, jbody([{"text": "Our chat cannot help with that."}])))
    chat = make_customer(bot.url, key="stuck").chat.connect()
    chat.send("Hello")
    assert chat.navigate(("reschedule",), until=("has been moved",)) is None
    assert chat.turns == 1  # nothing asked, nothing offered: a customer without words to add stops
