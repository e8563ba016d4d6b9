"""Northwind Air Central Baggage Services line (Starlette, TwiML by hand).

Brand voice prompts are studio recordings hosted on the airline's media CDN; only the details read from
the baggage system (file lookups) use text to speech. The number still points at the old /ivr/bags
URL, which answers a permanent 308 to /baggage/voice. The menu's action was typed with a trailing
slash (/baggage/menu/); Starlette's router answers that with its own 307 to /baggage/menu.

What each recording says (from the voice talent's script, en-US, recorded 2024-02):

  welcome.wav                  "Welcome to Northwind Air Central Baggage Services."
  main-menu.wav                "If your bag did not arrive with you, press 1. If your bag was damaged, or
                                something is missing from it, press 2. For questions about baggage fees
                                and allowances, press 3. If you left something on the aircraft, press 4."
  no-input.wav                 "Sorry, we didn't receive a selection."
  goodbye.wav                  "We're sorry we couldn't help you today. Goodbye."
  enter-file-reference.wav     "Please enter the five digits at the end of your baggage file reference,
                                then press the pound key. You'll find the file reference on the receipt
                                the baggage agent gave you at the airport."
  file-not-found.wav           "We couldn't find that file reference."
  damaged-bag-claims.wav       "Claims for damaged bags or missing contents must be submitted within 7 days
                                using the online form at northwind air dot com slash baggage claims. We're
                                unable to accept claims over the phone. Thank you for flying Northwind."
  fees-allowances.wav          "Your first checked bag is 35 dollars and your second checked bag is 45
                                dollars. Each bag may weigh up to 50 pounds and measure up to 62 inches."
  lost-and-found-transfer.wav  "Please hold while we transfer you to the Lost and Found team."
  queue-wait-45min.wav         "Current wait times are approximately 45 minutes. Your call will be answered
                                in the order it was received."
  hold-music.mp3               (instrumental music, 3 minutes)
  delivery-address-change.wav  "To change the delivery address for your bag, please use the Northwind app,
                                or visit northwind air dot com slash my bag. Delivery addresses can't be
                                changed by phone. Goodbye."
"""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

PROMPTS = "https://media.northwindair-cdn.net/ivr/baggage/en-US"

# five-digit suffix of the file reference (e.g. PDXNW48213) -> what the baggage system says
FILES = {
    "48213": {"found_at": "Denver", "flight": "2 1 8", "window": "between 8 AM and 2 PM tomorrow"},
}


def play(name: str) -> str:
    return f"<Play>{PROMPTS}/{name}</Play>"


def twiml(body: str) -> Response:
    return Response('<?xml version="1.0" encoding="UTF-8"?><Response>' + body + "</Response>",
                    media_type="application/xml")


def main_menu_gather() -> str:
    return '<Gather numDigits="1" action="/baggage/menu/" timeout="6">' + play("main-menu.wav") + "</Gather>"


async def legacy(request: Request) -> Response:
    return RedirectResponse("/baggage/voice", status_code=308)


async def voice(request: Request) -> Response:
    # one re-prompt on silence, then the call ends
    return twiml(play("welcome.wav") + main_menu_gather()
                 + play("no-input.wav") + main_menu_gather()
                 + play("goodbye.wav") + "<Hangup/>")


async def menu(request: Request) -> Response:
    digit = (await request.form()).get("Digits")
    if digit == "1":
        return twiml('<Gather action="/baggage/file" finishOnKey="#" timeout="10">'
                     + play("enter-file-reference.wav") + "</Gather>"
                     + "<Redirect>/baggage/voice</Redirect>")
    if digit == "2":
        return twiml(play("damaged-bag-claims.wav") + "<Hangup/>")
    if digit == "3":
        return twiml(play("fees-allowances.wav") + "<Redirect>/baggage/voice</Redirect>")
    if digit == "4":
        return twiml(play("lost-and-found-transfer.wav")
                     + '<Enqueue waitUrl="/baggage/hold">lost-and-found</Enqueue>')
    return twiml("<Redirect>/baggage/voice</Redirect>")


async def file_lookup(request: Request) -> Response:
    ref = (await request.form()).get("Digits", "")
    found = FILES.get(ref)
    if found is None:
        return twiml(play("file-not-found.wav") + "<Redirect>/baggage/voice</Redirect>")
    return twiml(
        f"<Say voice=\"Polly.Joanna\">Thank you. Your bag, file reference ending {' '.join(ref)}, has been "
        f"located in {found['found_at']}. It will arrive on flight {found['flight']} this evening, and our "
        f"courier will deliver it to the address on your file {found['window']}. Someone must be there to "
        "sign for it.</Say>"
        f'<Gather numDigits="1" action="/baggage/file-options?ref={ref}" timeout="6">'
        "<Say voice=\"Polly.Joanna\">To change the delivery address, press 1. To get these details by text "
        "message, press 2. To hear this again, press 3.</Say>"
        "</Gather>"
        "<Say voice=\"Polly.Joanna\">Thank you for calling Northwind Air.</Say>")


async def file_options(request: Request) -> Response:
    digit = (await request.form()).get("Digits")
    ref = request.query_params.get("ref", "")
    if digit == "1":
        return twiml(play("delivery-address-change.wav") + "<Hangup/>")
    if digit == "2":
        return twiml("<Say voice=\"Polly.Joanna\">We've sent the delivery details to the mobile number on "
                     "your file. Goodbye.</Say><Hangup/>")
    if digit == "3":
        return twiml("<Redirect>/baggage/file-again?ref=" + ref + "</Redirect>")
    return twiml("<Redirect>/baggage/voice</Redirect>")


async def file_again(request: Request) -> Response:
    ref = request.query_params.get("ref", "")
    found = FILES[ref]
    return twiml(f"<Say voice=\"Polly.Joanna\">Your bag will be delivered {found['window']}.</Say>"
                 f'<Gather numDigits="1" action="/baggage/file-options?ref={ref}" timeout="6">'
                 "<Say voice=\"Polly.Joanna\">To change the delivery address, press 1. To get these details "
                 "by text message, press 2. To hear this again, press 3.</Say></Gather>")


async def hold(request: Request) -> Response:
    return twiml(play("queue-wait-45min.wav") + play("hold-music.mp3"))


def make_app() -> Starlette:
    return Starlette(routes=[
        Route("/ivr/bags", legacy, methods=["GET", "POST"]),
        Route("/baggage/voice", voice, methods=["GET", "POST"]),
        Route("/baggage/menu", menu, methods=["POST"]),
        Route("/baggage/file", file_lookup, methods=["POST"]),
        Route("/baggage/file-options", file_options, methods=["POST"]),
        Route("/baggage/file-again", file_again, methods=["POST"]),
        Route("/baggage/hold", hold, methods=["POST"]),
    ])
