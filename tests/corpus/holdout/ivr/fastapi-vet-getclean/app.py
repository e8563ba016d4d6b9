"""Willow Creek Veterinary Clinic phone line (FastAPI + the twilio helper library).

The clinic's number is configured with an HTTP GET voice URL, so every route is GET and every Gather,
Redirect and Dial action asks Twilio for GET too (parameters arrive in the query string). Booking and
refills are handled by the robot; anything else, and any caller who is unsure, reaches the front desk.
Emergencies are put straight through to the on-call team, whose phone announces the call first.
"""

from fastapi import FastAPI
from fastapi.responses import Response
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

FRONT_DESK = "+15035550170"
EMERGENCY_TEAM = "+15035550199"

CLIENTS = {"5035550163": {"owner": "Diane", "pet": "Biscuit", "medication": "Apoquel"}}
SLOTS = {"1": "Tuesday at 10:30 AM", "2": "Wednesday at 4 PM"}

MENU = ("If your pet is having a medical emergency, press 1. If you're calling to book, change or cancel an "
        "appointment, press 2. If you're calling about a prescription refill, press 3. For our hours and "
        "location, press 4. To speak with our front desk, press 0. To hear these options again, press star.")


def xml(resp: VoiceResponse) -> Response:
    return Response(str(resp), media_type="text/xml")


def to_front_desk(resp: VoiceResponse, lead_in: str) -> VoiceResponse:
    resp.say(lead_in)
    resp.dial(FRONT_DESK, timeout=25, action="/vet/dial-status", method="GET")
    return resp


def make_app() -> FastAPI:
    app = FastAPI()

    @app.get("/vet/voice")
    def voice(attempt: int = 1):
        resp = VoiceResponse()
        if attempt == 1:
            resp.say("Thank you for calling Willow Creek Veterinary Clinic.")
        else:
            resp.say("Sorry, I didn't catch that.")
        gather = Gather(num_digits=1, action="/vet/menu", method="GET", timeout=6)
        gather.say(MENU)
        resp.append(gather)
        if attempt == 1:
            resp.redirect("/vet/voice?attempt=2", method="GET")
            return xml(resp)
        return xml(to_front_desk(resp, "Let me connect you with our front desk."))

    @app.get("/vet/menu")
    def menu(Digits: str = ""):
        resp = VoiceResponse()
        if Digits == "1":
            resp.say("Connecting you to our emergency team now. If the call drops, call back and press 1 again.")
            dial = Dial(timeout=40, action="/vet/dial-status", method="GET")
            dial.number(EMERGENCY_TEAM, url="/vet/whisper", method="GET")
            resp.append(dial)
        elif Digits in ("2", "3"):
            action = "/vet/appointments" if Digits == "2" else "/vet/refills"
            gather = Gather(finish_on_key="#", action=action, method="GET", timeout=10)
            gather.say("Please enter the phone number on your pet's account, followed by the pound key.")
            resp.append(gather)
            to_front_desk(resp, "Let me connect you with our front desk.")
        elif Digits == "4":
            resp.say("We're open Monday through Friday, 7:30 AM to 7 PM, and Saturday, 8 AM to 2 PM, at 915 "
                     "Willow Creek Road, next to the fire station. For after-hours emergencies, press 1 from "
                     "the main menu.")
            resp.redirect("/vet/voice", method="GET")
        elif Digits == "0":
            to_front_desk(resp, "Connecting you to the front desk.")
        elif Digits == "*":
            resp.redirect("/vet/voice", method="GET")
        else:
            resp.say("Sorry, that isn't one of the options.")
            resp.redirect("/vet/voice?attempt=2", method="GET")
        return xml(resp)

    @app.get("/vet/appointments")
    def appointments(Digits: str = ""):
        client = CLIENTS.get(Digits)
        resp = VoiceResponse()
        if client is None:
            return xml(to_front_desk(resp, "I couldn't find that phone number, so let me connect you with our "
                                           "front desk."))
        gather = Gather(num_digits=1, action=f"/vet/book?phone={Digits}", method="GET", timeout=8)
        gather.say(f"Thanks, {client['owner']}. I found {client['pet']}. Our next openings for a wellness or "
                   f"vaccine visit are {SLOTS['1']} and {SLOTS['2']}. For {SLOTS['1']}, press 1. For "
                   f"{SLOTS['2']}, press 2. To ask about other times, or to change or cancel a visit, press 0.")
        resp.append(gather)
        return xml(to_front_desk(resp, "Let me put you through to the front desk."))

    @app.get("/vet/book")
    def book(phone: str = "", Digits: str = ""):
        client = CLIENTS.get(phone)
        resp = VoiceResponse()
        if client is None or Digits not in SLOTS:
            return xml(to_front_desk(resp, "Let me put you through to the front desk."))
        resp.say(f"You're booked for {SLOTS[Digits]} with Doctor Alvarez for {client['pet']}. We'll text you a "
                 "reminder the day before. Goodbye.")
        resp.hangup()
        return xml(resp)

    @app.get("/vet/refills")
    def refills(Digits: str = ""):
        client = CLIENTS.get(Digits)
        resp = VoiceResponse()
        if client is None:
            return xml(to_front_desk(resp, "I couldn't find that phone number, so let me connect you with our "
                                           "front desk."))
        resp.say(f"Thanks, {client['owner']}. We've sent a refill request for {client['pet']}'s "
                 f"{client['medication']} to Doctor Alvarez, and we'll text you as soon as it's ready for pickup. "
                 "You can also order refills and food for home delivery from our online pharmacy at willow "
                 "creek vet dot com. Goodbye.")
        resp.hangup()
        return xml(resp)

    @app.get("/vet/whisper")
    def whisper():
        # heard by the on-call vet tech only, before the caller is connected
        resp = VoiceResponse()
        gather = Gather(num_digits=1, timeout=5, method="GET")
        gather.say("Emergency call from the Willow Creek clinic line. Press any key to accept.")
        resp.append(gather)
        resp.hangup()
        return xml(resp)

    @app.get("/vet/dial-status")
    def dial_status(DialCallStatus: str = ""):
        resp = VoiceResponse()
        if DialCallStatus != "completed":
            resp.say("Sorry we missed you. Please leave your name, your pet's name and your number after the "
                     "beep, and we'll call you back as soon as we can.")
            resp.record(max_length=120, action="/vet/voicemail-saved", method="GET")
        return xml(resp)

    @app.get("/vet/voicemail-saved")
    def voicemail_saved():
        resp = VoiceResponse()
        resp.say("Thank you. Goodbye.")
        resp.hangup()
        return xml(resp)

    return app
