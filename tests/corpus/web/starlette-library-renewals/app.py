"""Kingsford Libraries online account (renewals), as a Starlette app.

Written like a public library's catalogue and account pages (the Koha/Spydus kind): a catalogue search
in the header, "Renew your loans" on the home page, a sign-in form with the library card number and a
PIN, a loans table with checkboxes and "Renew selected", and a confirmation with new due dates and a
reference. The hint under the PIN box and the footer mention visiting a library and a phone number;
nothing here requires them. Everything works: this case is the clean control.
"""

import hashlib
from html import escape

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

MEMBERS = {"29876001234567": {"pin": "4821", "name": "Alex Morgan"}}
LOANS = {
    "29876001234567": [
        {"id": "b1", "title": "The Salt Path", "author": "Raynor Winn", "due": "Tue 18 June", "renewable": True},
        {"id": "b2", "title": "Braiding Sweetgrass", "author": "Robin Wall Kimmerer", "due": "Tue 18 June", "renewable": True},
    ],
}
NEW_DUE = "Tue 9 July"
SESSIONS = {}

LAYOUT = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} › Kingsford Libraries</title>
<style>
 body {{ margin:0; font-family: Verdana, Geneva, sans-serif; font-size:15px; color:#222; }}
 #header {{ background:#2b5f3a; color:#fff; padding:12px 36px; display:flex; justify-content:space-between; align-items:center; }}
 #header a {{ color:#fff; }}
 #header .site {{ font-size:20px; font-weight:bold; text-decoration:none; }}
 #header form input {{ padding:6px; width:240px; }}
 #menu {{ background:#e8efe9; padding:8px 36px; }}
 #menu a {{ margin-right:18px; color:#2b5f3a; }}
 #content {{ max-width:860px; margin:26px auto; padding:0 20px; min-height:440px; }}
 table {{ border-collapse:collapse; width:100%; }}
 th, td {{ border-bottom:1px solid #ccc; padding:8px; text-align:left; }}
 .btn {{ background:#2b5f3a; color:#fff; border:0; padding:9px 20px; cursor:pointer; text-decoration:none; display:inline-block; }}
 label {{ display:block; font-weight:bold; margin-top:12px; }}
 input[type=text], input[type=password] {{ width:260px; padding:7px; }}
 .hint {{ font-size:13px; color:#555; }}
 .msg {{ background:#eaf5ea; border:1px solid #2b5f3a; padding:10px 14px; }}
 #footer {{ background:#f0f0f0; padding:20px 36px; font-size:13px; }}
</style>
</head>
<body>
<div id="header">
  <a class="site" href="/">Kingsford Libraries</a>
  <form action="/catalogue/search" method="get" role="search"><input type="search" name="q" aria-label="Search the catalogue" placeholder="Search the catalogue"> <button type="submit">Go</button></form>
</div>
<div id="menu"><a href="/">Home</a><a href="/catalogue/">Catalogue</a><a href="/events/">Events</a><a href="/branches/">Libraries &amp; opening hours</a><a href="/account/">My account</a></div>
<div id="content">
{body}
</div>
<div id="footer">Questions about your account? Call us on 0161 555 0100 or visit your local library.
  <br><a href="/accessibility/">Accessibility</a> · <a href="/privacy/">Privacy</a> · Kingsford Metropolitan Borough Council</div>
</body>
</html>"""

HOME = """
<h1>Welcome to Kingsford Libraries</h1>
<ul>
  <li><a href="/account/loans">Renew your loans</a></li>
  <li><a href="/account/reservations">Reserve a book</a></li>
  <li><a href="/join/">Join the library</a></li>
  <li><a href="/elibrary/">eBooks and eAudiobooks</a></li>
</ul>
<p>Renewals are free. You can renew each item up to 3 times unless someone else has reserved it.</p>
"""

SIGNIN = """
<h1>Sign in to your account</h1>
{error}
<form method="post" action="/account/signin">
  <input type="hidden" name="next" value="{next}">
  <label for="cardnumber">Library card number</label>
  <input type="text" id="cardnumber" name="cardnumber" inputmode="numeric" required>
  <label for="pin">PIN</label>
  <input type="password" id="pin" name="pin" inputmode="numeric" required>
  <p class="hint">Forgotten your PIN? Visit any of our libraries with photo ID and we'll reset it.</p>
  <p><button class="btn" type="submit">Sign in</button></p>
</form>
"""

LOANS_PAGE = """
<h1>Your loans</h1>
<p>Signed in as {name}. <a href="/account/signout">Sign out</a></p>
<form method="post" action="/account/loans/renew">
<table>
  <thead><tr><th scope="col"><span class="visually-hidden">Select</span></th><th scope="col">Title</th><th scope="col">Due</th></tr></thead>
  <tbody>
  {rows}
  </tbody>
</table>
<p><button class="btn" type="submit">Renew selected</button></p>
</form>
"""

RENEWED = """
<div class="msg" role="status">
  <h1>Items renewed</h1>
  <p>{count} item(s) renewed. Your new due date is <strong>{due}</strong>.</p>
  <p>Renewal reference: {ref}</p>
</div>
<ul>{items}</ul>
<p><a href="/account/loans">Back to your loans</a></p>
"""


def page(title, body, status=200):
    return HTMLResponse(LAYOUT.format(title=escape(title), body=body), status_code=status)


def member(request):
    return SESSIONS.get(request.cookies.get("kl_session", ""))


async def home(request):
    return page("Home", HOME)


async def signin(request):
    if request.method == "POST":
        form = await request.form()
        card = str(form.get("cardnumber", "")).replace(" ", "")
        nxt = str(form.get("next", "/account/loans"))
        m = MEMBERS.get(card)
        if m is None or m["pin"] != str(form.get("pin", "")):
            err = '<p role="alert" class="msg">Your card number or PIN is incorrect.</p>'
            return page("Sign in", SIGNIN.format(error=err, next=escape(nxt)))
        token = hashlib.sha256(("kl" + card).encode()).hexdigest()[:24]
        SESSIONS[token] = card
        resp = RedirectResponse(nxt if nxt.startswith("/") else "/account/loans", status_code=303)
        resp.set_cookie("kl_session", token, httponly=True, samesite="lax")
        return resp
    return page("Sign in", SIGNIN.format(error="", next=escape(request.query_params.get("next", "/account/loans"))))


async def loans(request):
    card = member(request)
    if card is None:
        return RedirectResponse("/account/signin?next=/account/loans", status_code=302)
    rows = "\n".join(
        f'<tr><td><input type="checkbox" id="renew-{b["id"]}" name="renew" value="{b["id"]}"></td>'
        f'<td><label for="renew-{b["id"]}">{escape(b["title"])}</label> by {escape(b["author"])}</td>'
        f'<td>{b["due"]}</td></tr>' for b in LOANS[card])
    return page("Your loans", LOANS_PAGE.format(name=escape(MEMBERS[card]["name"]), rows=rows))


async def renew(request):
    card = member(request)
    if card is None:
        return RedirectResponse("/account/signin?next=/account/loans", status_code=303)
    form = await request.form()
    chosen = set(form.getlist("renew"))
    renewed = [b for b in LOANS[card] if b["id"] in chosen and b["renewable"]]
    if not renewed:
        return RedirectResponse("/account/loans", status_code=303)
    for b in renewed:
        b["due"] = NEW_DUE
    items = "".join(f"<li>{escape(b['title'])}: due {b['due']}</li>" for b in renewed)
    ref = "RN-" + hashlib.sha256(("".join(sorted(chosen)) + card).encode()).hexdigest()[:6].upper()
    return page("Items renewed", RENEWED.format(count=len(renewed), due=NEW_DUE, ref=ref, items=items))


def make_app():
    return Starlette(routes=[
        Route("/", home),
        Route("/account/signin", signin, methods=["GET", "POST"]),
        Route("/account/loans", loans),
        Route("/account/loans/renew", renew, methods=["POST"]),
    ])
