"""Metro Telecom, the demo telecom: web pages and a TwiML IVR under /telecom."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from .twiml import dial_number, enqueue, gather, hangup, hold_audio, play, say, twiml
from .twiml import redirect as go_to

bp = Blueprint("telecom", __name__, url_prefix="/telecom")

COMPANY = {"name": "Metro Telecom", "home": "/telecom/", "color": "#3b2f8f"}
METHODS = ["GET", "POST"]
CREDITS_TEAM = "+18005550177"
#: the numbers the IVR transfers to that this company answers with its own voice webhook
DEPARTMENTS = {CREDITS_TEAM: "/telecom/ivr/credits"}
HOLD_MUSIC = "/telecom/static/hold.mp3"

OUTAGE = (
    "Service is out on Elm Street because of a fire. Crews are on site and we expect to restore "
    "service by Thursday at 6pm. Every affected account is credited automatically."
)
ACCOUNT_NOT_FOUND = "We could not find an account with that number."
TECH_PROMPT = (
    "Technical support. To check for outages in your area, please visit our website at "
    "metrotelecom.example/outages. If your internet is slow, press 1. To speak with a technician, press 2."
)
ACCOUNT_PROMPT = "Please enter your 10 digit account number, followed by the pound key."


def _recovered() -> bool:
    return current_app.config["DEMO_MODE"] == "recovered"


def _valid_account(account: str) -> bool:
    return re.fullmatch(r"[0-9]{10}", account) is not None


def _page(status: int = 200, **context: object) -> ResponseReturnValue:
    return render_template("page.html", company=COMPANY, **context), status


# --- web -------------------------------------------------------------------


@bp.route("/", methods=METHODS)
def home() -> ResponseReturnValue:
    """The telecom's home page."""
    return _page(
        title="Home", heading=COMPANY["name"], is_home=True,
        paragraphs=["Fast, reliable broadband and phone for the whole city."],
        links=[("Outages", url_for(".outages")), ("Billing", url_for(".billing")),
               ("Support", url_for(".support")), ("Contact us", url_for(".contact"))],
    )


@bp.route("/outages", methods=METHODS)
def outages() -> ResponseReturnValue:
    """Service status."""
    text = OUTAGE if _recovered() else "There are no known outages in your area."
    return _page(title="Outages", heading="Outages", paragraphs=[text])


@bp.route("/support", methods=METHODS)
def support() -> ResponseReturnValue:
    """Support advice."""
    return _page(title="Support", heading="Support", paragraphs=[
        "If your internet is slow, restart your router and wait five minutes.",
        "To speak with a technician, call technical support on 1-800-555-0150.",
    ])


@bp.route("/contact", methods=METHODS)
def contact() -> ResponseReturnValue:
    """Contact details."""
    return _page(title="Contact us", heading="Contact us", paragraphs=[
        "Technical support: 1-800-555-0150, every day, 8am to 8pm.",
        "Billing: 1-800-555-0199, Monday to Friday, 9am to 5pm.",
    ])


@bp.route("/billing", methods=METHODS)
def billing() -> ResponseReturnValue:
    """Find a bill by account number."""
    if request.method != "POST":
        return render_template("telecom_billing.html", company=COMPANY, title="Billing")
    account = request.form.get("account_number", "").strip()
    if not _valid_account(account):
        return render_template(
            "telecom_billing.html", company=COMPANY, title="Billing", error=ACCOUNT_NOT_FOUND,
            account_number=account, postcode=request.form.get("postcode", ""),
        )
    return redirect(url_for(".bill", account=account), code=303)


@bp.route("/billing/<account>", methods=METHODS)
def bill(account: str) -> ResponseReturnValue:
    """One account's bill and its outage credit."""
    if not _valid_account(account):
        return _page(404, title="Account not found", heading="Account not found",
                     error=ACCOUNT_NOT_FOUND, links=[("Find my bill", url_for(".billing"))])
    if _recovered():
        credit = ("An outage credit of $23.40 has been applied to your account for the days without "
                  "service. Your new balance is $60.60.")
    else:
        credit = "Outage credits cannot be requested online. Please call our billing team on 1-800-555-0199."
    return _page(title="My bill", heading=f"Account {account}", paragraphs=["Balance due: $84.00"],
                 sections=[("Outage credit", [credit])])


@bp.route("/static/hold.mp3", methods=METHODS)
def hold_music() -> ResponseReturnValue:
    """Dummy hold music."""
    return hold_audio()


# --- IVR -------------------------------------------------------------------


def _digits() -> str:
    return request.values.get("Digits", "").strip()


def _attempt() -> int:
    return max(1, request.values.get("attempt", 1, type=int))


def _to_repairs() -> list[Element]:
    return [say("Let me transfer you to our repair department."), enqueue("repairs", "/telecom/ivr/hold")]


@bp.route("/ivr/voice", methods=METHODS)
def ivr_voice() -> ResponseReturnValue:
    """IVR entry: greeting and main menu."""
    if _recovered():
        return twiml(
            say("Welcome to Metro Telecom. We know that service is out on Elm Street because of a fire. "
                  "Crews are on site and we expect to restore service by Thursday at 6pm. Every affected "
                  "account is credited automatically; there is nothing you need to do."),
            gather(say("To get a call back when service is restored, press 1. For billing, press 2. "
                           "For anything else, press 0."), action="/telecom/ivr/main", num_digits=1),
            say("Let me connect you with someone who can help. Your estimated wait time is 2 minutes."),
            enqueue("support", "/telecom/ivr/hold"),
        )
    return twiml(
        say("Welcome to Metro Telecom."),
        gather(say("For billing, press 1. For new services and upgrades, press 2. "
                       "For technical support, press 3."), action="/telecom/ivr/main", num_digits=1),
        say("Sorry, I did not get that."),
        go_to("/telecom/ivr/voice"),
    )


@bp.route("/ivr/main", methods=METHODS)
def ivr_main() -> ResponseReturnValue:
    """Main menu choice."""
    choice = _digits()
    if _recovered():
        if choice == "1":
            return twiml(say("Done. We will call you at this number when service is restored. "
                                 "Your case reference is 55120. Goodbye."), hangup())
        if choice == "2":
            return twiml(say("An outage credit has already been applied to your account. Goodbye."),
                           hangup())
        if choice == "0":
            return twiml(say("Your estimated wait time is 2 minutes."),
                           enqueue("support", "/telecom/ivr/hold"))
    else:
        if choice == "1":
            return ivr_billing()
        if choice == "2":
            return twiml(say("Our sales team is available Monday to Friday. Please visit our website."),
                           hangup())
        if choice == "3":
            return twiml(
                gather(say("Please enter the phone number on the account, followed by the pound key."),
                         action="/telecom/ivr/phone-number", finish_on_key="#"),
                go_to("/telecom/ivr/tech"),
            )
    return twiml(say("Sorry, that is not a valid option."), go_to("/telecom/ivr/voice"))


@bp.route("/ivr/phone-number", methods=METHODS)
def ivr_phone_number() -> ResponseReturnValue:
    """as-is: any phone number is accepted, and then ignored."""
    return twiml(go_to("/telecom/ivr/tech"))


@bp.route("/ivr/tech", methods=METHODS)
def ivr_tech() -> ResponseReturnValue:
    """as-is: technical support menu, which sends outage callers to the website."""
    n = _attempt()
    return twiml(
        gather(say(TECH_PROMPT), action=f"/telecom/ivr/tech/choice?attempt={n}", num_digits=1),
        say("Sorry, I did not get that."),
        go_to(f"/telecom/ivr/tech?attempt={n}"),
    )


@bp.route("/ivr/tech/choice", methods=METHODS)
def ivr_tech_choice() -> ResponseReturnValue:
    """as-is: technical support choice; a technician needs an account number."""
    n, choice = _attempt(), _digits()
    if choice == "1":
        return twiml(say("Please restart your router and wait five minutes."), hangup())
    if choice != "2":
        return twiml(say("Sorry, that is not a valid option."), go_to(f"/telecom/ivr/tech?attempt={n}"))
    if n < 2:
        fallback = [say("We could not verify your account."), go_to(f"/telecom/ivr/tech?attempt={n + 1}")]
    else:
        fallback = _to_repairs()
    return twiml(
        gather(say(ACCOUNT_PROMPT), action=f"/telecom/ivr/account?attempt={n}", finish_on_key="#", timeout=5),
        *fallback,
    )


@bp.route("/ivr/account", methods=METHODS)
def ivr_account() -> ResponseReturnValue:
    """as-is: account number check before the repair queue."""
    n = _attempt()
    if _valid_account(_digits()):
        return twiml(*_to_repairs())
    invalid = say("That account number is not valid.")
    if n < 2:
        return twiml(invalid, go_to(f"/telecom/ivr/tech?attempt={n + 1}"))
    return twiml(invalid, *_to_repairs())


@bp.route("/ivr/hold", methods=METHODS)
def ivr_hold() -> ResponseReturnValue:
    """Queue wait document; redirects to the agent once QueueTime is long enough."""
    waited = request.values.get("QueueTime", 0, type=int)
    if _recovered():
        if waited >= 120:
            return twiml(go_to("/telecom/ivr/agent"))
        return twiml(say("Thank you for holding. You are next in line."), play(HOLD_MUSIC))
    if waited >= 2400:
        return twiml(go_to("/telecom/ivr/repair"))
    return twiml(say("Due to high call volumes, wait times are longer than usual. Please stay on the line."),
                   play(HOLD_MUSIC, loop=10))


@bp.route("/ivr/agent", methods=METHODS)
def ivr_agent() -> ResponseReturnValue:
    """recovered: the agent who already knows about the outage."""
    return twiml(say("This is Alex. I can see the outage at your address; service will be restored "
                         "by Thursday at 6pm. Goodbye."), hangup())


@bp.route("/ivr/repair", methods=METHODS)
def ivr_repair() -> ResponseReturnValue:
    """as-is: the repair desk asks for the phone number again."""
    return twiml(
        gather(say("Repair desk. What is the phone number on the account?"),
                 action="/telecom/ivr/repair/phone", speech=True, finish_on_key="#"),
        say("I did not catch that."),
        go_to("/telecom/ivr/repair"),
    )


@bp.route("/ivr/repair/phone", methods=METHODS)
def ivr_repair_phone() -> ResponseReturnValue:
    """as-is: the repair desk can only book a technician."""
    return twiml(
        gather(say("Thank you. I can book a technician visit. The earliest window is Thursday between "
                       "8am and noon. To book this window, press 1. To hear other windows, press 2."),
                 action="/telecom/ivr/repair/choice", speech=True, num_digits=1),
        go_to("/telecom/ivr/repair/phone"),
    )


@bp.route("/ivr/repair/choice", methods=METHODS)
def ivr_repair_choice() -> ResponseReturnValue:
    """as-is: no option fits a fire."""
    answers = {
        "1": "Your technician visit is booked for Thursday between 8am and noon. Goodbye.",
        "2": "There are no other windows this week. Goodbye.",
    }
    text = answers.get(_digits(), "Sorry, I can only book technician visits. For outage updates, "
                                  "please check our website. Goodbye.")
    return twiml(say(text), hangup())


@bp.route("/ivr/billing", methods=METHODS)
def ivr_billing() -> ResponseReturnValue:
    """as-is: billing asks for the account number."""
    return twiml(
        gather(say(f"Billing. {ACCOUNT_PROMPT}"), action="/telecom/ivr/billing/account", finish_on_key="#"),
        say("Sorry, I did not get that."),
        go_to("/telecom/ivr/billing"),
    )


@bp.route("/ivr/billing/account", methods=METHODS)
def ivr_billing_account() -> ResponseReturnValue:
    """as-is: billing transfers to the credits team."""
    return twiml(
        say("Thank you. Outage credits are handled by our credits team. Transferring you now."),
        dial_number(CREDITS_TEAM),
    )


@bp.route("/ivr/credits", methods=METHODS)
def ivr_credits() -> ResponseReturnValue:
    """as-is: the credits team asks for the account number again."""
    return twiml(
        gather(say(f"Credits team. {ACCOUNT_PROMPT}"), action="/telecom/ivr/credits/account", finish_on_key="#"),
        say("Sorry, I did not get that."),
        go_to("/telecom/ivr/credits"),
    )


@bp.route("/ivr/credits/account", methods=METHODS)
def ivr_credits_account() -> ResponseReturnValue:
    """as-is: the dead end that sends the caller back to technical support."""
    return twiml(say("Credits for outages are only issued after a technician confirms the fault. "
                         "Please call technical support to book a technician. Goodbye."), hangup())
