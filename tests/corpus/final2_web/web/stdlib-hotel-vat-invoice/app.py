"""Lanternhouse Hotels' "My stay" pages, as a plain WSGI application (standard library only).

Written like a hotel chain's post-stay pages reached from the "Thanks for staying" e-mail: the link carries
the booking number, the guest's e-mail and a `token` (checked once, then a session cookie is set; the token
is never echoed in the page). "Get a VAT invoice" opens a form whose "Folio number" is `required` and is
printed only on the paper receipt handed over at the front desk; guests who used the key drop never got
one. "Where do I find my folio number?" explains the receipt and links back to the same form.
"""

import html
import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

STAYS = {
    ("LH7730192", "priya.raman@example.com", "c41d9e7a02b8f5e6"): {
        "guest": "Priya Raman",
        "hotel": "Lanternhouse Leeds Wellington Street",
        "dates": "Monday 10 March to Thursday 13 March 2025 (3 nights)",
        "room": "Double room, room only",
        "paid": "£387.00 on Visa ending 2291",
    },
}
SESSIONS: dict[str, tuple] = {}

BASE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{title} · Lanternhouse Hotels</title>
<style>
  @font-face {{ font-family: "lh-glyphs"; src: url("/fonts/lh-glyphs.woff") format("woff"); }}
  .g {{ font-family: "lh-glyphs"; }}
  body {{ margin: 0; font-family: "Lato", "Helvetica Neue", sans-serif; background: #faf7f2; color: #2b2622; }}
  .hd {{ background: #2b2622; color: #f2c14e; padding: 16px 34px; font-size: 20px; letter-spacing: 2px; }}
  .pane {{ max-width: 720px; margin: 28px auto; background: #fff; padding: 24px 34px; border: 1px solid #e4ddd2; }}
  dl {{ display: grid; grid-template-columns: 150px 1fr; row-gap: 6px; }}
  dt {{ color: #7a6f64; }}
  .it {{ margin: 15px 0; }}
  .it label {{ display: block; font-weight: bold; margin-bottom: 3px; }}
  .it input, .it textarea {{ width: 380px; padding: 8px; border: 1px solid #b9ad9e; }}
  .it small {{ display: block; color: #7a6f64; }}
  .act {{ background: #2b2622; color: #f2c14e; border: 0; padding: 11px 22px; font-size: 15px; cursor: pointer; text-decoration: none; }}
  .ft {{ text-align: center; font-size: 12px; color: #7a6f64; padding: 20px; }}
</style>
</head>
<body>
<div class="hd">LANTERNHOUSE</div>
<div class="pane">
{body}
</div>
<div class="ft">Questions about a stay? Each hotel's team is on the hotel's own page.
  <a href="/privacy">Privacy</a> · <a href="/terms">Terms</a></div>
</body>
</html>"""

STAY = """
<h1>Thanks for staying with us, {first}</h1>
<dl>
  <dt>Booking</dt><dd>{booking}</dd>
  <dt>Hotel</dt><dd>{hotel}</dd>
  <dt>Dates</dt><dd>{dates}</dd>
  <dt>Room</dt><dd>{room}</dd>
  <dt>Paid</dt><dd>{paid}</dd>
</dl>
<p><a class="act" href="/my-stay/invoice">Get a VAT invoice</a> &nbsp; <a href="/my-stay/review">Review your stay</a></p>
"""

INVOICE = """
<h1>Request a VAT invoice</h1>
<p>We'll make the invoice out to your company and e-mail it to {email} within a few minutes.</p>
<form method="post" action="/my-stay/invoice">
  <div class="it"><label for="co">Company name</label><input type="text" id="co" name="company"></div>
  <div class="it"><label for="addr">Company address</label><textarea id="addr" name="address" rows="3"></textarea></div>
  <div class="it"><label for="vat">VAT number (optional)</label><input type="text" id="vat" name="vat"></div>
  <div class="it"><label for="folio">Folio number</label><input type="text" id="folio" name="folio" required inputmode="numeric">
    <small>8 digits, printed at the top of your check-out receipt.</small></div>
  <button type="submit" class="act">Request invoice <span class="g" aria-hidden="true">\ue873</span></button>
</form>
<p><a href="/help/folio-number">Where do I find my folio number?</a></p>
"""

FOLIO_HELP = """
<h1>Where do I find my folio number?</h1>
<p>Your folio number is the 8-digit number at the top of the receipt the front desk gives you when you
   check out. It tells us exactly which bill to put on your invoice.</p>
<p>Once you have it, you can <a href="/my-stay/invoice">request your invoice online</a>.</p>
"""

SIMPLE = "<h1>{h}</h1><p>{t}</p>"


def make_app():
    def respond(start_response, status, title, body, headers=()):
        data = BASE.format(title=html.escape(title), body=body).encode("utf-8")
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(data))),
                                *headers])
        return [data]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        sid = cookie["lh_s"].value if "lh_s" in cookie else ""
        stay_key = SESSIONS.get(sid)

        if path == "/my-stay":
            key = (query.get("booking", "").upper(), query.get("email", "").lower(), query.get("token", ""))
            if key in STAYS:
                sid = secrets.token_hex(8)
                SESSIONS[sid] = key
                stay = STAYS[key]
                body = STAY.format(first=stay["guest"].split()[0], booking=key[0],
                                   **{k: html.escape(v) for k, v in stay.items()})
                return respond(start_response, "200 OK", "My stay", body,
                               [("Set-Cookie", f"lh_s={sid}; Path=/; HttpOnly; SameSite=Lax")])
            if stay_key:
                stay = STAYS[stay_key]
                body = STAY.format(first=stay["guest"].split()[0], booking=stay_key[0],
                                   **{k: html.escape(v) for k, v in stay.items()})
                return respond(start_response, "200 OK", "My stay", body)
            return respond(start_response, "403 Forbidden", "Link expired",
                           SIMPLE.format(h="This link has expired", t="Please use the link in your latest e-mail."))
        if path == "/my-stay/invoice":
            if not stay_key:
                return respond(start_response, "403 Forbidden", "Link expired",
                               SIMPLE.format(h="This link has expired", t="Please use the link in your latest e-mail."))
            if method == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                environ["wsgi.input"].read(length)
                return respond(start_response, "200 OK", "Invoice requested",
                               SIMPLE.format(h="Invoice on its way", t="We've e-mailed your VAT invoice."))
            return respond(start_response, "200 OK", "Request a VAT invoice",
                           INVOICE.format(email=html.escape(stay_key[1])))
        if path == "/help/folio-number":
            return respond(start_response, "200 OK", "Folio number", FOLIO_HELP)
        if path == "/favicon.ico":
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        return respond(start_response, "404 Not Found", "Not found",
                       SIMPLE.format(h="Sorry, we can't find that page", t=""))

    return app
