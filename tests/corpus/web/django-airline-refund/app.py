"""Northstar Airways help pages and refund request, as a single-file Django project.

Written like an airline's Django site with DEBUG off, APPEND_SLASH (a link or bookmark without the
trailing slash answers 301), CSRF, and sessions in signed cookies (no database). The refund flow finds
the booking, then shows the refund request form from the airline's claims system, which does not get
the booking from the session and asks for the booking reference again. A flight operated by a partner
ends on a page that hands the customer to the partner airline's website. A cookie notice sits at the
bottom of every page without blocking it.
"""

import os

import django
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path

BOOKINGS = {
    "QX7R2P": {"last_name": "doe", "route": "London Heathrow (LHR) → Edinburgh (EDI)", "date": "Fri 14 June",
               "flight": "NS 1442", "status": "Cancelled", "operator": "Loganair"},
}

LAYOUT = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{{ title }} | Northstar Airways</title>
<style>
 body { margin:0; font-family: "Helvetica Neue", Arial, sans-serif; color:#0a1f44; }
 .masthead { background:#0a1f44; color:#fff; padding:14px 40px; display:flex; justify-content:space-between; align-items:center; }
 .masthead a { color:#fff; text-decoration:none; margin-left:20px; }
 .brand { font-size:22px; font-weight:700; letter-spacing:2px; margin:0 !important; }
 main { max-width:820px; margin:30px auto; padding:0 20px 80px; min-height:460px; }
 .step { font-size:13px; text-transform:uppercase; color:#5a6b8c; letter-spacing:1px; }
 .panel { border:1px solid #c9d3e6; border-radius:6px; padding:22px 26px; margin:18px 0; }
 label { display:block; font-weight:700; margin:14px 0 5px; }
 input[type=text], input[type=email], select { width:330px; padding:9px; border:1px solid #5a6b8c; border-radius:3px; }
 .btn { background:#d4202c; color:#fff; border:0; padding:12px 26px; font-size:15px; border-radius:3px; cursor:pointer; text-decoration:none; display:inline-block; }
 .errorlist { color:#b00020; }
 .cookie-bar { position:fixed; bottom:0; left:0; right:0; background:#f2f4f8; border-top:1px solid #c9d3e6; padding:12px 40px; font-size:14px; }
 footer { background:#0a1f44; color:#c9d3e6; padding:24px 40px; font-size:13px; }
 footer a { color:#c9d3e6; margin-right:14px; }
</style>
</head>
<body>
<header class="masthead">
  <a class="brand" href="/">NORTHSTAR</a>
  <nav><a href="/book/">Book</a><a href="/manage/">Manage booking</a><a href="/check-in/">Check in</a><a href="/help/">Help</a></nav>
</header>
<main>
{{ body|safe }}
</main>
<footer>
  <a href="/help/">Help</a><a href="/conditions-of-carriage/">Conditions of carriage</a><a href="/privacy/">Privacy</a>
  <p>Northstar Airways Ltd. Registered in Scotland SC410293.</p>
</footer>
<div class="cookie-bar" role="region" aria-label="Cookie notice">We use essential cookies to make our site work.
  <a href="/cookies/">Find out more about cookies</a></div>
</body>
</html>"""

HELP = """
<h1>Help</h1>
<div class="panel">
<h2>Disruption and refunds</h2>
<ul>
  <li><a href="/refunds/">Request a refund</a></li>
  <li><a href="/help/delays-and-cancellations/">Delays and cancellations: your rights</a></li>
  <li><a href="/help/compensation/">Claim compensation</a></li>
</ul>
<h2>Your booking</h2>
<ul>
  <li><a href="/manage/">Change or cancel a booking</a></li>
  <li><a href="/help/baggage/">Baggage allowances</a></li>
  <li><a href="/help/special-assistance/">Special assistance</a></li>
</ul>
</div>
"""

FIND = """
<p class="step">Refund request · Step 1 of 3</p>
<h1>Find your booking</h1>
<form method="post" action="/refunds/" class="panel">
  <input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">
  {% if error %}<div role="alert"><ul class="errorlist"><li>{{ error }}</li></ul></div>{% endif %}
  <label for="id_pnr">Booking reference</label>
  <input type="text" id="id_pnr" name="pnr" maxlength="6" value="{{ pnr }}" {% if error %}aria-invalid="true"{% endif %}>
  <label for="id_last_name">Last name</label>
  <input type="text" id="id_last_name" name="last_name" value="{{ last_name }}">
  <p><button class="btn" type="submit">Find booking</button></p>
</form>
"""

DETAILS = """
<p class="step">Refund request · Step 2 of 3</p>
<h1>Your refund request</h1>
<div class="panel">
  <p><strong>{{ b.route }}</strong><br>{{ b.date }} · {{ b.flight }} · <strong>{{ b.status }}</strong></p>
</div>
<form method="post" action="/refunds/details/" class="panel">
  <input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">
  <h2>Refund details</h2>
  <label for="claim_pnr">Booking reference</label>
  <input type="text" id="claim_pnr" name="claim_pnr" maxlength="6">
  <label for="claim_email">Email address</label>
  <input type="email" id="claim_email" name="claim_email">
  <label for="claim_reason">Reason for refund</label>
  <select id="claim_reason" name="claim_reason">
    <option value="">Select a reason</option>
    <option value="cancelled">Flight cancelled by Northstar</option>
    <option value="schedule">Schedule change of more than 3 hours</option>
    <option value="medical">Medical reasons</option>
    <option value="bereavement">Bereavement</option>
  </select>
  <label for="claim_method">Refund to</label>
  <select id="claim_method" name="claim_method">
    <option value="original">Original payment method</option>
    <option value="voucher">Travel voucher (+10% bonus)</option>
  </select>
  <p><button class="btn" type="submit">Continue</button></p>
</form>
"""

PARTNER = """
<p class="step">Refund request · Step 3 of 3</p>
<h1>Your flight was operated by {{ b.operator }}</h1>
<div class="panel">
  <p>Flight {{ b.flight }} on {{ b.date }} was operated by our partner {{ b.operator }}.</p>
  <p>Refunds for flights operated by a partner airline are handled by the operating airline. Please continue
  to the {{ b.operator }} website to request your refund. You'll need your {{ b.operator }} booking reference,
  which is different from your Northstar reference.</p>
  <p><a class="btn" href="https://www.loganair.example/manage/refunds">Continue to {{ b.operator }}</a></p>
</div>
"""


def render(request, title, body, **context):
    from django.middleware.csrf import get_token
    from django.template import engines

    engine = engines["django"]
    context["csrf_token"] = get_token(request)
    inner = engine.from_string(body).render(context)
    return HttpResponse(engine.from_string(LAYOUT).render({"title": title, "body": inner}))


def help_page(request):
    return render(request, "Help", HELP)


def find_booking(request):
    if request.method == "POST":
        pnr = request.POST.get("pnr", "").strip().upper()
        last = request.POST.get("last_name", "").strip()
        booking = BOOKINGS.get(pnr)
        if booking is None or booking["last_name"] != last.lower():
            return render(request, "Find your booking", FIND, pnr=pnr, last_name=last,
                          error="We can't find a booking with those details. Check your booking reference and last name.")
        request.session["pnr"] = pnr
        return redirect("/refunds/details/")
    return render(request, "Find your booking", FIND, pnr="", last_name="")


def details(request):
    pnr = request.session.get("pnr")
    if pnr not in BOOKINGS:
        return redirect("/refunds/")
    booking = BOOKINGS[pnr]
    if request.method == "POST":
        if request.POST.get("claim_pnr", "").strip().upper() == pnr and request.POST.get("claim_email"):
            return redirect("/refunds/partner/")
    return render(request, "Your refund request", DETAILS, b=booking)


def partner(request):
    pnr = request.session.get("pnr")
    if pnr not in BOOKINGS:
        return redirect("/refunds/")
    return render(request, "Partner airline", PARTNER, b=BOOKINGS[pnr])


def info(request, slug):
    return render(request, "Help", '<h1>{{ t }}</h1><p><a href="/help/">Back to Help</a></p>',
                  t=slug.replace("-", " ").capitalize())


urlpatterns = [
    path("help/", help_page),
    path("help/<slug:slug>/", info),
    path("refunds/", find_booking),
    path("refunds/details/", details),
    path("refunds/partner/", partner),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "northstar-refunds-not-secret"),
            ALLOWED_HOSTS=["localhost", "127.0.0.1"],
            ROOT_URLCONF=__name__,
            APPEND_SLASH=True,
            MIDDLEWARE=[
                "django.middleware.common.CommonMiddleware",
                "django.contrib.sessions.middleware.SessionMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
            ],
            INSTALLED_APPS=["django.contrib.sessions"],
            SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
            TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [],
                        "APP_DIRS": False, "OPTIONS": {}}],
            USE_TZ=True,
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
