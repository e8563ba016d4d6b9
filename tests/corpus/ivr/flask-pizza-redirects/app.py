"""Tony's Pizza phone line: delivery status, ordering and catering.

The number's voice webhook still points at the old /voice URL; it moved to /ivr/welcome when the
ordering site launched, so /voice just redirects.
"""

from flask import Flask, redirect, request, url_for
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

CATERING_MANAGER = "+13125550188"

# phone number on the order -> status line read back to the caller
ORDERS = {
    "3125550147": "Your large pepperoni and garlic knots left the store at 6:40 and are out for delivery now.",
    "7735550122": "Your order is in the oven.",
}


def twiml(resp):
    return str(resp), 200, {"Content-Type": "text/xml"}


def make_app():
    app = Flask(__name__)

    @app.route("/voice", methods=["GET", "POST"])
    def legacy_voice():
        # old webhook URL, kept so we don't have to touch the Twilio console
        return redirect(url_for("welcome"), code=301)

    @app.route("/ivr/welcome", methods=["GET", "POST"])
    def welcome():
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action=url_for("menu"), method="POST", timeout=6)
        gather.say("Thanks for calling Tony's Pizza, Chicago's favorite since 1962! "
                   "For the status of a delivery, press 1. To place an order, press 2. "
                   "For catering and large party orders, press 3.")
        resp.append(gather)
        # nothing pressed: start over
        resp.redirect(url_for("welcome"))
        return twiml(resp)

    @app.route("/ivr/menu", methods=["POST"])
    def menu():
        choice = request.form.get("Digits", "")
        if choice == "1":
            # 307 so Twilio re-POSTs to the lookup flow
            return redirect(url_for("order_status"), code=307)
        if choice == "2":
            return redirect(url_for("order_online"), code=303)
        if choice == "3":
            return redirect(url_for("catering"), code=303)
        resp = VoiceResponse()
        resp.say("Sorry, that's not one of the options.")
        resp.redirect(url_for("welcome"))
        return twiml(resp)

    @app.route("/ivr/status", methods=["GET", "POST"])
    def order_status():
        resp = VoiceResponse()
        gather = Gather(action=url_for("order_lookup"), finish_on_key="#", timeout=10)
        gather.say("Please enter the phone number you used for your order, then press pound.")
        resp.append(gather)
        resp.say("We didn't get a phone number.")
        resp.redirect(url_for("welcome"))
        return twiml(resp)

    @app.route("/ivr/status/lookup", methods=["POST"])
    def order_lookup():
        phone = request.form.get("Digits", "").lstrip("1")
        resp = VoiceResponse()
        if phone in ORDERS:
            resp.say(ORDERS[phone] + " Thanks for ordering from Tony's!")
            resp.hangup()
        else:
            resp.say("Hmm, we couldn't find an order for that number.")
            resp.redirect(url_for("order_status"))
        return twiml(resp)

    @app.route("/ivr/order", methods=["GET", "POST"])
    def order_online():
        resp = VoiceResponse()
        resp.say("Ordering is faster online! Visit tonys pizza dot com or download the Tony's app "
                 "to build your pizza and pay ahead. Goodbye!")
        resp.hangup()
        return twiml(resp)

    @app.route("/ivr/catering", methods=["GET", "POST"])
    def catering():
        resp = VoiceResponse()
        resp.say("Connecting you to our catering manager.")
        dial = Dial(timeout=25, caller_id=request.values.get("To"))
        dial.number(CATERING_MANAGER, url=url_for("whisper"))
        resp.append(dial)
        return twiml(resp)

    @app.route("/ivr/whisper", methods=["POST"])
    def whisper():
        # played to the catering manager's phone before the caller is bridged in
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action=url_for("whisper_accepted"))
        gather.say("Catering call from the Tony's main line. Press any key to accept this call.")
        resp.append(gather)
        resp.hangup()
        return twiml(resp)

    @app.route("/ivr/whisper/accepted", methods=["POST"])
    def whisper_accepted():
        return twiml(VoiceResponse())

    return app
