"""Volterra Charge's support bot "Spark", a JSON chat API of its own, as a plain WSGI application.

Written like an EV-charging network's bot platform behind its web chat: POST /v2/bot/turn with
{"user": {"id"}, "event": {"type": "message", "text"}, "channel"} answers {"ok": true, "data":
{"conversation": ..., "output": [{"kind": "text", "content", "options": [{"caption", "postback"}]}]}};
pressing an option sends its postback as the text. Conversations are kept per user id for as long as
the service runs. Contactless refunds need the charger ID from the sticker on the charger, and the bot
asks for nothing else; chargers run by the roaming partner are sent to the partner by e-mail, and a
second request after that closes the conversation for good.
"""

import json
import re

MAIN = [("Charger won't start", "charger_fault"), ("Payment or refund", "payment"),
        ("Account and app", "account"), ("Membership", "membership")]
PAID_BY = [("In the Volterra app", "paid_app"), ("Contactless card at the charger", "paid_contactless"),
           ("RFID charge card", "paid_rfid")]
CHARGERS = {"QX4219": "Volterra Leeds Kirkstall", "HR2207": "Voltaro Harrogate Wetherby Road"}


def text(content, options=None):
    out = {"kind": "text", "content": content}
    if options:
        out["options"] = [{"caption": c, "postback": p} for c, p in options]
    return out


class Spark:
    def __init__(self):
        self.conversations: dict[str, dict] = {}

    def turn(self, user: str, message: str) -> list[dict]:
        c = self.conversations.setdefault(user, {"state": "new"})
        m = (message or "").strip()
        state = c["state"]
        if state == "closed":
            return [text("This conversation has ended. To start again, refresh the page.")]
        if state == "new":
            c["state"] = "menu"
            return [text("Hi, I'm Spark from Volterra Charge ⚡"), text("What do you need help with?", MAIN)]
        if state == "partner":
            c["state"] = "closed"
            return [text("I'm sorry I couldn't help more. I've closed this conversation. If you need anything else, "
                         "start a new chat.")]
        if state == "ask_charger":
            code = re.sub(r"[^A-Z0-9]", "", m.upper())
            if code in CHARGERS:
                c["state"] = "menu"
                return [text(f"Thanks, that's {CHARGERS[code]}. I've sent a refund request to our payments team.")]
            if re.search(r"\b(person|someone|human|agent|talk)\b", m, re.I) and c.get("place"):
                c["state"] = "partner"
                return [text(f"You mentioned {c['place']}: the chargers there are run by our roaming partner, "
                             "Voltaro, so refunds for them are handled by Voltaro, not by us."),
                        text("Please e-mail support@voltaro.example with the date and time of your session and the "
                             "last 4 digits of your card. Voltaro reply within 3 working days.")]
            place = re.search(r"\b(Harrogate|Leeds|York)\b", m, re.I)
            if place:
                c["place"] = place.group(1).title()
            return [text("Sorry, I need the charger ID to continue. It's the 6-character code on the green sticker "
                         "under the screen.")]
        if state == "paid_by":
            if m == "paid_contactless":
                c["state"] = "ask_charger"
                return [text("Contactless refunds need the charger ID. It's the 6-character code on the green sticker "
                             "under the screen, like QX4219.")]
            if m in ("paid_app", "paid_rfid"):
                c["state"] = "menu"
                return [text("You can request a refund for app and card sessions under Activity in your account.")]
            return [text("How did you pay for the charging session?", PAID_BY)]
        if m == "payment" or re.search(r"refund|charged", m, re.I):
            c["state"] = "paid_by"
            return [text("I can help with that. How did you pay for the charging session?", PAID_BY)]
        if m in ("charger_fault", "account", "membership"):
            return [text("Our guides at volterra.example/help cover that.", MAIN)]
        return [text("Sorry, I didn't get that.", MAIN)]


def make_app():
    bot = Spark()

    def reply(start_response, status, data):
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        start_response(status, [("Content-Type", "application/json; charset=utf-8"),
                                ("Content-Length", str(len(body)))])
        return [body]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/v2/health":
            return reply(start_response, "200 OK", {"ok": True, "service": "spark-bot", "build": "2024.10.3"})
        if path != "/v2/bot/turn":
            return reply(start_response, "404 Not Found", {"ok": False, "error": "not_found"})
        if method != "POST":
            return reply(start_response, "405 Method Not Allowed", {"ok": False, "error": "method_not_allowed"})
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            body = json.loads(environ["wsgi.input"].read(length) or b"null")
        except ValueError:
            body = None
        user = ((body or {}).get("user") or {}).get("id") if isinstance(body, dict) else None
        event = (body or {}).get("event") if isinstance(body, dict) else None
        if not user or not isinstance(event, dict):
            return reply(start_response, "400 Bad Request", {"ok": False, "error": "user.id and event are required"})
        output = bot.turn(str(user), str(event.get("text") or ""))
        return reply(start_response, "200 OK", {"ok": True, "data": {"conversation": str(user), "output": output}})

    return app
