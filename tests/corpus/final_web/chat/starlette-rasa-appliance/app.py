"""KeepPlan appliance-cover repairs assistant "Kettle", speaking Rasa's REST channel, as a Starlette app.

Written like a Rasa assistant behind an appliance-warranty company's web chat: POST
/webhooks/rest/webhook with {"sender", "message"} answers a list of {"recipient_id", "text",
"buttons": [{"title", "payload"}]}; a button sends its payload (an intent like /book_repair, or an
entity payload like /choose_appliance{"appliance": "washing_machine"}). GET / answers Rasa's banner.
The fault step is a form that only takes its buttons: a typed fault is answered with the fallback and
the same buttons. Typing "person", "human" or "agent" hands over to a repairs adviser (the adviser's
lines are replayed from the live-agent connector's script); the adviser asks for the plan number again
and for the model number from the rating plate inside the door, then books an engineer.
Conversations are kept per sender for as long as the server runs.
"""

import json
import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

PLANS = {"KP-4471-0932": {"appliances": 3}}
APPLIANCES = [("Washing machine", "washing_machine"), ("Dishwasher", "dishwasher"),
              ("Fridge freezer", "fridge_freezer"), ("Cooker", "cooker")]
FAULTS = [("Won't turn on", "no_power"), ("Won't drain", "no_drain"), ("Leaking water", "leak"),
          ("Drum won't spin", "no_spin"), ("Making a loud noise", "noise")]


def btn(title: str, payload: str) -> dict:
    return {"title": title, "payload": payload}


class Kettle:
    def __init__(self):
        self.trackers: dict[str, dict] = {}

    def handle(self, sender: str, message: str) -> list[dict]:
        t = self.trackers.setdefault(sender, {"state": "start"})
        m = (message or "").strip()
        state = t["state"]

        def say(text, buttons=None):
            out = {"recipient_id": sender, "text": text}
            if buttons:
                out["buttons"] = buttons
            return out

        menu = [btn("Book a repair", "/book_repair"), btn("Track a repair", "/track_repair"),
                btn("Renew my plan", "/renew_plan"), btn("Something else", "/other")]
        if state == "start":
            t["state"] = "menu"
            return [say("Hello! I'm Kettle, the KeepPlan repairs assistant."), say("What would you like to do?", menu)]
        if state == "handover":
            t["state"] = "adviser_plan"
            return [say("Hi, this is Dev from the KeepPlan repairs team. To book an engineer I need your plan number "
                        "again, please, and the model number from the rating plate on the inside of the door.")]
        if state == "adviser_plan":
            if re.search(r"KP-?\d{4}-?\d{4}", m, re.I):
                t["state"] = "booked"
                return [say("Thanks. Don't worry about the model number, the engineer will read it on the day."),
                        say("I've booked an engineer visit for Tuesday 12 November, between 8am and 1pm. "
                            "Your repair reference is KR-30318.")]
            return [say("Sorry, I need your KeepPlan number to book the visit.")]
        if state == "booked":
            t["state"] = "menu"
            return [say("You're welcome. Thanks for contacting KeepPlan, goodbye!")]
        if re.search(r"\b(person|human|agent|adviser|advisor)\b", m, re.I):
            t["state"] = "handover"
            return [say("I'm handing you over to one of our repairs advisers."),
                    say("All our advisers are busy at the moment. The average wait right now is 18 minutes. "
                        "Please keep this chat open.")]
        if state == "menu":
            if m == "/book_repair":
                t["state"] = "ask_plan"
                return [say("Sure. What's your KeepPlan number? It's on your welcome letter and looks like KP-1234-5678.")]
            if m in ("/track_repair", "/renew_plan", "/other"):
                return [say("You can do that in My KeepPlan at keepplan.example/account.", menu)]
            return [say("Sorry, I didn't understand. Please pick one of the options below.", menu)]
        if state == "ask_plan":
            plan = m.upper().replace(" ", "")
            if plan in PLANS:
                t["state"] = "ask_appliance"
                t["plan"] = plan
                return [say(f"Thanks, that's plan {plan}, covering {PLANS[plan]['appliances']} appliances. "
                            "Which appliance needs repairing?",
                            [btn(title, '/choose_appliance{"appliance": "%s"}' % slot) for title, slot in APPLIANCES])]
            return [say("I couldn't find that plan number. It looks like KP-1234-5678.")]
        if state == "ask_appliance":
            match = re.fullmatch(r'/choose_appliance(\{.*\})', m)
            if match:
                appliance = json.loads(match.group(1)).get("appliance", "")
                name = dict((slot, title) for title, slot in APPLIANCES).get(appliance, "appliance").lower()
                t["state"] = "ask_fault"
                t["appliance"] = name
                return [say(f"What's the problem with your {name}?",
                            [btn(title, '/choose_fault{"fault": "%s"}' % slot) for title, slot in FAULTS])]
            return [say("Please choose the appliance from the list.",
                        [btn(title, '/choose_appliance{"appliance": "%s"}' % slot) for title, slot in APPLIANCES])]
        if state == "ask_fault":
            if m.startswith("/choose_fault"):
                t["state"] = "menu"
                return [say("Thanks. I've booked an engineer visit for Thursday 14 November, between 8am and 1pm.")]
            return [say("Sorry, I didn't understand. Please pick one of the options below.",
                        [btn(title, '/choose_fault{"fault": "%s"}' % slot) for title, slot in FAULTS])]
        return [say("Sorry, I didn't understand. Please pick one of the options below.", menu)]


def make_app():
    bot = Kettle()

    async def banner(request: Request):
        return PlainTextResponse("Hello from Rasa: 3.6.20")

    async def webhook(request: Request):
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"error": "invalid json"}, status_code=400)
        if not isinstance(body, dict):
            return JSONResponse({"error": "invalid json"}, status_code=400)
        sender = str(body.get("sender") or "default")
        return JSONResponse(bot.handle(sender, str(body.get("message") or "")))

    return Starlette(routes=[Route("/", banner), Route("/webhooks/rest/webhook", webhook, methods=["POST"])])
