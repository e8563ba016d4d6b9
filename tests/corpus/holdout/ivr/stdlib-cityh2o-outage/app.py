"""City of Cedarton Water Department customer line: a plain WSGI script, no framework.

It runs on the utility's old application server next to the billing system. The menu handler moved
to /ivr/v2/choice when the vendor added the outage lookup; the Gather still posts to /ivr/choice, which
answers 307 so the POST body (and the caller's Digits) survive. The outage lookup is read-only and
was written to take GET.
"""

from urllib.parse import parse_qs, quote
from wsgiref.simple_server import make_server

WATER_OPERATOR = "+13195550141"
HOLD_MUSIC = "https://cedarton-gov-media.s3.amazonaws.com/phones/hold-city-strings.mp3"

# zip code -> what the operations desk typed into the outage board this morning
OUTAGES = {
    "50613": ("There is a water main break on Elm Avenue affecting parts of zip code 5 0 6 1 3. "
              "Crews expect to restore service by 6 PM today. Once your water is back, please boil it for "
              "one minute before drinking until the boil advisory is lifted."),
}

MENU = ("<Say>Thank you for calling the City of Cedarton Water Department.</Say>"
        '<Gather numDigits="1" action="/ivr/choice" timeout="6">'
        "<Say>Press 1 if you have no water or low water pressure. Press 2 if you have a question about "
        "your water bill. Press 3 to start, stop or transfer water service. Press 4 to report a leak, a "
        "broken hydrant or discolored water. Press 9 to hear this menu again.</Say>"
        "</Gather>"
        "<Say>We did not receive a selection. Goodbye.</Say><Hangup/>")


def twiml(start_response, body, status="200 OK"):
    payload = ('<?xml version="1.0" encoding="UTF-8"?><Response>' + body + "</Response>").encode()
    start_response(status, [("Content-Type", "text/xml"), ("Content-Length", str(len(payload)))])
    return [payload]


def params(environ):
    found = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if environ["REQUEST_METHOD"] == "POST":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        found.update({k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()})
    return found


def spaced(digits):
    return " ".join(digits)


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    p = params(environ)
    digits = p.get("Digits", "")

    if path in ("/voice", "/voice/"):
        return twiml(start_response, MENU)

    if path == "/ivr/choice":
        # moved in the 2023 upgrade; 307 keeps the method and the form body
        start_response("307 Temporary Redirect", [("Location", "/ivr/v2/choice"), ("Content-Length", "0")])
        return [b""]

    if path == "/ivr/v2/choice":
        if digits == "1":
            return twiml(start_response,
                         '<Gather action="/ivr/outage" method="GET" finishOnKey="#" timeout="10">'
                         "<Say>Please enter the five digit zip code of the address without water, then press "
                         "the pound key.</Say></Gather>"
                         "<Redirect>/voice</Redirect>")
        if digits == "2":
            return twiml(start_response,
                         "<Say>Please hold for the next available billing clerk.</Say>"
                         '<Enqueue waitUrl="/ivr/billing-wait" waitUrlMethod="GET">water-billing</Enqueue>')
        if digits == "3":
            return twiml(start_response,
                         "<Say>Requests to start, stop or transfer water service must be made online at "
                         "cedarton h2o dot gov slash service, or in person at City Hall, room 104, Monday "
                         "through Friday from 8 to 4:30. Thank you for calling.</Say><Hangup/>")
        if digits == "4":
            return twiml(start_response,
                         '<Gather action="/ivr/report" finishOnKey="#" timeout="10">'
                         "<Say>Enter the house number closest to the leak, hydrant or problem, then press "
                         "pound.</Say></Gather>"
                         "<Redirect>/voice</Redirect>")
        if digits == "9":
            return twiml(start_response, "<Redirect>/voice</Redirect>")
        return twiml(start_response, "<Say>That is not a valid option.</Say><Redirect>/voice</Redirect>")

    if path == "/ivr/outage":
        zipcode = p.get("zip") or digits
        status = OUTAGES.get(zipcode)
        if status is None:
            return twiml(start_response,
                         f"<Say>We have no reported outages for zip code {spaced(zipcode)}. Let me connect you "
                         "with the water operator on duty.</Say>"
                         f"<Dial>{WATER_OPERATOR}</Dial>")
        return twiml(start_response,
                     f"<Say>{status}</Say>"
                     "<Say>You can also sign up for text alerts at cedarton h2o dot gov slash alerts.</Say>"
                     f'<Gather numDigits="1" action="/ivr/after-outage?zip={quote(zipcode)}" timeout="6">'
                     "<Say>To hear this message again, press 1. To speak with the water operator on duty, "
                     "press 0.</Say></Gather>"
                     "<Say>Thank you for calling the Cedarton Water Department.</Say>")

    if path == "/ivr/after-outage":
        zipcode = p.get("zip", "")
        if digits == "1":
            return twiml(start_response, f'<Redirect method="GET">/ivr/outage?zip={quote(zipcode)}</Redirect>')
        if digits == "0":
            return twiml(start_response,
                         "<Say>Connecting you to the water operator on duty.</Say>"
                         f"<Dial>{WATER_OPERATOR}</Dial>")
        return twiml(start_response, "<Redirect>/voice</Redirect>")

    if path == "/ivr/report":
        if not digits:
            return twiml(start_response, "<Say>We did not get a house number.</Say><Redirect>/voice</Redirect>")
        return twiml(start_response,
                     f"<Say>Thank you. We have logged your report near house number {spaced(digits)}. A field "
                     "crew will inspect the location within 2 business days. Goodbye.</Say><Hangup/>")

    if path == "/ivr/billing-wait":
        return twiml(start_response,
                     "<Say>All of our billing clerks are helping other customers. Your estimated wait time is "
                     "about 20 minutes.</Say>"
                     f"<Play>{HOLD_MUSIC}</Play>")

    return twiml(start_response, "<Say>Sorry, something went wrong.</Say><Hangup/>", status="404 Not Found")


def make_app():
    return application


if __name__ == "__main__":
    with make_server("0.0.0.0", 8080, application) as httpd:
        httpd.serve_forever()
