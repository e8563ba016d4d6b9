"""Northwire's support bot "Nova", speaking Rasa's REST channel, as a Flask app.

Written like a Rasa assistant behind its REST input channel: POST /webhooks/rest/webhook with
{"sender", "message"} answers a list of {"recipient_id", "text", "buttons": [{"title", "payload"}]};
a button's payload is an intent ("/fault") that the client sends back as the message; GET / answers
"Hello from Rasa: 3.6.20" and GET /webhooks/rest/ answers {"status": "ok"}, as a Rasa server does. The
tracker (the conversation state) is kept per sender id for as long as the server runs. Its account
number form has no way out: anything that is not 8 digits gets the fallback and the same question. Asking
for a person hands over to the live-agent queue; the agent's first message arrives with the customer's
next message (the REST channel cannot push) and starts from scratch.
"""

import re

from flask import Flask, jsonify, request

GREETINGS = re.compile(r"^(hi|hello|hey|hiya|good (morning|afternoon|evening))\b", re.I)
HUMAN = re.compile(r"\b(agent|human|person|someone|operator|advisor|adviser)\b", re.I)
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$", re.I)

MENU = [{"title": "Billing", "payload": "/billing"},
        {"title": "Broadband not working", "payload": "/fault"},
        {"title": "Moving home", "payload": "/moving"},
        {"title": "Something else", "payload": "/other"}]


class Tracker:
    def __init__(self):
        self.state = "start"
        self.slots = {}


class Nova:
    def __init__(self):
        self.trackers: dict[str, Tracker] = {}

    def handle(self, sender: str, message: str) -> list[dict]:
        t = self.trackers.setdefault(sender, Tracker())
        text = (message or "").strip()
        out: list[dict] = []

        def say(words, buttons=None):
            msg = {"recipient_id": sender, "text": words}
            if buttons:
                msg["buttons"] = buttons
            out.append(msg)

        if t.state == "queued":
            t.state = "agent_postcode"
            say("Hi, you're chatting with Sam from Northwire. Can I start with your postcode, please?")
            return out
        if t.state == "agent_postcode":
            if POSTCODE.match(text):
                t.state = "done"
                say("Thanks. I can see a fault at the street cabinet that serves your address. I've booked an "
                    "engineer visit for Thursday between 8am and 1pm. Your fault reference is NW-77120.")
                say("Is there anything else I can help with today?")
            else:
                say("Sorry, could you type your full postcode for me?")
            return out
        if HUMAN.search(text) and t.state != "start":
            t.state = "queued"
            say("No problem. I'm handing you over to one of our team now.")
            say("The current wait is about 12 minutes. Please stay in this chat and we'll be with you as soon as we can.")
            return out
        if t.state == "start" or text == "/greet" or GREETINGS.match(text):
            t.state = "menu"
            say("Hey! I'm Nova, Northwire's virtual assistant 👋")
            say("What can I help you with today?", MENU)
            return out
        if t.state == "menu":
            if text == "/fault" or re.search(r"not working|no internet|down|outage|broadband", text, re.I):
                t.state = "ask_postcode"
                say("Sorry to hear that. Let's check for problems in your area first. What's your postcode?")
            elif text == "/billing":
                say("You can see and pay your bills in My Account at northwire.example/myaccount.", MENU)
            elif text == "/moving":
                say("Moving home? You can take Northwire with you. Start your move at northwire.example/moving.", MENU)
            else:
                say("Sorry, I didn't get that. Could you choose one of these?", MENU)
            return out
        if t.state == "ask_postcode":
            if POSTCODE.match(text):
                t.slots["postcode"] = text.upper()
                t.state = "ask_account"
                say(f"Thanks. There are no known issues in {text.upper()} right now.")
                say("To run a line test I'll need your account number. It's 8 digits and starts with 4.")
            else:
                say("Hmm, that doesn't look like a UK postcode. Could you check it and try again?")
            return out
        if t.state == "ask_account":
            if re.fullmatch(r"4\d{7}", text.replace(" ", "")):
                t.state = "line_test"
                say("Thanks. I'm running a line test now. This can take up to 2 minutes.")
            else:
                say("Sorry, I didn't get that. Please type your 8-digit account number.")
            return out
        say("Is there anything else I can help with?", MENU)
        t.state = "menu"
        return out


def make_app():
    app = Flask(__name__)
    bot = Nova()

    @app.get("/")
    def root():
        return "Hello from Rasa: 3.6.20"

    @app.get("/webhooks/rest/")
    def health():
        return jsonify({"status": "ok"})

    @app.post("/webhooks/rest/webhook")
    def webhook():
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or "message" not in body:
            return jsonify({"version": "3.6.20", "status": "failure", "message": "Invalid request body.",
                            "reason": "BadRequest", "code": 400}), 400
        sender = str(body.get("sender") or "default")
        return jsonify(bot.handle(sender, str(body.get("message", ""))))

    return app
