"""Elm Street Pharmacy automated line (FastAPI + the twilio helper library).

Refills go straight into the pharmacy system; anything the robot can't do goes to the pharmacy team,
and if nobody picks up within 20 seconds the caller can leave a message.
"""

from fastapi import FastAPI, Request
from fastapi.responses import Response
from twilio.twiml.voice_response import Gather, VoiceResponse

PHARMACY_TEAM = "+14155550133"
PRESCRIPTIONS = {"6021187": {"dob": "07221958", "drug": "lisinopril", "ready": True},
                 "6021190": {"dob": "07221958", "drug": "metformin", "ready": False}}
MENU = ("To refill a prescription, press 1. To check whether a prescription is ready, press 2. "
        "For store hours, press 3. To talk to the pharmacy team, press 0.")


def xml(resp: VoiceResponse) -> Response:
    return Response(str(resp), media_type="text/xml")


def make_app() -> FastAPI:
    app = FastAPI()

    async def form(request: Request) -> dict:
        return dict(await request.form())

    def to_team(resp: VoiceResponse, lead_in: str) -> VoiceResponse:
        resp.say(lead_in)
        resp.dial(PHARMACY_TEAM, timeout=20, action="/rx/team-result")
        return resp

    @app.post("/rx/incoming")
    async def incoming():
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action="/rx/menu", timeout=6)
        gather.say("Thanks for calling Elm Street Pharmacy. Did you know you can also refill prescriptions "
                   "in the Elm Street app? " + MENU)
        resp.append(gather)
        return xml(to_team(resp, "I didn't hear a choice, so I'll connect you with the pharmacy team."))

    @app.post("/rx/menu")
    async def menu(request: Request):
        digit = (await form(request)).get("Digits")
        resp = VoiceResponse()
        if digit in ("1", "2"):
            gather = Gather(num_digits=7, action=f"/rx/number?intent={'refill' if digit == '1' else 'status'}",
                            timeout=10)
            gather.say("Please enter the 7 digit prescription number from the top of your label.")
            resp.append(gather)
            return xml(to_team(resp, "No problem, let me connect you with the pharmacy team."))
        if digit == "3":
            gather = Gather(num_digits=1, action="/rx/menu", timeout=6)
            gather.say("We're open Monday to Friday 8 AM to 9 PM, and weekends 9 AM to 6 PM. " + MENU)
            resp.append(gather)
            return xml(resp)
        if digit == "0":
            return xml(to_team(resp, "Connecting you with the pharmacy team."))
        resp.say("Sorry, that isn't one of the choices.")
        resp.redirect("/rx/incoming")
        return xml(resp)

    @app.post("/rx/number")
    async def number(request: Request, intent: str):
        rx = (await form(request)).get("Digits", "")
        resp = VoiceResponse()
        if rx not in PRESCRIPTIONS:
            return xml(to_team(resp, "I couldn't find that prescription, so let me connect you with the team."))
        if intent == "status":
            ready = PRESCRIPTIONS[rx]["ready"]
            resp.say(f"Your {PRESCRIPTIONS[rx]['drug']} is " + ("ready for pickup at the pharmacy counter."
                     if ready else "not ready yet. It is being filled today.") + " Thank you for calling.")
            return xml(resp)
        gather = Gather(num_digits=8, action=f"/rx/refill?rx={rx}", timeout=10)
        gather.say("For your security, enter the patient's date of birth as eight digits, month, day, year.")
        resp.append(gather)
        return xml(to_team(resp, "Let me connect you with the pharmacy team."))

    @app.post("/rx/refill")
    async def refill(request: Request, rx: str):
        dob = (await form(request)).get("Digits", "")
        resp = VoiceResponse()
        if PRESCRIPTIONS.get(rx, {}).get("dob") != dob:
            return xml(to_team(resp, "That date of birth doesn't match, so let me connect you with the team."))
        resp.say(f"Thank you. Your refill of {PRESCRIPTIONS[rx]['drug']} has been ordered and will be ready "
                 "at the Elm Street pharmacy counter. Goodbye.")
        return xml(resp)

    @app.post("/rx/team-result")
    async def team_result(request: Request):
        resp = VoiceResponse()
        if (await form(request)).get("DialCallStatus") != "completed":
            resp.say("Sorry we missed you. Please leave your name, number and prescription after the beep, "
                     "and we'll call you back today.")
            resp.record(max_length=90, action="/rx/voicemail-saved")
        return xml(resp)

    @app.post("/rx/voicemail-saved")
    async def voicemail_saved():
        resp = VoiceResponse()
        resp.say("Thanks, we got your message. Goodbye.")
        resp.hangup()
        return xml(resp)

    return app
