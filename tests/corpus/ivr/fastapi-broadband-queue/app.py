"""Brightwave Broadband sales and account line (FastAPI service behind the Twilio number).

Queues are Twilio <Enqueue> queues worked by agents in the Flex UI; the hold experience comes from
/twiml/hold, fetched by Twilio with GET.
"""

from typing import Optional

from fastapi import FastAPI, Form, Query
from fastapi.responses import Response

ACCOUNTS = {"3125550147": {"balance": "64 dollars and 20 cents", "due": "the 28th"}}
AVAILABLE_ZIPS = {"60616", "60605", "60607"}


def twiml(body: str) -> Response:
    return Response(content=f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>',
                    media_type="application/xml")


def make_app() -> FastAPI:
    app = FastAPI(title="brightwave-ivr", docs_url=None, redoc_url=None)

    @app.post("/twiml/voice")
    async def voice():
        return twiml(
            '<Gather numDigits="1" action="/twiml/route" timeout="5">'
            "<Say voice=\"Polly.Matthew\">Hi, and welcome to Brightwave Broadband! Press one for new connections. "
            "Press two to upgrade or change your plan. Press three for billing and payments.</Say>"
            "</Gather>"
            "<Say voice=\"Polly.Matthew\">We didn't catch that. Let's get you to someone who can help.</Say>"
            '<Enqueue waitUrl="/twiml/hold?queue=general" waitUrlMethod="GET">general</Enqueue>'
        )

    @app.post("/twiml/route")
    async def route(Digits: Optional[str] = Form(None)):
        if Digits == "1":
            return twiml(
                '<Gather numDigits="5" action="/twiml/availability" timeout="8">'
                "<Say>Great! Let's check if Brightwave is in your area. "
                "Please enter the five digit zip code where you'd like service.</Say>"
                "</Gather>"
                '<Redirect>/twiml/voice</Redirect>'
            )
        if Digits == "2":
            return twiml('<Say>One moment while we find a plan specialist.</Say>'
                         '<Enqueue waitUrl="/twiml/hold?queue=plans" waitUrlMethod="GET">plans</Enqueue>')
        if Digits == "3":
            return twiml(
                '<Gather action="/twiml/billing" finishOnKey="#" timeout="10">'
                "<Say>Please enter the phone number on your account, followed by the hash key.</Say>"
                "</Gather>"
            )
        if Digits == "0":
            # not in the menu on purpose: operator is for people who know to press it
            return twiml('<Enqueue waitUrl="/twiml/hold?queue=general" waitUrlMethod="GET">general</Enqueue>')
        return twiml("<Say>Sorry, that's not a valid choice.</Say><Redirect>/twiml/voice</Redirect>")

    @app.post("/twiml/availability")
    async def availability(Digits: str = Form("")):
        if Digits in AVAILABLE_ZIPS:
            return twiml("<Say>Good news! Brightwave fiber is available at your address. "
                         "Connecting you with our sales team to get you set up.</Say>"
                         '<Enqueue waitUrl="/twiml/hold?queue=sales" waitUrlMethod="GET">sales</Enqueue>')
        return twiml("<Say>Sorry, Brightwave isn't available in that area yet. Goodbye.</Say><Hangup/>")

    @app.post("/twiml/billing")
    async def billing(Digits: str = Form("")):
        account = ACCOUNTS.get(Digits)
        if account is None:
            return twiml("<Say>We couldn't find that account.</Say><Redirect>/twiml/voice</Redirect>")
        return twiml(f"<Say>Your balance of {account['balance']} is due on {account['due']}. "
                     "Thanks for being a Brightwave customer!</Say>")

    @app.get("/twiml/hold")
    async def hold(queue: str = Query("general"), QueuePosition: Optional[str] = Query(None)):
        minutes = {"general": 35, "plans": 18, "sales": 4}.get(queue, 20)
        position = f"You are caller number {QueuePosition} in line. " if QueuePosition else ""
        return twiml(f"<Say>{position}The average wait right now is about {minutes} minutes.</Say>"
                     '<Play loop="3">https://cdn.brightwave.net/ivr/hold-loop.wav</Play>')

    return app
