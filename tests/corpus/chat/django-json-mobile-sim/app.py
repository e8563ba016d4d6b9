"""Metro Mobile's web chat bot, a Django project with a JSON API shaped after intent-detection services.

Written like a telecom's bot service built on Django (settings configured in the module, DEBUG off,
CSRF-exempt API view): POST /v2/sessions/detect with {"session", "queryInput": {"text", "languageCode"}}
answers {"responseId", "queryResult": {"intent", "messages": [{"text", "suggestions": [{"title",
"postback"}]}]}}. The conversation is kept per session for as long as the process runs. Verification
needs the account's security PIN; without it the bot sends the customer to the phone line and then
closes the conversation for good: every later message gets "This conversation has ended".
"""

import json
import os
import re
import uuid

import django
from django.conf import settings
from django.http import HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

LINES = {"07700900123": {"pin": "7391", "name": "Jane"}}
SESSIONS: dict[str, dict] = {}


def msg(text, suggestions=None):
    m = {"text": text}
    if suggestions:
        m["suggestions"] = [{"title": t, "postback": p} for t, p in suggestions]
    return m


def detect(session: str, text: str) -> tuple[str, list[dict]]:
    s = SESSIONS.setdefault(session, {"state": "open"})
    t = (text or "").strip()
    low = t.lower()
    if s["state"] == "ended":
        return "conversation.ended", [msg("This conversation has ended. To talk to us again, start a new chat.")]
    if s["state"] == "open":
        if re.search(r"stolen|lost|nicked|missing", low):
            s["state"] = "ask_number"
            return "sim.block", [msg("I'm sorry to hear that. Let's get your SIM blocked so nobody else can use it."),
                                 msg("What's the mobile number of the phone that was stolen?")]
        return "default.welcome", [msg("Hi, I'm the Metro Mobile assistant. What can I help with?",
                                       [("Lost or stolen phone", "My phone was stolen"), ("Check my bill", "bill"),
                                        ("Upgrade", "upgrade")])]
    if s["state"] == "ask_number":
        number = re.sub(r"\D", "", t)
        if number in LINES:
            s["number"] = number
            s["state"] = "ask_pin"
            return "verify.pin", [msg("Thanks. For your security, what's the 4-digit security PIN on your account?")]
        return "verify.number", [msg("I can't find that number. Please type the 11-digit mobile number, like 07700 900000.")]
    if s["state"] == "ask_pin":
        if re.fullmatch(r"\d{4}", t) and t == LINES[s["number"]]["pin"]:
            s["state"] = "verified"
            return "sim.blocked", [msg("Thanks, you're verified. I've blocked your SIM. Reference MM-48213.")]
        s["state"] = "no_pin"
        return "verify.failed", [msg("No problem. Without your security PIN I can't verify you in chat."),
                                 msg("To block your SIM, please call us on 0800 079 0000 from another phone. "
                                     "We're open 24 hours for lost and stolen phones.")]
    if s["state"] == "no_pin":
        s["state"] = "ended"
        return "conversation.close", [msg("Sorry, I can't help with that in chat. This conversation has now ended.")]
    return "default.fallback", [msg("Is there anything else I can help with?")]


@csrf_exempt
def detect_view(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict) or not body.get("session") or not isinstance(body.get("queryInput"), dict):
        return JsonResponse({"error": {"code": 400, "message": "session and queryInput are required",
                                       "status": "INVALID_ARGUMENT"}}, status=400)
    intent, messages = detect(str(body["session"]), str(body["queryInput"].get("text", "")))
    response_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{body['session']}/{len(SESSIONS[str(body['session'])])}/{intent}"))
    return JsonResponse({"responseId": response_id,
                         "queryResult": {"languageCode": body["queryInput"].get("languageCode", "en-GB"),
                                         "intent": {"displayName": intent}, "messages": messages}})


urlpatterns = [path("v2/sessions/detect", detect_view)]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "metro-mobile-bot-not-secret"),
            ALLOWED_HOSTS=["localhost", "127.0.0.1"],
            ROOT_URLCONF=__name__,
            MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
            INSTALLED_APPS=[],
            APPEND_SLASH=False,
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
