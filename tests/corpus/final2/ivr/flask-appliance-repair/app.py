"""Norvell Home Appliances - customer care line (repair booking, parts, recalls, registration).

The Twilio number still points at /twilio/voice from the old contact-centre vendor; it answers 308 to
/voice/incoming so Twilio keeps POSTing. The repair flow looks the serial number up in the warranty
table below (in production this is the SAP service-order API).
"""

from flask import Flask, redirect, request, url_for
from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

RECALL_DESK = "+16165550143"
CARE_QUEUE = "norvell-care-general"
SERVICE_DISPATCH = "+16165550190"

# serial -> (product, warranty end, next technician slot)
WARRANTY = {
    "48120417": ("front load washer", "March 31st of next year", "Thursday, June 12th"),
    "48990032": ("French door refrigerator", "October 2nd", "Friday, June 13th"),
}

MAIN_MENU = (
    "Press 1 for repair service or to schedule a technician. "
    "Press 2 for replacement parts and accessories. "
    "Press 3 for information about a product recall. "
    "Press 4 to register a new appliance. "
    "To speak with a customer care representative, press 0. "
    "To hear these options again, press star."
)


def twiml(resp):
    return str(resp), 200, {"Content-Type": "text/xml; charset=utf-8"}


def spaced(digits):
    return " ".join(digits)


def make_app():
    app = Flask(__name__)

    @app.route("/twilio/voice", methods=["POST"])
    def legacy_entry():
        # 308 keeps the method and body, so Twilio re-POSTs the call parameters
        return redirect(url_for("incoming"), code=308)

    @app.route("/voice/incoming", methods=["POST"])
    def incoming():
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action=url_for("main_menu"), timeout=7)
        gather.say("Thank you for calling Norvell Home Appliances customer care. "
                   "Calls may be monitored or recorded for quality. " + MAIN_MENU)
        resp.append(gather)
        resp.say("We did not receive your selection.")
        resp.redirect(url_for("incoming"))
        return twiml(resp)

    @app.route("/voice/main", methods=["POST"])
    def main_menu():
        digit = request.form.get("Digits", "")
        routes = {"1": "repair_zip", "2": "parts", "3": "recall", "4": "register", "0": "care_queue"}
        if digit == "*":
            return redirect(url_for("incoming"), code=307)
        if digit in routes:
            return redirect(url_for(routes[digit]), code=307)
        resp = VoiceResponse()
        resp.say("Sorry, that is not a valid option.")
        resp.redirect(url_for("incoming"))
        return twiml(resp)

    # ---------------------------------------------------------------- repair booking

    @app.route("/voice/repair", methods=["POST"])
    def repair_zip():
        resp = VoiceResponse()
        gather = Gather(num_digits=5, action=url_for("repair_serial"), timeout=10)
        gather.say("Repair service. Using your keypad, enter the five digit ZIP code where the appliance "
                   "is installed.")
        resp.append(gather)
        resp.say("Sorry, I didn't get a ZIP code.")
        resp.redirect(url_for("repair_zip"))
        return twiml(resp)

    @app.route("/voice/repair/serial", methods=["POST"])
    def repair_serial():
        resp = VoiceResponse()
        gather = Gather(finish_on_key="#", action=url_for("repair_lookup", zip=request.form.get("Digits", "")),
                        timeout=12)
        gather.say("Thanks. Now enter the serial number from the white label inside the door or on the back "
                   "panel, then press the pound key.")
        resp.append(gather)
        # can't find the label: let an agent walk them through it
        resp.say("No problem, one of our product specialists can help you find it. Please hold.")
        resp.dial(SERVICE_DISPATCH, timeout=30)
        return twiml(resp)

    @app.route("/voice/repair/lookup", methods=["POST"])
    def repair_lookup():
        serial = request.form.get("Digits") or request.args.get("serial", "")
        resp = VoiceResponse()
        if serial not in WARRANTY:
            resp.say("I couldn't match that serial number.")
            resp.redirect(url_for("repair_serial"))
            return twiml(resp)
        product, warranty_end, slot = WARRANTY[serial]
        gather = Gather(num_digits=1, action=url_for("repair_book", serial=serial), timeout=8)
        gather.say(f"We found your Norvell {product}, serial ending in {spaced(serial[-4:])}. "
                   f"It's covered by the limited warranty through {warranty_end}, so parts and labor are "
                   f"included. The first available technician visit in your area is {slot}, "
                   "with an arrival window between 8 AM and 5 PM. "
                   "To book that visit, press 1. To hear other available dates, press 2.")
        resp.append(gather)
        resp.redirect(url_for("repair_lookup", serial=serial))
        return twiml(resp)

    @app.route("/voice/repair/book", methods=["POST"])
    def repair_book():
        serial = request.args.get("serial", "")
        digit = request.form.get("Digits", "")
        resp = VoiceResponse()
        if digit == "2":
            resp.say("Other openings are Monday the 16th and Tuesday the 17th. To choose one of those days, "
                     "please book online at norvell dot com slash service, and have your serial number handy. "
                     "Thanks for calling Norvell.")
            resp.hangup()
            return twiml(resp)
        gather = Gather(num_digits=5, action=url_for("repair_confirm", serial=serial), timeout=10)
        gather.say("Almost done. To confirm the service address, please enter your ZIP code one more time.")
        resp.append(gather)
        return twiml(resp)

    @app.route("/voice/repair/confirm", methods=["POST"])
    def repair_confirm():
        serial = request.args.get("serial", "")
        _, _, slot = WARRANTY.get(serial, ("", "", "your scheduled day"))
        resp = VoiceResponse()
        resp.say(f"You're booked for {slot}. Your technician will call about thirty minutes before "
                 "arriving. We'll text you a confirmation to the number you're calling from. "
                 "Thank you for choosing Norvell. Goodbye.")
        resp.hangup()
        return twiml(resp)

    # ---------------------------------------------------------------- parts, recall, register, care

    @app.route("/voice/parts", methods=["POST"])
    def parts():
        resp = VoiceResponse()
        resp.say("Parts and accessories are now sold exclusively through the Norvell Parts app. "
                 "Download it from the App Store or Google Play, scan the barcode on your appliance, "
                 "and we'll show you every part that fits. Thank you for calling.")
        resp.hangup()
        return twiml(resp)

    @app.route("/voice/recall", methods=["POST"])
    def recall():
        resp = VoiceResponse()
        gather = Gather(num_digits=1, action=url_for("recall_choice"), timeout=8)
        gather.say("There are no active recalls for Norvell washers, dryers or refrigerators. The dishwasher "
                   "recall announced in May covers model D W three hundred only; if you own one, stop using "
                   "it and a recall specialist will arrange a free repair. To speak with a recall specialist, "
                   "press 1. To go back to the main menu, press 9.")
        resp.append(gather)
        resp.redirect(url_for("incoming"))
        return twiml(resp)

    @app.route("/voice/recall/choice", methods=["POST"])
    def recall_choice():
        resp = VoiceResponse()
        if request.form.get("Digits") == "1":
            resp.say("Connecting you to the recall team now.")
            dial = Dial(caller_id=request.form.get("To"), timeout=25)
            dial.number(RECALL_DESK, url=url_for("recall_whisper"))
            resp.append(dial)
            return twiml(resp)
        resp.redirect(url_for("incoming"))
        return twiml(resp)

    @app.route("/voice/recall/whisper", methods=["POST"])
    def recall_whisper():
        # heard by the recall desk agent only, before the caller is bridged
        resp = VoiceResponse()
        resp.say("Dishwasher recall caller from the care line. Connecting.")
        return twiml(resp)

    @app.route("/voice/register", methods=["POST"])
    def register():
        resp = VoiceResponse()
        gather = Gather(finish_on_key="#", action=url_for("register_done"), timeout=12)
        gather.say("To register your appliance and activate its warranty, enter the serial number, "
                   "followed by pound.")
        resp.append(gather)
        resp.say("We didn't receive a serial number.")
        resp.redirect(url_for("register"))
        return twiml(resp)

    @app.route("/voice/register/done", methods=["POST"])
    def register_done():
        serial = request.form.get("Digits", "")
        resp = VoiceResponse()
        if serial not in WARRANTY:
            resp.say("That serial number doesn't match our records. Let's try once more.")
            resp.redirect(url_for("register"))
            return twiml(resp)
        product, warranty_end, _ = WARRANTY[serial]
        resp.say(f"Your {product} is registered to the number you're calling from, and your warranty is "
                 f"active through {warranty_end}. You can also view your registration in the Norvell app "
                 "any time. Thanks for calling Norvell. Goodbye.")
        resp.hangup()
        return twiml(resp)

    @app.route("/voice/care", methods=["POST"])
    def care_queue():
        resp = VoiceResponse()
        resp.say("Please stay on the line for the next available representative.")
        resp.enqueue(CARE_QUEUE, wait_url=url_for("care_wait"), wait_url_method="POST")
        return twiml(resp)

    @app.route("/voice/care/wait", methods=["POST"])
    def care_wait():
        resp = VoiceResponse()
        resp.say("All of our representatives are helping other customers. Your estimated wait time is "
                 "about eighteen minutes. Please stay on the line and your call will be answered in the "
                 "order it was received.")
        resp.play("https://media.norvell-care.com/ivr/hold-acoustic-01.mp3")
        return twiml(resp)

    return app
