"""IronPeak Fitness member services line (Flask + the twilio helper library).

Cancellations are routed through the retention flow: the robot offers a freeze, and anyone who still
wants out goes to a membership advisor, whose phone whispers the reason before the call connects.
"""

from flask import Flask, request
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

ADVISORS = "+16125550110"
HOLD_MUSIC = "https://ironpeak-assets.s3.amazonaws.com/ivr/ironpeak-hold-upbeat.mp3"

MEMBERS = {"771204": {"plan": "Premier", "payment": "49 dollars and 99 cents", "phone": "6125550148"}}
PHONES = {m["phone"]: member_id for member_id, m in MEMBERS.items()}


def xml(resp):
    return str(resp), 200, {"Content-Type": "text/xml; charset=utf-8"}


def make_app():
    app = Flask(__name__)

    @app.route("/voice/answer", methods=["POST"])
    def answer():
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action="/voice/main", timeout=5)
        gather.say("Thanks for calling IronPeak Fitness member services. "
                   "To check your membership or your next payment, please press 1 now. "
                   "To update your billing information, please press 2 now. "
                   "To freeze or cancel your membership, please press 3 now. "
                   "For personal training, please press 4 now.")
        resp.append(gather)
        resp.redirect("/voice/answer")
        return xml(resp)

    @app.route("/voice/main", methods=["POST"])
    def main():
        digit = request.form.get("Digits")
        resp = VoiceResponse()
        if digit == "1":
            gather = Gather(num_digits=6, action="/voice/member", timeout=10)
            gather.say("Please enter your six digit member ID. You'll find it on the back of your key tag.")
            resp.append(gather)
            resp.redirect("/voice/answer")
        elif digit == "2":
            resp.say("For your security, billing information can only be updated in the IronPeak app or at the "
                     "front desk of your home club.")
            resp.redirect("/voice/answer")
        elif digit == "3":
            gather = Gather(finish_on_key="#", action="/voice/retention", timeout=10)
            gather.say("Please enter the 10 digit phone number on your membership, followed by the pound key.")
            resp.append(gather)
            resp.redirect("/voice/answer")
        elif digit == "4":
            resp.say("All of our trainers are on the gym floor right now. Please stay on the line and the next "
                     "available trainer will be with you.")
            resp.enqueue("personal-training", wait_url="/voice/trainer-hold")
        else:
            resp.redirect("/voice/answer")
        return xml(resp)

    @app.route("/voice/member", methods=["POST"])
    def member():
        found = MEMBERS.get(request.form.get("Digits", ""))
        resp = VoiceResponse()
        if found is None:
            resp.say("Sorry, we couldn't find that member ID.")
        else:
            resp.say(f"Your {found['plan']} membership is active. Your next payment of {found['payment']} will "
                     "be drafted on the 1st of the month. You can also see your visits and book classes in "
                     "the IronPeak app.")
        resp.redirect("/voice/answer")
        return xml(resp)

    @app.route("/voice/retention", methods=["POST"])
    def retention():
        resp = VoiceResponse()
        if request.form.get("Digits", "") not in PHONES:
            resp.say("Sorry, we couldn't find a membership with that phone number.")
            resp.redirect("/voice/answer")
            return xml(resp)
        gather = Gather(num_digits=1, action="/voice/retention-choice", timeout=6)
        gather.say("Thanks. Before you go, did you know you can freeze your membership for up to 3 months for "
                   "just 10 dollars a month? To freeze your membership, press 1. To speak with a membership "
                   "advisor, press 2.")
        resp.append(gather)
        resp.redirect("/voice/answer")
        return xml(resp)

    @app.route("/voice/retention-choice", methods=["POST"])
    def retention_choice():
        digit = request.form.get("Digits")
        resp = VoiceResponse()
        if digit == "1":
            resp.say("Done. Your membership is frozen for 3 months, starting on your next billing date. We've "
                     "emailed you a confirmation. Goodbye.")
            resp.hangup()
        elif digit == "2":
            # the advisor desk's CRM pops the member by phone number, entered again here
            gather = Gather(finish_on_key="#", action="/voice/advisor", timeout=10)
            gather.say("To verify your identity, please enter the phone number on your membership again, "
                       "followed by the pound key.")
            resp.append(gather)
            resp.redirect("/voice/answer")
        else:
            resp.redirect("/voice/answer")
        return xml(resp)

    @app.route("/voice/advisor", methods=["POST"])
    def advisor():
        resp = VoiceResponse()
        resp.say("Thank you. Please hold while I connect you to a membership advisor.")
        dial = Dial(timeout=25, caller_id=request.form.get("To"))
        dial.number(ADVISORS, url="/voice/whisper")
        resp.append(dial)
        return xml(resp)

    @app.route("/voice/whisper", methods=["POST"])
    def whisper():
        # played to the advisor only, before the member is connected
        resp = VoiceResponse()
        gather = Gather(num_digits=1, timeout=5)
        gather.say("IronPeak retention call. This member selected cancel. Press any key to accept.")
        resp.append(gather)
        resp.hangup()
        return xml(resp)

    @app.route("/voice/trainer-hold", methods=["POST"])
    def trainer_hold():
        resp = VoiceResponse()
        resp.play(HOLD_MUSIC, loop=0)
        return xml(resp)

    return app
