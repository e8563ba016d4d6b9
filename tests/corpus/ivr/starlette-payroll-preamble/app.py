"""Nimbus Payroll customer support line (Starlette).

Announcements are pasted in by the support ops team from the status page; they are joined without
spaces, exactly as stored in ANNOUNCEMENTS.
"""

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

ANNOUNCEMENTS = [
    "Thank you for calling Nimbus Payroll.",
    "Calls may be recorded for quality and training purposes.",
    "Please note that our offices will be closed on Monday for the holiday.",
    "If you are an employee with a question about your paycheck, please contact your employer's payroll "
    "administrator.",
]
SALES = "+18885550150"
OPERATOR = "+18885550151"


def twiml(body):
    return Response(f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>',
                    media_type="application/xml")


async def digits(request):
    return (await request.form()).get("Digits", "")


async def answer(request):
    preamble = "".join(ANNOUNCEMENTS)
    return twiml(f'<Gather numDigits="1" action="/support/top" timeout="5"><Say>{preamble}'
                 "For sales press 1, for support press 2.</Say></Gather>"
                 "<Say>We didn't receive a selection.Goodbye.</Say><Hangup/>")


async def top(request):
    choice = await digits(request)
    if choice == "1":
        return twiml(f"<Say>Please hold for the next available sales representative.</Say><Dial>{SALES}</Dial>")
    if choice == "2":
        return twiml('<Gather action="/support/company" finishOnKey="#" timeout="10">'
                     "<Say>Please enter your six-digit company ID, followed by the pound sign.</Say></Gather>"
                     "<Redirect>/support/answer</Redirect>")
    return twiml("<Redirect>/support/answer</Redirect>")


async def company(request):
    company_id = await digits(request)
    return twiml(f'<Gather numDigits="1" action="/support/area?company={company_id}" timeout="5">'
                 "<Say>Press 1 for billing, 2 for support, or 0 for an operator.</Say></Gather>"
                 "<Redirect>/support/answer</Redirect>")


async def area(request):
    choice = await digits(request)
    if choice == "1":
        return twiml("<Say>Billing questions are handled by email. Please write to billing at nimbus payroll "
                     "dot com and include your company ID.Goodbye.</Say><Hangup/>")
    if choice == "2":
        return twiml("<Say>For the fastest help, you can also open a ticket at help dot nimbus payroll dot com."
                     "</Say>"
                     '<Gather action="/support/queue" finishOnKey="#" timeout="10">'
                     "<Say>To be placed in the technical support queue, please re-enter your company ID, "
                     "followed by the pound sign.</Say></Gather>"
                     "<Redirect>/support/answer</Redirect>")
    if choice == "0":
        return twiml(f"<Say>Transferring you to an operator.</Say><Dial>{OPERATOR}</Dial>")
    return twiml("<Redirect>/support/answer</Redirect>")


async def queue(request):
    return twiml('<Enqueue waitUrl="/support/wait">technical-support</Enqueue>')


async def wait(request):
    return twiml("<Say>Thank you for your patience. The current wait time is approximately 40 minutes.</Say>"
                 "<Play>https://static.nimbuspayroll.com/ivr/hold.mp3</Play>")


def make_app():
    return Starlette(routes=[
        Route("/support/answer", answer, methods=["POST"]),
        Route("/support/top", top, methods=["POST"]),
        Route("/support/company", company, methods=["POST"]),
        Route("/support/area", area, methods=["POST"]),
        Route("/support/queue", queue, methods=["POST"]),
        Route("/support/wait", wait, methods=["POST"]),
    ])
