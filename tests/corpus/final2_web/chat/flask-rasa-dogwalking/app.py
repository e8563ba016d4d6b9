"""Pawtrail's support bot "Scout", served on Rasa's REST channel wire format by a Flask application.

Written like a dog-walking marketplace's Rasa assistant: POST /webhooks/rest/webhook with {"sender",
"message"} answers a list of {"recipient_id", "text", "buttons": [{"title", "payload"}]}; buttons carry
intent payloads ("/payments"); GET / answers "Hello from Rasa: 3.6.20". Conversations are kept per sender
for as long as the server runs. The payments menu insists on its three buttons; a typed "walker never
came" is understood and asks for the booking number; refunds for missed walks are pointed at the app,
and the bot keeps to that; "speak to a person" queues the customer for the Customer Happiness team,
whose agent starts by asking for the booking number and e-mail address.
"""

import re

from flask import Flask, jsonify, request

MAIN = [("Book a walk", "/book"), ("Change or cancel a booking", "/change_booking"), ("Payments", "/payments"),
        ("My walker", "/walker")]
PAYMENTS = [("Update my card", "/update_card"), ("Download a receipt", "/receipt"), ("Use a promo code", "/promo")]
BOOKINGS = {"PT883104": {"walk": "Tuesday's 12:00 walk with Jordan for Bramble", "amount": "£14.00", "card": "0937",
                         "name": "Nina"}}


def msg(sender, text, buttons=None):
    out = {"recipient_id": sender, "text": text}
    if buttons:
        out["buttons"] = [{"title": t, "payload": p} for t, p in buttons]
    return out


class Scout:
    def __init__(self):
        self.tracker: dict[str, dict] = {}

    def handle(self, sender: str, message: str) -> list[dict]:
        c = self.tracker.setdefault(sender, {"slot": None, "at": "new"})
        m = (message or "").strip()
        at = c["at"]
        if at == "new":
            c["at"] = "menu"
            return [msg(sender, "Hi! I'm Scout, Pawtrail's assistant 🐾"),
                    msg(sender, "What do you need help with?", MAIN)]
        if at == "queued":
            c["at"] = "agent"
            return [msg(sender, "Marta from Customer Happiness has joined the chat."),
                    msg(sender, "Hi, it's Marta! So I can find your account, what's your booking number and the e-mail "
                                "address on your account?")]
        if at == "agent":
            if re.search(r"PT-?\d{6}", m, re.I) and "@" in m:
                c["at"] = "resolved"
                b = BOOKINGS["PT883104"]
                return [msg(sender, f"Thanks {b['name']}. Jordan logged that walk as missed, so I've refunded "
                                    f"{b['amount']} to your card ending {b['card']}. You'll get an e-mail receipt in a "
                                    "moment.")]
            return [msg(sender, "Sorry, I'll need both your booking number and your e-mail address.")]
        if at == "resolved":
            c["at"] = "closed"
            return [msg(sender, "You're welcome! Give Bramble a pat from us. Bye for now 👋")]
        if re.search(r"\b(person|human|agent|someone|speak)\b", m, re.I):
            c["at"] = "queued"
            return [msg(sender, "I'm transferring you to our Customer Happiness team."),
                    msg(sender, "There are 4 people ahead of you and the wait is about 15 minutes. Please stay in this "
                                "chat.")]
        if at == "refund_app":
            return [msg(sender, "Sorry, I can only help with that in the app."),
                    msg(sender, "Is there anything else I can help with?", MAIN)]
        if m == "/payments":
            c["at"] = "payments"
            return [msg(sender, "Payments: I can help you update your card, download a receipt or use a promo code. "
                                "Please pick one:", PAYMENTS)]
        if at == "ask_booking":
            code = re.search(r"PT-?(\d{6})", m, re.I)
            booking = BOOKINGS.get("PT" + code.group(1)) if code else None
            if booking:
                c["at"] = "refund_app"
                return [msg(sender, f"Thanks. I can see {booking['walk']}."),
                        msg(sender, "Refunds for missed walks are made in the Pawtrail app: open Bookings, tap the walk, "
                                    "then tap Report a problem.")]
            return [msg(sender, "Booking numbers start with PT and have 6 digits, like PT-123456. Could you check it?")]
        if re.search(r"never (came|turned up|showed)|didn'?t (come|turn up|show)|no.?show|missed walk", m, re.I):
            c["at"] = "ask_booking"
            return [msg(sender, "Oh no, sorry to hear that! 🐶 What's the booking number? It's in your booking "
                                "confirmation e-mail and starts with PT.")]
        if m in ("/update_card", "/receipt", "/promo", "/book", "/change_booking", "/walker"):
            return [msg(sender, "You'll find that under Account on pawtrail.example.", MAIN)]
        return [msg(sender, "Sorry, I didn't get that. Could you say it another way?")]


def make_app():
    app = Flask(__name__)
    bot = Scout()

    @app.get("/")
    def hello():
        return "Hello from Rasa: 3.6.20"

    @app.post("/webhooks/rest/webhook")
    def webhook():
        data = request.get_json(silent=True) or {}
        sender = str(data.get("sender") or "default")
        return jsonify(bot.handle(sender, str(data.get("message") or "")))

    return app
