"""Riverside Public Library telephone renewals and information line (Starlette).

The city's telephony team configured the number's voice URL as HTTP GET, so every route here is
GET-only and every Gather asks Twilio to use GET as well.
"""

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

REFERENCE_DESK = "+15035550160"
PATRONS = {"21234001234567": {"pin": "8812", "renewed": 3, "due": "March 28"}}

MENU = ("For hours and locations, press 1. To renew your items, press 2. For this week's events, press 3. "
        "To speak with a librarian, press 0.")


def twiml(body):
    return Response('<?xml version="1.0" encoding="UTF-8"?><Response>' + body + "</Response>",
                    media_type="text/xml")


def gather(action, say, **attrs):
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<Gather action="{action}" method="GET"{extra}><Say>{say}</Say></Gather>'


async def welcome(request):
    return twiml(gather("/phone/choice", "Thanks for calling the Riverside Public Library. " + MENU,
                        numDigits="1", timeout="6")
                 + "<Say>If you need help, stay on the line and a librarian will be with you shortly.</Say>"
                 + f"<Dial>{REFERENCE_DESK}</Dial>")


async def choice(request):
    digit = request.query_params.get("Digits")
    if digit == "1":
        return twiml(gather("/phone/choice",
                            "The Central Library at 801 Main Street is open Monday through Thursday from 9 AM "
                            "to 8 PM, and Friday and Saturday from 10 AM to 6 PM. The Eastside and Westside "
                            "branches are open Tuesday through Saturday, 10 to 6. " + MENU, numDigits="1"))
    if digit == "2":
        return twiml(gather("/phone/renew/card",
                            "Please enter the 14 digit number on the back of your library card.",
                            numDigits="14", timeout="15"))
    if digit == "3":
        return twiml(gather("/phone/choice",
                            "This week: Toddler story time is Tuesday and Thursday at 10:30 AM. The Riverside "
                            "book club meets Wednesday at 7 PM. " + MENU, numDigits="1"))
    if digit == "0":
        return twiml("<Say>Connecting you to the reference desk.</Say>" + f"<Dial>{REFERENCE_DESK}</Dial>")
    return twiml('<Redirect method="GET">/phone/welcome</Redirect>')


async def renew_card(request):
    card = request.query_params.get("Digits", "")
    return twiml(gather(f"/phone/renew/pin?card={card}", "Now enter your four digit PIN.",
                        numDigits="4", timeout="10"))


async def renew_pin(request):
    patron = PATRONS.get(request.query_params.get("card", ""))
    if not patron or patron["pin"] != request.query_params.get("Digits"):
        return twiml("<Say>That card number and PIN don't match. Let's try again.</Say>"
                     '<Redirect method="GET">/phone/choice?Digits=2</Redirect>')
    return twiml(gather("/phone/choice",
                        f"Done! We renewed {patron['renewed']} items. They are now due on {patron['due']}. "
                        + MENU, numDigits="1"))


def make_app():
    return Starlette(routes=[
        Route("/phone/welcome", welcome, methods=["GET"]),
        Route("/phone/choice", choice, methods=["GET"]),
        Route("/phone/renew/card", renew_card, methods=["GET"]),
        Route("/phone/renew/pin", renew_pin, methods=["GET"]),
    ])
