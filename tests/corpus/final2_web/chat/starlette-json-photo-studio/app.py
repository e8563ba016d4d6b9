"""SnapID Studios' chat assistant "Flash", a JSON chat API of its own, as a Starlette application.

Written like a photo-studio chain's web-chat backend: POST /chat/v1/message with {"sessionId", "text",
"client"} answers {"status": "ok", "reply": {"messages": [{"body", "quickReplies": [{"label", "id"}]}]}};
pressing a quick reply sends its id. Sessions are kept per sessionId for as long as the service runs. The
digital-code menu only knows lost, expired and broken codes; a typed "rejected photo" is understood and
asks for the order code, then sends the customer to e-mail the rejection to the Quality team; pressing for
more ends the session for good.
"""

import re

from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

WELCOME = [("Book a photo session", "menu.book"), ("My digital photo code", "menu.code"),
           ("Prices and opening times", "menu.prices")]
CODE_PROBLEMS = [("I've lost my code", "code.lost"), ("My code has expired", "code.expired"),
                 ("My code doesn't work", "code.broken")]
ORDERS = {"SNP4K7Q2": "Leicester Haymarket, Saturday 8 March"}


def m(body, quick=None):
    out = {"body": body}
    if quick:
        out["quickReplies"] = [{"label": label, "id": ident} for label, ident in quick]
    return out


class Flash:
    def __init__(self):
        self.sessions: dict[str, dict] = {}

    def reply(self, sid: str, text: str) -> list[dict]:
        s = self.sessions.setdefault(sid, {"at": "new"})
        t = (text or "").strip()
        at = s["at"]
        if at == "ended":
            return [m("This conversation has ended.")]
        if at == "new":
            s["at"] = "welcome"
            return [m("Hey! I'm Flash, SnapID's assistant \U0001F4F8 How can I help?", WELCOME)]
        if at == "sent_to_quality":
            s["at"] = "ended"
            return [m("I'm not able to help any further with rejected photos here."),
                    m("This chat has now been ended by the assistant. Thanks for contacting SnapID.")]
        if at == "ask_order":
            code = re.sub(r"[^A-Z0-9]", "", t.upper())
            if code in ORDERS:
                s["at"] = "sent_to_quality"
                return [m(f"Thanks, I've found your session at {ORDERS[code]}."),
                        m("Free retakes for rejected photos are decided by our Quality team. Please e-mail the "
                          "rejection message from HM Passport Office, with your order code, to retakes@snapid.example."),
                        m("The Quality team replies within 5 working days.")]
            return [m("Hmm, I can't find that one. Order codes have 8 characters and start with SNP.")]
        if t == "menu.code":
            s["at"] = "code_menu"
            return [m("No problem. Is your code lost, expired or not working?", CODE_PROBLEMS)]
        if re.search(r"reject|refused|retake|re-?shoot", t, re.I):
            s["at"] = "ask_order"
            return [m("Sorry about that! I'll need your order code. It's the 8-character code on your receipt, "
                      "starting with SNP.")]
        if t in ("code.lost", "code.expired", "code.broken"):
            return [m("I've sent a fresh copy of your code to the e-mail address on your order.")]
        if t in ("menu.book", "menu.prices"):
            return [m("You'll find that on snapid.example/studios.", WELCOME)]
        return [m("Sorry, I didn't catch that. Try picking one of these:", WELCOME)]


def make_app():
    bot = Flash()

    async def message(request):
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not body.get("sessionId"):
            return JSONResponse({"status": "error", "error": "sessionId is required"}, status_code=400)
        messages = bot.reply(str(body["sessionId"]), str(body.get("text") or ""))
        return JSONResponse({"status": "ok", "reply": {"messages": messages}})

    async def ping(request):
        return PlainTextResponse("pong")

    return Starlette(routes=[Route("/chat/v1/message", message, methods=["POST"]), Route("/chat/v1/ping", ping)])
