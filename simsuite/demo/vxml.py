"""Metro Telecom's IVR in VoiceXML 2.1 under /telecom/vxml/: the same outage flow as its TwiML IVR.

as-is: a main menu with no outage option, technical support sending callers to the website, an account
number the caller may not know (noinput handlers loop back to technical support), then a transfer to
a repair desk that can only book technicians. recovered: the outage is announced up front, with a
call back, billing and an agent who knows. Documents are built with ElementTree, so every value taken
from a request is escaped.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, request
from flask.typing import ResponseReturnValue

from .telecom import ACCOUNT_PROMPT, TECH_PROMPT

bp = Blueprint("telecom_vxml", __name__, url_prefix="/telecom/vxml")

METHODS = ["GET", "POST"]
VXML_NS = "http://www.w3.org/2001/vxml"
MIMETYPE = "application/voicexml+xml"
ROOT = "/telecom/vxml/"

ANNOUNCEMENT = (
    "Welcome to Metro Telecom. We know that service is out on Elm Street because of a fire. Crews are on "
    "site and we expect to restore service by Thursday at 6pm. Every affected account is credited "
    "automatically; there is nothing you need to do."
)


def el(tag: str, *children: ET.Element | str, **attrs: object) -> ET.Element:
    """An element with attributes (None left out) and children; strings become its text or a tail."""
    element = ET.Element(tag, {k.rstrip("_"): str(v) for k, v in attrs.items() if v is not None})
    for child in children:
        if isinstance(child, str):
            if len(element):
                element[-1].tail = (element[-1].tail or "") + child
            else:
                element.text = (element.text or "") + child
        else:
            element.append(child)
    return element


def prompt(*content: ET.Element | str) -> ET.Element:
    """`<prompt>`."""
    return el("prompt", *content)


def block(*content: ET.Element | str, id_: str) -> ET.Element:
    """A `<form id>` holding one `<block>`."""
    return el("form", el("block", *content), id=id_)


def goto(target: str) -> ET.Element:
    """`<goto next="target"/>`."""
    return el("goto", next=target)


def document(*dialogs: ET.Element) -> Response:
    """A VoiceXML 2.1 document holding `dialogs`, as application/voicexml+xml."""
    root = el("vxml", el("property", name="timeout", value="5s"), *dialogs, version="2.1", xmlns=VXML_NS)
    body = '<?xml version="1.0" encoding="UTF-8"?>' + ET.tostring(root, encoding="unicode")
    return Response(body, mimetype=MIMETYPE)


def _recovered() -> bool:
    return current_app.config["DEMO_MODE"] == "recovered"


def _attempt() -> int:
    return max(1, min(9, request.values.get("attempt", 1, type=int) or 1))


def _to_repairs() -> list[ET.Element | str]:
    return [prompt("Let me transfer you to our repair department."), el("transfer", dest=f"{ROOT}repair")]


@bp.route("/", methods=METHODS)
def voice() -> ResponseReturnValue:
    """The entry document: greeting and main menu (and, as-is, the technical support menu)."""
    if _recovered():
        return document(
            block(prompt(ANNOUNCEMENT), goto("#main"), id_="welcome"),
            el("menu",
               prompt("To get a call back when service is restored, press 1. For billing, press 2. "
                      "For anything else, press 0."),
               el("choice", "call back when service is restored", dtmf="1", next="#callback"),
               el("choice", "billing", dtmf="2", next="#credit"),
               el("choice", "anything else", dtmf="0", next="#agent"),
               el("noinput", "Let me connect you with someone who can help.", goto("#agent")),
               el("nomatch", "Sorry, that is not a valid option.", el("reprompt")),
               id="main"),
            block(prompt("Done. We will call you at this number when service is restored. "
                         "Your case reference is 55120. Goodbye."), el("disconnect"), id_="callback"),
            block(prompt("An outage credit has already been applied to your account. Goodbye."),
                  el("disconnect"), id_="credit"),
            block(prompt("Your estimated wait time is 2 minutes."), el("transfer", dest=f"{ROOT}agent"), id_="agent"),
        )
    n = _attempt()
    return document(
        block(prompt("Welcome to Metro Telecom."), goto("#main"), id_="welcome"),
        el("menu",
           prompt(el("enumerate")),
           el("choice", "billing", dtmf="1", next=f"{ROOT}billing"),
           el("choice", "new services and upgrades", dtmf="2", next="#sales"),
           el("choice", "technical support", dtmf="3", next="#tech"),
           el("noinput", "Sorry, I did not get that.", el("reprompt")),
           el("nomatch", "Sorry, that is not a valid option.", el("reprompt")),
           id="main"),
        block(prompt("Our sales team is available Monday to Friday. Please visit our website."),
              el("disconnect"), id_="sales"),
        el("menu",
           prompt(TECH_PROMPT),
           el("choice", "internet is slow", dtmf="1", next="#restart"),
           el("choice", "speak with a technician", dtmf="2", next=f"{ROOT}account?attempt={n}"),
           el("noinput", "Sorry, I did not get that.", el("reprompt")),
           el("nomatch", "Sorry, that is not a valid option.", el("reprompt")),
           id="tech"),
        block(prompt("Please restart your router and wait five minutes."), el("disconnect"), id_="restart"),
    )


@bp.route("/account", methods=METHODS)
def account() -> ResponseReturnValue:
    """as-is: the account number a technician needs; silence loops back to technical support."""
    n = _attempt()
    gave_up = _to_repairs() if n >= 2 else [
        prompt("We could not verify your account."), goto(f"{ROOT}?attempt={n + 1}#tech")]
    return document(el("form", el(
        "field",
        prompt(ACCOUNT_PROMPT),
        el("noinput", "Sorry, I did not get that.", el("reprompt"), count="1"),
        el("noinput", *gave_up, count="2"),
        el("nomatch", "That account number is not valid.", el("reprompt")),
        el("filled", el("submit", next=f"{ROOT}account/check?attempt={n}", namelist="account_number",
                        method="post")),
        name="account_number", type="digits?length=10"), id="account"))


@bp.route("/account/check", methods=METHODS)
def account_check() -> ResponseReturnValue:
    """as-is: any ten digits lead to the repair department; anything else back to technical support."""
    n, number = _attempt(), request.values.get("account_number", "").strip()
    if re.fullmatch(r"[0-9]{10}", number):
        return document(block(prompt("Thank you."), *_to_repairs(), id_="found"))
    invalid = prompt(f"We could not find account {number}.")
    if n < 2:
        return document(block(invalid, goto(f"{ROOT}?attempt={n + 1}#tech"), id_="invalid"))
    return document(block(invalid, *_to_repairs(), id_="invalid"))


@bp.route("/repair", methods=METHODS)
def repair() -> ResponseReturnValue:
    """as-is: the repair desk can only book a technician; no option fits a fire."""
    return document(
        el("menu",
           prompt("Repair desk. I can book a technician visit. The earliest window is Thursday between 8am "
                  "and noon. To book this window, press 1. To hear other windows, press 2."),
           el("choice", "book this window", dtmf="1", next="#booked"),
           el("choice", "hear other windows", dtmf="2", next="#windows"),
           el("nomatch", prompt("Sorry, I can only book technician visits. For outage updates, please check "
                                "our website. Goodbye."), el("disconnect")),
           id="repair"),
        block(prompt("Your technician visit is booked for Thursday between 8am and noon. Goodbye."),
              el("disconnect"), id_="booked"),
        block(prompt("There are no other windows this week. Goodbye."), el("disconnect"), id_="windows"),
    )


@bp.route("/billing", methods=METHODS)
def billing() -> ResponseReturnValue:
    """as-is: billing asks for the account number, then bridges to the credits team."""
    return document(el("form", el(
        "field",
        prompt(f"Billing. {ACCOUNT_PROMPT}"),
        el("noinput", "Sorry, I did not get that.", el("reprompt")),
        el("filled", prompt("Thank you. Outage credits are handled by our credits team. Transferring you now."),
           el("transfer", dest="tel:+18005550177")),
        name="account_number", type="digits"), id="billing"))


@bp.route("/agent", methods=METHODS)
def agent() -> ResponseReturnValue:
    """recovered: the agent who already knows about the outage."""
    return document(block(prompt("This is Alex. I can see the outage at your address; service will be restored "
                                 "by Thursday at 6pm. Goodbye."), el("disconnect"), id_="agent"))
