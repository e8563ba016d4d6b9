"""Swiftbox Parcels: tracking site and the "Sam" assistant behind the Rasa REST channel.

Written like a carrier's estate: a server-rendered site built from one f-string layout (header with a
tracking box, mega footer, cookie bar), and a Rasa-style bot at POST /webhooks/rest/webhook that answers
lists of {recipient_id, text, buttons} and keeps each sender's state for as long as it runs.
"""

import re

from flask import Flask, jsonify, request

PARCELS = {"SB4410293377": "Held at depot: we tried to deliver on Tuesday but nobody was in.",
           "SB7720019934": "Delivered on Monday at 14:02. Left with a neighbour at number 12."}

LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Swiftbox</title>
<style>body{{font-family:system-ui,sans-serif;margin:0}} header{{background:#ffcc00;padding:12px 24px}}
header nav a{{margin-right:16px;color:#111;font-weight:700}} .content{{max-width:880px;margin:24px auto}}
.banner{{background:#fdecea;border:1px solid #f5c2c0;padding:10px 14px;border-radius:4px}}
footer{{background:#111;color:#bbb;padding:24px;margin-top:40px;columns:3}} footer a{{color:#bbb;display:block}}
#cookiebar{{position:fixed;bottom:0;width:100%;background:#333;color:#fff;padding:10px 24px}}</style></head>
<body><header><a href="/"><b>SWIFTBOX</b></a>
<form action="/track" method="get" style="display:inline;margin-left:24px"><input name="number" aria-label="Tracking number" placeholder="Tracking number"> <button>Track</button></form>
<nav><a href="/receiving">Receiving a parcel</a><a href="/sending">Sending a parcel</a><a href="/support">Support</a></nav></header>
<div class="content">{body}</div>
<footer><a href="/support">Help centre</a><a href="/support/claims">Damaged or missing</a><a href="/app">Get the app</a>
<a href="/business">Swiftbox for business</a><a href="/careers">Careers</a><a href="/legal">Terms and conditions</a>
<a href="/privacy">Privacy policy</a><a href="/modern-slavery">Modern slavery statement</a><span>Swiftbox Parcels Ltd, Unit 7 Link Park, Coventry CV6 4QP</span></footer>
<div id="cookiebar">We use cookies to improve your experience. <button onclick="this.parentNode.remove()">OK</button></div>
</body></html>"""


def html(title, body):
    return LAYOUT.format(title=title, body=body)


def make_app():
    app = Flask(__name__)

    @app.get("/")
    def home():
        return html("Parcel delivery", """<h1>Where's my parcel?</h1><p>Enter your tracking number above.</p>
<ul><li><a href="/receiving/rearrange">Rearrange a delivery</a></li><li><a href="/receiving/safe-place">Choose a safe place</a></li>
<li><a href="/support/claims">Report a damaged or missing parcel</a></li></ul>""")

    @app.get("/track")
    def track():
        number = request.args.get("number", "").strip().upper()
        status = PARCELS.get(number)
        if not status:
            return html("Tracking", "<p class='banner'>Live tracking is temporarily unavailable for some parcels. "
                        "Please try again later.</p>")
        return html("Tracking", f"<h1>Parcel {number}</h1><p>{status}</p>"
                    "<p><a href='/receiving/rearrange'>Rearrange delivery</a></p>")

    @app.get("/receiving")
    def receiving():
        return html("Receiving a parcel", "<h1>Receiving a parcel</h1><ul><li><a href='/receiving/rearrange'>Rearrange "
                    "a delivery</a></li><li><a href='/receiving/safe-place'>Choose a safe place</a></li></ul>")

    @app.route("/receiving/rearrange", methods=["GET", "POST"])
    def rearrange():
        if request.method == "POST":
            return html("Rearrange a delivery", "<p class='banner'>We couldn't find that card reference.</p>")
        return html("Rearrange a delivery", """<h1>Rearrange a delivery</h1>
<p>Missed us? To rearrange delivery you'll need the reference number from the card we left through your door.</p>
<form method="post"><label for="card">Card reference number</label><input id="card" name="card" required>
<label for="pc">Postcode</label><input id="pc" name="postcode" required><button type="submit">Find my parcel</button></form>""")

    @app.get("/receiving/safe-place")
    def safe_place():
        return html("Choose a safe place", """<h1>Choose a safe place</h1>
<p>Not going to be in? We can leave your parcel in a porch, shed or with a neighbour.</p>
<p class="banner">Safe place instructions can only be set in the Swiftbox app.</p>
<p><a href="/app">Get the app</a></p>""")

    @app.get("/support/claims")
    def claims():
        return html("Damaged or missing parcels", """<h1>Damaged or missing parcels</h1>
<p>We're sorry if your parcel arrived damaged.</p>
<p>Compensation claims are handled by the sender, not us.</p>
<p>Please get in touch with the shop or person who sent the parcel and they will raise it with us.</p>""")

    @app.get("/<path:anything>")
    def other(anything):
        return html("Swiftbox", "<h1>Swiftbox</h1><p>Thanks for choosing Swiftbox.</p>")

    # ---------------------------------------------------------------- Rasa REST channel
    state: dict[str, dict] = {}

    def say(sender, text, buttons=()):
        out = {"recipient_id": sender, "text": text}
        if buttons:
            out["buttons"] = [{"title": t, "payload": p} for t, p in buttons]
        return out

    MENU = [("Track a parcel", "/track"), ("Rearrange delivery", "/rearrange"), ("Safe place", "/safe_place"),
            ("Damaged or missing", "/claim")]

    @app.get("/webhooks/rest/")
    def rasa_status():
        return jsonify({"status": "ok"})

    @app.post("/webhooks/rest/webhook")
    def webhook():
        body = request.get_json(force=True) or {}
        sender = str(body.get("sender", "default"))
        text = str(body.get("message", "")).strip()
        low = text.lower()
        s = state.setdefault(sender, {"step": "new"})
        replies = []
        if s["step"] == "new":
            s["step"] = "open"
            replies.append(say(sender, "Hi, I'm Sam, Swiftbox's virtual assistant."))
        if s["step"] == "card":
            if re.fullmatch(r"[A-Z0-9]{8,12}", text.upper().replace(" ", "")):
                s["step"] = "open"
                return jsonify([say(sender, "Thanks. Your delivery has been rearranged for tomorrow.")])
            s["step"] = "open"
            return jsonify([say(sender, "Sorry, without the card reference I can't find your parcel."),
                            say(sender, "Is there anything else I can help with?", MENU)])
        if low in ("/rearrange",) or "rearrange" in low or "redeliver" in low or "missed" in low:
            s["step"] = "card"
            replies.append(say(sender, "I can rebook that for you. What's the reference number on the card we left?"))
        elif low == "/safe_place" or "safe place" in low or "leave it" in low or "porch" in low:
            replies.append(say(sender, "You can set a safe place in the Swiftbox app. Just download our app and open "
                                       "your parcel."))
        elif low == "/claim" or "damaged" in low or "broken" in low or "missing" in low:
            replies.append(say(sender, "I'm afraid we can't process claims from the person receiving the parcel."))
            replies.append(say(sender, "Please contact the retailer you bought from and they'll raise a claim with us."))
        elif "agent" in low or "person" in low or "human" in low:
            replies.append(say(sender, "Sorry, our customer service agents are not available at weekends."))
        elif s.get("greeted"):
            replies.append(say(sender, "Sorry, I didn't understand that. Please choose an option.", MENU))
        else:
            replies.append(say(sender, "What can I help you with?", MENU))
        s["greeted"] = True
        return jsonify(replies)

    return app
