"""The Corn Exchange Theatre box-office assistant, a flat JSON chat API, as a FastAPI app.

Written like a small venue's ticketing-system chat add-on: POST /chat/message with {"session_id",
"text"} answers {"session_id", "replies": [{"message", "chips": [{"text", "value"}]}]}; a chip sends its
value back as the text. Sessions are kept per session_id while the service runs. The welcome chips are
three popular topics and the assistant invites a typed question, which works. A date it cannot read is
answered with the format and an example. Swapping to another performance of the same show is done in
the chat, with no fee. This is the clean control of the chat set.
"""

import re

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

BOOKINGS = {"40917726": {"show": "The Lighthouse Keeper", "when": "Friday 22 November, 7.30pm",
                         "seats": "Stalls row F, seats 11 and 12"}}
PERFORMANCES = {"23/11/2024": [("2.30pm matinee", "perf_2311_1430"), ("7.30pm evening", "perf_2311_1930")]}
WELCOME_CHIPS = [{"text": "What's on", "value": "whats_on"}, {"text": "Access and facilities", "value": "access"},
                 {"text": "Gift vouchers", "value": "vouchers"}]


def reply(message, chips=None):
    out = {"message": message}
    if chips:
        out["chips"] = chips
    return out


class BoxOffice:
    def __init__(self):
        self.sessions: dict[str, dict] = {}

    def answer(self, sid: str, text: str) -> list[dict]:
        s = self.sessions.setdefault(sid, {"state": "new"})
        t = (text or "").strip()
        state = s["state"]
        if state == "new":
            s["state"] = "open"
            return [reply("Welcome to the Corn Exchange Theatre box office. Ask me anything about your booking, "
                          "or choose a topic.", WELCOME_CHIPS)]
        if state == "ask_ref":
            ref = re.sub(r"\D", "", t)
            if ref in BOOKINGS:
                b = BOOKINGS[ref]
                s.update(state="ask_date", ref=ref)
                return [reply(f"Found it: 2 tickets for {b['show']} on {b['when']}, {b['seats']}."),
                        reply("Which date would you like instead? Please type the date.")]
            return [reply("I couldn't find that booking. Your reference is the 8-digit number in your confirmation "
                          "e-mail, for example 40123456.")]
        if state == "ask_date":
            m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t)
            if not m:
                return [reply("Sorry, I couldn't read that date. Please type it like 30/11/2024 (day/month/year).")]
            key = f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}"
            if key not in PERFORMANCES:
                return [reply("There are no performances that day. The show runs until 30 November; please try "
                              "another date.")]
            s["state"] = "ask_perf"
            return [reply("There are seats on Saturday 23 November for both performances. Which would you like?",
                          [{"text": label, "value": value} for label, value in PERFORMANCES[key]])]
        if state == "ask_perf":
            if t == "perf_2311_1930":
                s["state"] = "done"
                return [reply(f"Done! Your tickets are now for Saturday 23 November at 7.30pm, Stalls row G, seats 11 "
                              f"and 12. There's no fee for this swap, and your booking reference stays {s['ref']}."),
                        reply("Your updated e-tickets are attached to the confirmation e-mail we've just sent you.")]
            if t == "perf_2311_1430":
                s["state"] = "done"
                return [reply("Done! Your tickets are now for the 2.30pm matinee on Saturday 23 November.")]
            return [reply("Please choose a performance.", [{"text": label, "value": value}
                                                           for label, value in PERFORMANCES["23/11/2024"]])]
        if state == "done" and re.search(r"thank|bye|that's all", t, re.I):
            s["state"] = "open"
            return [reply("Enjoy the show! If you need us, the box office is open Tuesday to Saturday, 10am to 6pm, "
                          "on 01223 357 851. Goodbye!")]
        if re.search(r"change|swap|move|different (date|night|day)", t, re.I):
            s["state"] = "ask_ref"
            return [reply("I can move you to another performance of the same show, free of charge. What's your "
                          "booking reference? It's the 8-digit number in your confirmation e-mail.")]
        if t == "whats_on":
            return [reply("This month: The Lighthouse Keeper (until 30 November) and the Winter Folk Weekend.",
                          WELCOME_CHIPS)]
        if t in ("access", "vouchers"):
            return [reply("You'll find everything about that on our website under Your Visit.", WELCOME_CHIPS)]
        return [reply("Sorry, I'm not sure about that. You can ask about your booking, or choose a topic.",
                      WELCOME_CHIPS)]


def make_app():
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    office = BoxOffice()

    @app.post("/chat/message")
    async def message(request: Request):
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not isinstance(body, dict) or not body.get("session_id"):
            return JSONResponse({"error": "session_id is required"}, status_code=422)
        sid = str(body["session_id"])
        return {"session_id": sid, "replies": office.answer(sid, str(body.get("text", "")))}

    return app
