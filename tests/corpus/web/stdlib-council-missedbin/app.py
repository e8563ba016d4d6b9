"""Eastbrook Borough Council "report a missed bin" service, as a plain WSGI application (standard library).

Written like a district council's site built on the GOV.UK design pattern: a service start page with a
"Start now" button, a one-page form with radios, and a "Report it another way" page. The form handler was
wired to the page renderer when the site moved to a new CMS: a POST is read and thrown away, and the
blank form comes back with 200 and no message. The "House number or name" box is labelled only by
aria-label (the visible text above it is a hint paragraph).
"""

from html import escape
from urllib.parse import parse_qs

LAYOUT = """<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<title>{title} - Eastbrook Borough Council</title>
<style>
 body {{ margin:0; font-family: Arial, sans-serif; color:#0b0c0c; font-size:19px; }}
 .govuk-header {{ background:#0b0c0c; color:#fff; padding:12px 30px; border-bottom:10px solid #00703c; }}
 .govuk-header a {{ color:#fff; text-decoration:none; font-weight:700; font-size:24px; }}
 .govuk-width-container {{ max-width:960px; margin:0 auto; padding:0 30px; }}
 .govuk-breadcrumbs {{ font-size:16px; margin:14px 0; }}
 .govuk-breadcrumbs a {{ color:#1d70b8; }}
 main {{ padding:20px 0 60px; min-height:420px; }}
 .govuk-button {{ background:#00703c; color:#fff; border:0; box-shadow:0 2px 0 #002d18; padding:10px 16px; font-size:19px;
                  cursor:pointer; text-decoration:none; display:inline-block; }}
 .govuk-button--start svg {{ vertical-align:middle; margin-left:6px; }}
 .govuk-form-group {{ margin-bottom:26px; }}
 .govuk-label {{ display:block; font-weight:700; margin-bottom:6px; }}
 .govuk-hint {{ color:#505a5f; margin-bottom:6px; }}
 .govuk-input {{ width:280px; padding:6px; border:2px solid #0b0c0c; font-size:19px; }}
 .govuk-radios__item {{ margin:8px 0; }}
 fieldset {{ border:0; padding:0; margin:0; }}
 legend {{ font-weight:700; margin-bottom:8px; }}
 .govuk-inset-text {{ border-left:10px solid #b1b4b6; padding:12px 18px; margin:20px 0; }}
 .govuk-footer {{ background:#f3f2f1; border-top:1px solid #b1b4b6; padding:30px; font-size:16px; }}
 .govuk-footer a {{ color:#0b0c0c; margin-right:16px; }}
</style>
</head>
<body>
<header class="govuk-header" role="banner"><div class="govuk-width-container">
  <a href="/">Eastbrook Borough Council</a>
</div></header>
<div class="govuk-width-container">
<nav class="govuk-breadcrumbs" aria-label="Breadcrumb">{crumbs}</nav>
<main id="main-content" role="main">
{body}
</main>
</div>
<footer class="govuk-footer" role="contentinfo">
  <a href="/contact/">Contact us</a><a href="/accessibility/">Accessibility statement</a><a href="/privacy/">Privacy</a>
  <a href="/cookies/">Cookies</a>
  <p>&copy; Eastbrook Borough Council, Town Hall, Market Square, Eastbrook EB1 1AA</p>
</footer>
</body>
</html>"""

BINS = """
<h1>Bins and recycling</h1>
<ul>
  <li><a href="/bins-and-recycling/collection-day">Check your bin collection day</a></li>
  <li><a href="/bins-and-recycling/report-a-missed-bin">Report a missed bin collection</a></li>
  <li><a href="/bins-and-recycling/order-a-bin">Order a new or replacement bin</a></li>
  <li><a href="/bins-and-recycling/garden-waste">Garden waste subscription</a></li>
  <li><a href="/bins-and-recycling/bulky-waste">Book a bulky waste collection</a></li>
</ul>
<h2>Christmas and New Year collections</h2>
<p>Collections may be a day later than usual over the holidays.</p>
"""

START = """
<h1>Report a missed bin collection</h1>
<p>Use this service to tell us if your bin was not emptied on your collection day.</p>
<p>Before you start, check your bin was out by 6:30am on your collection day and that nothing in it
was the wrong type of waste.</p>
<p>We'll return to empty your bin within 2 working days of your report.</p>
<div class="govuk-inset-text">If your street was missed, you only need to report it once. Check
<a href="/bins-and-recycling/collection-day">known delays in your area</a> first.</div>
<a href="/forms/missed-bin" role="button" draggable="false" class="govuk-button govuk-button--start">
  Start now
  <svg xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
    <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"/>
  </svg>
</a>
"""

FORM = """
<h1>Report a missed bin collection</h1>
<form method="post" action="/forms/missed-bin" novalidate>
  <input type="hidden" name="formref" value="MB-{{formref}}">
  <div class="govuk-form-group">
    <label class="govuk-label" for="postcode">Postcode</label>
    <input class="govuk-input" id="postcode" name="postcode" type="text" autocomplete="postal-code">
  </div>
  <div class="govuk-form-group">
    <p class="govuk-hint">House number or name</p>
    <input class="govuk-input" name="house" type="text" aria-label="House number or name">
  </div>
  <div class="govuk-form-group">
    <fieldset>
      <legend>Which bin was missed?</legend>
      <div class="govuk-radios__item"><input type="radio" id="bin-refuse" name="bin" value="refuse">
        <label for="bin-refuse">General waste (black lid)</label></div>
      <div class="govuk-radios__item"><input type="radio" id="bin-recycling" name="bin" value="recycling">
        <label for="bin-recycling">Recycling (blue lid)</label></div>
      <div class="govuk-radios__item"><input type="radio" id="bin-garden" name="bin" value="garden">
        <label for="bin-garden">Garden waste (green lid)</label></div>
      <div class="govuk-radios__item"><input type="radio" id="bin-food" name="bin" value="food">
        <label for="bin-food">Food waste caddy</label></div>
    </fieldset>
  </div>
  <div class="govuk-form-group">
    <label class="govuk-label" for="details">Anything else we should know? (optional)</label>
    <textarea id="details" name="details" rows="4" cols="50"></textarea>
  </div>
  <button type="submit" class="govuk-button">Submit report</button>
</form>
<p><a href="/contact/report-it-another-way">Having problems with this form? Report it another way</a></p>
"""

ANOTHER_WAY = """
<h1>Report it another way</h1>
<p>If you can't use our online forms, please call us on 01632 960 000 (Monday to Friday, 8:30am to 5pm)
and an adviser will take your report.</p>
<p>You can also visit the Customer Service Centre at Eastbrook Town Hall, Market Square (Monday to
Friday, 9am to 4pm).</p>
<h2>If you need help using our website</h2>
<p>Read our <a href="/accessibility/">accessibility statement</a>.</p>
"""

NOT_FOUND = "<h1>Page not found</h1><p>If you typed the web address, check it is correct.</p>"


def crumbs(*pairs):
    parts = ['<a href="/">Home</a>'] + [f'<a href="{href}">{escape(text)}</a>' for text, href in pairs]
    return " › ".join(parts)


def render(start_response, title, body, crumb_html, status="200 OK"):
    data = LAYOUT.format(title=escape(title), body=body, crumbs=crumb_html).encode("utf-8")
    start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data))),
                            ("Cache-Control", "no-store")])
    return [data]


class MissedBinApp:
    def __init__(self):
        self.counter = 7310

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        bins = ("Bins and recycling", "/bins-and-recycling/")
        if path in ("/", "/bins-and-recycling/"):
            return render(start_response, "Bins and recycling", BINS, crumbs())
        if path == "/bins-and-recycling/report-a-missed-bin":
            return render(start_response, "Report a missed bin collection", START, crumbs(bins))
        if path == "/forms/missed-bin":
            if method == "POST":
                # The CMS migration pointed the form's POST at the page renderer: the body is read and dropped.
                size = int(environ.get("CONTENT_LENGTH") or 0)
                parse_qs(environ["wsgi.input"].read(size).decode("utf-8", "replace"))
            self.counter += 1
            body = FORM.replace("{{formref}}", str(self.counter))
            return render(start_response, "Report a missed bin collection", body,
                          crumbs(bins, ("Report a missed bin collection", "/bins-and-recycling/report-a-missed-bin")))
        if path == "/contact/report-it-another-way":
            return render(start_response, "Report it another way", ANOTHER_WAY, crumbs(("Contact us", "/contact/")))
        return render(start_response, "Page not found", NOT_FOUND, crumbs(), status="404 Not Found")


def make_app():
    return MissedBinApp()
