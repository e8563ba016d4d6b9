"""Hearth & Fern furniture's delivery pages, as a FastAPI application.

Written like a furniture retailer's "track your delivery" pages: a GET lookup by order number and e-mail
address (so both land in the URL), a status page with the booked delivery day and window, and a "delivery
instructions" form that asks again for the order number and e-mail the customer just typed. The form is
validated on the server: a mobile number of the wrong length comes back with 200, a role="alert" summary,
an error list and aria-invalid, with every value kept. Saved instructions get a short confirmation.
"""

import re
from html import escape

from fastapi import FastAPI, Form, Query
from fastapi.responses import HTMLResponse, RedirectResponse

ORDERS = {("HF-5520931", "marcus.bell@example.com"): {
    "item": "Linden 3-seater sofa in moss green velvet",
    "date": "Friday 21 March",
    "window": "between 10am and 2pm",
}}

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} — Hearth &amp; Fern</title>
<style>
  @font-face {{ font-family: "hf-icons"; src: url("/static/hf-icons.woff2") format("woff2"); }}
  .hfi {{ font-family: "hf-icons"; font-style: normal; }}
  body {{ margin: 0; font-family: "Karla", "Trebuchet MS", sans-serif; background: #f7f5f0; color: #2e2a25; }}
  .brand {{ padding: 18px 40px; border-bottom: 1px solid #ddd6c8; font-size: 22px; font-weight: 700; letter-spacing: 1px; }}
  .sheet {{ max-width: 680px; margin: 30px auto; background: #fff; padding: 26px 36px; border-radius: 4px; }}
  .f {{ margin: 14px 0; }}
  .f label {{ display: block; font-weight: 700; margin-bottom: 4px; }}
  .f input, .f textarea {{ width: 100%; box-sizing: border-box; padding: 9px; border: 1px solid #b8ae9c; }}
  .f input[aria-invalid=true] {{ border: 2px solid #b42318; }}
  .errors {{ color: #b42318; margin: 4px 0; padding-left: 18px; }}
  .problem {{ border: 2px solid #b42318; padding: 10px 16px; margin-bottom: 14px; }}
  .go {{ background: #4a5d23; color: #fff; border: 0; padding: 11px 22px; font-size: 15px; cursor: pointer; }}
  .when {{ background: #eef2e6; padding: 14px 18px; font-size: 18px; }}
  .small {{ font-size: 13px; color: #6b6459; }}
</style>
</head>
<body>
<div class="brand">HEARTH &amp; FERN</div>
<div class="sheet">
{body}
</div>
<p class="small" style="text-align:center">Hearth &amp; Fern Home Ltd · Customer care by web form, 7 days a week</p>
</body>
</html>"""

TRACK = """
<h1>Track your delivery</h1>
<form method="get" action="/delivery/status">
  <div class="f"><label for="o">Order number</label><input type="text" id="o" name="order"></div>
  <div class="f"><label for="e">Email address</label><input type="email" id="e" name="email"></div>
  <button type="submit" class="go">Track delivery <span class="hfi" aria-hidden="true">\ue558</span></button>
</form>
"""

STATUS = """
<h1>Your delivery</h1>
<p>Order {order}: {item}</p>
<p class="when">Booked for <strong>{date}</strong>, {window}.</p>
<p>On the morning of delivery we'll text you a one-hour slot. Our two-person team will carry it to the room
   of your choice and take the packaging away.</p>
<p><a href="/delivery/instructions">Add delivery instructions</a></p>
"""

INSTRUCTIONS = """
<h1>Add delivery instructions</h1>
<p>Tell our team anything that will help on the day: access, parking, stairs.</p>
{problem}
<form method="post" action="/delivery/instructions">
  <div class="f"><label for="i-order">Order number</label><input type="text" id="i-order" name="order" value="{order}"></div>
  <div class="f"><label for="i-email">Email address</label><input type="email" id="i-email" name="email" value="{email}"></div>
  <div class="f"><label for="i-mob">Mobile number for the driver</label>{mob_err}
    <input type="text" id="i-mob" name="mobile" value="{mobile}"{mob_invalid}></div>
  <div class="f"><label for="i-notes">Delivery instructions</label><textarea id="i-notes" name="notes" rows="3">{notes}</textarea></div>
  <button type="submit" class="go">Save instructions</button>
</form>
"""

SAVED = """
<h1>Instructions saved</h1>
<p>Thanks. We've added your instructions to order {order}, and your driver will see them on the day.</p>
<p><a href="/delivery/">Track another delivery</a></p>
"""


def make_app():
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    def page(title, body, status=200):
        return HTMLResponse(BASE.format(title=escape(title), body=body), status_code=status)

    def instructions_form(values=None, errors=None):
        values = values or {}
        errors = errors or {}
        problem = ""
        if errors:
            items = "".join(f"<li>{escape(e)}</li>" for e in errors.values())
            problem = f'<div class="problem" role="alert"><strong>Please check the following:</strong><ul>{items}</ul></div>'
        body = INSTRUCTIONS.format(
            problem=problem, order=escape(values.get("order", "")), email=escape(values.get("email", "")),
            mobile=escape(values.get("mobile", "")), notes=escape(values.get("notes", "")),
            mob_err=(f'<ul class="errors"><li>{escape(errors["mobile"])}</li></ul>' if "mobile" in errors else ""),
            mob_invalid=(' aria-invalid="true"' if "mobile" in errors else ""))
        return page("Delivery instructions", body)

    @app.get("/")
    def root():
        return RedirectResponse("/delivery/", status_code=302)

    @app.get("/delivery/", response_class=HTMLResponse)
    def track():
        return page("Track your delivery", TRACK)

    @app.get("/delivery/status", response_class=HTMLResponse)
    def status(order: str = Query(""), email: str = Query("")):
        found = ORDERS.get((order.strip().upper(), email.strip().lower()))
        if not found:
            return page("Not found", "<h1>We couldn't find that order</h1><p>Check the order number and e-mail address."
                                     '</p><p><a href="/delivery/">Try again</a></p>', status=404)
        return page("Your delivery", STATUS.format(order=escape(order.strip().upper()),
                                                   **{k: escape(v) for k, v in found.items()}))

    @app.get("/delivery/instructions", response_class=HTMLResponse)
    def instructions():
        return instructions_form()

    @app.post("/delivery/instructions", response_class=HTMLResponse)
    def save(order: str = Form(""), email: str = Form(""), mobile: str = Form(""), notes: str = Form("")):
        values = {"order": order.strip(), "email": email.strip(), "mobile": mobile.strip(), "notes": notes.strip()}
        errors = {}
        if (values["order"].upper(), values["email"].lower()) not in ORDERS:
            errors["order"] = "We couldn't match that order number and e-mail address."
        if not re.fullmatch(r"07\d{9}", values["mobile"].replace(" ", "")):
            errors["mobile"] = "Enter an 11-digit UK mobile number, like 07700 900123."
        if errors:
            return instructions_form(values, errors)
        return RedirectResponse(f"/delivery/instructions/saved?order={values['order'].upper()}", status_code=303)

    @app.get("/delivery/instructions/saved", response_class=HTMLResponse)
    def saved(order: str = Query("")):
        return page("Instructions saved", SAVED.format(order=escape(order)))

    return app
