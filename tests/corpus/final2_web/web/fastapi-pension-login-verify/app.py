"""Harbourline Pensions' member site, as a FastAPI application.

Written like a workplace pension provider's "MyHarbourline" portal: a home page with a transfer FAQ
teaser; "View my pension" behind a login wall (303 to /login?next=...). The login page carries two forms,
"Log in" (plan number with only a placeholder, password with an icon-only "Show password" toggle) and
"Register for online access" (plan number, date of birth, National Insurance number). After the password
a one-time code is sent by text to the mobile number on file; "Resend code" sends it to the same number
again, and "I no longer use this number" says the number cannot be changed online and gives the Member
Centre's phone line, with an activation code posted afterwards.
"""

from html import escape

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

MEMBERS = {"HP-3318206": {"password": "Tideline#4471", "name": "Gareth Pryce", "mobile_end": "4471"}}
SESSIONS: dict[str, dict] = {}

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} - Harbourline Pensions</title>
<style>
  @font-face {{ font-family: "Font Awesome 6 Free"; src: url("/webfonts/fa-solid-900.woff2") format("woff2"); }}
  .fa {{ font-family: "Font Awesome 6 Free"; font-weight: 900; font-style: normal; }}
  body {{ margin: 0; font-family: "Source Sans Pro", "Segoe UI", sans-serif; color: #1c2541; background: #f4f6fb; }}
  .bar {{ background: #1c2541; color: #fff; padding: 16px 36px; font-size: 20px; letter-spacing: .5px; }}
  .bar a {{ color: #fff; font-size: 15px; float: right; }}
  main {{ max-width: 880px; margin: 30px auto; padding: 0 24px; }}
  .cols {{ display: grid; grid-template-columns: 1fr 1fr; gap: 28px; }}
  .tile {{ background: #fff; border-radius: 6px; padding: 20px 24px; box-shadow: 0 1px 3px rgba(0,0,0,.12); }}
  .row {{ margin: 14px 0; }}
  .row label {{ display: block; font-weight: 600; margin-bottom: 4px; }}
  .row input {{ width: 280px; padding: 8px; border: 1px solid #8a94ad; border-radius: 3px; }}
  .pw {{ display: flex; align-items: center; gap: 6px; }}
  .btn {{ background: #3a86ff; color: #fff; border: 0; border-radius: 3px; padding: 10px 22px; font-size: 15px; cursor: pointer; }}
  .ghost {{ background: none; border: 1px solid #8a94ad; border-radius: 3px; padding: 8px 10px; cursor: pointer; }}
  .faq h3 a {{ color: #1c2541; }}
  footer {{ text-align: center; font-size: 13px; color: #5b6580; padding: 24px; }}
</style>
</head>
<body>
<div class="bar">HARBOURLINE <a href="/login">Member login</a></div>
<main>
{body}
</main>
<footer>Harbourline Pensions is the trading name of Harbourline Trustees Ltd. Member Centre: 0345 072 6810,
  Monday to Friday 8.30am to 6pm. <a href="/privacy">Privacy</a></footer>
</body>
</html>"""

HOME = """
<h1>Your workplace pension, in one place</h1>
<div class="cols">
  <div class="tile"><h2>Members</h2>
    <p>See what your pension is worth, update your beneficiaries and plan your retirement.</p>
    <p><a class="btn" href="/account">View my pension</a></p></div>
  <div class="tile faq"><h2>Popular questions</h2>
    <h3><a href="/help/transfers">How long does a transfer out take?</a></h3>
    <p>Most transfers to another provider complete within 10 working days of our receiving the forms.</p>
    <h3><a href="/help/retirement-age">When can I take my pension?</a></h3>
    <p>Usually from age 55 (57 from April 2028).</p></div>
</div>
"""

LOGIN = """
<h1>MyHarbourline</h1>
<div class="cols">
<div class="tile">
<h2>Log in</h2>
<form method="post" action="/login">
  <input type="hidden" name="next" value="{next}">
  <div class="row"><input type="text" name="plan" placeholder="Plan number" autocomplete="username"></div>
  <div class="row"><label for="pw">Password</label>
    <div class="pw"><input type="password" id="pw" name="password" autocomplete="current-password">
    <button type="button" class="ghost" aria-label="Show password"
            onclick="var f=document.getElementById('pw'); f.type = f.type === 'password' ? 'text' : 'password';"><i class="fa" aria-hidden="true">\uf06e</i></button></div></div>
  {error}
  <button type="submit" class="btn">Log in <i class="fa" aria-hidden="true">\uf2f6</i></button>
</form>
<p><a href="/login/forgotten">Forgotten your password?</a></p>
</div>
<div class="tile">
<h2>Register for online access</h2>
<form method="post" action="/register">
  <div class="row"><label for="r-plan">Plan number</label><input type="text" id="r-plan" name="plan"></div>
  <div class="row"><label for="r-dob">Date of birth</label><input type="text" id="r-dob" name="dob" placeholder="DD/MM/YYYY"></div>
  <div class="row"><label for="r-ni">National Insurance number</label><input type="text" id="r-ni" name="ni"></div>
  <button type="submit" class="btn">Register</button>
</form>
</div>
</div>
"""

VERIFY = """
<h1>Check it's you</h1>
<p>{lead} to your mobile number ending {end}. Enter it below within 10 minutes.</p>
<form method="post" action="/verify">
  <div class="row"><label for="code">Security code</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" style="width:140px"></div>
  <button type="submit" class="btn">Continue</button>
</form>
<form method="post" action="/verify/resend" style="margin-top:14px">
  <button type="submit" class="ghost">Resend code</button>
</form>
<p><a href="/verify/help">I no longer use this number</a></p>
"""

VERIFY_HELP = """
<h1>Changed your mobile number?</h1>
<p>For your security, we can't change the mobile number on your account online.</p>
<p>Please call our Member Centre on <strong>0345 072 6810</strong> (Monday to Friday, 8.30am to 6pm). After a few
   security questions we'll post a new activation code to your home address, which can take up to 7 working days
   to arrive.</p>
<p><a href="/verify">Back</a></p>
"""


def make_app():
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    def page(title, body, status=200):
        return HTMLResponse(BASE.format(title=escape(title), body=body), status_code=status)

    def session(request: Request):
        return SESSIONS.get(request.cookies.get("hl_sid", ""))

    @app.get("/", response_class=HTMLResponse)
    def home():
        return page("Home", HOME)

    @app.get("/account", response_class=HTMLResponse)
    def account(request: Request):
        s = session(request)
        if not s or not s.get("verified"):
            return RedirectResponse("/login?next=/account", status_code=303)
        return page("My pension", "<h1>My pension</h1><p>Your pension is worth £48,210.77.</p>")

    @app.get("/login", response_class=HTMLResponse)
    def login_form(next: str = "/account"):
        nxt = next if next.startswith("/") else "/account"
        return page("Log in", LOGIN.format(next=escape(nxt), error=""))

    @app.post("/login", response_class=HTMLResponse)
    def login(plan: str = Form(""), password: str = Form(""), next: str = Form("/account")):
        member = MEMBERS.get(plan.strip().upper())
        if not member or member["password"] != password:
            error = '<p role="alert" style="color:#b3261e">Your plan number or password is incorrect.</p>'
            return page("Log in", LOGIN.format(next=escape(next), error=error))
        sid = f"s{len(SESSIONS) + 1:05d}"
        SESSIONS[sid] = {"plan": plan.strip().upper(), "verified": False, "resent": False}
        response = RedirectResponse("/verify", status_code=303)
        response.set_cookie("hl_sid", sid, httponly=True, samesite="lax")
        return response

    @app.post("/register", response_class=HTMLResponse)
    def register():
        return page("Register", "<h1>Register for online access</h1><p>We'll post an activation code to your home address.</p>")

    @app.get("/verify", response_class=HTMLResponse)
    def verify(request: Request):
        s = session(request)
        if not s:
            return RedirectResponse("/login?next=/account", status_code=303)
        lead = ("We've sent a new 6-digit code by text message" if s["resent"]
                else "We've sent a 6-digit code by text message")
        return page("Check it's you", VERIFY.format(lead=lead, end=MEMBERS[s["plan"]]["mobile_end"]))

    @app.post("/verify", response_class=HTMLResponse)
    def verify_code(request: Request):
        return RedirectResponse("/verify", status_code=303)

    @app.post("/verify/resend", response_class=HTMLResponse)
    def resend(request: Request):
        s = session(request)
        if s:
            s["resent"] = True
        return RedirectResponse("/verify", status_code=303)

    @app.get("/verify/help", response_class=HTMLResponse)
    def verify_help():
        return page("Changed your mobile number?", VERIFY_HELP)

    @app.get("/{rest:path}", response_class=HTMLResponse)
    def other(rest: str):
        return page("Harbourline", "<h1>Page not available</h1><p><a href=\"/\">Home</a></p>", status=404)

    return app
