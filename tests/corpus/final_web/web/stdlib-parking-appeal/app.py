"""Parkwise Enforcement's "pay or appeal" site, as a plain WSGI application (standard library only).

Written like a private car-park operator's PCN portal: a start page with a GET lookup (the PCN number
box has only a placeholder), a charge page, and an appeal form. The lookup stores the charge in a
`pw_pcn` cookie scoped to `Path=/pcn` (a classic bug), so the browser never sends it with the POST to
/appeal: the handler finds no charge in the request, throws the submission away and renders the same
blank appeal form again with 200 and no message. The form's "Postcode" box has only an aria-label.
"Other ways to appeal" sends motorists to e-mail (or post), with the acknowledgement and decision times.
"""

import html
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

CHARGES = {
    ("PW90413377", "LK19XRT"): {
        "site": "Riverside Retail Park, Warrington",
        "when": "14:52 on Wednesday 2 October 2024",
        "reason": "No valid pay and display ticket or permit",
        "amount": "£60",
        "rises": "£100 if not paid within 14 days",
    },
}

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} - Parkwise</title>
<style>
  body {{ margin: 0; font-family: Tahoma, Arial, sans-serif; background: #eef1f4; color: #222; }}
  .hd {{ background: #ffd200; padding: 14px 30px; font-weight: bold; font-size: 22px; }}
  .hd small {{ font-weight: normal; font-size: 13px; margin-left: 12px; }}
  .box {{ max-width: 700px; margin: 26px auto; background: #fff; padding: 22px 30px; border: 1px solid #cdd3da; }}
  .f {{ margin: 14px 0; }}
  .f label, .f .q {{ display: block; font-weight: bold; margin-bottom: 4px; }}
  .f input[type=text], .f input[type=email], .f textarea {{ width: 340px; padding: 8px; }}
  .f .r label {{ display: inline; font-weight: normal; }}
  input[type=submit], .btn {{ background: #1d3557; color: #fff; border: 0; padding: 10px 22px; font-size: 15px;
                             text-decoration: none; display: inline-block; cursor: pointer; }}
  dl {{ display: grid; grid-template-columns: 180px 1fr; }}
  dt {{ font-weight: bold; }}
  .ft {{ text-align: center; font-size: 12px; color: #666; padding: 16px; }}
</style>
</head>
<body>
<div class="hd">PARKWISE<small>Parking Charge Notices</small></div>
<div class="box">
{body}
</div>
<div class="ft">Parkwise Enforcement Ltd is a member of the British Parking Association's Approved Operator Scheme.
  <a href="/privacy">Privacy notice</a></div>
</body>
</html>"""

START = """
<h1>Pay or appeal a Parking Charge Notice</h1>
<p>Enter the details from your notice to see the charge, pay it, or appeal.</p>
<form method="get" action="/pcn">
  <div class="f"><input type="text" name="pcn" placeholder="PCN number (10 characters)" autocomplete="off"></div>
  <div class="f"><label for="vrm">Vehicle registration</label><input type="text" id="vrm" name="vrm"></div>
  <input type="submit" value="Find my PCN">
</form>
<p style="margin-top:22px">Paying by phone? Our automated line is open 24 hours: 0300 303 8117.</p>
"""

CHARGE = """
<h1>Parking Charge Notice {pcn}</h1>
<dl>
  <dt>Vehicle</dt><dd>{vrm}</dd>
  <dt>Car park</dt><dd>{site}</dd>
  <dt>Date and time</dt><dd>{when}</dd>
  <dt>Reason</dt><dd>{reason}</dd>
  <dt>Amount due</dt><dd>{amount} ({rises})</dd>
</dl>
<p><a class="btn" href="/pay">Pay now</a> <a class="btn" href="/appeal">Appeal this charge</a></p>
"""

APPEAL = """
<h1>Appeal your Parking Charge Notice</h1>
<p>Tell us why you think the charge should be cancelled. You must appeal within 28 days of the notice date.</p>
<form method="post" action="/appeal">
  <div class="f"><label for="a-name">Your full name</label><input type="text" id="a-name" name="name"></div>
  <div class="f"><label for="a-email">Email address</label><input type="email" id="a-email" name="email"></div>
  <div class="f"><input type="text" name="postcode" aria-label="Postcode" style="width:140px;padding:8px"></div>
  <div class="f"><span class="q">Why are you appealing?</span>
    <div class="r"><input type="radio" id="g1" name="ground" value="ticket"> <label for="g1">I had a valid ticket or permit</label></div>
    <div class="r"><input type="radio" id="g2" name="ground" value="driver"> <label for="g2">I was not the driver</label></div>
    <div class="r"><input type="radio" id="g3" name="ground" value="signs"> <label for="g3">The signs were unclear</label></div>
    <div class="r"><input type="radio" id="g4" name="ground" value="other"> <label for="g4">Something else</label></div>
  </div>
  <div class="f"><label for="a-text">Tell us what happened</label><textarea id="a-text" name="details" rows="5"></textarea></div>
  <input type="submit" value="Submit appeal">
</form>
<p style="margin-top:20px"><a href="/appeal/other-ways">Other ways to appeal</a></p>
"""

OTHER_WAYS = """
<h1>Other ways to appeal</h1>
<p>If you can't use the online form, e-mail your appeal to <strong>appeals@parkwise-enforcement.example</strong>
   with your PCN number in the subject line and any photos or receipts attached.</p>
<p>You can also write to Parkwise Appeals, PO Box 417, Warrington WA1 9ZZ.</p>
<p>We'll acknowledge your appeal within 5 working days and send you our decision within 28 days.
   While we consider it, the charge is put on hold.</p>
<p><a href="/">Back to the start</a></p>
"""

SIMPLE = """<h1>{heading}</h1><p>{text}</p><p><a href="/">Back to the start</a></p>"""


def make_app():
    def respond(start_response, status, body, title, headers=()):
        data = BASE.format(title=html.escape(title), body=body).encode("utf-8")
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data))),
                                *headers])
        return [data]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        cookies = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        if path == "/":
            return respond(start_response, "200 OK", START, "Pay or appeal")
        if path == "/pcn":
            pcn = query.get("pcn", "").strip().upper().replace(" ", "")
            vrm = query.get("vrm", "").strip().upper().replace(" ", "")
            charge = CHARGES.get((pcn, vrm))
            if charge is None:
                body = ("<h1>We couldn't find that notice</h1><p>Check the PCN number and vehicle registration "
                        'and try again.</p><p><a href="/">Try again</a></p>')
                return respond(start_response, "404 Not Found", body, "Not found")
            body = CHARGE.format(pcn=pcn, vrm=vrm, **{k: html.escape(v) for k, v in charge.items()})
            # The bug: the cookie is scoped to /pcn, so /appeal never sees it.
            cookie = ("Set-Cookie", f"pw_pcn={pcn}:{vrm}; Path=/pcn; HttpOnly; SameSite=Lax")
            return respond(start_response, "200 OK", body, f"PCN {pcn}", [cookie])
        if path == "/appeal":
            if method == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                environ["wsgi.input"].read(length)
                if "pw_pcn" not in cookies:
                    # No charge in the session: the submission is dropped and the blank form shown again.
                    return respond(start_response, "200 OK", APPEAL, "Appeal")
                return respond(start_response, "200 OK", SIMPLE.format(heading="Appeal received",
                                                                        text="We'll be in touch."), "Appeal received")
            return respond(start_response, "200 OK", APPEAL, "Appeal")
        if path == "/appeal/other-ways":
            return respond(start_response, "200 OK", OTHER_WAYS, "Other ways to appeal")
        if path in ("/pay", "/privacy"):
            return respond(start_response, "200 OK", SIMPLE.format(heading="Parkwise", text="This page is unavailable."),
                           "Parkwise")
        if path == "/favicon.ico":
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        return respond(start_response, "404 Not Found", SIMPLE.format(heading="Page not found", text=""), "Not found")

    return app
