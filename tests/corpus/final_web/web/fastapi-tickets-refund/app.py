"""Lanternhall Tickets fan help and order pages, as a FastAPI app with hand-written HTML.

Written like a ticket agency's self-service pages: a help centre whose search box has only an
aria-label and whose search button is an icon glyph with an aria-label; orders opened from the
confirmation e-mail's link (`/orders/view?ref=...&key=...`, the key checked and swapped for an opaque
`lh_order` cookie, never written into the page); a refund form that asks for the order number the page
header already shows, an e-mail box with only a placeholder, and a check on the last four digits of the
card used to pay. The check is done on the server: a mismatch re-renders the form with 200, a
role="alert" message and aria-invalid, and says nothing a fan with a replaced card can act on. "Contact
Fan Support" has a topic list without refunds and a link back to the same refund form.
"""

import html

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

ORDER_KEY = "c41e9a77d2f04b1e9e03"
ORDER = {
    "ref": "LT-558201",
    "event": "Marlow Quartet: The Winter Tour",
    "venue": "Halden Arena, Leeds",
    "was": "Saturday 12 October 2024, 7.30pm",
    "now": "Saturday 8 February 2025, 7.30pm",
    "seats": "Block 104, row K, seats 17 and 18",
    "total": "£96.50",
    "card_last4": "3342",
    "email": "alex.rivera@example.com",
}
SESSION_TOKEN = "s-order-7b9e2d"     # the cookie the e-mail link is exchanged for

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} – Lanternhall Tickets</title>
<style>
  body {{ margin: 0; font-family: Verdana, Geneva, sans-serif; background: #0f0f14; color: #eee; }}
  a {{ color: #ffcc4d; }}
  .bar {{ padding: 14px 30px; background: #1b1b24; display: flex; justify-content: space-between; align-items: center; }}
  .bar .logo {{ font-weight: bold; font-size: 20px; color: #ffcc4d; text-decoration: none; }}
  .bar nav a {{ margin-left: 18px; color: #eee; text-decoration: none; }}
  main {{ max-width: 780px; margin: 28px auto; background: #1b1b24; padding: 24px 32px; border-radius: 10px; }}
  .mi {{ font-family: "Material Symbols Outlined"; font-style: normal; font-size: 20px; }}
  .iconbtn {{ background: #2c2c3a; color: #fff; border: 0; border-radius: 50%; width: 40px; height: 40px; cursor: pointer; }}
  .cta {{ background: #ffcc4d; color: #111; border: 0; border-radius: 6px; padding: 11px 20px; font-weight: bold;
         text-decoration: none; display: inline-block; cursor: pointer; font-size: 15px; }}
  label {{ display: block; margin: 14px 0 4px; }}
  input[type=text], input[type=email], select {{ width: 320px; padding: 8px; }}
  .radio label {{ display: inline; }}
  .alert {{ background: #5a1620; border-left: 5px solid #ff5a6e; padding: 10px 16px; margin: 14px 0; }}
  .meta {{ color: #aaa; }}
  footer {{ text-align: center; color: #888; font-size: 12px; padding: 20px; }}
</style>
</head>
<body>
<div class="bar"><a class="logo" href="/">LANTERNHALL</a>
  <nav aria-label="Main"><a href="/events/">Events</a><a href="/venues/">Venues</a><a href="/help/">Help</a></nav></div>
<main>
{body}
</main>
<footer>Lanternhall Tickets Ltd is a member of STAR. <a href="/terms/">Terms of purchase</a> · <a href="/privacy/">Privacy</a></footer>
</body>
</html>"""

HELP = """
<h1>Fan help</h1>
<form action="/help/search" method="get" role="search" style="display:flex;gap:8px">
  <input type="text" name="q" aria-label="Search fan help" style="width:380px;padding:9px">
  <button type="submit" class="iconbtn" aria-label="Search"><i class="mi">\ue8b6</i></button>
</form>
<h2>Popular topics</h2>
<ul>
  <li><a href="/help/postponed-events">Postponed and cancelled events</a></li>
  <li><a href="/help/where-are-my-tickets">Where are my tickets?</a></li>
  <li><a href="/help/accessible-booking">Accessible booking</a></li>
  <li><a href="/help/resale">Selling tickets you can't use</a></li>
</ul>
"""

ARTICLE = """
<p class="meta"><a href="/help/">Fan help</a> › Postponed and cancelled events</p>
<h1>My event has been postponed</h1>
<p>When an event is moved to a new date, your tickets stay valid for the new date and you don't need to do
   anything.</p>
<p>If you can't make the new date, you can ask for a refund of the ticket price until 30 days before it.
   Open your order with the <strong>View my order</strong> link in your confirmation e-mail and choose
   <strong>Request a refund</strong>.</p>
<h2>My event has been cancelled</h2>
<p>We'll refund you automatically to the card you paid with. There's nothing you need to do.</p>
"""

ORDER_PAGE = """
<p class="meta">Order {ref}</p>
<h1>{event}</h1>
<p>{venue}</p>
<div class="alert"><strong>This event has been rescheduled.</strong> Originally {was}. New date: {now}.
  Your tickets are valid for the new date.</div>
<p>{seats} · Paid {total}</p>
<p style="display:flex;gap:10px;align-items:center">
  <button type="button" class="iconbtn" aria-label="Download tickets"><i class="mi">\uf090</i></button>
  <button type="button" class="iconbtn" aria-label="Add to calendar"><i class="mi">\ue878</i></button>
  <a class="cta" href="/orders/refund">Request a refund</a>
</p>
"""

REFUND_FORM = """
<p class="meta">Order {ref} · {event}</p>
<h1>Request a refund</h1>
{alert}
<form method="post" action="/orders/refund">
  <label for="order-ref">Your order number</label>
  <input type="text" id="order-ref" name="order_ref" value="{order_ref}">
  <div style="margin-top:14px"><input type="email" name="email" placeholder="Email address" value="{email}"></div>
  <fieldset style="border:0;padding:0;margin:14px 0 0">
    <legend>Why do you need a refund?</legend>
    <div class="radio"><input type="radio" id="r-date" name="reason" value="new-date"{date_checked}> <label for="r-date">I can't make the new date</label></div>
    <div class="radio"><input type="radio" id="r-other" name="reason" value="other"{other_checked}> <label for="r-other">Another reason</label></div>
  </fieldset>
  <label for="card4">Last 4 digits of the card you paid with</label>
  <input type="text" id="card4" name="card_last4" inputmode="numeric" maxlength="4" style="width:90px"{card_invalid}>
  <p><button type="submit" class="cta">Submit refund request<i class="mi" style="margin-left:6px">\ue5c8</i></button></p>
</form>
"""

CARD_ALERT = """<div class="alert" role="alert"><strong>We couldn't verify your payment card.</strong>
The last 4 digits must match the card used for this order. Please enter the card you paid with.
<br>Still stuck? <a href="/contact/">Contact Fan Support</a></div>"""

CONTACT = """
<h1>Contact Fan Support</h1>
<p>Send us a message and one of the team will get back to you.</p>
<p class="meta">Looking for a refund? Refunds are requested from your order:
  <a href="/orders/refund">Request a refund</a></p>
<form method="post" action="/contact/">
  <label for="c-name">Your name</label><input type="text" id="c-name" name="name">
  <label for="c-email">Your email</label><input type="email" id="c-email" name="email">
  <label for="c-topic">What's your question about?</label>
  <select id="c-topic" name="topic">
    <option value="">Select a topic</option>
    <option>Ticket delivery</option>
    <option>Changing the name on a ticket</option>
    <option>Accessibility and companion tickets</option>
    <option>Venue information</option>
    <option>Selling on Fan Resale</option>
    <option>A problem with the website</option>
  </select>
  <label for="c-msg">Your message</label><textarea id="c-msg" name="message" rows="4" style="width:320px"></textarea>
  <p><button type="submit" class="cta">Send message</button></p>
</form>
"""

SIMPLE = """<h1>{heading}</h1><p>{text}</p><p><a href="/help/">Back to fan help</a></p>"""


def page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(BASE.format(title=html.escape(title), body=body), status_code=status)


def refund_page(request: Request, values: dict | None = None, alert: str = "") -> HTMLResponse:
    values = values or {}
    reason = values.get("reason", "")
    body = REFUND_FORM.format(
        ref=ORDER["ref"], event=html.escape(ORDER["event"]), alert=alert,
        order_ref=html.escape(values.get("order_ref", "")), email=html.escape(values.get("email", "")),
        date_checked=" checked" if reason == "new-date" else "", other_checked=" checked" if reason == "other" else "",
        card_invalid=' aria-invalid="true" aria-describedby="card-error"' if alert else "")
    return page("Request a refund", body)


def make_app():
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    def has_order(request: Request) -> bool:
        return request.cookies.get("lh_order") == SESSION_TOKEN

    @app.get("/", response_class=HTMLResponse)
    def home():
        return page("Home", '<h1>Live music, comedy and theatre</h1><p><a href="/events/">Find events</a></p>')

    @app.get("/help/", response_class=HTMLResponse)
    def help_centre():
        return page("Fan help", HELP)

    @app.get("/help/postponed-events", response_class=HTMLResponse)
    def postponed():
        return page("Postponed and cancelled events", ARTICLE)

    @app.get("/help/{rest:path}", response_class=HTMLResponse)
    def other_help(rest: str):
        return page("Fan help", SIMPLE.format(heading="Fan help", text="No articles matched."))

    @app.get("/orders/view", response_class=HTMLResponse)
    def view(request: Request, ref: str = "", key: str = ""):
        if ref == ORDER["ref"] and key == ORDER_KEY:
            response = page(f"Order {ref}", ORDER_PAGE.format(**{k: html.escape(v) for k, v in ORDER.items()}))
            response.set_cookie("lh_order", SESSION_TOKEN, httponly=True, samesite="lax")
            return response
        if has_order(request) and not key:
            return page(f"Order {ORDER['ref']}", ORDER_PAGE.format(**{k: html.escape(v) for k, v in ORDER.items()}))
        return page("Link expired", SIMPLE.format(heading="This link has expired",
                                                  text="Please use the latest link from your e-mail."), 403)

    @app.get("/orders/refund", response_class=HTMLResponse)
    def refund(request: Request):
        if not has_order(request):
            return RedirectResponse("/help/postponed-events", status_code=303)
        return refund_page(request)

    @app.post("/orders/refund", response_class=HTMLResponse)
    def refund_post(request: Request, order_ref: str = Form(""), email: str = Form(""), reason: str = Form(""),
                    card_last4: str = Form("")):
        if not has_order(request):
            return RedirectResponse("/help/postponed-events", status_code=303)
        values = {"order_ref": order_ref, "email": email, "reason": reason}
        if card_last4.strip() != ORDER["card_last4"]:
            return refund_page(request, values, CARD_ALERT.replace('role="alert"', 'role="alert" id="card-error"'))
        return page("Refund requested", SIMPLE.format(heading="Refund requested",
                                                      text=f"We've received your refund request for order {ORDER['ref']}."))

    @app.get("/contact/", response_class=HTMLResponse)
    def contact():
        return page("Contact Fan Support", CONTACT)

    @app.post("/contact/", response_class=HTMLResponse)
    def contact_post():
        return page("Message sent", SIMPLE.format(heading="Thanks for your message", text="We've got it."))

    return app
