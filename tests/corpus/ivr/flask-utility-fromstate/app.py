"""Prairie Power & Light customer line (Illinois and Indiana service territories).

During a storm, ops flips STORM_MODE and callers from the affected state hear the outage option first.
The state comes from Twilio's caller lookup (FromState), so it is only as good as the caller's number.
"""

from flask import Flask, request
from twilio.twiml.voice_response import Gather, VoiceResponse

STORM_MODE = {"IL": "the storms that moved through northern Illinois on Tuesday night"}


def make_app():
    app = Flask(__name__)

    def reply(resp):
        return str(resp), 200, {"Content-Type": "application/xml; charset=utf-8"}

    @app.route("/ivr/answer", methods=["POST"])
    def answer():
        state = request.values.get("FromState", "")
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action="/ivr/main", timeout=7)
        gather.say("Thank you for calling Prairie Power and Light.")
        if state in STORM_MODE:
            gather.say(f"We are responding to widespread outages caused by {STORM_MODE[state]}. "
                       "If you are calling from Illinois about a power outage, press 1.")
        gather.say("For billing or to make a payment, press 2. To start, stop or move your service, press 3. "
                   "To hear these options again, press the star key.")
        resp.append(gather)
        resp.redirect("/ivr/answer")
        return reply(resp)

    @app.route("/ivr/main", methods=["POST"])
    def main():
        digits = request.values.get("Digits")
        resp = VoiceResponse()
        if digits == "1" and request.values.get("FromState") in STORM_MODE:
            resp.say("Crews are working around the clock. Most customers in the Chicago area will have power "
                     "restored by 11 PM Thursday.")
            gather = Gather(num_digits=5, action="/ivr/outage", timeout=10)
            gather.say("To report an outage at your address, enter your five digit ZIP code now.")
            resp.append(gather)
            resp.say("We didn't receive a ZIP code. Goodbye.")
            resp.hangup()
        elif digits == "2":
            gather = Gather(num_digits=10, action="/ivr/billing", timeout=10)
            gather.say("Please enter your 10 digit account number. You can find it at the top of your bill.")
            resp.append(gather)
            resp.say("We did not receive your account number. Goodbye.")
            resp.hangup()
        elif digits == "3":
            resp.say("Service requests are now handled online. Please visit prairie power dot com slash move "
                     "to start, stop or transfer service. Thank you for calling.")
            resp.hangup()
        else:
            resp.redirect("/ivr/answer")
        return reply(resp)

    @app.route("/ivr/outage", methods=["POST"])
    def outage():
        zipcode = request.values.get("Digits", "")
        resp = VoiceResponse()
        resp.say(f"Thank you. We've logged an outage report for ZIP code {' '.join(zipcode)}. "
                 "For restoration updates, please check our outage map at prairie power dot com slash outages.")
        resp.hangup()
        return reply(resp)

    @app.route("/ivr/billing", methods=["POST"])
    def billing():
        resp = VoiceResponse()
        resp.say("Your balance is 84 dollars and 12 cents, due on the 15th.")
        resp.redirect("/ivr/answer")
        return reply(resp)

    return app
