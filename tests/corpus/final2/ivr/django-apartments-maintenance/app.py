"""Harborview Residential - resident services phone line (maintenance, rent, leasing).

A single-module Django project: settings, URLs and views live here so the IVR can run as its own
small service next to the resident portal. DEBUG is off and CommonMiddleware's APPEND_SLASH is on, so
the slashless URLs in the Twilio console and in our own <Redirect>s get a 301 to the slash URL (a
redirected POST arrives as a GET, which is why every view reads both QueryDict's). Gathers submit by
GET so the digits survive that redirect in the query string.
"""

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

MANAGEMENT_OFFICE = "+12535550120"
ONCALL_TECH = "+12535550177"
LEASING_OFFICE = "+12535550133"

# Yardi export, keyed by the four digit unit code (building-less, zero padded)
LEDGER = {
    "0412": {"resident": "A. Lindqvist", "balance": "1,485.00", "due": "July 1st"},
    "0207": {"resident": "M. Osei", "balance": "0.00", "due": "July 1st"},
}


def twiml(resp: VoiceResponse) -> HttpResponse:
    return HttpResponse(str(resp), content_type="text/xml")


def params(request):
    return request.POST if request.method == "POST" else request.GET


@csrf_exempt
def welcome(request):
    resp = VoiceResponse()
    gather = Gather(num_digits=1, action="/voice/menu", method="GET", timeout=6)
    gather.say("Thank you for calling Harborview Residential. If this is a maintenance emergency, like "
               "flooding, no heat, or a gas smell, press 1 now. To submit a routine maintenance request, "
               "press 2. For rent payments and your account balance, press 3. For leasing and apartment "
               "tours, press 4. For anything else, please stay on the line.")
    resp.append(gather)
    resp.say("Please hold while we connect you to the management office.")
    resp.dial(MANAGEMENT_OFFICE, timeout=30)
    return twiml(resp)


@csrf_exempt
def menu(request):
    digit = params(request).get("Digits", "")
    resp = VoiceResponse()
    if digit == "1":
        gather = Gather(finish_on_key="#", action="/voice/emergency", method="GET", timeout=10)
        gather.say("If you smell gas, leave the building right away and call 9 1 1 from outside. For any "
                   "other emergency, enter your apartment number, then press pound.")
        resp.append(gather)
        resp.say("Connecting you to the on-call technician.")
        resp.dial(ONCALL_TECH)
    elif digit == "2":
        gather = Gather(num_digits=1, action="/voice/routine", method="GET", timeout=8)
        gather.say("Routine maintenance requests are handled through the Harborview resident portal. Log in "
                   "at harborview living dot com, choose Service Requests, and describe the problem. You can "
                   "attach photos there, too. If you can't use the portal, press 1 to leave a message for "
                   "the maintenance office.")
        resp.append(gather)
        resp.say("Thank you for calling Harborview. Goodbye.")
        resp.hangup()
    elif digit == "3":
        gather = Gather(finish_on_key="#", action="/voice/rent", method="GET", timeout=10)
        gather.say("Rent and balances. Please enter your apartment number, followed by the pound key.")
        resp.append(gather)
        resp.redirect("/voice", method="POST")
    elif digit == "4":
        gather = Gather(num_digits=1, action="/voice/leasing", method="GET", timeout=8)
        gather.say("Interested in calling Harborview home? Our leasing office is open Monday through "
                   "Saturday, 9 AM to 6 PM. To schedule a tour with a leasing consultant, press 1. To hear "
                   "this month's move-in specials, press 2.")
        resp.append(gather)
        resp.redirect("/voice", method="POST")
    else:
        resp.say("Sorry, I didn't understand that.")
        resp.redirect("/voice", method="POST")
    return twiml(resp)


@csrf_exempt
def emergency(request):
    unit = params(request).get("Digits", "")
    resp = VoiceResponse()
    resp.say("Thank you. Connecting you to the on-call maintenance technician now. Please stay on the line.")
    dial = Dial(timeout=40, caller_id=params(request).get("To"))
    dial.number(ONCALL_TECH, url=f"/voice/whisper?unit={unit}", method="GET")
    resp.append(dial)
    return twiml(resp)


@csrf_exempt
def whisper(request):
    # the technician hears this before the resident is bridged
    unit = " ".join(params(request).get("unit", ""))
    resp = VoiceResponse()
    gather = Gather(num_digits=1, action="/voice/whisper/ok", method="GET", timeout=5)
    gather.say(f"Harborview emergency call from apartment {unit}. Press any key to accept.")
    resp.append(gather)
    resp.hangup()
    return twiml(resp)


@csrf_exempt
def whisper_ok(request):
    return twiml(VoiceResponse())


@csrf_exempt
def routine(request):
    resp = VoiceResponse()
    if params(request).get("Digits") == "1":
        gather = Gather(finish_on_key="#", action="/voice/routine/unit", method="GET", timeout=10)
        gather.say("Please enter your apartment number, then press pound.")
        resp.append(gather)
    resp.redirect("/voice", method="POST")
    return twiml(resp)


@csrf_exempt
def routine_unit(request):
    unit = params(request).get("Digits", "")
    resp = VoiceResponse()
    gather = Gather(num_digits=1, action=f"/voice/routine/building?unit={unit}", method="GET", timeout=8)
    gather.say("Thanks. Now enter your building number, one through eight.")
    resp.append(gather)
    resp.redirect("/voice", method="POST")
    return twiml(resp)


@csrf_exempt
def routine_building(request):
    resp = VoiceResponse()
    resp.say("After the tone, please say your name, your building and apartment number, and describe the "
             "problem. Let us know if we have permission to enter when you're not home. The maintenance "
             "office returns messages within one business day.")
    resp.record(max_length=180, action="/voice/routine/saved", method="GET", play_beep=True)
    return twiml(resp)


@csrf_exempt
def routine_saved(request):
    resp = VoiceResponse()
    resp.say("Your message has been saved. Goodbye.")
    resp.hangup()
    return twiml(resp)


@csrf_exempt
def rent(request):
    unit = params(request).get("Digits", "")
    account = LEDGER[unit]          # TODO: pad to four digits like the Yardi export
    resp = VoiceResponse()
    resp.say(f"Your balance is {account['balance']} dollars, due {account['due']}. To pay by card, press 1.")
    return twiml(resp)


@csrf_exempt
def leasing(request):
    digit = params(request).get("Digits", "")
    resp = VoiceResponse()
    if digit == "1":
        resp.say("Connecting you to a leasing consultant. You can also book a tour any time at harborview "
                 "living dot com slash tour.")
        resp.dial(LEASING_OFFICE, timeout=25)
    elif digit == "2":
        gather = Gather(num_digits=1, action="/voice/leasing", method="GET", timeout=8)
        gather.say("This month, new residents get six weeks free on select two bedroom homes at Harborview "
                   "Commons with a thirteen month lease. To speak with a leasing consultant, press 1. To "
                   "return to the main menu, press 9.")
        resp.append(gather)
        resp.redirect("/voice", method="POST")
    else:
        resp.redirect("/voice", method="POST")
    return twiml(resp)


urlpatterns = [
    path("voice/", welcome),
    path("voice/menu/", menu),
    path("voice/emergency/", emergency),
    path("voice/whisper/", whisper),
    path("voice/whisper/ok/", whisper_ok),
    path("voice/routine/", routine),
    path("voice/routine/unit/", routine_unit),
    path("voice/routine/building/", routine_building),
    path("voice/routine/saved/", routine_saved),
    path("voice/rent/", rent),
    path("voice/leasing/", leasing),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="harborview-ivr-not-a-secret-local-only",
            ALLOWED_HOSTS=["127.0.0.1", "localhost", "ivr.harborviewliving.com"],
            ROOT_URLCONF=__name__,
            INSTALLED_APPS=[],
            MIDDLEWARE=[
                "django.middleware.security.SecurityMiddleware",
                "django.middleware.common.CommonMiddleware",
            ],
            APPEND_SLASH=True,
            USE_TZ=True,
            TIME_ZONE="America/Los_Angeles",
            # production ships errors to Sentry; keep the console quiet
            LOGGING={
                "version": 1,
                "disable_existing_loggers": False,
                "handlers": {"null": {"class": "logging.NullHandler"}},
                "loggers": {"django": {"handlers": ["null"], "propagate": False}},
            },
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application
    return get_wsgi_application()
