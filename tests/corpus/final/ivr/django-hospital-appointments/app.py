"""Saint Brendan's Regional Hospital outpatient appointment line, a single-file Django project.

Production settings live in this module (DEBUG off, APPEND_SLASH on, CommonMiddleware). Every URL in
urlpatterns ends in a slash, but a few TwiML documents still point at the slashless URLs from the old
PHP line, so Django answers 301 (the query string, Digits included, is kept; a POST body is not).
The imaging branch reads a setting that was never added in this deployment, so it answers Django's
plain HTML "Server Error (500)" page.
"""

import os

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from twilio.twiml.voice_response import Gather, VoiceResponse

REFERRALS_DESK = "+16175550120"
APPOINTMENTS = {("07221954", "3304871"): "Tuesday, May 14th at 9 40 AM with Doctor Anand, cardiology"}


def twiml(resp):
    return HttpResponse(str(resp), content_type="text/xml; charset=utf-8")


def param(request, name):
    return request.POST.get(name) or request.GET.get(name) or ""


MAIN_MENU = ("Saint Brendan's Regional Hospital, outpatient appointments. Please listen closely, as our "
             "options have changed. Keeping or changing an appointment you already have: one. A first visit "
             "with one of our specialists: two. Imaging, that's X-ray, MRI and ultrasound: three. Test results "
             "and medical records: four. Doctors' offices calling to refer a patient, please stay on the line.")


@csrf_exempt
def voice(request):
    resp = VoiceResponse()
    resp.say("You can also see your upcoming appointments in MyStBrendans.", voice="Polly.Amy")
    gather = Gather(num_digits=1, action="/hospital/menu/", timeout=6)
    gather.say(MAIN_MENU, voice="Polly.Amy")
    resp.append(gather)
    resp.say("Connecting you to physician referrals.", voice="Polly.Amy")
    resp.dial(REFERRALS_DESK, timeout=30)
    return twiml(resp)


@csrf_exempt
def menu(request):
    digit = param(request, "Digits")
    resp = VoiceResponse()
    if digit == "1":
        gather = Gather(num_digits=8, action="/hospital/appt/dob", method="GET", timeout=10)
        gather.say("Using your telephone keypad, enter the patient's date of birth: two digits for the month, "
                   "two for the day, and all four for the year.")
        resp.append(gather)
        resp.say("Let's start again.")
        resp.redirect("/hospital/voice")
    elif digit == "2":
        resp.say("To see one of our specialists for the first time, we need a referral from your own doctor. "
                 "Please ask your doctor's office to send it to us. Once we have it, our scheduling team will "
                 "call you to book, usually within 5 business days. Goodbye.")
        resp.hangup()
    elif digit == "3":
        resp.say(f"Imaging appointments can be booked at {settings.RIS_SCHEDULING_LINE}.")
        resp.hangup()
    elif digit == "4":
        resp.say("Test results and copies of your medical records are available in the MyStBrendans patient "
                 "portal, at my st brendans dot org. Thank you for calling Saint Brendan's. Goodbye.")
        resp.hangup()
    else:
        resp.say("Sorry, that isn't one of the options.")
        resp.redirect("/hospital/voice")
    return twiml(resp)


@csrf_exempt
def appt_dob(request):
    dob = param(request, "Digits")
    resp = VoiceResponse()
    gather = Gather(num_digits=7, finish_on_key="*", action=f"/hospital/appt/mrn/?dob={dob}", timeout=10)
    gather.say("Thank you. Now enter the seven digit medical record number from the top of your appointment "
               "letter, then press star.")
    resp.append(gather)
    second = Gather(action=f"/hospital/appt/mrn/?dob={dob}", timeout=8)
    second.say("If you don't have your appointment letter with you, press star, and a scheduler will find you "
               "by name. Otherwise, enter your medical record number now.")
    resp.append(second)
    resp.say("We weren't able to find your appointment without a medical record number.")
    resp.redirect("/hospital/voice")
    return twiml(resp)


@csrf_exempt
def appt_mrn(request):
    dob = request.GET.get("dob", "")
    mrn = param(request, "Digits").strip("*#")
    resp = VoiceResponse()
    if not mrn:
        # the scheduling queue's screen pop keys on the date of birth, but this view never saw it
        gather = Gather(num_digits=8, action="/hospital/appt/by-name/", timeout=10)
        gather.say("No problem. So the scheduler can find you quickly, please enter the patient's date of birth "
                   "once more, as eight digits.")
        resp.append(gather)
        resp.redirect("/hospital/appt/by-name/")
        return twiml(resp)
    booked = APPOINTMENTS.get((dob, mrn))
    if booked is None:
        resp.say("I couldn't find an appointment with those details.")
        resp.redirect("/hospital/voice")
        return twiml(resp)
    gather = Gather(num_digits=1, action=f"/hospital/appt/change/?mrn={mrn}", timeout=6)
    gather.say(f"Your next appointment is {booked}. To keep it, press 1. To cancel it, press 2. "
               "To move it to another day, press 3.")
    resp.append(gather)
    return twiml(resp)


@csrf_exempt
def appt_by_name(request):
    resp = VoiceResponse()
    resp.say("Thank you. I'm transferring you to a scheduler who can look you up by name.")
    resp.enqueue("outpatient-scheduling", wait_url="/hospital/hold/")
    return twiml(resp)


@csrf_exempt
def appt_change(request):
    resp = VoiceResponse()
    resp.say("Thank you. A scheduler will take it from here.")
    resp.enqueue("outpatient-scheduling", wait_url="/hospital/hold/")
    return twiml(resp)


@csrf_exempt
def hold(request):
    resp = VoiceResponse()
    resp.say("Thank you for holding for outpatient scheduling. Your expected wait is about 25 minutes. "
             "Please stay on the line; if you hang up and call back, you will lose your place.")
    resp.play("https://ivr-media.stbrendans.org/hold/stbrendans_hold_strings_30s.mp3", loop=4)
    return twiml(resp)


urlpatterns = [
    path("hospital/voice/", voice),
    path("hospital/menu/", menu),
    path("hospital/appt/dob/", appt_dob),
    path("hospital/appt/mrn/", appt_mrn),
    path("hospital/appt/by-name/", appt_by_name),
    path("hospital/appt/change/", appt_change),
    path("hospital/hold/", hold),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY=os.environ.get("STB_IVR_SECRET", "stbrendans-ivr-dev-only"),
            ALLOWED_HOSTS=["127.0.0.1", "localhost", ".stbrendans.org"],
            ROOT_URLCONF=__name__,
            APPEND_SLASH=True,
            MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
            INSTALLED_APPS=[],
            USE_TZ=True,
            TIME_ZONE="America/New_York",
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
