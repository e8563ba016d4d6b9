"""Cedar State University, Office of the Registrar phone line: a single-file Django project.

Production settings (DEBUG off) with CommonMiddleware's APPEND_SLASH on. The main menu's Gather was
written as action="/registrar/menu" method="GET" (no slash); Django answers 301 to /registrar/menu/
and keeps the query string, so the Digits survive. Errors are rendered by the university's branded
handler500 page (HTML, status 500).
"""

import os

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

STUDENT_ACCOUNTS = "+16145550172"
HOLD_MUSIC = "https://registrar-media.cedarstate.edu/ivr/hold-campus-band.mp3"

STUDENTS = {"20231187": {"pin": "4410", "first": "Jordan", "hold": "financial"}}
# transcript orders by student ID; shipped is filled in by the nightly import from the transcript vendor
ORDERS = {"20231187": {"ordered": "March 3", "shipped": None}}

MAIN_MENU = ("Press the number 1 for transcripts and enrollment verification. Press the number 2 for "
             "registration holds, adding or dropping a class. Press the number 3 for commencement and "
             "diplomas. Press the number 0 to speak with a member of the registrar's office staff.")


def twiml(*verbs):
    body = '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(verbs) + "</Response>"
    return HttpResponse(body, content_type="text/xml")


def param(request, name, default=""):
    return request.POST.get(name) or request.GET.get(name) or default


@csrf_exempt
def voice(request):
    return twiml(
        "<Say>Thank you for calling the Office of the Registrar at Cedar State University.</Say>",
        '<Gather action="/registrar/menu" method="GET" numDigits="1" timeout="6">',
        f"<Say>{MAIN_MENU}</Say>",
        "</Gather>",
        "<Say>We did not receive your selection.</Say>",
        "<Redirect>/registrar/voice/</Redirect>",
    )


@csrf_exempt
def menu(request):
    digit = param(request, "Digits")
    if digit in ("1", "2"):
        action = "/registrar/transcripts/id/" if digit == "1" else "/registrar/holds/"
        return twiml(f'<Gather action="{action}" numDigits="8" timeout="10">',
                     "<Say>Please enter your eight digit student ID number.</Say>",
                     "</Gather>",
                     "<Redirect>/registrar/voice/</Redirect>")
    if digit == "3":
        return twiml("<Say>Spring commencement is Saturday, May 17th at 10 AM in Hanley Arena. Graduates "
                     "should arrive by 8:30. Diplomas are mailed to your diploma address once final grades "
                     "are posted.</Say>",
                     "<Redirect>/registrar/voice/</Redirect>")
    if digit == "0":
        return twiml("<Say>Please hold for the next available member of the registrar's office staff.</Say>",
                     '<Enqueue waitUrl="/registrar/hold/">registrar-front-counter</Enqueue>')
    return twiml("<Say>That is not a valid selection.</Say>", "<Redirect>/registrar/voice/</Redirect>")


@csrf_exempt
def transcripts_id(request):
    sid = param(request, "Digits")
    return twiml(f'<Gather action="/registrar/transcripts/pin/?sid={sid}" finishOnKey="#" timeout="10">',
                 "<Say>Now enter your four digit PIN, followed by the pound key.</Say>",
                 "</Gather>",
                 "<Redirect>/registrar/voice/</Redirect>")


@csrf_exempt
def transcripts_pin(request):
    sid = request.GET.get("sid", "")
    student = STUDENTS.get(sid)
    if student is None or student["pin"] != param(request, "Digits"):
        return twiml("<Say>That student ID and PIN do not match our records.</Say>",
                     "<Redirect>/registrar/voice/</Redirect>")
    return twiml(f'<Gather action="/registrar/transcripts/menu/?sid={sid}" numDigits="1" timeout="6">',
                 f"<Say>Thank you, {student['first']}. To order an official transcript, press 1. To check "
                 "the status of a transcript you already ordered, press 2. To return to the main menu, "
                 "press 9.</Say>",
                 "</Gather>",
                 "<Redirect>/registrar/voice/</Redirect>")


@csrf_exempt
def transcripts_menu(request):
    digit = param(request, "Digits")
    if digit == "1":
        return twiml("<Say>Official transcripts are ordered through our secure online transcript service. "
                     "Please go to cedar state dot edu slash transcripts and sign in with your student "
                     "account. Orders are not accepted over the phone. Goodbye.</Say>",
                     "<Hangup/>")
    if digit == "2":
        # the order lookup lives in another system, which wants the ID again
        return twiml('<Gather action="/registrar/transcripts/status/" numDigits="8" timeout="10">',
                     "<Say>To look up your order, please enter your eight digit student ID number.</Say>",
                     "</Gather>",
                     "<Redirect>/registrar/voice/</Redirect>")
    return twiml("<Redirect>/registrar/voice/</Redirect>")


@csrf_exempt
def transcripts_status(request):
    order = ORDERS.get(param(request, "Digits"))
    if order is None:
        return twiml("<Say>We could not find a transcript order for that student ID.</Say>",
                     "<Redirect>/registrar/voice/</Redirect>")
    shipped = order["shipped"].strftime("%B %d")      # the vendor import always fills this in... usually
    return twiml(f"<Say>Your transcript ordered on {order['ordered']} was sent on {shipped}.</Say>",
                 "<Redirect>/registrar/voice/</Redirect>")


@csrf_exempt
def holds(request):
    student = STUDENTS.get(param(request, "Digits"))
    if student is None:
        return twiml("<Say>We could not find that student ID.</Say>", "<Redirect>/registrar/voice/</Redirect>")
    return twiml("<Say>Your account has a financial hold placed by Student Accounts. Registrar staff cannot "
                 "remove this hold. Transferring you to Student Accounts.</Say>",
                 f"<Dial>{STUDENT_ACCOUNTS}</Dial>")


@csrf_exempt
def hold(request):
    return twiml("<Say>Thank you for your patience. Calls are answered in the order they were received.</Say>",
                 f'<Play loop="0">{HOLD_MUSIC}</Play>')


def server_error(request):
    page = ("<!DOCTYPE html><html lang=\"en\"><head><title>Something went wrong | Cedar State University"
            "</title></head><body><header><img src=\"/static/csu-logo.svg\" alt=\"Cedar State University\">"
            "</header><main><h1>We're sorry, something went wrong.</h1><p>Our team has been notified. "
            "Please try again later or contact the IT Service Desk.</p></main></body></html>")
    return HttpResponse(page, status=500, content_type="text/html; charset=utf-8")


handler500 = server_error

urlpatterns = [
    path("registrar/voice/", voice),
    path("registrar/menu/", menu),
    path("registrar/transcripts/id/", transcripts_id),
    path("registrar/transcripts/pin/", transcripts_pin),
    path("registrar/transcripts/menu/", transcripts_menu),
    path("registrar/transcripts/status/", transcripts_status),
    path("registrar/holds/", holds),
    path("registrar/hold/", hold),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "registrar-ivr-not-secret"),
            ALLOWED_HOSTS=os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(","),
            ROOT_URLCONF=__name__,
            APPEND_SLASH=True,
            MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
            INSTALLED_APPS=[],
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
