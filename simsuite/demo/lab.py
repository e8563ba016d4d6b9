"""Northside Diagnostics, the demo lab: web pages and a TwiML IVR under /lab."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .twiml import dial_number, enqueue, gather, hangup, hold_audio, play, say, twiml
from .twiml import redirect as go_to

bp = Blueprint("lab", __name__, url_prefix="/lab")

COMPANY = {"name": "Northside Diagnostics", "home": "/lab/", "color": "#0b6e4f"}
METHODS = ["GET", "POST"]
SCHEDULING = "+18005550142"
#: the numbers the IVR transfers to that this company answers with its own voice webhook
DEPARTMENTS = {SCHEDULING: "/lab/ivr/scheduling"}
HOLD_MUSIC = "/lab/static/hold.mp3"
SLOTS = (
    "Tuesday 1 December, 10:30",
    "Wednesday 2 December, 08:15",
    "Thursday 3 December, 14:00",
    "Saturday 5 December, 09:45",
)

APPOINTMENT = "Your appointment: Blood test, Monday 30 November at 09:00, Northside Clinic."
NOT_FOUND = "We could not find a booking with that reference."
PHONE_ONLY = (
    "Appointments cannot be rescheduled online. To change your appointment, please call our "
    "toll-free line 1-800-555-0100, Monday to Friday, 9am to 5pm."
)
PHONE_ONLY_CANCEL = (
    "Appointments cannot be cancelled online. To cancel your appointment, please call our "
    "toll-free line 1-800-555-0100, Monday to Friday, 9am to 5pm."
)
MOVED_BY_PHONE = (
    "Your appointment has been moved to Tuesday 1 December, 10:30. "
    "A confirmation text is on its way. Goodbye."
)
MENU_AS_IS = (
    "For test results, press 1. To book a new test, press 2. For billing, press 3. "
    "For anything else, press 0."
)
MENU_RECOVERED = (
    "To reschedule or cancel an appointment, press 1. For test results, press 2. "
    "To speak with a person, press 0."
)


def email_token(ref: str) -> str:
    """The token that makes the emailed reschedule link work (stateless)."""
    return hashlib.sha256(f"northside-email-{ref}".encode()).hexdigest()[:16]


def _recovered() -> bool:
    return current_app.config["DEMO_MODE"] == "recovered"


def _valid_reference(reference: str) -> bool:
    return re.fullmatch(r"[0-9]{8}", reference) is not None


def _page(status: int = 200, **context: object) -> ResponseReturnValue:
    return render_template("page.html", company=COMPANY, **context), status


def _booking_not_found() -> ResponseReturnValue:
    return _page(404, title="Booking not found", heading="Booking not found",
                 error=NOT_FOUND, links=[("Find my booking", url_for(".manage"))])


# --- web -------------------------------------------------------------------


@bp.route("/", methods=METHODS)
def home() -> ResponseReturnValue:
    """The lab's home page."""
    return _page(
        title="Home", heading=COMPANY["name"], is_home=True,
        paragraphs=["Blood tests and diagnostics for the north side, with results in the patient portal."],
        links=[("Book a test", url_for(".book")), ("Manage my booking", url_for(".manage")),
               ("Test results", url_for(".results")), ("Contact us", url_for(".contact"))],
    )


@bp.route("/book", methods=METHODS)
def book() -> ResponseReturnValue:
    """Book a test (information only)."""
    return _page(title="Book a test", heading="Book a test", paragraphs=[
        "We offer blood tests, urine tests and allergy panels at Northside Clinic.",
        "New appointments open every Monday at 8am.",
    ])


@bp.route("/results", methods=METHODS)
def results() -> ResponseReturnValue:
    """Test results (information only)."""
    return _page(title="Test results", heading="Test results", paragraphs=[
        "Test results are available in the patient portal.",
        "Most results are ready within two working days.",
    ])


@bp.route("/contact", methods=METHODS)
def contact() -> ResponseReturnValue:
    """Contact details."""
    return _page(title="Contact us", heading="Contact us", paragraphs=[
        "Phone: 1-800-555-0100 (toll-free), Monday to Friday, 9am to 5pm.",
        "Northside Clinic, 12 Harbour Road.",
    ])


@bp.route("/manage", methods=METHODS)
def manage() -> ResponseReturnValue:
    """Find a booking by reference and last name."""
    if request.method != "POST":
        return render_template("lab_manage.html", company=COMPANY, title="Manage my booking")
    reference = request.form.get("booking_reference", "").strip()
    if not _valid_reference(reference):
        return render_template(
            "lab_manage.html", company=COMPANY, title="Manage my booking", error=NOT_FOUND,
            booking_reference=reference, last_name=request.form.get("last_name", ""),
        )
    return redirect(url_for(".booking", ref=reference), code=303)


@bp.route("/booking/<ref>", methods=METHODS)
def booking(ref: str) -> ResponseReturnValue:
    """One booking, with links to reschedule or cancel it."""
    if not _valid_reference(ref):
        return _booking_not_found()
    return _page(title="My booking", heading=f"Booking {ref}", paragraphs=[APPOINTMENT], links=[
        ("Reschedule appointment", url_for(".reschedule", ref=ref)),
        ("Cancel appointment", url_for(".cancel", ref=ref)),
    ])


@bp.route("/booking/<ref>/reschedule", methods=METHODS)
def reschedule(ref: str) -> ResponseReturnValue:
    """as-is: phone only. recovered: choose a new slot online."""
    if not _valid_reference(ref):
        return _booking_not_found()
    back = [("Back to my booking", url_for(".booking", ref=ref))]
    emailed = request.values.get("token") == email_token(ref)
    if not _recovered() and not emailed:
        return _page(title="Reschedule appointment", heading="Reschedule appointment",
                     paragraphs=[PHONE_ONLY], links=back)
    if request.method != "POST":
        return render_template("lab_reschedule.html", company=COMPANY, title="Reschedule appointment",
                               ref=ref, slots=SLOTS, appointment=APPOINTMENT,
                               token=request.values.get("token", ""))
    slot = request.form.get("new_slot", "")
    if slot not in SLOTS:
        return _slot_unavailable(ref, slot)
    return redirect(url_for(".rescheduled", ref=ref, slot=slot), code=303)


def _slot_unavailable(ref: str, slot: str) -> ResponseReturnValue:
    return _page(400, title="Time not available", heading="Time not available",
                 error=f'"{slot}" is not one of the available times. Please choose a time from the list.',
                 links=[("Choose a new time", url_for(".reschedule", ref=ref))])


@bp.route("/booking/<ref>/rescheduled", methods=METHODS)
def rescheduled(ref: str) -> ResponseReturnValue:
    """Confirmation of a rescheduled appointment (recovered mode)."""
    slot = request.args.get("slot", "")
    if not _valid_reference(ref):
        return _booking_not_found()
    if slot not in SLOTS:
        return _slot_unavailable(ref, slot)
    return _page(title="Appointment moved", heading="Appointment moved", paragraphs=[
        f"Your appointment has been moved to {slot}. Booking reference {ref}. "
        "A confirmation text is on its way."
    ], links=[("Back to home", url_for(".home"))])


@bp.route("/booking/<ref>/cancel", methods=METHODS)
def cancel(ref: str) -> ResponseReturnValue:
    """as-is: phone only. recovered: cancel online."""
    if not _valid_reference(ref):
        return _booking_not_found()
    back = [("Back to my booking", url_for(".booking", ref=ref))]
    emailed = request.values.get("token") == email_token(ref)
    if not _recovered() and not emailed:
        return _page(title="Cancel appointment", heading="Cancel appointment",
                     paragraphs=[PHONE_ONLY_CANCEL], links=back)
    if request.method == "POST":
        return redirect(url_for(".cancelled", ref=ref), code=303)
    return _page(title="Cancel appointment", heading="Cancel appointment", paragraphs=[APPOINTMENT],
                 form_action=url_for(".cancel", ref=ref), form_button="Confirm cancellation", links=back)


@bp.route("/booking/<ref>/cancelled", methods=METHODS)
def cancelled(ref: str) -> ResponseReturnValue:
    """Confirmation of a cancelled appointment (recovered mode)."""
    if not _valid_reference(ref):
        return _booking_not_found()
    return _page(title="Appointment cancelled", heading="Appointment cancelled", paragraphs=[
        f"Your appointment on Monday 30 November at 09:00 has been cancelled. Booking reference {ref}."
    ], links=[("Back to home", url_for(".home"))])


@bp.route("/static/hold.mp3", methods=METHODS)
def hold_music() -> ResponseReturnValue:
    """Dummy hold music."""
    return hold_audio()


# --- IVR -------------------------------------------------------------------


def _digits() -> str:
    return request.values.get("Digits", "").strip()


@bp.route("/ivr/voice", methods=METHODS)
def ivr_voice() -> ResponseReturnValue:
    """IVR entry: greeting and main menu."""
    if _recovered():  # a caller who says nothing is put through to a person, not played the menu forever
        return twiml(
            say("Thank you for calling Northside Diagnostics."),
            gather(say(MENU_RECOVERED), action="/lab/ivr/menu", num_digits=1),
            say("Connecting you now. Your estimated wait time is 1 minute."),
            enqueue("frontdesk", "/lab/ivr/hold"),
        )
    return twiml(
        say("Thank you for calling Northside Diagnostics."),
        gather(say(MENU_AS_IS), action="/lab/ivr/menu", num_digits=1),
        say("Sorry, I did not get that."),
        go_to("/lab/ivr/voice"),
    )


@bp.route("/ivr/menu", methods=METHODS)
def ivr_menu() -> ResponseReturnValue:
    """Main menu choice."""
    choice = _digits()
    if _recovered():
        if choice == "1":
            return ivr_reference()
        if choice == "2":
            return twiml(say("Your latest test results are ready. We have sent them to you by text message. Goodbye."), hangup())
        if choice == "0":
            return twiml(say("Connecting you now. Your estimated wait time is 1 minute."),
                           enqueue("frontdesk", "/lab/ivr/hold"))
    else:
        if choice == "0":
            return twiml(say("Please hold for the next available agent."),
                           enqueue("frontdesk", "/lab/ivr/hold"))
        answers = {
            "1": "Test results are available in the patient portal.",
            "2": "To book a new test, please visit our website.",
            "3": "For billing questions, please visit our website.",
        }
        if choice in answers:
            return twiml(say(answers[choice]), hangup())
    return twiml(say("Sorry, that is not a valid option."), go_to("/lab/ivr/voice"))


@bp.route("/ivr/hold", methods=METHODS)
def ivr_hold() -> ResponseReturnValue:
    """Queue wait document; redirects to the agent once QueueTime is long enough."""
    waited = request.values.get("QueueTime", 0, type=int)
    if _recovered():
        if waited >= 60:
            return twiml(go_to("/lab/ivr/agent"))
        return twiml(say("Thank you for holding. You are next in line."), play(HOLD_MUSIC))
    if waited >= 2100:
        return twiml(go_to("/lab/ivr/agent"))
    return twiml(say("All of our agents are busy. Your estimated wait time is 35 minutes."),
                   play(HOLD_MUSIC, loop=10))


@bp.route("/ivr/agent", methods=METHODS)
def ivr_agent() -> ResponseReturnValue:
    """The front desk agent who answers the queue."""
    if _recovered():
        return twiml(say("This is Sam. I can see your booking and I can move it for you."),
                       say(MOVED_BY_PHONE), hangup())
    return twiml(
        gather(say("Front desk, this is Dana. Do you have a case reference? If you do, please say or "
                       "enter it now."), action="/lab/ivr/agent/booking", speech=True, finish_on_key="#"),
        go_to("/lab/ivr/agent/booking"),
    )


@bp.route("/ivr/agent/booking", methods=METHODS)
def ivr_agent_booking() -> ResponseReturnValue:
    """as-is: whatever the case says, the agent starts again from the booking reference."""
    return twiml(
        gather(say("Can I have your booking reference, please?"),
                 action="/lab/ivr/agent/reference", speech=True, finish_on_key="#"),
        say("I did not catch that."),
        go_to("/lab/ivr/agent/booking"),
    )


@bp.route("/ivr/agent/reference", methods=METHODS)
def ivr_agent_reference() -> ResponseReturnValue:
    """as-is: the agent cannot reschedule and transfers to scheduling."""
    return twiml(
        say("Thank you. I can see your booking. I am sorry, front desk agents are not permitted to "
              "reschedule appointments. Let me transfer you to our scheduling department."),
        dial_number(SCHEDULING),
    )


@bp.route("/ivr/scheduling", methods=METHODS)
def ivr_scheduling() -> ResponseReturnValue:
    """as-is: the scheduling department asks for the reference again."""
    return twiml(
        gather(say("Scheduling department. Please enter or say your booking reference."),
                 action="/lab/ivr/scheduling/reference", speech=True, finish_on_key="#"),
        say("I did not catch that."),
        go_to("/lab/ivr/scheduling"),
    )


def _spoken_reference() -> str:
    return _digits() or re.sub(r"[^0-9]", "", request.values.get("SpeechResult", ""))


@bp.route("/ivr/scheduling/reference", methods=METHODS)
def ivr_scheduling_reference() -> ResponseReturnValue:
    """as-is: scheduling cannot do it either; the emailed link is the only way."""
    ref = _spoken_reference()
    if not _valid_reference(ref):
        return twiml(say("Sorry, we could not find a booking with that reference."),
                       go_to("/lab/ivr/scheduling"))
    return twiml(
        gather(say("Thank you. Our scheduling system is unavailable at the moment. I can email you a link "
                       "to reschedule online. What email address should I send it to?"),
                 action=f"/lab/ivr/scheduling/email?ref={ref}", speech=True),
        say("Please call back later. Goodbye."),
        hangup(),
    )


@bp.route("/ivr/scheduling/email", methods=METHODS)
def ivr_scheduling_email() -> ResponseReturnValue:
    """as-is: send the reschedule link by email and hang up."""
    from .mail import send_mail

    ref = request.args.get("ref", "")
    address = request.values.get("SpeechResult", "").strip().rstrip(".")
    if not _valid_reference(ref) or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
        return twiml(say("Sorry, I could not take that address. Please call back later. Goodbye."), hangup())
    link = f"{request.host_url}lab/booking/{ref}/reschedule?token={email_token(ref)}"
    send_mail(address, "Reschedule your Northside Diagnostics appointment",
              f"Hello,\n\nUse this link to choose a new time for booking {ref}:\n{link}\n\nNorthside Diagnostics",
              html=f'<p>Hello,</p><p>Use this link to choose a new time for booking {ref}: '
                   f'<a href="{quote(link, safe=":/?=&")}">Reschedule my appointment</a></p><p>Northside Diagnostics</p>')
    return twiml(say("Thank you. We've emailed you a link to reschedule online. Goodbye."), hangup())


@bp.route("/ivr/reference", methods=METHODS)
def ivr_reference() -> ResponseReturnValue:
    """recovered: ask for the booking reference to reschedule by phone."""
    return twiml(
        gather(say("Please enter your booking reference, followed by the pound key."),
                 action="/lab/ivr/reschedule", speech=True, finish_on_key="#"),
        say("No problem, someone at the front desk can find your booking. Connecting you now. "
            "Your estimated wait time is 2 minutes."),
        enqueue("frontdesk", "/lab/ivr/hold"),
    )


@bp.route("/ivr/reschedule", methods=METHODS)
def ivr_reschedule() -> ResponseReturnValue:
    """recovered: move the appointment to the first free slot."""
    spoken = re.sub(r"[^0-9]", "", request.values.get("SpeechResult", ""))
    if _valid_reference(_digits() or spoken):
        return twiml(say(MOVED_BY_PHONE), hangup())
    return twiml(say("Sorry, we could not find a booking with that reference."),
                   go_to("/lab/ivr/reference"))
