"""Harbor Mutual Insurance claims line: a one-file Django app on the staging box (DEBUG on).

The Twilio number's voice URL is configured as HTTP GET ".../claims/voice" and every TwiML action
asks for GET too, so all Twilio parameters arrive in the query string.
"""

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

ROADSIDE = "+18885550177"
CLAIMS = {
    "204811937": {"status": "under review", "adjuster": None},   # not assigned yet
    "204800112": {"status": "approved", "adjuster": "Maria Chen"},
}


def twiml(*verbs):
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<Response>\n' + "\n".join(verbs) + "\n</Response>\n"
    return HttpResponse(body, content_type="application/xml")


def voice(request):
    return twiml(
        '<Gather action="/claims/menu/" method="GET" numDigits="1" timeout="5">',
        "  <Say>Thank you for calling Harbor Mutual Insurance. To report a new claim, press 1. "
        "To check the status of an existing claim, press 2. To make a payment, press 3. "
        "For roadside assistance, press 4.</Say>",
        "</Gather>",
        "<Say>We did not receive a selection.</Say>",
        '<Redirect method="GET">/claims/voice/</Redirect>',
    )


def menu(request):
    digit = request.GET.get("Digits")
    if digit == "1":
        return twiml('<Gather action="/claims/new/" method="GET" finishOnKey="#" timeout="10">',
                     "  <Say>Please enter your policy number, followed by the pound key.</Say>",
                     "</Gather>")
    if digit == "2":
        return twiml('<Gather action="/claims/status/" method="GET" numDigits="9" timeout="10">',
                     "  <Say>Please enter your nine digit claim number.</Say>",
                     "</Gather>")
    if digit == "3":
        return twiml("<Say>Payments can be made online at harbor mutual dot com slash pay, or by mailing a "
                     "check to the address on your statement. Thank you for choosing Harbor Mutual.</Say>",
                     "<Hangup/>")
    if digit == "4":
        return twiml("<Say>Connecting you to Harbor Mutual roadside assistance.</Say>",
                     f'<Dial action="/claims/after-dial/" method="GET" timeout="30">{ROADSIDE}</Dial>')
    return twiml('<Redirect method="GET">/claims/voice/</Redirect>')


def new_claim(request):
    return twiml('<Gather action="/claims/new/filed/" method="GET" numDigits="8" timeout="10">',
                 "  <Say>Enter the date of the incident as two digits for the month, two for the day and "
                 "four for the year.</Say>",
                 "</Gather>")


def new_claim_filed(request):
    return twiml("<Say>Thank you. Your claim has been started. A claims adjuster will call you back within "
                 "two business days at the number you are calling from.</Say>",
                 "<Hangup/>")


def claim_status(request):
    claim = CLAIMS.get(request.GET.get("Digits", ""))
    if claim is None:
        return twiml("<Say>We could not find that claim number.</Say>",
                     '<Redirect method="GET">/claims/voice/</Redirect>')
    first_name = claim["adjuster"].split()[0]
    return twiml(f"<Say>Your claim is {claim['status']}. Your adjuster is {first_name}.</Say>", "<Hangup/>")


def after_dial(request):
    if request.GET.get("DialCallStatus") in ("busy", "no-answer", "failed"):
        return twiml("<Say>Roadside assistance is busy right now. Please try your call again later.</Say>",
                     "<Hangup/>")
    return twiml("<Hangup/>")


urlpatterns = [
    path("claims/voice/", voice),
    path("claims/menu/", menu),
    path("claims/new/", new_claim),
    path("claims/new/filed/", new_claim_filed),
    path("claims/status/", claim_status),
    path("claims/after-dial/", after_dial),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=True,
            SECRET_KEY="staging-only-harbor-mutual",
            ALLOWED_HOSTS=["*"],
            ROOT_URLCONF=__name__,
            APPEND_SLASH=True,
            MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
