"""Packhorse Removals "My Move" pages, as a FastAPI app.

Written like a removals firm's customer portal bolted onto its marketing site: a help page, a move
lookup by GET (so the customer's e-mail address lands in the URL) whose button ends in an arrow glyph,
a move summary page that remembers the move in a `ph_move` cookie, a "Change move date" handler that
fails with a 500 page (the date-change service times out for moves inside 14 days; the error template
tells people to phone), and a callback form that the browser will not send without a "Booking PIN"
printed only on the confirmation letter, which customers who booked online never receive.
"""

import html

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

MOVES = {
    ("QR-88120", "t.adeyemi@example.com"): {
        "name": "Tola Adeyemi",
        "date": "Friday 15 November 2024",
        "from": "Flat 3, 22 Cotham Hill, Bristol BS6",
        "to": "9 Elm Close, Keynsham BS31",
        "crew": "3 movers and a Luton van",
        "arrival": "8am to 9am",
    },
}
COOKIE = "ph_move"
TOKEN = "mv-5c21e0"

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} · Packhorse Removals</title>
<style>
  body {{ margin: 0; font-family: "Gill Sans", "Trebuchet MS", sans-serif; color: #2d2a26; background: #fdfbf7; }}
  .hdr {{ padding: 16px 36px; border-bottom: 1px solid #e4dccf; display: flex; justify-content: space-between; }}
  .hdr a {{ color: #2d2a26; text-decoration: none; margin-left: 20px; }}
  .hdr .logo {{ font-size: 22px; font-weight: bold; color: #7a4b1e; margin-left: 0; }}
  .pg {{ max-width: 740px; margin: 30px auto; padding: 0 18px; }}
  .fld label {{ display: block; font-weight: bold; margin: 14px 0 4px; }}
  .fld input, .fld select {{ width: 300px; padding: 8px; }}
  .hint {{ font-size: 13px; color: #6b645a; margin: 2px 0; }}
  .go {{ background: #7a4b1e; color: #fff; border: 0; padding: 11px 22px; font-size: 15px; cursor: pointer; margin-top: 16px;
        text-decoration: none; display: inline-block; }}
  .ico {{ font-family: "Font Awesome 6 Free"; font-style: normal; font-weight: 900; margin-left: 8px; }}
  table.mv td {{ padding: 6px 18px 6px 0; vertical-align: top; }}
  .actions a {{ margin-right: 12px; }}
  .ftr {{ border-top: 1px solid #e4dccf; padding: 16px 36px; font-size: 13px; color: #6b645a; }}
</style>
</head>
<body>
<div class="hdr"><a class="logo" href="/">Packhorse Removals</a>
  <nav aria-label="Main"><a href="/quote/">Get a quote</a><a href="/storage/">Storage</a><a href="/help/">Help</a></nav></div>
<div class="pg">
{body}
</div>
<div class="ftr">Packhorse Removals Ltd · BAR member · <a href="/terms/">Terms</a> · <a href="/privacy/">Privacy</a></div>
</body>
</html>"""

HELP = """
<h1>Help with your move</h1>
<p>Already booked? Manage your move online: check your move details, add packing, change your date or ask us to call you.</p>
<p><a class="go" href="/my-move/">Manage my move</a></p>
<h2>Moving tips</h2>
<ul><li><a href="/help/packing">How to pack a kitchen</a></li><li><a href="/help/parking">Parking for the van</a></li>
<li><a href="/help/insurance">Goods in transit cover</a></li></ul>
"""

LOOKUP = """
<h1>My Move</h1>
<p>Find your booking with the quote reference from your booking e-mail.</p>
<form method="get" action="/my-move/view">
  <div class="fld"><label for="quote">Quote reference</label><input type="text" id="quote" name="quote">
    <p class="hint">Starts with QR-, for example QR-10293</p></div>
  <div class="fld"><label for="em">Email address</label><input type="email" id="em" name="email"></div>
  <button type="submit" class="go">Find my move<i class="ico">\uf061</i></button>
</form>
"""

VIEW = """
<h1>Your move on {date}</h1>
<p>Hello {name}. Here's what we've got booked.</p>
<table class="mv">
  <tr><td>Quote reference</td><td>{quote}</td></tr>
  <tr><td>Moving from</td><td>{frm}</td></tr>
  <tr><td>Moving to</td><td>{to}</td></tr>
  <tr><td>Your crew</td><td>{crew}, arriving {arrival}</td></tr>
</table>
<p class="actions"><a class="go" href="/my-move/change-date">Change move date</a>
  <a href="/my-move/packing">Add packing materials</a> <a href="/my-move/callback">Request a callback</a></p>
"""

ERROR_500 = """
<h1>Sorry, something went wrong</h1>
<p>We couldn't complete your request. Our team has been told about the problem.</p>
<p>If it keeps happening, please call our bookings team on 0117 496 0321 (Monday to Saturday, 8am to 6pm).</p>
<p><a href="/my-move/view">Back to my move</a></p>
"""

CALLBACK = """
<h1>Request a callback</h1>
<p>Leave your details and a move coordinator will call you.</p>
<form method="post" action="/my-move/callback">
  <div class="fld"><label for="cb-phone">Phone number</label><input type="tel" id="cb-phone" name="phone" required></div>
  <div class="fld"><label for="cb-pin">Booking PIN</label><input type="text" id="cb-pin" name="pin" inputmode="numeric" maxlength="4" required>
    <p class="hint">The 4-digit PIN printed on your booking confirmation letter, for security</p></div>
  <div class="fld"><label for="cb-when">Best time to call</label>
    <select id="cb-when" name="when" required><option value="">Choose a time</option>
      <option>Morning (8am to 12pm)</option><option>Afternoon (12pm to 5pm)</option><option>Evening (5pm to 8pm)</option></select></div>
  <button type="submit" class="go">Request callback</button>
</form>
"""

SIMPLE = """<h1>{heading}</h1><p>{text}</p><p><a href="/my-move/">Back to My Move</a></p>"""


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(BASE.format(title=html.escape(title), body=body), status_code=status)


def make_app():
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    def current(request: Request):
        if request.cookies.get(COOKIE) == TOKEN:
            key = next(iter(MOVES))
            return key, MOVES[key]
        return None, None

    def view_page(key, move):
        return page("Your move", VIEW.format(quote=key[0], date=move["date"], name=html.escape(move["name"]),
                                             frm=html.escape(move["from"]), to=html.escape(move["to"]),
                                             crew=move["crew"], arrival=move["arrival"]))

    @app.get("/", response_class=HTMLResponse)
    def home():
        return page("Home", '<h1>Stress-free moves across the South West</h1><p><a href="/quote/">Get a quote</a></p>')

    @app.get("/help/", response_class=HTMLResponse)
    def help_page():
        return page("Help", HELP)

    @app.get("/my-move/", response_class=HTMLResponse)
    def lookup():
        return page("My Move", LOOKUP)

    @app.get("/my-move/view", response_class=HTMLResponse)
    def view(request: Request, quote: str = "", email: str = ""):
        if quote or email:
            key = (quote.strip().upper(), email.strip().lower())
            move = MOVES.get(key)
            if move is None:
                return page("Not found", SIMPLE.format(heading="We couldn't find that move",
                                                       text="Check your quote reference and e-mail address."), 404)
            response = view_page(key, move)
            response.set_cookie(COOKIE, TOKEN, httponly=True, samesite="lax")
            return response
        key, move = current(request)
        if move is None:
            return RedirectResponse("/my-move/", status_code=303)
        return view_page(key, move)

    @app.get("/my-move/change-date", response_class=HTMLResponse)
    def change_date(request: Request):
        key, move = current(request)
        if move is None:
            return RedirectResponse("/my-move/", status_code=303)
        # The scheduling service times out for moves inside 14 days; the error template is all that's left.
        return page("Error", ERROR_500, 500)

    @app.get("/my-move/callback", response_class=HTMLResponse)
    def callback(request: Request):
        key, move = current(request)
        if move is None:
            return RedirectResponse("/my-move/", status_code=303)
        return page("Request a callback", CALLBACK)

    @app.post("/my-move/callback", response_class=HTMLResponse)
    def callback_post():
        return page("Callback requested", SIMPLE.format(heading="Thanks", text="A move coordinator will call you."))

    @app.get("/{rest:path}", response_class=HTMLResponse)
    def other(rest: str):
        return page("Packhorse Removals", SIMPLE.format(heading="Coming soon", text="This page is being written."))

    return app
