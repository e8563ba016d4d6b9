"""LockerLoop parcel lockers: the number printed on every locker bank ("Problem? Call us").

Plain WSGI (no framework), deployed under gunicorn. The Twilio number's voice URL is GET /lockers/call,
which answers 302 to /lockers/call/welcome; every Gather submits with method="GET", and the tracking
lookup answers 303 to the parcel's own URL. The first silence replays the menu word for word; the second
ends the call without a word (the replayed document has nothing after its Gather).
"""

from urllib.parse import parse_qs, quote
from xml.sax.saxutils import escape

PARCELS = {"40071852": {"locker": "14", "site": "Fresh Market, Elm Street", "deadline": "Thursday at 8 PM",
                        "extended": "Saturday at 8 PM"}}
NEAREST = {"60302": ["Fresh Market, Elm Street", "Oak Park Metra station", "Harlem Avenue Walgreens"]}
HELP_DESK = "+13125550166"

MENU = ("LockerLoop. Standing at a locker right now? Tap 1. Sending a parcel, and want the nearest locker? "
        "Tap 2. To talk to the LockerLoop help desk, tap 0.")


def say(text):
    return f'<Say voice="Polly.Joey">{escape(text)}</Say>'


def doc(*parts):
    return '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(parts) + "</Response>"


def gather(action, prompt, **attrs):
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f'<Gather action="{escape(action)}" method="GET"{extra}>{say(prompt)}</Gather>'


def welcome(q):
    again = q.get("again") == "1"
    parts = [gather("/lockers/call/menu", MENU, numDigits="1", timeout="6")]
    if not again:
        parts.append("<Redirect method=\"GET\">/lockers/call/welcome?again=1</Redirect>")
    return 200, doc(*parts)


def menu(q):
    digit = q.get("Digits", "")
    if digit == "1":
        return 200, doc(
            gather("/lockers/call/track", "Enter the eight digit tracking number from your pickup text, "
                   "then the hash key.", finishOnKey="#", timeout="12"),
            say("We didn't get a tracking number."),
            "<Redirect method=\"GET\">/lockers/call/welcome?again=1</Redirect>",
        )
    if digit == "2":
        return 200, doc(
            gather("/lockers/call/nearest", "Enter the five digit ZIP code where you'd like to drop off your "
                   "parcel.", numDigits="5", timeout="10"),
            "<Redirect method=\"GET\">/lockers/call/welcome?again=1</Redirect>",
        )
    if digit == "0":
        return 200, doc(say("Putting you through to the LockerLoop help desk. At busy times calls are answered "
                            "in about 20 minutes."),
                        f'<Dial timeout="60" action="/lockers/call/dialed" method="GET">{HELP_DESK}</Dial>')
    return 200, doc(say("That key doesn't do anything here."),
                    "<Redirect method=\"GET\">/lockers/call/welcome?again=1</Redirect>")


def track(q):
    number = q.get("Digits", "").strip("#")
    if number not in PARCELS:
        return 200, doc(say("We couldn't find that tracking number."),
                        "<Redirect method=\"GET\">/lockers/call/welcome?again=1</Redirect>")
    return 303, f"/lockers/call/parcel/{quote(number)}"


def parcel(number, q):
    p = PARCELS.get(number)
    if p is None:
        return 404, doc(say("Not found."))
    if "Digits" not in q:
        spoken = " ".join(number)
        return 200, doc(
            say(f"Parcel {spoken} is waiting in locker {p['locker']} at {p['site']}, until {p['deadline']}."),
            gather(f"/lockers/call/parcel/{number}", "To get a new pickup code by text message, press 1. "
                   "To keep the parcel two more days, press 2. To send it to a different locker, press 3.",
                   numDigits="1", timeout="6"),
            say("We didn't hear anything. Goodbye."),
            "<Hangup/>",
        )
    digit = q["Digits"]
    if digit == "1":
        return 200, doc(say("Done. We've texted a new pickup code to the mobile number on the parcel. "
                            "It can take up to 15 minutes to arrive. Goodbye."), "<Hangup/>")
    if digit == "2":
        return 200, doc(say(f"Done. Your parcel will wait for you until {p['extended']}. Goodbye."), "<Hangup/>")
    if digit == "3":
        return 200, doc(say("You can choose a new locker in the LockerLoop app, under My Parcels. Goodbye."),
                        "<Hangup/>")
    return 200, doc("<Redirect method=\"GET\">/lockers/call/parcel/" + number + "</Redirect>")


def nearest(q):
    sites = NEAREST.get(q.get("Digits", ""), [])
    if not sites:
        return 200, doc(say("There are no LockerLoop lockers near that ZIP code yet. Goodbye."), "<Hangup/>")
    listed = ", ".join(sites[:-1]) + ", and " + sites[-1]
    return 200, doc(say(f"Your nearest lockers are at {listed}. You can pay for postage on the locker's own "
                        "screen when you drop off, or ahead of time in the LockerLoop app. Thanks for using "
                        "LockerLoop."), "<Hangup/>")


def dialed(q):
    if q.get("DialCallStatus") == "completed":
        return 200, doc("<Hangup/>")
    return 200, doc(say("Sorry, nobody could take your call. Please try again later."), "<Hangup/>")


ROUTES = {"/lockers/call/welcome": welcome, "/lockers/call/menu": menu, "/lockers/call/track": track,
          "/lockers/call/nearest": nearest, "/lockers/call/dialed": dialed}


def make_app():
    def app(environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        q = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Content-Type", "text/plain"), ("Allow", "GET")])
            return [b"Method Not Allowed"]
        if path == "/lockers/call":
            start_response("302 Found", [("Location", "/lockers/call/welcome"), ("Content-Length", "0")])
            return [b""]
        if path in ROUTES:
            status, body = ROUTES[path](q)
        elif path.startswith("/lockers/call/parcel/"):
            status, body = parcel(path.rsplit("/", 1)[-1], q)
        else:
            status, body = 404, doc(say("Not found."))
        if status == 303:
            start_response("303 See Other", [("Location", body), ("Content-Length", "0")])
            return [b""]
        payload = body.encode("utf-8")
        reason = {200: "200 OK", 404: "404 Not Found"}[status]
        start_response(reason, [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(payload)))])
        return [payload]

    return app
