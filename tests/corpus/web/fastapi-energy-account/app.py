"""Brightside Energy help centre and online account, as a FastAPI app.

Written like an energy supplier's customer portal: help articles that point into the account, a login
wall (an unauthenticated request for an account page is answered 303 to /login?next=...), a login form
whose e-mail box has only a placeholder and whose password box has only an aria-label (with an icon-only
"Show password" toggle and a "Log in" button ending in a Material Icons glyph), then a step-up security
check that asks again for the e-mail address the customer logged in with, and a payment-date form that
offers four fixed dates.
"""

import hashlib
from html import escape

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

ACCOUNTS = {
    "jane.doe@example.com": {"password": "s3cret-Pa55", "dob": "14/03/1985", "name": "Jane",
                             "account": "BE-7731-0042", "dd_day": "1st"},
}
SESSIONS = {}    # session token -> {"email": ..., "verified": bool}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Brightside Energy</title>
<style>
 body {{ margin: 0; font-family: "Open Sans", Arial, sans-serif; color: #102a43; }}
 .hdr {{ background: #ffd23f; padding: 16px 40px; display: flex; justify-content: space-between; align-items: center; }}
 .hdr a {{ color: #102a43; text-decoration: none; font-weight: 600; margin-left: 22px; }}
 .logo {{ font-size: 22px; font-weight: 800; }}
 main {{ max-width: 760px; margin: 36px auto; padding: 0 20px; min-height: 420px; }}
 .mi {{ font-family: "Material Icons"; font-style: normal; }}
 .box {{ border: 1px solid #d9e2ec; border-radius: 8px; padding: 24px; margin: 20px 0; }}
 input, select {{ display: block; width: 340px; padding: 10px; margin: 6px 0 14px; border: 1px solid #829ab1; border-radius: 4px; }}
 .pw {{ display: flex; align-items: center; gap: 6px; }}
 .pw input {{ margin: 6px 0; }}
 .pw button {{ background: none; border: 0; cursor: pointer; font-size: 20px; }}
 .primary {{ background: #102a43; color: #fff; border: 0; padding: 12px 26px; border-radius: 24px; font-size: 15px; cursor: pointer; text-decoration: none; display: inline-block; }}
 .hint {{ font-size: 13px; color: #486581; }}
 footer {{ background: #102a43; color: #d9e2ec; padding: 26px 40px; font-size: 13px; }}
 footer a {{ color: #d9e2ec; margin-right: 16px; }}
</style>
</head>
<body>
<header class="hdr">
  <a class="logo" href="/" style="margin:0">brightside<span style="color:#fff">●</span></a>
  <nav><a href="/tariffs/">Tariffs</a><a href="/help/">Help</a><a href="/account/">Your account</a></nav>
</header>
<main>
{body}
</main>
<footer>
  <p><a href="/help/">Help centre</a><a href="/help/articles/emergencies">Gas emergency: 0800 111 999</a>
     <a href="/complaints/">Complaints</a><a href="/privacy/">Privacy</a></p>
  <p>Brightside Energy Supply Ltd. Registered office: 4 Harbour Row, Bristol BS1 4QA.</p>
</footer>
</body>
</html>"""

HELP = """
<h1>How can we help?</h1>
<div class="box">
<h2>Billing &amp; payments</h2>
<ul>
  <li><a href="/help/articles/change-direct-debit-date">How do I change my Direct Debit date?</a></li>
  <li><a href="/help/articles/read-your-bill">How to read your bill</a></li>
  <li><a href="/help/articles/payment-difficulties">Struggling to pay?</a></li>
</ul>
<h2>Meters &amp; readings</h2>
<ul>
  <li><a href="/help/articles/submit-a-reading">Submit a meter reading</a></li>
  <li><a href="/help/articles/smart-meters">Smart meters</a></li>
</ul>
</div>
"""

ARTICLE = """
<p class="hint"><a href="/help/">Help</a> / Billing &amp; payments</p>
<h1>How do I change my Direct Debit date?</h1>
<p>You can choose the day of the month your Direct Debit is collected. Changes made at least 10 days
before your next collection take effect straight away.</p>
<p>Log in to your online account and go to <strong>Payments › Change payment date</strong>.</p>
<p><a class="primary" href="/account/payments/date">Change my payment date</a></p>
<h2>Was this article helpful?</h2>
<p><a href="?helpful=yes">Yes</a> · <a href="?helpful=no">No</a></p>
"""

LOGIN = """
<h1>Log in to your account</h1>
{error}
<form method="post" action="/login" class="box">
  <input type="hidden" name="next" value="{next}">
  <input type="email" name="email" placeholder="Email address" autocomplete="username">
  <div class="pw">
    <input type="password" name="password" id="pw" aria-label="Password" autocomplete="current-password">
    <button type="button" aria-label="Show password" onclick="var p=document.getElementById('pw');p.type=p.type==='password'?'text':'password'"><i class="mi">\ue8f4</i></button>
  </div>
  <p><a href="/login/forgotten">Forgotten your password?</a></p>
  <button type="submit" class="primary">Log in <i class="mi">\ue5c8</i></button>
</form>
<p>New to Brightside? <a href="/register">Set up your online account</a></p>
"""

VERIFY = """
<p class="hint"><a href="/account/">Your account</a> / Payments</p>
<h1>Security check</h1>
<p>For your security, please confirm your email address and date of birth before changing your payment details.</p>
<form method="post" action="/account/payments/date/verify" class="box">
  <label for="v-email">Email address</label>
  <input type="email" id="v-email" name="email">
  <label for="v-dob">Date of birth (DD/MM/YYYY)</label>
  <input type="text" id="v-dob" name="dob" inputmode="numeric">
  <button type="submit" class="primary">Continue</button>
</form>
"""

CHOOSE = """
<p class="hint"><a href="/account/">Your account</a> / Payments</p>
<h1>Change your payment date</h1>
<p>Account {account}. Your Direct Debit is currently collected on the <strong>{current}</strong> of each month.</p>
<form method="post" action="/account/payments/date/choose" class="box">
  <label for="dd-day">New payment date</label>
  <select id="dd-day" name="day">
    <option value="1st">1st of the month</option>
    <option value="8th">8th of the month</option>
    <option value="15th">15th of the month</option>
    <option value="22nd">22nd of the month</option>
  </select>
  <p class="hint">Direct Debits can only be collected on these dates. If none of them suit you, please call us
  on 0330 088 4455 (Monday to Friday, 8am to 6pm).</p>
  <button type="submit" class="primary">Save new date</button>
</form>
"""

DONE = """<h1>Payment date updated</h1><p>Your Direct Debit will now be collected on the {day} of each month.</p>
<p><a href="/account/">Back to your account</a></p>"""


def html(title, body, status=200):
    return HTMLResponse(PAGE.format(title=title, body=body), status_code=status)


def make_app():
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    def session(request: Request):
        return SESSIONS.get(request.cookies.get("bs_session", ""))

    def login_wall(request: Request):
        target = request.url.path
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.get("/", response_class=HTMLResponse)
    def home():
        return html("Home", '<h1>Energy that\'s on your side</h1><p><a href="/tariffs/">See our tariffs</a></p>')

    @app.get("/help/", response_class=HTMLResponse)
    def help_centre():
        return html("Help", HELP)

    @app.get("/help/articles/change-direct-debit-date", response_class=HTMLResponse)
    def article():
        return html("Change your Direct Debit date", ARTICLE)

    @app.get("/login", response_class=HTMLResponse)
    def login_form(next: str = "/account/"):
        return html("Log in", LOGIN.format(error="", next=escape(next)))

    @app.post("/login")
    def login(email: str = Form(""), password: str = Form(""), next: str = Form("/account/")):
        account = ACCOUNTS.get(email.strip().lower())
        if account is None or account["password"] != password:
            error = ('<div role="alert" class="box" style="border-color:#d64545">Sorry, that email address '
                     'and password don\'t match our records.</div>')
            return html("Log in", LOGIN.format(error=error, next=escape(next)), status=200)
        token = hashlib.sha256(("bs" + email.strip().lower()).encode()).hexdigest()[:32]
        SESSIONS[token] = {"email": email.strip().lower(), "verified": False}
        response = RedirectResponse(next if next.startswith("/") else "/account/", status_code=303)
        response.set_cookie("bs_session", token, httponly=True, samesite="lax")
        return response

    @app.get("/account/", response_class=HTMLResponse)
    def account_home(request: Request):
        s = session(request)
        if s is None:
            return login_wall(request)
        a = ACCOUNTS[s["email"]]
        return html("Your account", f'<h1>Hello {a["name"]}</h1><ul><li><a href="/account/payments/date">'
                                    f'Change payment date</a></li><li><a href="/account/readings">Submit a meter '
                                    f'reading</a></li></ul>')

    @app.get("/account/payments/date", response_class=HTMLResponse)
    def payment_date(request: Request):
        s = session(request)
        if s is None:
            return login_wall(request)
        if not s["verified"]:
            return html("Security check", VERIFY)
        return RedirectResponse("/account/payments/date/choose", status_code=303)

    @app.post("/account/payments/date/verify")
    def verify(request: Request, email: str = Form(""), dob: str = Form("")):
        s = session(request)
        if s is None:
            return login_wall(request)
        a = ACCOUNTS[s["email"]]
        if email.strip().lower() != s["email"] or dob.strip() != a["dob"]:
            return html("Security check", VERIFY.replace(
                "<form", '<div role="alert" class="box">Those details don\'t match our records.</div><form', 1))
        s["verified"] = True
        return RedirectResponse("/account/payments/date/choose", status_code=303)

    @app.get("/account/payments/date/choose", response_class=HTMLResponse)
    def choose(request: Request):
        s = session(request)
        if s is None:
            return login_wall(request)
        if not s["verified"]:
            return RedirectResponse("/account/payments/date", status_code=303)
        a = ACCOUNTS[s["email"]]
        return html("Change your payment date", CHOOSE.format(account=a["account"], current=a["dd_day"]))

    @app.post("/account/payments/date/choose", response_class=HTMLResponse)
    def save(request: Request, day: str = Form("")):
        s = session(request)
        if s is None or not s["verified"]:
            return login_wall(request)
        ACCOUNTS[s["email"]]["dd_day"] = day
        return html("Payment date updated", DONE.format(day=day))

    return app
