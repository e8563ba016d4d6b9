"""Harbourline Home Insurance claims line (FastAPI service, TwiML as strings).

The Twilio number's voice URL is configured as GET https://.../claims/voice/ (with a slash); the route is
/claims/voice, so Starlette's redirect_slashes answers 307 to it and Twilio follows. The first no-input
re-asks once in shorter words (`attempt=2`); the second puts the caller through to the claims desk.
Queue hold audio comes from /claims/hold, fetched by Twilio with GET.
"""

from typing import Optional

from fastapi import FastAPI, Form, Query
from fastapi.responses import Response

CLAIMS_DESK = "+15035550199"
POLICIES_BY_PHONE = {"5035550163": {"ending": "4 4 1 7", "address": "1 2 8 Alder Street"}}
HOLD_MINUTES = {"water": 40, "fire": 15, "storm": 55, "theft": 20}
LOSS_TYPES = {"1": "water", "2": "fire", "3": "storm", "4": "theft"}


def twiml(body: str) -> Response:
    return Response(f'<?xml version="1.0" encoding="UTF-8"?>\n<Response>{body}</Response>',
                    media_type="text/xml")


def to_desk(intro: str = "Let me find someone to help you.") -> str:
    return (f"<Say voice=\"Polly.Salli\">{intro}</Say>"
            f'<Dial timeout="30" action="/claims/after-dial" method="POST">{CLAIMS_DESK}</Dial>')


def make_app() -> FastAPI:
    app = FastAPI(title="harbourline-claims-ivr", openapi_url=None)

    @app.get("/claims/voice")
    async def voice(attempt: int = Query(1)):
        if attempt >= 2:
            return twiml(
                '<Gather numDigits="1" action="/claims/menu" timeout="6">'
                "<Say voice=\"Polly.Salli\">Sorry, I didn't catch that. Press 1 for damage happening now, "
                "2 for a new claim, or 3 for a claim you already have.</Say>"
                "</Gather>" + to_desk()
            )
        return twiml(
            '<Gather numDigits="1" action="/claims/menu" timeout="6">'
            "<Say voice=\"Polly.Salli\">Harbourline Home Insurance, claims. If water, fire or a storm is damaging "
            "your home right now, don't hang up: press 1 and we'll get an emergency crew moving. "
            "To start a new claim, it's 2. Already have a claim open and want an update? It's 3. "
            "Calls are recorded to help us handle your claim. "
            "You can also start a claim in the Harbourline app at any time.</Say>"
            "</Gather>"
            '<Redirect method="GET">/claims/voice?attempt=2</Redirect>'
        )

    @app.post("/claims/menu")
    async def menu(Digits: Optional[str] = Form(None)):
        if Digits == "1":
            return twiml(
                '<Gather numDigits="5" action="/claims/emergency" timeout="10">'
                "<Say>Please enter the five digit ZIP code of the damaged home.</Say>"
                "</Gather>" + to_desk()
            )
        if Digits == "2":
            return twiml(
                '<Gather action="/claims/new" finishOnKey="#" timeout="10">'
                "<Say>To start your claim, enter your nine digit policy number, followed by the pound key. "
                "It's at the top of your declarations page.</Say>"
                "</Gather>"
                '<Gather numDigits="1" action="/claims/no-policy" timeout="6">'
                "<Say>No policy number handy? No problem. To find your policy with the phone number on your "
                "account, press 1. To file online instead, press 2.</Say>"
                "</Gather>"
                '<Redirect method="GET">/claims/voice?attempt=2</Redirect>'
            )
        if Digits == "3":
            return twiml(
                '<Gather numDigits="8" action="/claims/status" timeout="10">'
                "<Say>Please enter your eight digit claim number.</Say>"
                "</Gather>" + to_desk()
            )
        return twiml("<Say>That's not one of the options.</Say>"
                     '<Redirect method="GET">/claims/voice?attempt=2</Redirect>')

    @app.post("/claims/emergency")
    async def emergency(Digits: str = Form("")):
        return twiml(
            "<Say>Thank you. Our emergency repair partner, DryRight Restoration, will call you within 2 hours "
            "to send a crew. If it's safe, turn off the water at the main valve and move valuables to a dry "
            "room. We've opened a claim for you and sent the claim number by text.</Say><Hangup/>"
        )

    @app.post("/claims/new")
    async def new_claim(Digits: str = Form("")):
        # policy lookup by number lives in the Guidewire integration; the IVR only forwards it
        return twiml("<Say>Thank you. Let's get an adjuster on the line.</Say>"
                     '<Enqueue waitUrl="/claims/hold?team=water" waitUrlMethod="GET">claims-general</Enqueue>')

    @app.post("/claims/no-policy")
    async def no_policy(Digits: Optional[str] = Form(None)):
        if Digits == "1":
            return twiml(
                '<Gather numDigits="10" action="/claims/by-phone" timeout="10">'
                "<Say>Enter the ten digit phone number on your policy.</Say>"
                "</Gather>" + to_desk()
            )
        if Digits == "2":
            return twiml("<Say>You can file a claim online at harbourline dot com slash claims, where you can also "
                         "upload photos of the damage. Thank you for choosing Harbourline. Goodbye.</Say><Hangup/>")
        return twiml('<Redirect method="GET">/claims/voice?attempt=2</Redirect>')

    @app.post("/claims/by-phone")
    async def by_phone(Digits: str = Form("")):
        policy = POLICIES_BY_PHONE.get(Digits)
        if policy is None:
            return twiml("<Say>We couldn't find a policy with that phone number.</Say>" + to_desk())
        return twiml(
            f"<Say>Found it: your homeowners policy ending in {policy['ending']}, for {policy['address']}.</Say>"
            '<Gather numDigits="1" action="/claims/loss-type" timeout="6">'
            "<Say>What happened? Water damage, like a burst pipe or a leak: press 1. Fire or smoke: 2. "
            "Storm, wind or hail: 3. A break-in or theft: 4.</Say>"
            "</Gather>" + to_desk()
        )

    @app.post("/claims/loss-type")
    async def loss_type(Digits: Optional[str] = Form(None)):
        team = LOSS_TYPES.get(Digits or "")
        if team is None:
            return twiml(to_desk())
        return twiml(f"<Say>Thanks. Let's get a {team} claims adjuster on the line to take the details.</Say>"
                     f'<Enqueue waitUrl="/claims/hold?team={team}" waitUrlMethod="GET">claims-{team}</Enqueue>')

    @app.post("/claims/status")
    async def status(Digits: str = Form("")):
        return twiml("<Say>Your claim is with your adjuster, who will be in touch with next steps.</Say>"
                     + to_desk("If you'd like to speak with them now, stay on the line."))

    @app.get("/claims/hold")
    async def hold(team: str = Query("water")):
        minutes = HOLD_MINUTES.get(team, 30)
        return twiml(f"<Say>All of our adjusters are helping other customers. Your estimated wait is {minutes} "
                     "minutes.</Say>"
                     '<Play loop="0">https://assets.harbourline-insurance.com/ivr/harbourline_hold_piano_loop.wav</Play>')

    @app.post("/claims/after-dial")
    async def after_dial(DialCallStatus: Optional[str] = Form(None)):
        if DialCallStatus == "completed":
            return twiml("<Hangup/>")
        return twiml("<Say>Our claims team couldn't take your call. Please try again shortly.</Say><Hangup/>")

    return app
