"""Oakline Furniture - home delivery phone line.

A Starlette service with hand-written TwiML. The greeting is a recorded brand intro; everything else is
text to speech. What the recording says:

    oakline-welcome-v3.wav   "Thanks for calling Oakline Furniture home delivery. Your call may be
                              recorded so we can keep improving."

The order lookup answers a 303 (post/redirect/get) to the order's status URL, so a caller who asks to
hear the status again just re-fetches it. Credit card payments are proxied to the card issuer's IVR
API; when it is down the gateway error is rendered as the site's standard HTML error page.
"""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

ASSETS = "https://assets.oaklinefurniture.com/ivr"
COORDINATOR_QUEUE = "delivery-coordinators"

ORDERS = {
    "704118263": {"item": "a Harlow three seat sofa", "status": "delivered", "date": "Tuesday, June 3rd",
                  "signed": "M. Castillo"},
    "704220917": {"item": "a Bexley dining set", "status": "scheduled", "date": "Friday, June 13th",
                  "signed": ""},
}

MENU = ("Track a delivery, press 1. Reschedule a delivery, press 2. Store hours and showroom locations, "
        "press 3. Oakline credit card payments, press 4.")


class PaymentGatewayError(Exception):
    pass


def twiml(body: str) -> Response:
    return Response('<?xml version="1.0" encoding="UTF-8"?><Response>' + body + "</Response>",
                    media_type="text/xml")


def spaced(digits: str) -> str:
    return " ".join(digits)


async def answer(request: Request) -> Response:
    return twiml('<Gather numDigits="1" action="/phone/menu" method="POST" timeout="6">'
                 f"<Play>{ASSETS}/oakline-welcome-v3.wav</Play><Say>{MENU}</Say></Gather>"
                 '<Redirect method="GET">/phone/answer</Redirect>')


async def menu(request: Request) -> Response:
    form = await request.form()
    digit = form.get("Digits", "")
    if digit == "1":
        return twiml('<Redirect method="POST">/phone/track</Redirect>')
    if digit == "2":
        return twiml('<Gather finishOnKey="#" action="/phone/reschedule" timeout="10">'
                     "<Say>To reschedule, enter your nine digit order number, then press pound.</Say></Gather>"
                     '<Redirect method="GET">/phone/answer</Redirect>')
    if digit == "3":
        return twiml('<Gather numDigits="5" action="/phone/showroom" timeout="10">'
                     "<Say>Enter your five digit ZIP code and we'll find the showroom nearest you.</Say></Gather>"
                     '<Redirect method="GET">/phone/answer</Redirect>')
    if digit == "4":
        raise PaymentGatewayError("card issuer IVR API returned 503")
    return twiml("<Say>Sorry, that's not an option.</Say><Redirect method=\"GET\">/phone/answer</Redirect>")


async def track(request: Request) -> Response:
    form = await request.form()
    order = form.get("Digits")
    if order:
        return RedirectResponse(f"/phone/orders/{order}", status_code=303)
    return twiml('<Gather finishOnKey="#" action="/phone/track" timeout="10">'
                 "<Say>Please enter your nine digit order number. It starts with a 7 and it's printed at the top "
                 "of your receipt. Then press pound.</Say></Gather>"
                 "<Say>Sorry, I didn't get that.</Say>"
                 '<Redirect method="POST">/phone/track</Redirect>')


async def order_status(request: Request) -> Response:
    number = request.path_params["order"]
    order = ORDERS.get(number)
    if order is None:
        return twiml("<Say>We couldn't find that order number.</Say>"
                     '<Redirect method="POST">/phone/track</Redirect>')
    if order["status"] == "delivered":
        status = (f"Order {spaced(number)}, {order['item']}, was delivered on {order['date']} and signed for "
                  f"by {order['signed']}.")
    else:
        status = (f"Order {spaced(number)}, {order['item']}, is scheduled for delivery on {order['date']}. "
                  "We'll text you your delivery window the evening before.")
    return twiml(f'<Gather numDigits="1" action="/phone/orders/{number}/next" timeout="8">'
                 f"<Say>{status} To hear this again, press 1. If something arrived damaged or is missing, "
                 "press 2. To speak with a delivery coordinator, press 0. For the main menu, press 9.</Say>"
                 "</Gather>"
                 "<Say>Thanks for calling Oakline.</Say><Hangup/>")


async def order_next(request: Request) -> Response:
    number = request.path_params["order"]
    digit = (await request.form()).get("Digits", "")
    if digit == "1":
        return RedirectResponse(f"/phone/orders/{number}", status_code=303)
    if digit == "2":
        return twiml("<Say>We're sorry about that. Damage and missing item claims have to be filed within "
                     "seventy two hours of delivery, with photos, in the Oakline app under My Orders. We've sent "
                     "a download link by text to the number you're calling from. Thank you for shopping with "
                     "Oakline.</Say><Hangup/>")
    if digit == "0":
        return twiml("<Say>Connecting you with a delivery coordinator.</Say>"
                     f'<Enqueue waitUrl="/phone/hold" waitUrlMethod="GET">{COORDINATOR_QUEUE}</Enqueue>')
    return twiml('<Redirect method="GET">/phone/answer</Redirect>')


async def hold(request: Request) -> Response:
    position = int(request.query_params.get("QueuePosition", "1") or 1)
    ahead = "There is one caller" if position == 2 else f"There are {max(position - 1, 0)} callers"
    return twiml(f"<Say>{ahead} ahead of you. A coordinator will be with you as soon as possible.</Say>"
                 f"<Play>{ASSETS}/hold-loop-jazz.mp3</Play>")


async def reschedule(request: Request) -> Response:
    number = (await request.form()).get("Digits", "")
    order = ORDERS.get(number)
    if order and order["status"] == "delivered":
        return twiml(f"<Say>Our records show order {spaced(number)} has already been delivered, so there's "
                     "nothing to reschedule. For help with a delivered order, visit oakline furniture dot com "
                     "slash help and start a chat with our care team. Goodbye.</Say><Hangup/>")
    if order:
        return twiml(f"<Say>Your delivery is set for {order['date']}. The next open date is Monday, June 16th. "
                     "To move it, press 1.</Say>")
    return twiml("<Say>We couldn't find that order number.</Say><Redirect method=\"GET\">/phone/answer</Redirect>")


async def showroom(request: Request) -> Response:
    return twiml("<Say>The closest Oakline showroom is at 2200 Lakeview Drive in Naperville, open today until "
                 "9 PM. Thanks for calling Oakline.</Say><Hangup/>")


async def gateway_down(request: Request, exc: Exception) -> HTMLResponse:
    page = ("<!DOCTYPE html><html><head><title>Oakline | Something went wrong</title></head><body>"
            "<h1>Something went wrong on our end.</h1><p>Please try again in a few minutes.</p>"
            "</body></html>")
    return HTMLResponse(page, status_code=500)


def make_app() -> Starlette:
    routes = [
        Route("/phone/answer", answer, methods=["GET"]),
        Route("/phone/menu", menu, methods=["POST"]),
        Route("/phone/track", track, methods=["POST"]),
        Route("/phone/orders/{order}", order_status, methods=["GET"]),
        Route("/phone/orders/{order}/next", order_next, methods=["POST"]),
        Route("/phone/hold", hold, methods=["GET"]),
        Route("/phone/reschedule", reschedule, methods=["POST"]),
        Route("/phone/showroom", showroom, methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={PaymentGatewayError: gateway_down})
