"""Marlow County Superior Court - Jury Services phone line.

Plain WSGI, standard library only (the court's hosting allows nothing else). The number's voice URL
is the old /jury, which answers 302 to /jury/voice. Reporting status is read from the nightly export
of the jury management system (JURORS below is the test extract). The status lookup is a GET so the
county's web cache logs it like the website's "Check my status" page.
"""

from urllib.parse import parse_qs, urlencode
from xml.sax.saxutils import escape

CLERK_LINE = "+17075550152"

JURORS = {
    "204118736": {"dob": "03141979", "group": "fourteen", "date": "Monday, June 9th", "report": True},
    "204118990": {"dob": "11021988", "group": "twenty two", "date": "Monday, June 9th", "report": False},
}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]

MAIN = ("You've reached Jury Services for the Marlow County Superior Court. If you're a juror checking whether "
        "you need to report, press one. To postpone your jury service, press two. To ask to be excused, press "
        "three. For directions to the courthouse, press four. To speak with a jury clerk, press zero. To hear "
        "these choices again, press nine.")
SHORT = ("Press one to check your reporting status, two to postpone, three to be excused, four for directions, "
         "or zero for a clerk.")
DIRECTIONS = ("The courthouse is at 100 Court Street in downtown Marlow, across from Founders Park. Jurors enter "
              "through the north doors on Court Street, where you'll go through security. The Route 4 and Route "
              "9 buses stop right out front.")


def say(text):
    return f"<Say>{escape(text)}</Say>"


def response(start_response, body, status="200 OK", headers=None):
    payload = ('<?xml version="1.0" encoding="UTF-8"?><Response>' + body + "</Response>").encode()
    start_response(status, [("Content-Type", "text/xml; charset=utf-8"),
                             ("Content-Length", str(len(payload)))] + (headers or []))
    return [payload]


def redirect(start_response, location, status="303 See Other"):
    start_response(status, [("Location", location), ("Content-Length", "0")])
    return [b""]


def read_params(environ):
    params = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    if environ.get("REQUEST_METHOD") == "POST":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size).decode() if size else ""
        params.update({k: v[0] for k, v in parse_qs(body).items()})
    return params


def spoken_date(digits):
    month, day, year = int(digits[:2]), int(digits[2:4]), digits[4:]
    return f"{MONTHS[month - 1]} {day}, {year}"


def clerk(text):
    return say(text) + f'<Dial timeout="40">{CLERK_LINE}</Dial>'


def voice(p):
    attempt = p.get("attempt", "0")
    prompt = MAIN if attempt == "0" else SHORT
    after = (say("I didn't hear a choice.") + '<Redirect method="POST">/jury/voice?attempt=1</Redirect>'
             if attempt == "0" else clerk("Let me get a jury clerk for you."))
    return ('<Gather numDigits="1" action="/jury/menu" method="POST" timeout="7">' + say(prompt) + "</Gather>"
            + after)


def menu(p):
    digit = p.get("Digits", "")
    if digit == "1":
        return ('<Gather numDigits="9" action="/jury/status" method="GET" timeout="10">'
                + say("Please enter the nine digit juror number printed above your name on the summons.")
                + "</Gather>"
                + '<Gather numDigits="8" action="/jury/status?by=dob" method="GET" timeout="10">'
                + say("If you don't have your summons handy, enter your date of birth instead: two digits for "
                      "the month, two for the day, and four for the year.")
                + "</Gather>"
                + clerk("Let me get a jury clerk for you."))
    if digit == "2":
        return ('<Gather numDigits="9" action="/jury/postpone" method="POST" timeout="10">'
                + say("You may postpone your service once, to any weekday within the next ninety days. Enter "
                      "your nine digit juror number.")
                + '</Gather><Redirect method="POST">/jury/voice</Redirect>')
    if digit == "3":
        return clerk("Requests to be excused are reviewed by a jury clerk. Please hold while I connect you.")
    if digit == "4":
        return directions()
    if digit == "0":
        return clerk("Jury clerks answer calls weekdays from 8 AM to 4 30 PM. The current wait is about five "
                     "minutes. Please hold for the next available clerk.")
    if digit == "9":
        return '<Redirect method="POST">/jury/voice</Redirect>'
    return say("Sorry, that isn't one of the choices.") + '<Redirect method="POST">/jury/voice?attempt=1</Redirect>'


def directions():
    return ('<Gather numDigits="1" action="/jury/directions" method="POST" timeout="7">'
            + say(DIRECTIONS + " To hear that again, press one. To return to the main menu, press nine.")
            + "</Gather>" + say("Thank you for calling Jury Services. Goodbye.") + "<Hangup/>")


def status(p):
    digits = p.get("Digits", "") or p.get("juror", "")
    if p.get("by") == "dob":
        juror_id = next((j for j, rec in JURORS.items() if rec["dob"] == digits), "")
    else:
        juror_id = digits if digits in JURORS else ""
    if not juror_id:
        return (say("I couldn't find a juror with that number.")
                + '<Redirect method="POST">/jury/menu?Digits=1</Redirect>')
    rec = JURORS[juror_id]
    if rec["report"]:
        news = (f"For {rec['date']}, group {rec['group']} is required to report. Please arrive at the Jury "
                "Assembly Room on the first floor of the courthouse by 7 45 AM, and bring your summons and a "
                "photo ID.")
    else:
        news = (f"Good news. Group {rec['group']} does not need to report on {rec['date']}, and your service "
                "is complete.")
    action = escape("/jury/status/next?" + urlencode({"juror": juror_id}))
    return (f'<Gather numDigits="1" action="{action}" method="POST" timeout="7">'
            + say(f"Thank you. You are in group {rec['group']}. {news} To hear this again, press one. For "
                  "directions to the courthouse, press four. If you're all set, you may hang up.")
            + "</Gather>" + say("Thank you for your service. Goodbye.") + "<Hangup/>")


def status_next(p):
    digit = p.get("Digits", "")
    if digit == "1":
        return status({"juror": p.get("juror", "")})
    if digit == "4":
        return directions()
    return '<Redirect method="POST">/jury/voice</Redirect>'


def postpone(p):
    juror_id = p.get("Digits", "")
    if juror_id not in JURORS:
        return say("I couldn't find that juror number.") + '<Redirect method="POST">/jury/menu?Digits=2</Redirect>'
    return (f'<Gather numDigits="8" action="/jury/postpone/date?juror={juror_id}" method="POST" timeout="12">'
            + say("Enter the date you'd like to serve, as eight digits: two for the month, two for the day, and "
                  "four for the year.")
            + f'</Gather><Redirect method="POST">/jury/postpone/date?juror={juror_id}</Redirect>')


def postpone_done(p):
    when = p.get("date", "")
    return say(f"You're all set. Your jury service is now on {spoken_date(when)}. A new summons will be mailed "
               "to you about two weeks before that date. Thank you. Goodbye.") + "<Hangup/>"


def directions_next(p):
    if p.get("Digits") == "1":
        return directions()
    return '<Redirect method="POST">/jury/voice</Redirect>'


ROUTES = {
    "/jury/voice": voice,
    "/jury/menu": menu,
    "/jury/status": status,
    "/jury/status/next": status_next,
    "/jury/postpone": postpone,
    "/jury/postpone/done": postpone_done,
    "/jury/directions": directions_next,
}


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    p = read_params(environ)
    if path == "/jury":
        return redirect(start_response, "/jury/voice", status="302 Found")
    if path == "/jury/postpone/date":
        digits = p.get("Digits", "")
        if len(digits) != 8 or not 1 <= int(digits[:2]) <= 12:
            return response(start_response, say("That date didn't work.")
                            + f'<Redirect method="POST">/jury/postpone?Digits={p.get("juror", "")}</Redirect>')
        # post/redirect/get so a refresh can't postpone twice
        return redirect(start_response, "/jury/postpone/done?" + urlencode({"date": digits}))
    handler = ROUTES.get(path)
    if handler is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"Not Found"]
    return response(start_response, handler(p))


def make_app():
    return application
