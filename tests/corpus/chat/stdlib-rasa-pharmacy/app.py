"""Greenleaf Pharmacy's refill bot "Leafy", speaking Rasa's REST channel, as a plain WSGI app.

Written like a small Rasa-compatible bot deployed without Rasa itself (a pharmacy chain's vendor
reimplemented the REST channel's wire format): POST /webhooks/rest/webhook with {"sender", "message"}
answers a list of {"recipient_id", "text", "buttons"}. State per sender, kept for as long as the
process runs. It reads dates only as DD/MM/YYYY and says so with an example when it cannot read one.
The clean control among the chat cases.
"""

import json
import re

PATIENTS = {"RX-449120": {"dob": "14/03/1985", "drug": "Lisinopril 10mg", "store": "Greenleaf Kingsway"}}

MENU = [{"title": "Refill a prescription", "payload": "/refill"},
        {"title": "Store hours", "payload": "/hours"},
        {"title": "Talk to a pharmacist", "payload": "/pharmacist"}]
AFTER = [{"title": "That's all, thanks", "payload": "/goodbye"},
         {"title": "Store hours", "payload": "/hours"}]


class Leafy:
    def __init__(self):
        self.states: dict[str, dict] = {}

    def handle(self, sender: str, message: str) -> list[dict]:
        s = self.states.setdefault(sender, {"state": "start"})
        m = (message or "").strip()
        out = []

        def say(text, buttons=None):
            out.append({"recipient_id": sender, "text": text, **({"buttons": buttons} if buttons else {})})

        if m == "/hours":
            say("Greenleaf Kingsway is open Monday to Saturday 8am to 8pm, and Sunday 10am to 4pm.",
                AFTER if s["state"] == "done" else MENU)
            return out
        if m == "/goodbye":
            s["state"] = "start"
            say("Thanks for chatting with Greenleaf Pharmacy. Take care!")
            return out
        if s["state"] == "start" or re.match(r"^(hi|hello|hey)\b", m, re.I) and s["state"] != "ask_dob":
            s["state"] = "menu"
            say("Hello! Welcome to Greenleaf Pharmacy. I'm Leafy 🌿")
            say("How can I help you today?", MENU)
            return out
        if s["state"] == "menu":
            if m == "/refill" or re.search(r"refill|repeat prescription", m, re.I):
                s["state"] = "ask_rx"
                say("Sure! What's the prescription number? It's on your label and starts with RX.")
            elif m == "/pharmacist":
                say("Our pharmacists can chat with you here Monday to Friday, 9am to 5pm. What would you like to ask?")
            else:
                say("I can help with refills and store hours. What would you like to do?", MENU)
            return out
        if s["state"] == "ask_rx":
            rx = m.upper().replace(" ", "")
            if not rx.startswith("RX-") and rx.startswith("RX"):
                rx = "RX-" + rx[2:]
            if rx in PATIENTS:
                s["rx"] = rx
                s["state"] = "ask_dob"
                say("Thanks. To confirm it's you, what's the patient's date of birth?")
            else:
                say("I couldn't find that prescription number. It starts with RX followed by 6 digits, like RX-123456.")
            return out
        if s["state"] == "ask_dob":
            if not re.fullmatch(r"\d{2}/\d{2}/\d{4}", m):
                say("Sorry, I couldn't read that date. Please type it as DD/MM/YYYY, for example 05/11/1990.")
                return out
            patient = PATIENTS[s["rx"]]
            if m != patient["dob"]:
                say("That date of birth doesn't match our records for this prescription. Please check it and try again.")
                return out
            s["state"] = "done"
            say(f"Thank you. Your refill of {patient['drug']} has been requested. Your reference is RF-5521.")
            say(f"It'll be ready to collect from {patient['store']} from 2pm tomorrow. We'll text you when it's ready.",
                AFTER)
            return out
        say("Is there anything else I can help with?", MENU)
        s["state"] = "menu"
        return out


def make_app():
    bot = Leafy()

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")

        def answer(status, payload, ctype="application/json"):
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
            start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data)))])
            return [data]

        if path == "/" and method == "GET":
            return answer("200 OK", b"Hello from Rasa: 3.6.20", "text/plain; charset=utf-8")
        if path.rstrip("/") == "/webhooks/rest" and method == "GET":
            return answer("200 OK", {"status": "ok"})
        if path == "/webhooks/rest/webhook":
            if method != "POST":
                return answer("405 Method Not Allowed", {"status": "failure", "code": 405})
            size = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                body = json.loads(environ["wsgi.input"].read(size) or b"null")
            except ValueError:
                body = None
            if not isinstance(body, dict) or "message" not in body:
                return answer("400 Bad Request", {"status": "failure", "message": "Invalid request body.", "code": 400})
            return answer("200 OK", bot.handle(str(body.get("sender") or "default"), str(body["message"])))
        return answer("404 Not Found", {"status": "failure", "reason": "NotFound", "code": 404})

    return app
