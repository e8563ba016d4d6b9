"""Northstar Airways' assistant "Skye", a JSON chat API of its own, as a FastAPI app.

Written like an in-house bot service behind an airline's web chat: POST /api/v1/conversation with
{"conversationId", "query", "locale"} answers {"status": "ok", "result": {"conversationId", "messages":
[{"type": "text", "body", "quickReplies": [{"label", "value"}]}]}}; a quick reply sends its `value` back
as the query. Conversations are kept per conversationId for as long as the service runs. The agent
hand-off first asks for a topic from a fixed list (refunds are not on it) and insists on a button; once
queued, the hand-off flag is lost on the next message and the bot falls back to its welcome menu.
"""

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

BOOKINGS = {"QX7R2P": {"last_name": "doe", "summary": "London Heathrow to Edinburgh on Fri 14 June (NS 1442)",
                       "status": "cancelled"}}

WELCOME_TOPICS = [{"label": "Flight status", "value": "flight_status"},
                  {"label": "Baggage", "value": "baggage"},
                  {"label": "Check-in", "value": "check_in"},
                  {"label": "Manage my booking", "value": "manage_booking"}]
AGENT_TOPICS = [{"label": "Baggage claim", "value": "agent_baggage"},
                {"label": "Seats and upgrades", "value": "agent_seats"},
                {"label": "Special assistance", "value": "agent_assistance"},
                {"label": "Loyalty points", "value": "agent_loyalty"}]
TEAMS = {"agent_baggage": "Baggage", "agent_seats": "Seating", "agent_assistance": "Special Assistance",
         "agent_loyalty": "Northstar Miles"}


def text(body, quick=None):
    msg = {"type": "text", "body": body}
    if quick:
        msg["quickReplies"] = quick
    return msg


class Skye:
    def __init__(self):
        self.conversations: dict[str, dict] = {}

    def reply(self, cid: str, query: str) -> list[dict]:
        c = self.conversations.setdefault(cid, {"state": "new"})
        q = (query or "").strip()
        state = c["state"]
        if state == "new":
            c["state"] = "open"
            return [text("Hi, I'm Skye, Northstar Airways' virtual assistant ✈️"),
                    text("How can I help you today? You can ask me a question or pick a topic.", WELCOME_TOPICS)]
        if state == "queued":
            # The hand-off flag is not persisted by the live-chat connector: the bot takes the message back.
            c["state"] = "open"
            return [text("Sorry, I didn't understand that. You can ask me about flight status, baggage, "
                         "check-in or your booking.", WELCOME_TOPICS)]
        if state == "ask_pnr":
            pnr = q.upper().replace(" ", "")
            if re.fullmatch(r"[A-Z0-9]{6}", pnr):
                c["pnr"] = pnr
                c["state"] = "ask_name"
                return [text("Thanks! And the lead passenger's last name?")]
            return [text("A booking reference has 6 letters and numbers, like ABC123. Please try again.")]
        if state == "ask_name":
            booking = BOOKINGS.get(c.get("pnr", ""))
            if booking and booking["last_name"] == q.lower():
                c["state"] = "refund_told"
                return [text(f"Found it: {c['pnr']}, {booking['summary']}, {booking['status']}."),
                        text("Refunds for cancelled flights can't be processed in chat. Please complete the refund "
                             "form on our website: northstar.example/refunds",
                             [{"label": "Talk to an agent", "value": "agent"}, {"label": "That's all", "value": "bye"}])]
            c["state"] = "open"
            return [text("I couldn't find a booking with those details.", WELCOME_TOPICS)]
        if state == "agent_topic":
            if q in TEAMS:
                c["team"] = TEAMS[q]
                c["state"] = "agent_pnr"
                return [text("Before I connect you, please confirm your booking reference.")]
            return [text("Please choose one of the options above.", AGENT_TOPICS)]
        if state == "agent_pnr":
            if re.fullmatch(r"[A-Z0-9]{6}", q.upper().replace(" ", "")):
                c["state"] = "queued"
                return [text(f"Thanks. Connecting you to our {c['team']} team…"),
                        text("You are number 14 in the queue. Estimated wait: 35 minutes.")]
            return [text("Please confirm your 6-character booking reference.")]
        if q == "agent" or re.search(r"\b(agent|human|person)\b", q, re.I):
            c["state"] = "agent_topic"
            return [text("Sure. To connect you with the right team, what's your question about?", AGENT_TOPICS)]
        if q == "bye":
            c["state"] = "open"
            return [text("Thanks for flying with Northstar. Have a good day!")]
        if re.search(r"refund|cancel", q, re.I):
            c["state"] = "ask_pnr"
            return [text("I'm sorry your flight was cancelled. Let me look up your booking."),
                    text("What's your 6-character booking reference?")]
        if q == "flight_status":
            return [text("Please type your flight number, like NS 1442.")]
        if q in ("baggage", "check_in", "manage_booking"):
            return [text("You'll find everything about that at northstar.example/help.", WELCOME_TOPICS)]
        return [text("Sorry, I didn't understand that. You can ask me about flight status, baggage, check-in "
                     "or your booking.", WELCOME_TOPICS)]


def make_app():
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    bot = Skye()

    @app.get("/api/v1/health")
    def health():
        return {"status": "ok", "service": "skye-conversation", "version": "2.14.1"}

    @app.post("/api/v1/conversation")
    async def conversation(request: Request):
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not body.get("conversationId"):
            return JSONResponse({"status": "error", "error": {"code": "INVALID_REQUEST",
                                                              "message": "conversationId is required"}}, 400)
        cid = str(body["conversationId"])
        messages = bot.reply(cid, str(body.get("query", "")))
        return {"status": "ok", "result": {"conversationId": cid, "messages": messages}}

    return app
