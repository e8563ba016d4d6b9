"""Tri-County Transit - Go card customer service line.

TwiML is written by hand (no helper library). The fixed prompts are studio recordings uploaded to the
media bucket; marketing owns the scripts, so they are not in this repo. What each recording says:

    tct-welcome-menu.mp3          "Welcome to Tri-County Transit customer service. For your Go card
                                   balance and recent trips, press 1. To report a lost or stolen Go card,
                                   press 2. For reduced fare programs for seniors and riders with
                                   disabilities, press 3. For lost and found, press 4. For schedules and
                                   trip planning, press 5. To speak with a customer service agent, press 0."
    tct-no-selection-goodbye.mp3  "We didn't receive a selection. Please call again later. Goodbye."
    tct-balance-card-number.mp3   "Please enter the sixteen digit number printed on the back of your Go
                                   card."
    tct-lost-card-intro.mp3       "Let's block your lost card so no one else can use it. Enter the ten
                                   digit phone number on your Go account, followed by the pound sign."
    tct-reduced-fare.mp3          "Applications for the reduced fare program can't be taken over the
                                   phone. Download the application at t c t transit dot org slash reduced
                                   fare, and mail it with a copy of your Medicare card or proof of
                                   disability to Tri-County Transit, Reduced Fare Office, P O Box 4410.
                                   Thank you for riding Tri-County Transit."
    tct-trip-planning.mp3         "For real time arrivals, text your stop number to 8 2 8 7 2. To plan a
                                   trip, visit t c t transit dot org or use the Transit app."
    tct-hold-music.mp3            instrumental hold music, no announcements

The voice URL is configured as GET in the console (it was a TwiML Bin once); every Gather posts.
"""

from flask import Flask, Response, request

MEDIA = "https://media.tctransit.org/ivr/prompts"
AGENT_QUEUE = "GoCardService"

# phone number on the Go account -> (first name, card last four, balance spoken)
ACCOUNTS = {
    "5415550186": ("Walter", "3092", "23 dollars and 50 cents"),
    "5415550114": ("Imani", "7781", "4 dollars"),
}


def xml(body: str) -> Response:
    return Response('<?xml version="1.0" encoding="UTF-8"?>\n<Response>' + body + "</Response>",
                    mimetype="text/xml")


def play(name: str) -> str:
    return f"<Play>{MEDIA}/{name}</Play>"


def spaced(digits: str) -> str:
    return " ".join(digits)


def make_app():
    app = Flask(__name__)

    @app.get("/ivr/answer")
    def answer():
        return xml(
            '<Gather numDigits="1" action="/ivr/main" method="POST" timeout="6">'
            + play("tct-welcome-menu.mp3") +
            "</Gather>"
            + play("tct-no-selection-goodbye.mp3") +
            "<Hangup/>"
        )

    @app.post("/ivr/main")
    def main_menu():
        digit = request.form.get("Digits", "")
        if digit == "1":
            return xml('<Gather finishOnKey="#" numDigits="16" action="/ivr/balance" timeout="10">'
                       + play("tct-balance-card-number.mp3") + "</Gather>"
                       '<Redirect method="GET">/ivr/answer</Redirect>')
        if digit == "2":
            return lost_card_prompt()
        if digit == "3":
            return xml(play("tct-reduced-fare.mp3") + "<Hangup/>")
        if digit == "4":
            return xml('<Gather numDigits="1" action="/ivr/lostfound" timeout="8">'
                       "<Say>Lost and found. Items left on buses and trains are held for thirty days at the "
                       "Transit Center. To describe an item you lost, press 1. To go back to the main menu, "
                       "press 9.</Say></Gather>"
                       '<Redirect method="GET">/ivr/answer</Redirect>')
        if digit == "5":
            return xml(play("tct-trip-planning.mp3") + '<Redirect method="GET">/ivr/answer</Redirect>')
        if digit == "0":
            return xml("<Say>Please hold for the next available agent.</Say>"
                       f'<Enqueue waitUrl="/ivr/hold" waitUrlMethod="POST">{AGENT_QUEUE}</Enqueue>')
        return xml("<Say>That is not a valid choice.</Say>"
                   '<Redirect method="GET">/ivr/answer</Redirect>')

    @app.post("/ivr/balance")
    def balance():
        # card balances come from the fare system nightly; only registered cards are in this table
        return xml("<Say>We couldn't find that card number.</Say>"
                   '<Redirect method="GET">/ivr/answer</Redirect>')

    @app.route("/ivr/lost", methods=["GET", "POST"])
    def lost_card_prompt():
        return xml(
            '<Gather finishOnKey="#" action="/ivr/lost/lookup" method="POST" timeout="10">'
            + play("tct-lost-card-intro.mp3") +
            "</Gather>"
            "<Say>If your card isn't registered to an account, we can't block it by phone. Please visit the "
            "customer service center at the Transit Center, 400 Main Street, with a photo ID. Goodbye.</Say>"
            "<Hangup/>"
        )

    @app.post("/ivr/lost/lookup")
    def lost_lookup():
        phone = (request.form.get("Digits") or request.args.get("acct", "")).removeprefix("1")
        if phone not in ACCOUNTS:
            return xml("<Say>We couldn't find an account with that phone number.</Say>"
                       '<Redirect method="POST">/ivr/lost</Redirect>')
        name, last4, bal = ACCOUNTS[phone]
        return xml(
            f'<Gather numDigits="1" action="/ivr/lost/replace?acct={phone}" timeout="8">'
            f"<Say>Thanks, {name}. The Go card ending in {spaced(last4)} is now blocked, and its balance of "
            f"{bal} is safe. To have a replacement card mailed to you, press 1. To pick one up at the "
            "Transit Center customer service window, press 2.</Say>"
            "</Gather>"
            "<Say>Your card is blocked. Goodbye.</Say><Hangup/>"
        )

    @app.post("/ivr/lost/replace")
    def lost_replace():
        digit = request.form.get("Digits", "")
        if digit == "1":
            return xml("<Say>A replacement card is on its way to the mailing address on your account. Please "
                       "allow 7 to 10 business days for it to arrive. Your balance moves to the new card the "
                       "first time you tap it. Thank you for riding Tri-County Transit. Goodbye.</Say><Hangup/>")
        if digit == "2":
            return xml("<Say>Your replacement card will be ready at the customer service window, 400 Main "
                       "Street, Monday through Friday from 7 AM to 6 PM. Just bring a photo ID. Thank you for "
                       "riding Tri-County Transit.</Say><Hangup/>")
        acct = request.args.get("acct", "")
        return xml(f'<Redirect method="POST">/ivr/lost/lookup?acct={acct}</Redirect>')

    @app.post("/ivr/lostfound")
    def lost_found():
        if request.form.get("Digits") == "1":
            return xml("<Say>After the tone, tell us what you lost, the route or station, and the date. Leave "
                       "a phone number, and we'll call you back within three business days if we find it.</Say>"
                       '<Record maxLength="120" action="/ivr/lostfound/saved" playBeep="true"/>')
        return xml('<Redirect method="GET">/ivr/answer</Redirect>')

    @app.post("/ivr/lostfound/saved")
    def lost_found_saved():
        return xml("<Say>Thank you. Goodbye.</Say><Hangup/>")

    @app.post("/ivr/hold")
    def hold():
        return xml('<Play loop="0">' + f"{MEDIA}/tct-hold-music.mp3" + "</Play>")

    return app
