"""Calder Vale Water's "report a leak" pages, as a Django application (settings configured in code).

Written like a regional water company's site: /report-a-leak answers Django's APPEND_SLASH 301 to
/report-a-leak/; a small cookie notice sits at the bottom of the screen without covering anything. The
page holds two forms: "Check for known problems in your area" (a GET lookup by postcode, so the postcode
lands in the URL) and "Report a leak" (POST with CSRF, `novalidate`, validated on the server). Both have
a field labelled "Postcode". A bad e-mail address re-renders the form with 200, a role="alert" summary,
Django's ul.errorlist and aria-invalid on the field, keeping what was typed. A report is accepted with a
reference and an inspection window.
"""

import html
import re

import django
from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path
from django.views.decorators.http import require_http_methods

LOCATIONS = [
    ("road", "Pavement or road"),
    ("verge", "Grass verge or open ground"),
    ("meter", "Under a water meter or stop tap cover"),
    ("inside", "Inside my home"),
]

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} | Calder Vale Water</title>
<style>
  @font-face {{ font-family: "cvw-icons"; src: url("/static/fonts/cvw-icons.woff") format("woff"); }}
  .ico {{ font-family: "cvw-icons"; }}
  body {{ margin: 0; font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; background: #fff; }}
  .top {{ background: #00558c; color: #fff; padding: 14px 40px; font-size: 20px; font-weight: bold; }}
  .wrap {{ max-width: 900px; margin: 0 auto; padding: 20px 40px 80px; }}
  .panel {{ border: 1px solid #b1b4b6; padding: 18px 24px; margin: 22px 0; }}
  .panel h2 {{ margin-top: 0; }}
  .q {{ margin: 14px 0; }}
  .q label.block {{ display: block; font-weight: bold; margin-bottom: 4px; }}
  .q input[type=text], .q textarea {{ width: 340px; padding: 7px; border: 2px solid #0b0c0c; }}
  .q input[aria-invalid=true] {{ border-color: #d4351c; }}
  .errorlist {{ color: #d4351c; font-weight: bold; margin: 4px 0; padding-left: 18px; }}
  .summary {{ border: 4px solid #d4351c; padding: 12px 18px; margin-bottom: 18px; }}
  button {{ background: #00703c; color: #fff; border: 0; padding: 10px 18px; font-size: 16px; cursor: pointer; }}
  .cookie-note {{ position: fixed; left: 0; right: 0; bottom: 0; background: #f3f2f1; border-top: 2px solid #00558c;
                  padding: 10px 40px; font-size: 14px; }}
  footer {{ font-size: 13px; color: #505a5f; border-top: 1px solid #b1b4b6; padding-top: 12px; }}
</style>
</head>
<body>
<div class="top">Calder Vale Water</div>
<div class="wrap">
{body}
<footer>Calder Vale Water Ltd. Leakline (24 hours): 0800 917 0440. <a href="/accessibility/">Accessibility</a></footer>
</div>
<div class="cookie-note">We use cookies to make this site work and to count visits. <a href="/cookies/">Cookie settings</a></div>
</body>
</html>"""

REPORT = """
<h1>Report a leak</h1>
<p>Seen water where it shouldn't be? Tell us where it is and we'll send someone to look. If water is
   flooding a road or a property, call our Leakline instead.</p>

<div class="panel">
<h2>Check for known problems in your area</h2>
<form method="get" action="/incidents/">
  <div class="q"><label class="block" for="area-pc">Postcode</label><input type="text" id="area-pc" name="postcode" style="width:140px"></div>
  <button type="submit">Check my area</button>
</form>
</div>

<div class="panel">
<h2>Report a leak</h2>
{summary}
<form method="post" action="/report-a-leak/" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
  <div class="q"><label class="block" for="id_postcode">Postcode</label>
    <span class="hint">The postcode of the place where you can see the leak.</span><br>
    <input type="text" id="id_postcode" name="postcode" value="{postcode}" style="width:140px"></div>
  <fieldset class="q"><legend>Where is the leak?</legend>
    {locations}
    <p class="hint">Leaks on pipes inside your home are usually the owner's to fix; a plumber can help.</p>
  </fieldset>
  <div class="q"><label class="block" for="id_details">Describe what you can see</label>
    <textarea id="id_details" name="details" rows="4">{details}</textarea></div>
  <div class="q"><label class="block" for="id_name">Your name</label>
    <input type="text" id="id_name" name="name" value="{name}"></div>
  <div class="q"><label class="block" for="id_email">Your e-mail</label>
    {email_errors}
    <input type="text" id="id_email" name="email" value="{email}"{email_invalid}></div>
  <p class="hint">We'll send a copy of your report to this address.</p>
  <button type="submit">Send report <span class="ico" aria-hidden="true">\uf1d8</span></button>
</form>
</div>
"""

INCIDENTS = """
<h1>Known problems near {postcode}</h1>
<p>We don't know of any bursts, planned work or supply interruptions near {postcode} at the moment.</p>
<p>If you can see a leak, <a href="/report-a-leak/">report it now</a>.</p>
"""

THANKS = """
<h1>Thank you for reporting a leak</h1>
<p>Your leak reference is <strong>CV-58210</strong>. We've sent a copy of your report to {email}.</p>
<p>A leak technician will inspect it within 5 working days. Leaks that flood a road or cut off anyone's
   supply are attended within 4 hours.</p>
<p><a href="/report-a-leak/">Report another leak</a></p>
"""


def page(title, body, status=200):
    return HttpResponse(BASE.format(title=html.escape(title), body=body), status=status)


def render_report(request, values=None, errors=None):
    values = values or {}
    errors = errors or {}
    chosen = values.get("location", "")
    locations = "\n    ".join(
        f'<div><input type="radio" id="loc-{v}" name="location" value="{v}"{" checked" if v == chosen else ""}> '
        f'<label for="loc-{v}">{label}</label></div>' for v, label in LOCATIONS)
    summary = ""
    if errors:
        items = "".join(f'<li><a href="#id_{k}">{html.escape(m)}</a></li>' for k, m in errors.items())
        summary = (f'<div class="summary" role="alert"><h3>There is a problem</h3><ul>{items}</ul></div>')
    body = REPORT.format(
        summary=summary, csrf=get_token(request), locations=locations,
        postcode=html.escape(values.get("postcode", "")), details=html.escape(values.get("details", "")),
        name=html.escape(values.get("name", "")), email=html.escape(values.get("email", "")),
        email_errors=(f'<ul class="errorlist"><li>{html.escape(errors["email"])}</li></ul>' if "email" in errors else ""),
        email_invalid=(' aria-invalid="true" aria-describedby="id_email_error"' if "email" in errors else ""))
    return page("Report a leak", body)


@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "GET":
        return render_report(request)
    values = {k: request.POST.get(k, "").strip() for k in ("postcode", "location", "details", "name", "email")}
    errors = {}
    if not values["postcode"]:
        errors["postcode"] = "Enter the postcode of the leak"
    if not values["location"]:
        errors["location"] = "Tell us where the leak is"
    if not re.fullmatch(r"[^@\s,]+@[^@\s,]+\.[A-Za-z]{2,}", values["email"]):
        errors["email"] = "Enter an e-mail address in the correct format, like name@example.com"
    if errors:
        return render_report(request, values, errors)
    response = HttpResponseRedirect("/report-a-leak/thanks/")
    response.status_code = 303
    response.set_cookie("cvw_report", values["email"].replace("@", "%40"), path="/report-a-leak/", httponly=True)
    return response


def thanks(request):
    email = request.COOKIES.get("cvw_report", "").replace("%40", "@")
    return page("Leak reported", THANKS.format(email=html.escape(email or "you")))


def incidents(request):
    postcode = html.escape(request.GET.get("postcode", "").strip().upper() or "you")
    return page("Known problems", INCIDENTS.format(postcode=postcode))


def simple(request, *args, **kwargs):
    return page("Calder Vale Water", "<h1>Calder Vale Water</h1><p>This page is being updated.</p>"
                '<p><a href="/report-a-leak/">Report a leak</a></p>')


urlpatterns = [
    path("report-a-leak/", report),
    path("report-a-leak/thanks/", thanks),
    path("incidents/", incidents),
    path("cookies/", simple),
    path("accessibility/", simple),
]


def make_app():
    if not settings.configured:
        settings.configure(
            DEBUG=False,
            SECRET_KEY="calder-vale-corpus-not-a-secret",
            ALLOWED_HOSTS=["127.0.0.1", "localhost"],
            ROOT_URLCONF=__name__,
            APPEND_SLASH=True,
            MIDDLEWARE=[
                "django.middleware.common.CommonMiddleware",
                "django.middleware.csrf.CsrfViewMiddleware",
            ],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()
