"""Wyvern Rail help and Delay Repay claims, as a Starlette app.

Written like a train operator's customer pages: a help page whose search box has only an aria-label and
whose search button is a Material icon with aria-label "Search" (search is a GET to /help/search?q=...),
a Delay Repay article that also mentions claiming at a staffed ticket office, and a claim form where the
browser enforces every field with `required` (the date too, typed as DD/MM/YYYY). A claim that passes
is given a DR- reference and the usual processing time. The footer's phone number is on every page.
This case is the near-clean control: the only friction is the processing time.
"""

import html
import re

from starlette.applications import Starlette
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Route

CLAIMS: dict[str, dict] = {}

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} | Wyvern Rail</title>
<style>
  body {{ margin: 0; font-family: "Segoe UI", Roboto, Arial, sans-serif; color: #1a1a1a; }}
  .top {{ background: #5b2a86; color: #fff; padding: 12px 32px; }}
  .top a {{ color: #fff; text-decoration: none; margin-right: 20px; }}
  .top .brand {{ font-size: 20px; font-weight: 600; margin-right: 40px; }}
  .content {{ max-width: 760px; margin: 24px auto; padding: 0 18px; }}
  .material-icons {{ font-family: "Material Icons"; font-style: normal; font-size: 22px; }}
  .search {{ display: flex; gap: 6px; margin: 16px 0; }}
  .search input {{ width: 360px; padding: 9px; border: 2px solid #5b2a86; }}
  .search button {{ background: #5b2a86; color: #fff; border: 0; width: 44px; }}
  .q label {{ display: block; font-weight: 600; margin: 16px 0 4px; }}
  .q input[type=text], .q input[type=email] {{ width: 300px; padding: 8px; }}
  .q .hint {{ font-size: 13px; color: #555; margin: 0 0 4px; }}
  .q .opt label {{ display: inline; font-weight: normal; }}
  .go {{ background: #00855f; color: #fff; border: 0; padding: 11px 26px; font-size: 16px; margin-top: 20px; cursor: pointer; }}
  .link-button {{ display: inline-block; background: #00855f; color: #fff; padding: 10px 22px; text-decoration: none; }}
  footer {{ background: #f1eef5; padding: 18px 32px; font-size: 13px; margin-top: 40px; }}
</style>
</head>
<body>
<div class="top"><a class="brand" href="/">Wyvern Rail</a><a href="/tickets/">Tickets</a><a href="/journey-planner/">Plan a journey</a><a href="/help/">Help</a></div>
<div class="content">
{body}
</div>
<footer>Need to talk to us? Call us on 0345 600 7245, 7am to 10pm every day. Wyvern Rail Ltd, Worcester WR1 1AA.</footer>
</body>
</html>"""

HELP = """
<h1>How can we help?</h1>
<form class="search" action="/help/search" method="get">
  <input type="text" name="q" aria-label="Search help">
  <button type="submit" aria-label="Search"><span class="material-icons">\ue8b6</span></button>
</form>
<h2>Popular</h2>
<ul>
  <li><a href="/help/lost-property">Lost property</a></li>
  <li><a href="/help/assisted-travel">Passenger Assist</a></li>
  <li><a href="/help/railcards">Railcards and discounts</a></li>
</ul>
"""

RESULTS = """
<h1>Search results</h1>
<p>{count} results for <strong>{q}</strong></p>
<ol>{items}</ol>
<p><a href="/help/">Back to help</a></p>
"""

ARTICLES = [
    ("/delay-repay/", "Claim Delay Repay compensation", "delay repay late train compensation claim"),
    ("/help/season-tickets", "Delay Repay for season ticket holders", "delay repay season ticket"),
    ("/help/lost-property", "Lost property", "lost property left something"),
]

DELAY_REPAY = """
<p><a href="/help/">Help</a> › Delay Repay</p>
<h1>Claim Delay Repay compensation</h1>
<p>If your Wyvern Rail train arrived at your destination 15 minutes or more late, you can claim
   compensation, whatever the reason for the delay.</p>
<table>
  <tr><td>15 to 29 minutes</td><td>25% of the single fare</td></tr>
  <tr><td>30 to 59 minutes</td><td>50% of the single fare</td></tr>
  <tr><td>60 minutes or more</td><td>100% of the single fare</td></tr>
</table>
<p>Claims must be made within 28 days of your journey. Most people claim online; if you prefer, you can
   visit a staffed ticket office with your ticket and claim there.</p>
<p><a class="link-button" href="/delay-repay/claim">Start your claim</a></p>
"""

CLAIM = """
<h1>Delay Repay claim</h1>
<p>All fields are required.</p>
<form class="q" method="post" action="/delay-repay/claim">
  <label for="ticket">E-ticket reference</label>
  <p class="hint">8 letters and numbers, at the top of your e-ticket</p>
  <input type="text" id="ticket" name="ticket" required>
  <label for="date">Date of travel</label>
  <p class="hint">For example, 27/09/2024</p>
  <input type="text" id="date" name="date" required>
  <label for="from">Travelling from (station)</label>
  <input type="text" id="from" name="from" required>
  <label for="to">Travelling to (station)</label>
  <input type="text" id="to" name="to" required>
  <label for="dep">Booked departure time</label>
  <input type="text" id="dep" name="departure" required placeholder="HH:MM">
  <fieldset style="border:0;padding:0;margin:16px 0 0">
    <legend style="font-weight:600">How late did you arrive?</legend>
    <div class="opt"><input type="radio" id="d15" name="delay" value="15"> <label for="d15">15 to 29 minutes</label></div>
    <div class="opt"><input type="radio" id="d30" name="delay" value="30"> <label for="d30">30 to 59 minutes</label></div>
    <div class="opt"><input type="radio" id="d60" name="delay" value="60"> <label for="d60">60 minutes or more</label></div>
  </fieldset>
  <label for="mail">Email address for updates</label>
  <input type="email" id="mail" name="email" required>
  <div class="opt" style="margin-top:16px"><input type="checkbox" id="terms" name="terms" required>
    <label for="terms">I confirm this claim is true and I haven't claimed for this journey before</label></div>
  <button type="submit" class="go">Submit claim</button>
</form>
"""

SUBMITTED = """
<h1>Thanks, we've got your claim</h1>
<p>Your claim reference is <strong>{ref}</strong> for your journey from {frm} to {to} on {date}.</p>
<p>We aim to process claims within 20 working days. We'll e-mail {email} when we've made a decision,
   and pay any compensation to the card you bought your ticket with.</p>
<p><a href="/help/">Back to help</a></p>
"""

SIMPLE = """<h1>{heading}</h1><p>{text}</p><p><a href="/help/">Back to help</a></p>"""


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(BASE.format(title=html.escape(title), body=body), status_code=status)


async def home(request):
    return page("Home", '<h1>Travel across the Marches and Midlands</h1><p><a href="/tickets/">Buy tickets</a></p>')


async def help_page(request):
    return page("Help", HELP)


async def search(request):
    q = request.query_params.get("q", "").strip()
    words = [w for w in re.split(r"\W+", q.lower()) if w]
    hits = [(href, title) for href, title, keys in ARTICLES if words and all(w in keys for w in words)]
    items = "".join(f'<li><a href="{href}">{html.escape(title)}</a></li>' for href, title in hits)
    return page("Search results", RESULTS.format(count=len(hits), q=html.escape(q), items=items))


async def delay_repay(request):
    return page("Delay Repay", DELAY_REPAY)


async def claim(request):
    if request.method == "POST":
        form = await request.form()
        if not all(form.get(k) for k in ("ticket", "date", "from", "to", "departure", "delay", "email", "terms")):
            alert = '<p role="alert" style="color:#b00020">Please answer every question, including how late you arrived.</p>'
            return page("Delay Repay claim", CLAIM.replace("<p>All fields are required.</p>", alert))
        ref = f"DR-{48213 + len(CLAIMS)}"
        CLAIMS[ref] = dict(form)
        response = RedirectResponse("/delay-repay/claim/submitted", status_code=303)
        response.set_cookie("wr_claim", ref, samesite="lax")
        return response
    return page("Delay Repay claim", CLAIM)


async def submitted(request):
    ref = request.cookies.get("wr_claim", "")
    claim_data = CLAIMS.get(ref)
    if claim_data is None:
        return RedirectResponse("/delay-repay/claim", status_code=303)
    return page("Claim received", SUBMITTED.format(ref=ref, frm=html.escape(claim_data["from"]),
                                                   to=html.escape(claim_data["to"]), date=html.escape(claim_data["date"]),
                                                   email=html.escape(claim_data["email"])))


async def other(request):
    return page("Help", SIMPLE.format(heading="Help", text="This page is being updated."))


def make_app():
    CLAIMS.clear()
    return Starlette(routes=[
        Route("/", home),
        Route("/help/", help_page),
        Route("/help/search", search),
        Route("/delay-repay/", delay_repay),
        Route("/delay-repay/claim", claim, methods=["GET", "POST"]),
        Route("/delay-repay/claim/submitted", submitted),
        Route("/help/{rest:path}", other),
        Route("/tickets/", other),
        Route("/journey-planner/", other),
    ])
