"""Forkful food delivery: customer support phone line (Starlette, TwiML by hand).

Brand asked for a "human sounding" line, so every fixed prompt is a studio recording on the CDN; only
order-specific details are read by text to speech. What each recording says (scripts from the voice
talent brief, v7):

  forkful_welcome_v7.mp3          "Hey, you've reached Forkful. Quick tip: most order problems can be sorted
                                   in seconds from the Help tab in the Forkful app."
  forkful_main_menu_v7.mp3        "If something's not right with an order you've already received, press 1.
                                   Still waiting on your order? Press 2. Restaurant partners, press 7.
                                   Couriers, press 8."
  forkful_sorry_didnt_catch.mp3   "Sorry, we didn't catch that."
  forkful_invalid_choice.mp3      "Hmm, that's not one of the options."
  forkful_enter_order_number.mp3  "Please key in your order number. It's the eight digit number in your
                                   confirmation email. Then press the pound key."
  forkful_order_not_found.mp3     "We couldn't find that order."
  forkful_issue_menu.mp3          "Something missing from your bag? Press 1. Got someone else's order? Press 2.
                                   Food arrived cold or spilled? Press 3. Charged twice or another payment
                                   problem? Press 4."
  forkful_refunds_in_app.mp3      "Refunds for missing items are handled in the Forkful app. Open your order,
                                   tap Help, then Missing items, and you'll usually see your refund within
                                   minutes. Thanks for calling Forkful. Bye for now."
  forkful_wrong_order_agent.mp3   "Sorry about the mix-up. Let's get you to someone on our support team."
  forkful_payment_email.mp3       "For payment problems, please email payments at forkful dot com with your
                                   order number, and our payments team will sort it out. Bye for now."
  forkful_partner_line.mp3        "Restaurant partners: this line is for customers. Please call the partner
                                   hotline on 1 8 8 8, 5 5 5, 0 1 9 1, or message us in the Partner Hub. Bye."
  forkful_courier_connect.mp3     "Connecting you to courier support."
  forkful_hold_lofi.mp3           hold music (three minutes, looped)
"""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

CDN = "https://cdn.forkful.app/ivr/v7/"
ORDERS = {"58213907": {"restaurant": "Pho Saigon Kitchen", "delivered_at": "7 58 PM", "status": "delivered"}}
COURIER_SUPPORT = "+17735550118"


def play(name: str) -> str:
    return f"<Play>{CDN}{name}</Play>"


def twiml(body: str) -> Response:
    return Response(f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>',
                    media_type="application/xml")


async def params(request: Request) -> dict:
    data = dict(request.query_params)
    if request.method == "POST":
        data.update(await request.form())
    return data


async def voice(request: Request) -> Response:
    return twiml(
        play("forkful_welcome_v7.mp3")
        + '<Gather numDigits="1" action="/support/menu" timeout="5">' + play("forkful_main_menu_v7.mp3") + "</Gather>"
        + play("forkful_sorry_didnt_catch.mp3")
        + "<Redirect>/support/voice</Redirect>"
    )


async def menu(request: Request) -> Response:
    digit = (await params(request)).get("Digits", "")
    if digit in ("1", "2"):
        nxt = "issue" if digit == "1" else "status"
        return twiml(
            f'<Gather finishOnKey="#" action="/support/order?next={nxt}" timeout="10">'
            + play("forkful_enter_order_number.mp3") + "</Gather>"
            + "<Redirect>/support/voice</Redirect>"
        )
    if digit == "7":
        return twiml(play("forkful_partner_line.mp3") + "<Hangup/>")
    if digit == "8":
        return twiml(play("forkful_courier_connect.mp3") + f'<Dial timeout="25">{COURIER_SUPPORT}</Dial>')
    return twiml(play("forkful_invalid_choice.mp3") + "<Redirect>/support/voice</Redirect>")


async def order(request: Request) -> Response:
    data = await params(request)
    number = data.get("Digits", "").strip("#")
    if number not in ORDERS:
        return twiml(play("forkful_order_not_found.mp3") + "<Redirect>/support/voice</Redirect>")
    nxt = "status" if data.get("next") == "status" else "issue"
    # post/redirect/get, so a retried webhook never double-files anything
    return RedirectResponse(f"/support/orders/{number}/{nxt}", status_code=303)


async def issue(request: Request) -> Response:
    number = request.path_params["number"]
    if request.method == "GET":
        return twiml(
            f'<Gather numDigits="1" action="/support/orders/{number}/issue" timeout="6">'
            + play("forkful_issue_menu.mp3") + "</Gather>"
            + "<Redirect>/support/voice</Redirect>"
        )
    digit = (await params(request)).get("Digits", "")
    if digit == "1":
        return twiml(play("forkful_refunds_in_app.mp3") + "<Hangup/>")
    if digit == "2":
        return twiml(play("forkful_wrong_order_agent.mp3")
                     + '<Enqueue waitUrl="/support/hold" waitUrlMethod="POST">customer-support</Enqueue>')
    if digit == "3":
        restaurant = ORDERS[number]["restaurant"]
        return twiml(f"<Say voice=\"Polly.Ivy\">We're really sorry. We've asked {restaurant} to make your order "
                     "again, free of charge. It will reach you between 8 40 and 9 10 PM.</Say><Hangup/>")
    if digit == "4":
        return twiml(play("forkful_payment_email.mp3") + "<Hangup/>")
    return twiml(play("forkful_invalid_choice.mp3") + f"<Redirect method=\"GET\">/support/orders/{number}/issue</Redirect>")


async def status(request: Request) -> Response:
    number = request.path_params["number"]
    found = ORDERS[number]
    spoken = " ".join(number)
    return twiml(f"<Say voice=\"Polly.Ivy\">Order {spoken} from {found['restaurant']} was delivered at "
                 f"{found['delivered_at']}.</Say><Redirect>/support/voice</Redirect>")


async def hold(request: Request) -> Response:
    return twiml("<Say voice=\"Polly.Ivy\">Thanks for holding. Your estimated wait is about 9 minutes.</Say>"
                 + '<Play loop="10">' + CDN + "forkful_hold_lofi.mp3</Play>")


def make_app() -> Starlette:
    return Starlette(routes=[
        Route("/support/voice", voice, methods=["GET", "POST"]),
        Route("/support/menu", menu, methods=["POST"]),
        Route("/support/order", order, methods=["POST"]),
        Route("/support/orders/{number}/issue", issue, methods=["GET", "POST"]),
        Route("/support/orders/{number}/status", status, methods=["GET"]),
        Route("/support/hold", hold, methods=["POST"]),
    ])
