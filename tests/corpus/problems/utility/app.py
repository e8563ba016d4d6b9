"""Brightwater Energy: the customer website and the phone line (TwiML) of a gas and electricity supplier.

Written like a supplier's self-service site: one Jinja layout of panels, a gas-emergency top bar, a cookie
box, forms with `required` fields; the IVR uses the twilio helper library, entry at POST /ivr/voice, and
hangs up once it has pointed the caller elsewhere.
"""

from pathlib import Path

from flask import Flask, render_template, request
from twilio.twiml.voice_response import Gather, VoiceResponse

HERE = Path(__file__).resolve().parent
MOVES_LINE = "0345 600 7100"


def make_app():
    app = Flask(__name__, template_folder=str(HERE / "templates"))

    def page(title, *blocks):
        return render_template("layout.html", title=title, blocks=blocks)

    def xml(resp):
        return str(resp), 200, {"Content-Type": "application/xml"}

    # ------------------------------------------------------------------ website
    @app.get("/")
    def home():
        return page("Home", "<h1>Hello. What do you need to do today?</h1>"
                    "<ul><li><a href='/meter-reading'>Submit a meter reading</a></li>"
                    "<li><a href='/payments/direct-debit'>Change my Direct Debit</a></li>"
                    "<li><a href='/moving-home'>I'm moving home</a></li>"
                    "<li><a href='/complaints'>Make a complaint</a></li></ul>",
                    "<p>Switching to us? Most switches take 5 working days.</p>")

    @app.get("/account")
    def account():
        return page("Your account", "<h1>Your account</h1><p><a href='/meter-reading'>Submit a meter reading</a> · "
                    "<a href='/payments/direct-debit'>Change my Direct Debit</a></p>")

    @app.route("/meter-reading", methods=["GET", "POST"])
    def meter_reading():
        if request.method == "POST":
            if not request.form.get("account", "").strip():
                return page("Submit a meter reading", "<p class='alert'>Please enter your account number.</p>")
            return page("Reading received", f"<h1>Thanks!</h1><p>Your reading of {request.form.get('reading')} "
                        "has been received.</p>")
        return page("Submit a meter reading", """<h1>Submit a meter reading</h1>
<p>You'll need your 8-digit account number, which is printed at the top of your bill.</p>
<form method="post">
 <div class="field"><label for="acc">Account number</label><input id="acc" name="account" required pattern="[0-9]{8}"></div>
 <div class="field"><label for="rd">Meter reading</label><input id="rd" name="reading" required></div>
 <button type="submit">Submit reading</button>
</form>""")

    @app.get("/payments/direct-debit")
    def direct_debit():
        return page("Change my Direct Debit", """<h1>Change my Direct Debit</h1>
<p class="alert">Direct Debit changes cannot be completed online.</p>
<p>To change the bank account your Direct Debit comes from, download a mandate form, sign it and post it to
Brightwater Energy, Freepost BWE CUSTOMER SERVICES.</p>
<p><a href="/static/dd-mandate.pdf">Download mandate form (PDF, 84KB)</a></p>""")

    @app.get("/moving-home")
    def moving_home():
        return page("Moving home", """<h1>Moving home?</h1>
<p>Let us know at least 2 days before you move so we can take final readings.</p>""",
                    f"""<p class="alert">Home moves can't be done online at the moment.</p>
<p>Please call our Home Moves team on {MOVES_LINE} (Monday to Saturday, 8am to 6pm).</p>""")

    @app.route("/complaints", methods=["GET", "POST"])
    def complaints():
        if request.method == "POST":
            return page("Complaint received", "<h1>Thank you</h1><p>We have received your complaint.</p>"
                        "<p>We'll get back to you within 10 working days.</p>")
        return page("Make a complaint", """<h1>Make a complaint</h1><p>We're sorry things have gone wrong.</p>
<form method="post">
 <div class="field"><label for="what">Tell us what went wrong</label><textarea id="what" name="what" required></textarea></div>
 <div class="field"><label for="em">Email address</label><input id="em" name="email" type="email" required></div>
 <button type="submit">Send complaint</button>
</form>""")

    @app.get("/help")
    def help_page():
        return page("Help", "<h1>Help and support</h1><p>Our live chat is unavailable at the moment.</p>"
                    "<p>Most answers are in our <a href='/help/faq'>frequently asked questions</a>.</p>")

    @app.get("/<path:anything>")
    def other(anything):
        return page("Brightwater Energy", "<h1>Information</h1><p>This page is being updated.</p>")

    # ------------------------------------------------------------------ phone line
    @app.post("/ivr/voice")
    def voice():
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action="/ivr/menu", timeout=6)
        gather.say("Welcome to Brightwater Energy. To give a meter reading, press 1. For payments and Direct "
                   "Debits, press 2. If you're moving home, press 3. To make a complaint, press 4.")
        resp.append(gather)
        resp.redirect("/ivr/voice")
        return xml(resp)

    @app.post("/ivr/menu")
    def menu():
        digit = request.values.get("Digits", "")
        resp = VoiceResponse()
        if digit == "1":
            gather = Gather(num_digits=8, action="/ivr/reading", timeout=8, finish_on_key="#")
            gather.say("Please enter your 8 digit account number, then press hash.")
            resp.append(gather)
            resp.say("Sorry, we can't take a reading without your account number. Goodbye.")
            resp.hangup()
        elif digit == "2":
            resp.say("We can't change bank details over the phone. Please visit our website to download a "
                     "Direct Debit form. Goodbye.")
            resp.hangup()
        elif digit == "3":
            resp.say("To let us know you're moving, fill in the moving home form on our website at brightwater "
                     "energy dot co dot uk slash move. Goodbye.")
            resp.hangup()
        elif digit == "4":
            gather = Gather(num_digits=8, action="/ivr/complaint", timeout=8, finish_on_key="#")
            gather.say("Please enter your 8 digit account number, then press hash.")
            resp.append(gather)
            resp.say("Sorry, we can't log a complaint without your account number. Goodbye.")
            resp.hangup()
        else:
            resp.redirect("/ivr/voice")
        return xml(resp)

    @app.post("/ivr/reading")
    def reading():
        resp = VoiceResponse()
        resp.say("Thank you. Our meter reading service is temporarily unavailable. Please try again later.")
        resp.hangup()
        return xml(resp)

    @app.post("/ivr/complaint")
    def complaint():
        resp = VoiceResponse()
        resp.say("Thank you. A member of our complaints team will call you back within 5 working days.")
        resp.hangup()
        return xml(resp)

    return app
