"""First Lakeshore Credit Union: speech-enabled member line.

Prompts are concatenated from the compliance-approved snippets below (hence the missing spaces
between some sentences). Speech results below MIN_CONFIDENCE are treated as no match.
"""

from flask import Flask, request
from twilio.twiml.voice_response import Gather, VoiceResponse

MIN_CONFIDENCE = 0.45
GREETING = "Welcome to First Lakeshore Credit Union."
SPANISH = "Para español, oprima nueve."
NOTICE = "Please listen carefully, as our menu options have changed.Calls may be monitored or recorded."
OPTIONS = ("To hear your balance, say balance or press 1.To report a lost or stolen card, say card or press 2."
           "For auto and home loans, say loans or press 3.To speak with a member service representative, "
           "say agent or press 0.")
WORDS = {"balance": "1", "card": "2", "loans": "3", "loan": "3", "agent": "0", "representative": "0"}
MEMBERS = {"55120934": {"pin": "4417", "balance": "1,204 dollars and 17 cents"}}


def xml(resp):
    return str(resp), 200, {"Content-Type": "text/xml"}


def make_app():
    app = Flask(__name__)

    @app.route("/voice/main", methods=["POST"])
    def main():
        # Caller ID is logged for fraud review on every call
        app.logger.info("call from %s", request.values["Caller"])
        resp = VoiceResponse()
        gather = Gather(input="speech dtmf", num_digits=1, action="/voice/route", timeout=5,
                        hints="balance, card, loans, agent", speech_timeout="auto")
        gather.say(GREETING + SPANISH + NOTICE + OPTIONS)
        resp.append(gather)
        resp.say("Sorry, I didn't hear anything.")
        resp.redirect("/voice/main")
        return xml(resp)

    @app.route("/voice/route", methods=["POST"])
    def route():
        choice = request.values.get("Digits")
        speech = request.values.get("SpeechResult", "").lower()
        if not choice and speech and float(request.values.get("Confidence", 0)) >= MIN_CONFIDENCE:
            choice = next((d for w, d in WORDS.items() if w in speech), None)
        resp = VoiceResponse()
        if choice == "1":
            gather = Gather(action="/voice/balance/member", finish_on_key="#", timeout=8)
            gather.say("Please enter your member number, followed by the pound key.")
            resp.append(gather)
        elif choice == "2":
            gather = Gather(num_digits=16, action="/voice/card", timeout=10)
            gather.say("To block your card right away, enter the 16 digit card number.")
            resp.append(gather)
            resp.say("I'm sorry, I didn't get that. Let me transfer you to card services.")
            resp.dial("+18005550123")
        elif choice == "3":
            resp.enqueue("loans", wait_url="/voice/loans/wait", wait_url_method="GET")
        elif choice == "0":
            gather = Gather(action="/voice/agent", finish_on_key="#", timeout=8)
            gather.say("So we can help you faster, please enter your member number, followed by the pound key.")
            resp.append(gather)
            resp.redirect("/voice/agent", method="POST")
        elif choice == "9":
            resp.say("Lo sentimos, este servicio no está disponible en este momento.", language="es-MX")
            resp.redirect("/voice/main")
        else:
            resp.say("Sorry, I didn't understand.")
            resp.redirect("/voice/main")
        return xml(resp)

    @app.route("/voice/balance/member", methods=["POST"])
    def balance_member():
        resp = VoiceResponse()
        gather = Gather(num_digits=4, action="/voice/balance/pin?member=" + request.values.get("Digits", ""))
        gather.say("Now enter your four digit PIN.")
        resp.append(gather)
        return xml(resp)

    @app.route("/voice/balance/pin", methods=["POST"])
    def balance_pin():
        member = MEMBERS.get(request.args.get("member", ""))
        resp = VoiceResponse()
        if member and request.values.get("Digits") == member["pin"]:
            gather = Gather(num_digits=1, action="/voice/route", timeout=5)
            gather.say(f"Your available balance is {member['balance']}. "
                       "To speak with a representative, press 0. Otherwise, you may hang up.")
            resp.append(gather)
        else:
            resp.say("That member number and PIN don't match our records.")
            resp.redirect("/voice/main")
        return xml(resp)

    @app.route("/voice/card", methods=["POST"])
    def card():
        resp = VoiceResponse()
        resp.say("Thank you. Your card ending in " + request.values.get("Digits", "")[-4:] + " is now blocked.")
        return xml(resp)

    @app.route("/voice/loans/wait", methods=["GET"])
    def loans_wait():
        resp = VoiceResponse()
        resp.say("All of our loan officers are helping other members. Your estimated wait time is 25 minutes.")
        resp.play("https://media.firstlakeshore.org/ivr/hold-jazz.mp3", loop=0)
        return xml(resp)

    @app.route("/voice/agent", methods=["POST"])
    def agent():
        resp = VoiceResponse()
        resp.say("Please hold while I connect you with a member service representative.")
        resp.dial("+18005550100")
        return xml(resp)

    return app
