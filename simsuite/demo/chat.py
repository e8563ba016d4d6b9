"""The demo companies' chat bots: Rasa REST webhooks, and the lab's chat widget on its web pages.

- `POST /lab/chat/webhooks/rest/webhook` and `POST /telecom/chat/webhooks/rest/webhook` speak Rasa's REST
  channel: `{"sender", "message"}` in, a list of `{"recipient_id", "text", "buttons"?}` out.
- `/lab/chat/widget` is the lab's chat widget without JavaScript: the "Chat with us" form on every lab page
  posts here, and the page shows the conversation, with the bot's buttons as submit buttons.

Each bot remembers where a conversation is by sender (in memory, per app, bounded). A greeting ("hi",
"hello", "/restart") starts the conversation over, as Rasa's restart does.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from typing import Any, Callable

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .lab import COMPANY as LAB_COMPANY

bp = Blueprint("chat", __name__)

MAX_SESSIONS = 5000
MAX_TRANSCRIPT = 200
MAX_MESSAGE = 2000
STORE = "simsuite_chat"

LAB_BOT = "Nia"
LAB_GREETING = "Hi, I'm Nia, the Northside assistant. What is your booking reference?"
LAB_NOT_UNDERSTOOD = "Sorry, I did not understand. What is your booking reference?"
LAB_CASE = ("Thanks. I can't change appointments in chat. I have opened case 55{case} for you. Please call our "
            "toll-free line 1-800-555-0100 and quote your case reference.")
LAB_OFFER = "Thanks. I can move your appointment right now. Which time suits you?"
LAB_CHOOSE = "Please choose one of these times."
LAB_MOVED = "Done: your appointment has been moved to {slot}. A confirmation is on its way by email."
LAB_BOOKED = "Your appointment is booked for {slot}. Is there anything else I can help with?"
LAB_SLOTS = ("Tuesday 1 December, 10:30", "Wednesday 2 December, 08:15", "Thursday 3 December, 14:00")

TELECOM_GREETING = ("Hello, this is Metro Telecom chat. For outages, please check our website at "
                    "metrotelecom.example/outages. What would you like to do?")
TELECOM_MENU = (("Billing", "/billing"), ("Technical support", "/technical_support"))
TELECOM_CALL = "Please call technical support on 1-800-555-0123."
TELECOM_OUTAGE = ("Hello. We know that service is out on Elm Street because of a fire. Crews are on site and we "
                  "expect to restore service by Thursday at 6pm. Every affected account is credited automatically.")

GREETINGS = frozenset({"hi", "hello", "hey", "hi there", "hello there", "start", "/start", "/greet", "/restart"})
_REFERENCE = re.compile(r"(?<!\d)\d{8}(?!\d)")
_CREATE = threading.Lock()

Message = dict[str, Any]


class _Sessions:
    """Where each conversation is, by (company, sender); the oldest are forgotten beyond MAX_SESSIONS."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.data: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()

    def get(self, key: tuple[str, str]) -> dict[str, Any]:
        session = self.data.pop(key, None) or {"stage": None, "transcript": []}
        self.data[key] = session
        while len(self.data) > MAX_SESSIONS:
            self.data.popitem(last=False)
        return session


def _sessions() -> _Sessions:
    with _CREATE:
        return current_app.extensions.setdefault(STORE, _Sessions())


def _recovered() -> bool:
    return current_app.config["DEMO_MODE"] == "recovered"


def _text(text: str, buttons: tuple[tuple[str, str], ...] = ()) -> Message:
    message: Message = {"text": text}
    if buttons:
        message["buttons"] = [{"title": title, "payload": payload} for title, payload in buttons]
    return message


def _is_greeting(message: str) -> bool:
    return " ".join(re.sub(r"[!.,?]", " ", message.lower()).split()) in GREETINGS


def lab_bot(session: dict[str, Any], message: str) -> list[Message]:
    """Nia, the lab's assistant. as-is: opens a case and sends you to the phone; recovered: moves the slot."""
    stage = session["stage"]
    if stage is None or _is_greeting(message):
        session["stage"] = "reference"
        return [_text(LAB_GREETING)]
    if stage == "done":
        return [_text(LAB_BOOKED.format(slot=session["slot"]))]
    if stage == "slots" and _recovered():
        slot = next((s for s in LAB_SLOTS if s.lower() in message.lower()), None)
        if slot is not None:
            session["stage"], session["slot"] = "done", slot
            return [_text(LAB_MOVED.format(slot=slot))]
    reference = _REFERENCE.search(re.sub(r"[\s-]", "", message))
    if reference is None:
        if stage == "slots" and _recovered():
            return [_text(LAB_CHOOSE, _slot_buttons())]
        return [_text(LAB_NOT_UNDERSTOOD)]
    if not _recovered():
        session["stage"] = "case"
        return [_text(LAB_CASE.format(case=reference.group()[-4:]))]
    session["stage"] = "slots"
    return [_text(LAB_OFFER, _slot_buttons())]


def _slot_buttons() -> tuple[tuple[str, str], ...]:
    return tuple((slot, '/choose_slot{"slot": "' + slot + '"}') for slot in LAB_SLOTS)


def telecom_bot(session: dict[str, Any], message: str) -> list[Message]:
    """Metro Telecom's chat. as-is: sends outage customers to the website, then to the phone; recovered: says
    what is going on at once."""
    if _recovered():
        session["stage"] = "told"
        return [_text(TELECOM_OUTAGE)]
    if session["stage"] is None or _is_greeting(message):
        session["stage"] = "menu"
        return [_text(TELECOM_GREETING, TELECOM_MENU)]
    session["stage"] = "call"
    return [_text(TELECOM_CALL)]


BOTS: dict[str, tuple[str, Callable[[dict[str, Any], str], list[Message]]]] = {
    "lab": (LAB_BOT, lab_bot),
    "telecom": ("Metro Telecom", telecom_bot),
}


def converse(company: str, sender: str, message: str) -> list[Message]:
    """Run one turn of a company's bot for a sender; returns the bot's messages (without recipient_id)."""
    name, bot = BOTS[company]
    store = _sessions()
    with store.lock:
        session = store.get((company, sender))
        replies = bot(session, message)
        transcript = session["transcript"]
        transcript.append(("You", message, ()))
        for reply in replies:
            buttons = tuple((b["title"], b["payload"]) for b in reply.get("buttons", []))
            transcript.append((name, reply["text"], buttons))
        del transcript[:-MAX_TRANSCRIPT]
    return replies


def _bad_request(problem: str) -> ResponseReturnValue:
    return jsonify({"error": problem}), 400


def _webhook(company: str) -> ResponseReturnValue:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _bad_request('send a JSON object {"sender": "...", "message": "..."}')
    sender, message = body.get("sender", "default"), body.get("message")
    if not isinstance(sender, str) or not isinstance(message, str) or not sender or len(sender) > 200:
        return _bad_request('"sender" and "message" must be strings')
    replies = converse(company, sender, message[:MAX_MESSAGE])
    return jsonify([{"recipient_id": sender, **reply} for reply in replies])


@bp.route("/lab/chat/webhooks/rest/webhook", methods=["POST"])
def lab_webhook() -> ResponseReturnValue:
    """The lab's bot over Rasa's REST channel."""
    return _webhook("lab")


@bp.route("/telecom/chat/webhooks/rest/webhook", methods=["POST"])
def telecom_webhook() -> ResponseReturnValue:
    """Metro Telecom's bot over Rasa's REST channel."""
    return _webhook("telecom")


@bp.route("/lab/chat/widget", methods=["GET", "POST"])
def lab_widget() -> ResponseReturnValue:
    """The lab's chat widget: a POST sends a message (or a button's payload) and shows the conversation."""
    sender = request.values.get("sender", "").strip()[:64]
    if not re.fullmatch(r"[A-Za-z0-9_-]+", sender):
        sender = "web-" + secrets.token_hex(8)
    if request.method == "POST":
        message = (request.form.get("payload") or request.form.get("message") or "").strip()[:MAX_MESSAGE]
        if message:
            converse("lab", sender, message)
        return redirect(url_for(".lab_widget", sender=sender), code=303)
    store = _sessions()
    with store.lock:
        transcript = list(store.get(("lab", sender))["transcript"])
    last_turn = transcript[max((i for i, e in enumerate(transcript) if e[0] == "You"), default=-1) + 1:]
    buttons = [button for _, _, offered in last_turn for button in offered]
    chat = {"sender": sender, "transcript": [(who, text) for who, text, _ in transcript], "buttons": buttons}
    return render_template("page.html", company=LAB_COMPANY, title="Chat", heading="Chat",
                           paragraphs=[f"{LAB_BOT}, the Northside assistant, answers here."], chat=chat)
