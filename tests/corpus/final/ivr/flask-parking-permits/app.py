"""City of Riverton, Parking Permits Office: the permits phone line (Flask + twilio helper library).

Residents can renew an existing residential permit entirely by phone. The renewal lookup answers 303
(post/redirect/get) to the quote page. Parking tickets belong to another department, the Parking
Violations Bureau; the Dial to it carries a whisper so the bureau clerk knows where the call came from.
"""

from flask import Flask, redirect, request, url_for
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

CLERKS = "+17345550140"
VIOLATIONS_BUREAU = "+17345550152"
PERMITS = {"204417": {"zip": "48104", "zone": "C", "expires": "June 30th", "fee": "45 dollars"}}


def make_app():
    app = Flask(__name__)

    def xml(resp):
        return str(resp), 200, {"Content-Type": "application/xml"}

    def to_clerk(resp, intro="Let me get a permits clerk for you."):
        resp.say(intro)
        resp.dial(CLERKS, timeout=45, action=url_for("after_dial"))
        return resp

    @app.post("/permits/voice")
    def voice():
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action=url_for("choose"), timeout=7)
        gather.say("City of Riverton, Parking Permits Office. Renewing a residential permit you already have? "
                   "Press 1. Applying for a first permit, or buying visitor passes? Press 2. Questions about a "
                   "parking ticket go to the Parking Violations Bureau: press 3 and we'll put you through. "
                   "To repeat these choices, press 9.", voice="Polly.Kendra")
        resp.append(gather)
        return xml(to_clerk(resp))

    @app.post("/permits/choose")
    def choose():
        digit = request.form.get("Digits", "")
        resp = VoiceResponse()
        if digit == "1":
            gather = Gather(num_digits=6, action=url_for("renew_permit"), timeout=12)
            gather.say("Please enter the six digit permit number printed under the barcode on your current "
                       "permit sticker.")
            resp.append(gather)
            return xml(to_clerk(resp))
        if digit == "2":
            resp.say("First-time permits need proof that you live in the zone, so they're issued at the Permits "
                     "counter in City Hall, room 104, weekdays from 8 to 4 30, or online at riverton m i dot gov "
                     "slash parking. Visitor passes are sold at the same counter.")
            gather = Gather(num_digits=1, action=url_for("clerk"), timeout=5)
            gather.say("To talk to a permits clerk now, press 0.")
            resp.append(gather)
            resp.say("Thank you for calling the City of Riverton.")
            resp.hangup()
            return xml(resp)
        if digit == "3":
            resp.say("Transferring you to the Parking Violations Bureau.")
            dial = Dial(timeout=45)
            dial.number(VIOLATIONS_BUREAU, url=url_for("bureau_whisper"), method="POST")
            resp.append(dial)
            return xml(resp)
        if digit != "9":
            resp.say("Sorry, I didn't understand that.")
        resp.redirect(url_for("voice"))
        return xml(resp)

    @app.post("/permits/clerk")
    def clerk():
        resp = VoiceResponse()
        if request.form.get("Digits") == "0":
            return xml(to_clerk(resp, "Please hold while I connect you to a permits clerk."))
        resp.say("Thank you for calling the City of Riverton.")
        resp.hangup()
        return xml(resp)

    @app.post("/permits/renew/permit")
    def renew_permit():
        number = request.form.get("Digits", "")
        resp = VoiceResponse()
        if number not in PERMITS:
            return xml(to_clerk(resp, "I couldn't find that permit. Let me get a permits clerk for you."))
        gather = Gather(num_digits=5, action=url_for("renew_verify", permit=number), timeout=10)
        gather.say("Thanks. To confirm it's yours, enter the five digit ZIP code of the address on the permit.")
        resp.append(gather)
        return xml(to_clerk(resp))

    @app.post("/permits/renew/verify")
    def renew_verify():
        number = request.args.get("permit", "")
        permit = PERMITS.get(number)
        if permit is None or request.form.get("Digits") != permit["zip"]:
            resp = VoiceResponse()
            return xml(to_clerk(resp, "That ZIP code doesn't match our records. Let me get a permits clerk for you."))
        return redirect(url_for("renew_quote", permit=number), code=303)

    @app.get("/permits/renew/quote")
    def renew_quote():
        number = request.args.get("permit", "")
        permit = PERMITS[number]
        resp = VoiceResponse()
        resp.say(f"Permit {' '.join(number)}, zone {permit['zone']}, expires on {permit['expires']}. "
                 f"Renewing it for another year costs {permit['fee']}.")
        gather = Gather(num_digits=1, action=url_for("renew_pay", permit=number), method="POST", timeout=7)
        gather.say("To pay now by card, press 1. To have an invoice mailed to you instead, press 2.")
        resp.append(gather)
        return xml(to_clerk(resp))

    @app.post("/permits/renew/pay")
    def renew_pay():
        number = request.args.get("permit", "")
        resp = VoiceResponse()
        if request.form.get("Digits") == "1":
            gather = Gather(finish_on_key="#", action=url_for("renew_card", permit=number), timeout=15)
            gather.say("Enter your card number, followed by the pound key.")
            resp.append(gather)
            return xml(to_clerk(resp))
        if request.form.get("Digits") == "2":
            resp.say("All set. Your renewal is recorded, and an invoice for 45 dollars will be mailed to the "
                     "address on the permit. Your current sticker stays valid until the new one arrives. "
                     "You can check your permit status any time on the city website. Thank you for calling.")
            resp.hangup()
            return xml(resp)
        resp.redirect(url_for("renew_quote", permit=number), method="GET")
        return xml(resp)

    @app.post("/permits/renew/card")
    def renew_card():
        number = request.args.get("permit", "")
        resp = VoiceResponse()
        gather = Gather(num_digits=4, action=url_for("renew_expiry", permit=number), timeout=10)
        gather.say("Now enter the card's expiration date as four digits, the month and then the year.")
        resp.append(gather)
        return xml(to_clerk(resp))

    @app.post("/permits/renew/expiry")
    def renew_expiry():
        resp = VoiceResponse()
        resp.say("Payment accepted. Thank you. Your new sticker will be mailed to you, and your current one stays "
                 "valid until it arrives. Goodbye.")
        resp.hangup()
        return xml(resp)

    @app.post("/permits/bureau-whisper")
    def bureau_whisper():
        resp = VoiceResponse()
        resp.say("Transferred call from the Parking Permits line.")
        return xml(resp)

    @app.post("/permits/after-dial")
    def after_dial():
        resp = VoiceResponse()
        if request.form.get("DialCallStatus") != "completed":
            resp.say("Our clerks are all busy. Please call again, weekdays from 8 to 4 30.")
        resp.hangup()
        return xml(resp)

    return app
