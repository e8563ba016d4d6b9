"""Department of Revenue - individual income tax phone line (refund status, payments, forms).

FastAPI service behind the agency's Twilio number. The main menu takes speech or keys ("say refund,
or press 1"); refund status comes from the returns-processing API (stubbed below with the test
taxpayers from the UAT data set). The examiner queue's hold message is served by GET so the CDN can
cache the music.
"""

from urllib.parse import urlencode
from xml.sax.saxutils import escape

from fastapi import FastAPI, Form, Request
from fastapi.responses import Response

EXAMINER_QUEUE = "ind-income-examiners"
TAXPAYER_ASSISTANCE = "+16085550164"
SITE = "m y tax revenue dot gov"

# (ssn, refund amount in whole dollars) -> what the processing system says
REFUNDS = {
    ("518402293", "1284"): ("2024", "1,284 dollars", "March 18th", "March 21st", "6 6 0 1"),
    ("402117785", "310"): ("2024", "310 dollars", "April 2nd", "April 4th", "1 9 2 0"),
}

SPOKEN = {"refund": "1", "payment": "2", "credit": "3", "forms": "4", "agent": "0", "representative": "0"}


def twiml(body: str) -> Response:
    return Response(content=f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>',
                    media_type="application/xml")


def say(text: str) -> str:
    return f'<Say voice="Polly.Joanna">{text}</Say>'


def choice(digits: str | None, speech: str | None) -> str:
    if digits:
        return digits
    for word, key in SPOKEN.items():
        if speech and word in speech.lower():
            return key
    return ""


def make_app() -> FastAPI:
    app = FastAPI(title="dor-ivr", docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/ivr/start")
    async def start(tries: int = 0):
        if tries == 0:
            prompt = ("Thank you for calling the Department of Revenue, individual income tax line. You can say "
                      "your choice or press the number at any time. To check on the status of your refund, say "
                      "refund, or press 1. To make a payment or set up a payment plan, say payment, or press 2. "
                      "For the renter's property tax credit, say credit, or press 3. To order tax forms, say "
                      "forms, or press 4. For anything else, say agent, or press zero.")
        else:
            prompt = ("Let's try that again. Say refund, payment, credit, forms or agent. Or press 1, 2, 3, 4 "
                      "or zero.")
        after = ('<Redirect method="POST">/ivr/start?tries=1</Redirect>' if tries == 0 else
                 say("We didn't receive a response. Please call again. Goodbye.") + "<Hangup/>")
        return twiml('<Gather input="dtmf speech" numDigits="1" action="/ivr/menu" method="POST" timeout="6" '
                     'speechTimeout="auto" hints="refund, payment, credit, forms, agent">'
                     + say(prompt) + "</Gather>" + after)

    @app.post("/ivr/menu")
    async def menu(Digits: str | None = Form(None), SpeechResult: str | None = Form(None)):
        key = choice(Digits, SpeechResult)
        if key == "1":
            return twiml('<Redirect method="POST">/ivr/refund</Redirect>')
        if key == "2":
            return twiml(say("We're not able to take payments over the phone. To pay by bank account or card, or "
                             f"to request a payment plan, go to {SITE} and choose Make a Payment. "
                             "Thank you for calling.") + "<Hangup/>")
        if key == "3":
            return twiml(say("Renter's credit specialists are available Tuesdays and Thursdays from 8 AM to noon. "
                             "It's outside those hours now, so please call back then. Goodbye.") + "<Hangup/>")
        if key == "4":
            return twiml('<Gather numDigits="1" action="/ivr/forms" timeout="8">'
                         + say(f"Most forms and instructions can be downloaded at {SITE} slash forms. To have a "
                               "paper booklet mailed to you, press 1. To return to the main menu, press 9.")
                         + '</Gather><Redirect method="POST">/ivr/start</Redirect>')
        if key == "0":
            return twiml('<Gather numDigits="1" action="/ivr/examiner" timeout="8">'
                         + say("All tax examiners are helping other callers. Hold times right now are more than "
                               "45 minutes. To have an examiner call you back instead, press 1. To keep holding, "
                               "press 2.")
                         + '</Gather><Redirect method="POST">/ivr/examiner/hold</Redirect>')
        return twiml(say("Sorry, I didn't get that.") + '<Redirect method="POST">/ivr/start?tries=1</Redirect>')

    # ------------------------------------------------------------ refund status

    @app.post("/ivr/refund")
    async def refund_ssn(retry: int = 0):
        prompt = ("I'm sorry, I didn't get that. Please enter the nine digits of your Social Security number."
                  if retry else "To protect your information, please enter your nine digit Social Security number.")
        fallback = ('<Redirect method="POST">/ivr/refund?retry=1</Redirect>' if not retry else
                    say("Let me connect you with someone in taxpayer assistance.")
                    + f'<Dial timeout="30">{TAXPAYER_ASSISTANCE}</Dial>')
        return twiml('<Gather numDigits="9" action="/ivr/refund/amount" timeout="10">'
                     + say(prompt)
                     + "</Gather>" + fallback)

    @app.post("/ivr/refund/amount")
    async def refund_amount(Digits: str = Form("")):
        query = urlencode({"ssn": Digits})
        return twiml(f'<Gather finishOnKey="#" action="/ivr/refund/status?{query}" timeout="10">'
                     + say("Now enter the amount of the refund shown on your return, in whole dollars, then press "
                           "pound.")
                     + '</Gather><Redirect method="POST">/ivr/refund</Redirect>')

    @app.post("/ivr/refund/status")
    async def refund_status(ssn: str = "", amount: str = "", Digits: str | None = Form(None)):
        amount = Digits or amount
        found = REFUNDS.get((ssn, amount))
        if not found:
            return twiml(say("I couldn't find a refund that matches that information.")
                         + '<Redirect method="POST">/ivr/refund?retry=1</Redirect>')
        year, total, approved, sent, account = found
        query = escape(urlencode({"ssn": ssn, "amount": amount}))
        return twiml(f'<Gather numDigits="1" action="/ivr/refund/next?{query}" timeout="8">'
                     + say(f"Thank you. Your {year} refund of {total} was approved on {approved} and deposited "
                           f"to your account ending in {account} on {sent}. You can also check your refund any "
                           f"time at {SITE}. To hear this again, press 1. To speak with a tax examiner about "
                           "this refund, press 2. If you're all set, you can simply hang up.")
                     + "</Gather>"
                     + say("Thank you for calling the Department of Revenue. Goodbye.") + "<Hangup/>")

    @app.post("/ivr/refund/next")
    async def refund_next(ssn: str = "", amount: str = "", Digits: str = Form("")):
        query = escape(urlencode({"ssn": ssn, "amount": amount}))
        if Digits == "2":
            return twiml('<Gather numDigits="9" action="/ivr/refund/verify" timeout="10">'
                         + say("Before I transfer you, and for your security, please enter your Social Security "
                               "number again.")
                         + '</Gather><Redirect method="POST">/ivr/examiner/hold</Redirect>')
        return twiml(f'<Redirect method="POST">/ivr/refund/status?{query}</Redirect>')

    @app.post("/ivr/refund/verify")
    async def refund_verify():
        return twiml('<Redirect method="POST">/ivr/examiner/hold</Redirect>')

    # ------------------------------------------------------------ examiners

    @app.post("/ivr/examiner")
    async def examiner(Digits: str = Form("")):
        if Digits == "1":
            return twiml(say("We'll call you back at the number you're calling from within two business days. "
                             "Please keep a copy of your return handy. Goodbye.") + "<Hangup/>")
        return twiml('<Redirect method="POST">/ivr/examiner/hold</Redirect>')

    @app.post("/ivr/examiner/hold")
    async def examiner_hold():
        return twiml(say("Please hold for the next available tax examiner.")
                     + f'<Enqueue waitUrl="/ivr/examiner/wait" waitUrlMethod="GET">{EXAMINER_QUEUE}</Enqueue>')

    @app.get("/ivr/examiner/wait")
    async def examiner_wait(request: Request):
        position = request.query_params.get("QueuePosition", "")
        return twiml(say(f"Thank you for holding. You are number {position} in line.")
                     + "<Play>https://static.revenue-ivr.net/hold/strings-02.mp3</Play>")

    # ------------------------------------------------------------ forms

    @app.post("/ivr/forms")
    async def forms(Digits: str = Form("")):
        if Digits == "1":
            return twiml('<Gather numDigits="5" action="/ivr/forms/mail" timeout="10">'
                         + say("Please enter your five digit ZIP code.")
                         + '</Gather><Redirect method="POST">/ivr/start</Redirect>')
        return twiml('<Redirect method="POST">/ivr/start</Redirect>')

    @app.post("/ivr/forms/mail")
    async def forms_mail():
        return twiml(say("Thank you. Your forms booklet will be mailed to the address we have on file and should "
                         "arrive within ten business days. Goodbye.") + "<Hangup/>")

    return app
