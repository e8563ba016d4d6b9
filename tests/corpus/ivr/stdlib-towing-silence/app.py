"""Lakeshore Towing & Roadside dispatch line: a plain WSGI app, no framework.

Runs under the dispatcher's old wsgiref box (`python app.py`); make_app() is what the process serves.
"""

from urllib.parse import parse_qs
from wsgiref.simple_server import make_server

DISPATCH_OFFICE = "+13125550190"
JOBS = {"482913": "Job 4 8 2 9 1 3 is assigned to driver Marco in truck 12, and he has your location."}

MENU = ("<Say>Lakeshore Towing and Roadside. If you are in a safe location and need a tow, press 1. "
        "To check on a driver who is already on the way, press 2. For all other calls, dial 9. "
        "To repeat these options, press the star key.</Say>")


def twiml(start_response, body, status="200 OK"):
    payload = ('<?xml version="1.0" encoding="UTF-8"?>\n<Response>' + body + "</Response>").encode()
    start_response(status, [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(payload)))])
    return [payload]


def read_params(environ):
    params = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if environ["REQUEST_METHOD"] == "POST":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size).decode()
        params.update({k: v[0] for k, v in parse_qs(body).items()})
    return params


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    p = read_params(environ)
    digits = p.get("Digits", "")

    if path == "/answer":
        # no fallback after the Gather: if the caller says nothing, the call simply ends
        return twiml(start_response, '<Gather numDigits="1" action="/choice" timeout="5">' + MENU + "</Gather>")

    if path == "/choice":
        if digits == "1":
            return twiml(start_response,
                         '<Gather action="/tow" finishOnKey="#" timeout="10">'
                         "<Say>Enter the zip code where your vehicle is, then press pound.</Say></Gather>"
                         '<Redirect>/answer</Redirect>')
        if digits == "2":
            return twiml(start_response,
                         '<Gather numDigits="6" action="/job" timeout="10">'
                         "<Say>Enter the 6 digit job number from your text message.</Say></Gather>"
                         '<Redirect>/answer</Redirect>')
        if digits == "9":
            return twiml(start_response,
                         f"<Say>Connecting you to our dispatch office.</Say><Dial>{DISPATCH_OFFICE}</Dial>")
        return twiml(start_response, '<Redirect>/answer</Redirect>')

    if path == "/tow":
        spoken = " ".join(digits)
        return twiml(start_response,
                     f"<Say>Got it. We have logged a tow request for zip code {spoken}. The next available truck "
                     "will be there within 90 minutes. Please stay with your vehicle if it is safe.</Say>")

    if path == "/job":
        status = JOBS.get(digits, "We could not find that job number.")
        return twiml(start_response, f"<Say>{status}</Say>")

    return twiml(start_response, "<Say>Not found.</Say>", status="404 Not Found")


def make_app():
    return application


if __name__ == "__main__":
    with make_server("127.0.0.1", 8051, application) as httpd:
        httpd.serve_forever()
