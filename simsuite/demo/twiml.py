"""A tiny TwiML builder for the demo IVRs.

Documents are built with ElementTree, so every text and attribute, including values
taken from a request, is escaped and the result is always well-formed XML.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from flask import Response

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

#: One silent MPEG-1 Layer III frame (128 kbit/s, 44.1 kHz): a stand-in for hold music.
HOLD_AUDIO = b"\xff\xfb\x90\x64" + b"\x00" * 413


def _verb(tag: str, text: str | None = None, **attrs: object) -> ET.Element:
    element = ET.Element(tag, {k: str(v) for k, v in attrs.items() if v is not None})
    element.text = text
    return element


def say(text: str) -> ET.Element:
    """`<Say>text</Say>`."""
    return _verb("Say", text)


def play(url: str, loop: int | None = None) -> ET.Element:
    """`<Play loop="n">url</Play>`."""
    return _verb("Play", url, loop=loop)


def pause(length: int) -> ET.Element:
    """`<Pause length="n"/>`."""
    return _verb("Pause", length=length)


def gather(
    *prompts: ET.Element,
    action: str,
    num_digits: int | None = None,
    speech: bool = False,
    finish_on_key: str | None = None,
    timeout: int | None = None,
) -> ET.Element:
    """`<Gather>` around `prompts`; `speech=True` accepts speech as well as keypresses."""
    element = _verb(
        "Gather",
        input="speech dtmf" if speech else None,
        numDigits=num_digits,
        finishOnKey=finish_on_key,
        timeout=timeout,
        action=action,
    )
    element.extend(prompts)
    return element


def redirect(url: str) -> ET.Element:
    """`<Redirect>url</Redirect>`."""
    return _verb("Redirect", url)


def dial_number(number: str) -> ET.Element:
    """A transfer to another number: `<Dial><Number>number</Number></Dial>`."""
    dial = _verb("Dial")
    dial.append(_verb("Number", number))
    return dial


def enqueue(name: str, wait_url: str) -> ET.Element:
    """`<Enqueue waitUrl="wait_url">name</Enqueue>`."""
    return _verb("Enqueue", name, waitUrl=wait_url)


def hangup() -> ET.Element:
    """`<Hangup/>`."""
    return _verb("Hangup")


def render(*verbs: ET.Element) -> str:
    """The TwiML document holding `verbs`, with its XML declaration."""
    root = ET.Element("Response")
    root.extend(verbs)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode")


def twiml(*verbs: ET.Element) -> Response:
    """A Flask response carrying the TwiML document for `verbs` as text/xml."""
    return Response(render(*verbs), mimetype="text/xml")


def hold_audio() -> Response:
    """The dummy hold music."""
    return Response(HOLD_AUDIO, mimetype="audio/mpeg")
