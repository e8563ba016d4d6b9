"""Lumen Student Finance's virtual assistant "Ada", a nested JSON chat API, as a Django application.

Written like a loans servicer's assistant behind a bot gateway in the style of activity-based bot
frameworks: POST /api/v3/conversations/turn with {"conversation": {"id"}, "activity": {"type": "message",
"text", "locale"}} answers {"conversationId", "botResponse": {"activities": [{"type": "message", "text",
"suggestedActions": [{"title", "value"}]}]}}; pressing a suggested action sends its value. Conversations
are kept per conversation id for as long as the server runs. Ada checks the customer reference and date
of birth (a date she cannot read is asked again with the format and an example), sends the annual
statement by e-mail, and answers the moving-abroad question by pointing to the online account's form.
"""

import json
import re

import django
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

TOPICS = [("Repayments", "topic.repayments"), ("Statements", "topic.statements"),
          ("Moving abroad", "topic.abroad"), ("Update my details", "topic.details")]
CUSTOMERS = {"40218867305": {"dob": "03/05/1999", "first": "Sofia", "email_masked": "s\u2022\u2022\u2022\u2022\u2022\u2022@example.com"}}
CONVERSATIONS: dict[str, dict] = {}


def say(text, actions=None):
    out = {"type": "message", "text": text}
    if actions:
        out["suggestedActions"] = [{"title": t, "value": v} for t, v in actions]
    return out


def ada(cid: str, text: str) -> list[dict]:
    c = CONVERSATIONS.setdefault(cid, {"at": "new"})
    t = (text or "").strip()
    at = c["at"]
    if at == "new":
        c["at"] = "topics"
        return [say("Hello, I'm Ada, Lumen Student Finance's virtual assistant."),
                say("Type your question, or choose a topic.", TOPICS)]
    if at == "ask_ref":
        digits = re.sub(r"\D", "", t)
        if digits in CUSTOMERS:
            c.update(at="ask_dob", ref=digits)
            return [say("Thanks. And your date of birth, please?")]
        return [say("That doesn't look like a customer reference number. It's 11 digits, like 40123456789.")]
    if at == "ask_dob":
        if not re.fullmatch(r"\d{2}/\d{2}/\d{4}", t):
            return [say("Sorry, I need your date of birth as DD/MM/YYYY, for example 21/09/2001.")]
        customer = CUSTOMERS[c["ref"]]
        if t != customer["dob"]:
            return [say("Those details don't match our records. Please check your date of birth.")]
        c["at"] = "verified"
        return [say(f"Thanks, {customer['first']}, you're verified. Your 2024 annual statement is ready."),
                say("How would you like it?", [("E-mail it to me", "statement.email"), ("Post it to me", "statement.post")])]
    if t == "statement.email" and at == "verified":
        c["at"] = "served"
        customer = CUSTOMERS[c["ref"]]
        return [say(f"Done! I've e-mailed a PDF of your 2024 statement to {customer['email_masked']}. It shows your "
                    "balance on 5 April 2024 and the interest added during the year.")]
    if t == "statement.post" and at == "verified":
        c["at"] = "served"
        return [say("Done. Your statement will be posted to the address we hold for you.")]
    if re.search(r"\b(moving|move|abroad|overseas|spain|leaving the uk)\b", t, re.I) or t == "topic.abroad":
        c["at"] = "served" if at in ("served", "abroad") else at
        c["abroad"] = True
        return [say("Yes. If you're leaving the UK for more than 3 months, you need to tell us by completing an "
                    "Overseas Income Assessment form."),
                say("I can't take it in chat: please complete the form in your online account at "
                    "lumen-sf.example/account, under Moving abroad."),
                say("We review forms within 6 weeks. Until then, repayments are set at a fixed monthly amount.")]
    if t == "topic.statements":
        c["at"] = "ask_ref"
        return [say("I can help with statements. First, what's your customer reference number? It's the 11-digit "
                    "number on any letter or e-mail from us.")]
    if re.search(r"\b(that's all|bye|goodbye)\b", t, re.I) and at == "served":
        c["at"] = "ended"
        first = CUSTOMERS[c["ref"]]["first"] if c.get("ref") else "there"
        return [say(f"You're welcome, {first}. Good luck with the move!")]
    if t in ("topic.repayments", "topic.details"):
        return [say("You can see and change that in your online account.", TOPICS)]
    return [say("Sorry, I didn't understand. Could you put it another way?")]


@csrf_exempt
def turn(request):
    if request.method != "POST":
        return JsonResponse({"error": {"code": "MethodNotAllowed"}}, status=405)
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("conversation"), dict) \
            or not isinstance(body.get("activity"), dict) or not body["conversation"].get("id"):
        return JsonResponse({"error": {"code": "BadArgument", "message": "conversation.id and activity are required"}},
                            status=400)
    cid = str(body["conversation"]["id"])
    activities = ada(cid, str(body["activity"].get("text") or ""))
    return JsonResponse({"conversationId": cid, "botResponse": {"activities": activities}},
                        json_dumps_params={"ensure_ascii": False})


def health(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("api/v3/conversations/turn", turn),
    path("healthz", health),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="lumen-corpus-not-a-secret",
            ALLOWED_HOSTS=["127.0.0.1", "localhost"],
            ROOT_URLCONF=__name__,
            MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
