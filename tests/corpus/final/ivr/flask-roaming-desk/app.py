"""Kestrel Wireless international roaming desk (the +1 number printed on the "Travelling?" card).

Flask app behind the roaming desk's Twilio number, TwiML built with the twilio helper library.
The number's voice URL is still the old /voice/roaming; it answers 302 to /voice/roaming/start.
Verified callers are sent through /voice/roaming/pin, which answers 307 (POST body kept) to the line
status handler. Specialist and device-protection calls carry a whisper (<Number url>) that only the
Kestrel agent hears.
"""

from flask import Flask, redirect, request, url_for
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

SPECIALISTS = "+18885550143"
DEVICE_PROTECTION = "+18885550177"
# mobile number -> (account PIN, line state)
LINES = {"4155550182": {"pin": "4821", "roaming_cap_reached": True, "plan": "Kestrel Unlimited Plus"}}


def make_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "kestrel-roaming-desk"

    def xml(resp):
        return str(resp), 200, {"Content-Type": "text/xml"}

    def line_from(digits):
        digits = (digits or "").strip("#")
        if not digits:                              # "just press pound": the phone they're calling from
            digits = request.values.get("From", "").removeprefix("+1")
        return digits

    @app.route("/voice/roaming", methods=["GET", "POST"])
    def legacy_entry():
        return redirect(url_for("start"))          # 302

    @app.route("/voice/roaming/start", methods=["GET", "POST"])
    def start():
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action=url_for("choice"), method="POST", timeout=6)
        gather.say("Kestrel Wireless international desk. Wherever you are, we're glad you called. "
                   "If you've just arrived somewhere and your phone won't get online or won't find a network, "
                   "that's option 1. A question about a roaming charge on your bill is option 2. "
                   "Buying a travel pass is option 3. If your phone has been lost or stolen abroad, choose 9.",
                   voice="Polly.Joanna")
        resp.append(gather)
        resp.say("Still there? Let's go through that again.", voice="Polly.Joanna")
        resp.redirect(url_for("start"))
        return xml(resp)

    @app.route("/voice/roaming/choice", methods=["POST"])
    def choice():
        digit = request.values.get("Digits", "")
        resp = VoiceResponse()
        if digit == "1":
            gather = Gather(action=url_for("verify"), finish_on_key="#", timeout=10)
            gather.say("Let's get you connected. Key in the ten digit Kestrel number you need help with, "
                       "then the pound key. If it's the phone you're calling from, just press pound.")
            resp.append(gather)
            resp.redirect(url_for("start"))
        elif digit == "2":
            resp.say("Roaming charges can take up to 30 days to appear on your bill. "
                     "For an itemised list of what you've been charged, text the word USAGE to 2 2 8 4, "
                     "and we'll send it to your phone.")
            gather = Gather(num_digits=1, action=url_for("charges"), timeout=5)
            gather.say("If you'd rather talk it through with someone, press 0.")
            resp.append(gather)
            resp.say("Thanks for calling Kestrel. Safe travels.")
            resp.hangup()
        elif digit == "3":
            resp.say("Travel passes can be bought in the Kestrel app, under Travel, or at kestrel wireless dot com "
                     "slash travel. Thanks for calling, and enjoy your trip.")
            resp.hangup()
        elif digit == "9":
            resp.say("I'm sorry to hear that. Please hold while I connect you to our device protection team.")
            dial = Dial(caller_id="+18885550100", timeout=40)
            dial.number(DEVICE_PROTECTION, url=url_for("whisper", team="device"))
            resp.append(dial)
        else:
            resp.say("Hmm, that isn't one of the choices.")
            resp.redirect(url_for("start"))
        return xml(resp)

    @app.route("/voice/roaming/verify", methods=["POST"])
    def verify():
        number = line_from(request.values.get("Digits"))
        resp = VoiceResponse()
        if number not in LINES:
            resp.say("I couldn't find that number on a Kestrel account.")
            resp.redirect(url_for("start"))
            return xml(resp)
        gather = Gather(num_digits=4, action=url_for("pin", line=number), timeout=10)
        gather.say("Thanks. For your security, enter the four digit account PIN you chose when you joined.")
        resp.append(gather)
        resp.say("We didn't get a PIN.")
        resp.redirect(url_for("start"))
        return xml(resp)

    @app.route("/voice/roaming/pin", methods=["POST"])
    def pin():
        # the PIN check moved to the line-status handler; keep the method and body (307)
        return redirect(url_for("line_status", line=request.args.get("line", "")), code=307)

    @app.route("/voice/roaming/line", methods=["POST"])
    def line_status():
        number = request.args.get("line", "")
        account = LINES.get(number)
        resp = VoiceResponse()
        if account is None or request.values.get("Digits") != account["pin"]:
            resp.say("That PIN doesn't match our records.")
            resp.redirect(url_for("start"))
            return xml(resp)
        if account["roaming_cap_reached"]:
            resp.say("Thanks, you're verified. I can see what's happening: your line has used its 5 gigabyte "
                     "roaming allowance, so data abroad is paused. Calls and texts still work.")
            gather = Gather(num_digits=1, action=url_for("fix", line=number), timeout=6)
            gather.say("To add a seven day travel pass for 35 dollars and switch data back on right now, press 1. "
                       "To speak with a roaming specialist, press 2.")
            resp.append(gather)
            resp.redirect(url_for("start"))
        return xml(resp)

    @app.route("/voice/roaming/fix", methods=["POST"])
    def fix():
        number = request.args.get("line", "")
        digit = request.values.get("Digits", "")
        resp = VoiceResponse()
        if digit == "1":
            resp.say("Done. Your seven day travel pass is active and data roaming is back on. "
                     "Turn your phone off and on again and you'll be online. "
                     "You can also keep an eye on your travel pass in the Kestrel app. Have a great trip.")
            resp.hangup()
        elif digit == "2":
            gather = Gather(num_digits=4, action=url_for("specialist", line=number), timeout=10)
            gather.say("Before I put you through, please key in your four digit account PIN once more.")
            resp.append(gather)
            resp.redirect(url_for("start"))
        else:
            resp.redirect(url_for("start"))
        return xml(resp)

    @app.route("/voice/roaming/specialist", methods=["POST"])
    def specialist():
        resp = VoiceResponse()
        resp.say("Thank you. Connecting you to a roaming specialist now.")
        dial = Dial(caller_id="+18885550100", timeout=40)
        dial.number(SPECIALISTS, url=url_for("whisper", team="roaming"))
        resp.append(dial)
        return xml(resp)

    @app.route("/voice/roaming/whisper", methods=["GET", "POST"])
    def whisper():
        # played to the Kestrel agent who answers, before the caller is bridged
        resp = VoiceResponse()
        team = request.args.get("team", "roaming")
        gather = Gather(num_digits=1, timeout=5)
        gather.say(f"Kestrel {team} escalation. Customer verified by PIN. Press any key to take this call.")
        resp.append(gather)
        resp.hangup()
        return xml(resp)

    @app.route("/voice/roaming/charges", methods=["POST"])
    def charges():
        resp = VoiceResponse()
        if request.values.get("Digits") == "0":
            resp.enqueue("roaming-billing", wait_url=url_for("hold"), wait_url_method="GET")
        else:
            resp.say("Thanks for calling Kestrel. Safe travels.")
            resp.hangup()
        return xml(resp)

    @app.route("/voice/roaming/hold", methods=["GET", "POST"])
    def hold():
        position = request.values.get("QueuePosition")
        resp = VoiceResponse()
        if position:
            resp.say(f"You're number {position} in line for our billing team.")
        resp.say("The average time to answer right now is about 12 minutes.")
        resp.play("https://media.kestrelwireless.com/ivr/hold/kestrel_hold_acoustic_loop.mp3", loop=2)
        return xml(resp)

    return app
