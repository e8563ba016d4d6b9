"""Maple Street Dental after-hours and daytime line.

All menu prompts are studio recordings on the practice's S3 bucket; the receptionist re-records them
when hours change. What each recording says (from the script the voice artist read):

  welcome.mp3        "Thank you for calling Maple Street Dental."
  main-menu.mp3      "To book or change an appointment, press 1. If you are having a dental emergency,
                      press 2. For billing and insurance, press 3. For our address and opening hours,
                      press 4."
  emergency.mp3      "If you are in severe pain or have swelling, please hang up and call our on-call
                      dentist at 555-0199. If this is a life-threatening emergency, dial 911."
  hours.mp3          "We are at 1200 Maple Street, second floor. We are open Monday to Thursday,
                      8 AM to 6 PM, and Friday 8 AM to 1 PM."
  billing-hold.mp3   "Please hold for our billing coordinator."  (then hold-music.mp3 loops)
"""

from flask import Flask, Response, request

AUDIO = "https://maplestreetdental-ivr.s3.amazonaws.com/prompts/2024-06"
FRONT_DESK = "+16085550140"


def xml(body):
    return Response('<?xml version="1.0" encoding="UTF-8"?><Response>' + body + "</Response>",
                    mimetype="text/xml")


def make_app():
    app = Flask(__name__)

    @app.post("/twilio/incoming")
    def incoming():
        return xml(
            f"<Play>{AUDIO}/welcome.mp3</Play>"
            '<Gather numDigits="1" action="/twilio/menu" timeout="6">'
            f"<Play>{AUDIO}/main-menu.mp3</Play>"
            "</Gather>"
            "<Redirect>/twilio/incoming</Redirect>"
        )

    @app.post("/twilio/menu")
    def menu():
        digit = request.form.get("Digits")
        if digit == "1":
            return xml(
                '<Gather numDigits="8" action="/twilio/appointments" timeout="10">'
                "<Say voice=\"Polly.Joanna\">To find your appointment, please enter your date of birth as "
                "eight digits: two for the month, two for the day, and four for the year.</Say>"
                "</Gather>"
                "<Redirect>/twilio/incoming</Redirect>"
            )
        if digit == "2":
            return xml(f"<Play>{AUDIO}/emergency.mp3</Play><Hangup/>")
        if digit == "3":
            return xml(f'<Play>{AUDIO}/billing-hold.mp3</Play>'
                       '<Enqueue waitUrl="/twilio/billing-hold">billing</Enqueue>')
        if digit == "4":
            return xml(f"<Play>{AUDIO}/hours.mp3</Play><Redirect>/twilio/incoming</Redirect>")
        return xml("<Redirect>/twilio/incoming</Redirect>")

    @app.post("/twilio/appointments")
    def appointments():
        dob = request.form.get("Digits", "")
        if len(dob) != 8:
            return xml("<Say>Sorry, that date didn't look right.</Say><Redirect>/twilio/incoming</Redirect>")
        return xml(
            "<Say voice=\"Polly.Joanna\">Thank you. I'm connecting you to the front desk, "
            "who can see your appointments.</Say>"
            f'<Dial timeout="30"><Number>{FRONT_DESK}</Number></Dial>'
        )

    @app.post("/twilio/billing-hold")
    def billing_hold():
        return xml(f'<Play loop="0">{AUDIO}/hold-music.mp3</Play>')

    return app
