"""Harbourside Home Insurance: public site, the "Harbour Help" assistant (a JSON API of its own) and the
claims line (TwiML), as one Flask app.

Written like a mid-size insurer's estate: Jinja templates with a shared layout, a cookie dialog, footer
links, a claim lookup form, and a chat service whose JSON shape is described in chat.yaml. The IVR is
plain TwiML strings (no helper library), with the number's voice URL at POST /ivr/voice.
"""

from pathlib import Path

from flask import Flask, render_template, request

HERE = Path(__file__).resolve().parent
CLAIMS = {"HC-48213": ("escape of water, kitchen", "with our loss adjuster"),
          "HC-51077": ("storm damage, roof", "awaiting your documents")}
MAIN_LINE = "0800 123 4567"


def twiml(body: str):
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>', 200, {"Content-Type": "text/xml"}


def make_app():
    app = Flask(__name__, template_folder=str(HERE / "templates"))

    def page(title, body, crumbs=()):
        return render_template("page.html", title=title, body=body, crumbs=crumbs)

    # ---------------------------------------------------------------- web
    @app.get("/")
    def home():
        return page("Home insurance that's there when it matters", """
<div class="cards">
  <div class="card"><h2>Claims</h2><p>Make a claim, check where it's up to or send us documents.</p>
    <a href="/claims">Go to claims</a></div>
  <div class="card"><h2>My policy</h2><p>Renew, update your details or cancel.</p><a href="/my-policy">Manage my policy</a></div>
  <div class="card"><h2>Help</h2><p>Opening times, phone numbers and our assistant.</p><a href="/help">Get help</a></div>
</div>
<p class="notice">Storm Ciarán: if your home has been damaged, you can start a claim online any time.</p>""")

    @app.get("/claims")
    def claims():
        return page("Claims", """
<p>Whatever's happened, we'll guide you through it.</p>
<ul>
  <li><a href="/claims/new">Make a new claim</a></li>
  <li><a href="/claims/track">Track or update a claim</a></li>
  <li><a href="/claims/documents">Send us documents</a></li>
</ul>""", [("/claims", "Claims")])

    @app.get("/claims/new")
    def new_claim():
        return page("Make a new claim", "<p>Tell us what happened and we'll take it from there.</p>"
                    "<p><a href='/claims'>Back to claims</a></p>", [("/claims", "Claims")])

    @app.route("/claims/track", methods=["GET", "POST"])
    def track():
        if request.method == "GET":
            return page("Track or update a claim", """
<form method="post" action="/claims/track">
  <label for="ref">Claim reference</label>
  <input id="ref" name="ref" placeholder="e.g. HC-12345" required>
  <p class="hint">You'll find it on the email we sent when you made your claim.</p>
  <button type="submit">Find my claim</button>
</form>""", [("/claims", "Claims")])
        ref = request.form.get("ref", "").strip().upper()
        claim = CLAIMS.get(ref)
        if not claim:
            return page("Track or update a claim", f"<p class='error'>We couldn't find a claim with the reference "
                        f"{ref or 'you entered'}. Please check it and try again.</p><p><a href='/claims/track'>Search again</a></p>",
                        [("/claims", "Claims")])
        return page(f"Claim {ref}", f"""
<dl><dt>What happened</dt><dd>{claim[0]}</dd><dt>Status</dt><dd>{claim[1]}</dd></dl>
<div class="notice"><p>Claims can't be changed online.</p>
<p>To update an open claim, please call our claims team on {MAIN_LINE} (8am to 8pm weekdays, 9am to 1pm Saturdays).</p></div>
<p><a href="/claims/documents">Send us documents</a></p>""", [("/claims", "Claims")])

    @app.get("/claims/documents")
    def documents():
        return page("Send us documents", """
<p>Photos, receipts and estimates help us settle your claim faster.</p>
<div class="notice"><p>Our document upload service is temporarily unavailable while we make some improvements.</p>
<p>In the meantime, please email photos, receipts and estimates to documents@harboursideinsure.co.uk, with your claim reference in the subject line.</p></div>""",
                    [("/claims", "Claims")])

    @app.get("/my-policy")
    def my_policy():
        return page("My policy", """
<ul>
  <li><a href="/my-policy/renew">Renew my policy</a></li>
  <li><a href="/my-policy/address">Change my address</a></li>
  <li><a href="/my-policy/cancel">Cancel my policy</a></li>
</ul>""", [("/my-policy", "My policy")])

    @app.get("/my-policy/renew")
    def renew():
        return page("Renew my policy", """
<p>We'll write to you 21 days before your renewal date with your new price.</p>
<p class="notice">Online renewal isn't available for policies with a claim in the last 12 months.</p>
<p>Our assistant can request a renewal quote for you: use the chat on any page.</p>""", [("/my-policy", "My policy")])

    @app.route("/my-policy/address", methods=["GET", "POST"])
    def address():
        if request.method == "POST":
            return page("Address updated", "<p>Thanks. Your address has been updated and your documents will "
                        "show it from today.</p>", [("/my-policy", "My policy")])
        return page("Change my address", """
<form method="post">
  <label for="addr">New address</label><input id="addr" name="addr" required>
  <label for="pc">Postcode</label><input id="pc" name="pc" required>
  <button type="submit">Update address</button>
</form>""", [("/my-policy", "My policy")])

    @app.get("/my-policy/cancel")
    def cancel():
        return page("Cancel my policy", f"""
<p>We're sorry to see you go.</p>
<p>Policies can only be cancelled over the phone, so we can make sure your cover ends on the right date.</p>
<p>Please call us on {MAIN_LINE} and choose option 3.</p>""", [("/my-policy", "My policy")])

    @app.get("/help")
    def help_page():
        return page("Help and contact", f"""
<h2>Phone</h2><p>Claims and general enquiries: {MAIN_LINE}. Lines are open 8am to 8pm weekdays and 9am to 1pm on Saturdays.</p>
<h2>Chat</h2><p>Harbour Help, our digital assistant, is available 24/7.</p>
<h2 id="complaints">Complaints</h2><p>We aim to resolve complaints within 8 weeks.</p>""", [("/help", "Help")])

    @app.get("/legal/<name>")
    @app.get("/accessibility")
    def legal(name="accessibility"):
        return page(name.title(), "<p>This page explains how we look after you and your information.</p>")

    # ---------------------------------------------------------------- chat
    sessions: dict[str, dict] = {}

    def msg(content, *suggestions):
        out = {"type": "text", "content": content}
        if suggestions:
            out["suggestions"] = [{"label": s, "postback": s.lower()} for s in suggestions]
        return out

    @app.post("/api/assistant/messages")
    def assistant():
        data = request.get_json(force=True) or {}
        sid = str(data.get("sessionId", ""))
        text = str((data.get("message") or {}).get("text", "")).lower()
        state = sessions.setdefault(sid, {"turns": 0})
        state["turns"] += 1
        out = []
        if state["turns"] == 1:
            out.append(msg("Hi, I'm Harbour Help, Harbourside's digital assistant."))
        if "cancel" in text:
            out += [msg("I can't cancel policies in chat."),
                    msg(f"Please call us on {MAIN_LINE} so our customer loyalty team can go through your options.",
                        "Something else")]
        elif any(w in text for w in ("photo", "document", "receipt", "upload", "estimate")):
            out += [msg("Document upload is not available in this chat."),
                    msg("Please email them to documents@harboursideinsure.co.uk and put your claim reference in the subject.",
                        "Something else")]
        elif "claim" in text and any(w in text for w in ("change", "update", "amend", "add", "correct")):
            out += [msg("I'm sorry, I can't make changes to an existing claim here."),
                    msg(f"For changes to a claim please phone us on {MAIN_LINE}.", "Something else", "Talk to a person")]
        elif "renew" in text:
            out += [msg("No problem. I've requested a renewal quote for you; it will be emailed to you within 2 working days.")]
        elif "person" in text or "adviser" in text or "agent" in text:
            out += [msg("All our advisers are busy right now. Estimated wait: 25 minutes."),
                    msg("Connecting you to the next available adviser.")]
        elif state["turns"] == 1:
            out.append(msg("What can I help you with today?", "Claims", "Renewals", "Cancelling"))
        else:
            out.append(msg("Sorry, I didn't quite get that. You can ask me about claims, documents, renewals or cancelling.",
                           "Claims", "Renewals", "Cancelling"))
        return {"ok": True, "data": {"sessionId": sid, "messages": out}}

    # ---------------------------------------------------------------- IVR
    @app.post("/ivr/voice")
    def voice():
        return twiml('<Gather numDigits="1" action="/ivr/main" timeout="6"><Say voice="Polly.Amy">Thank you for calling '
                     "Harbourside Home Insurance. Calls are recorded for training and quality purposes. "
                     "To make a new claim, press 1. To amend an existing claim, press 2. To cancel your policy, press 3. "
                     "To send us photos or documents for a claim, press 4. For anything else, press 0.</Say></Gather>"
                     '<Redirect method="POST">/ivr/voice</Redirect>')

    @app.post("/ivr/main")
    def main():
        d = request.values.get("Digits", "")
        if d == "1":
            return twiml("<Say>You can make a new claim online at harboursideinsure dot co dot uk, any time of day.</Say>"
                         '<Redirect method="POST">/ivr/voice</Redirect>')
        if d == "2":
            return twiml("<Say>We're unable to amend claims over the phone. To amend a claim, please visit one of our "
                         "branches with your claim documents. Goodbye.</Say><Hangup/>")
        if d == "3":
            return twiml("<Say>Before you cancel, let me connect you to our customer loyalty team.</Say>"
                         "<Dial>+448001234599</Dial>")
        if d == "4":
            return twiml("<Say>We can't accept documents by phone. Please e-mail them to documents at harboursideinsure "
                         "dot co dot uk. Goodbye.</Say><Hangup/>")
        if d == "0":
            return twiml("<Say>Please hold for the next available adviser.</Say><Dial>+448001234500</Dial>")
        return twiml('<Redirect method="POST">/ivr/voice</Redirect>')

    return app
