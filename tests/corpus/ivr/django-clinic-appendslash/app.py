"""Lakeview Family Clinic phone tree, as a single-file Django project.

Deployed with DEBUG off. The Twilio number was set up with the URL ".../ivr/welcome" (no slash);
CommonMiddleware's APPEND_SLASH redirects it to /ivr/welcome/.
"""

import os

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from twilio.twiml.voice_response import Gather, VoiceResponse

SCHEDULING = "+12065550110"
# date of birth (MMDDYYYY) -> latest lab result; released_on is None while the doctor hasn't signed it
LAB_RESULTS = {"03141985": {"test": "lipid panel", "released_on": None}}


def twiml(resp):
    return HttpResponse(str(resp), content_type="text/xml")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def welcome(request):
    resp = VoiceResponse()
    gather = Gather(num_digits=1, action="/ivr/menu/", timeout=6)
    gather.say("You have reached Lakeview Family Clinic. If this is a medical emergency, please hang up "
               "and dial 911. To schedule or cancel an appointment, press 1. For prescription refills, "
               "press 2. For test results, press 3. To reach the nurse line, press 5.")
    resp.append(gather)
    resp.say("We didn't receive a selection. Goodbye.")
    return twiml(resp)


@csrf_exempt
def menu(request):
    digit = request.POST.get("Digits", "")
    resp = VoiceResponse()
    if digit in ("1", "3"):
        gather = Gather(num_digits=8, action="/ivr/schedule/" if digit == "1" else "/ivr/results/", timeout=10)
        gather.say("Please enter the patient's date of birth, using two digits for the month, "
                   "two for the day, and four for the year.")
        resp.append(gather)
        resp.redirect("/ivr/welcome/")
    elif digit == "2":
        resp.say("Prescription refills are handled through the MyLakeview patient portal. Please log in at "
                 "my lakeview dot org and choose Request a Refill. Goodbye.")
        resp.hangup()
    elif digit == "5":
        resp.say("Our nurses are assisting other patients. After the tone, please leave your name, date of "
                 "birth and the reason for your call. A nurse will return your call within 4 hours.")
        resp.record(max_length=120, action="/ivr/nurse/done/", play_beep=True)
    else:
        resp.say("That is not a valid selection.")
        resp.redirect("/ivr/welcome/")
    return twiml(resp)


@csrf_exempt
def schedule(request):
    resp = VoiceResponse()
    resp.say("Thank you. Transferring you to a scheduling coordinator.")
    resp.dial(SCHEDULING, timeout=30)
    return twiml(resp)


@csrf_exempt
def results(request):
    result = LAB_RESULTS.get(request.POST.get("Digits", ""))
    resp = VoiceResponse()
    if result is None:
        resp.say("We have no recent results for that date of birth.")
    else:
        released = result["released_on"].strftime("%B %d")   # noqa: the doctor signs results before release
        resp.say(f"Your {result['test']} results were released on {released} and are normal.")
    resp.redirect("/ivr/welcome/")
    return twiml(resp)


@csrf_exempt
def nurse_done(request):
    resp = VoiceResponse()
    resp.say("Thank you. Goodbye.")
    resp.hangup()
    return twiml(resp)


urlpatterns = [
    path("ivr/welcome/", welcome),
    path("ivr/menu/", menu),
    path("ivr/schedule/", schedule),
    path("ivr/results/", results),
    path("ivr/nurse/done/", nurse_done),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "lakeview-ivr-not-secret"),
            ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(","),
            ROOT_URLCONF=__name__,
            APPEND_SLASH=True,
            MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
            INSTALLED_APPS=[],
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
