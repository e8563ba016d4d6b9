"""The called party's side of a `<Dial><Number url="...">`: the whisper an agent hears before the bridge.

Twilio runs the TwiML at the noun's `url` on the agent's leg ("press any key to accept this call"); the
caller never hears it. Here a simulated agent listens, presses 1 when asked, and either accepts (the
document ends) or declines (the document hangs up or rejects). What the agent heard is kept on the
caller's transfer step, never as something the caller heard.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..webhooks import fetch, plain_text

if TYPE_CHECKING:
    from .leg import IvrLeg

MAX_WHISPER_DOCUMENTS = 5
WHISPER_DEADLINE_S = 10.0
WORDS_PER_SECOND = 2.5


@dataclass
class Whisper:
    """What the agent's leg did: the words the agent heard, whether the agent took the call, and why not."""

    words: list[str] = field(default_factory=list)
    accepted: bool = True
    pressed: list[str] = field(default_factory=list)
    problem: str = ""

    def to_data(self) -> dict[str, object]:
        """The whisper as a transfer step's data."""
        return {"whisper": " ".join(self.words), "agent_accepted": self.accepted, "agent_pressed": self.pressed,
                **({"whisper_problem": self.problem} if self.problem else {})}


def run_whisper(leg: "IvrLeg", url: str, method: str, to: str) -> Whisper:
    """Run the whisper TwiML at `url` on the agent's leg of a Dial from `leg` to `to`."""
    whisper = Whisper()
    child = {"CallSid": "CA" + uuid.uuid4().hex, "ParentCallSid": leg.sid, "AccountSid": leg.params({})["AccountSid"],
             "From": leg.to, "To": to, "Called": to, "Direction": "outbound-dial", "CallStatus": "in-progress",
             "ApiVersion": "2010-04-01"}
    current, extra = str(httpx.URL(leg.doc_url).join(url)), {}
    for _ in range(MAX_WHISPER_DOCUMENTS):
        verbs = _document(leg, current, method, {**child, **extra}, whisper)
        if verbs is None:
            return whisper
        following, method, extra = _play(verbs, whisper, leg)
        if following is None:
            return whisper
        current = str(httpx.URL(current).join(following)) if following else current
    whisper.problem = f"more than {MAX_WHISPER_DOCUMENTS} whisper documents"
    return whisper


def _document(leg: "IvrLeg", url: str, method: str, params: dict[str, str], whisper: Whisper) -> list[Element] | None:
    leg.ctx.target.check_host(url, "the IVR's whisper is at")
    try:
        answer = fetch(leg.http, method, url, form=params, check_host=lambda u, s: leg.ctx.target.check_host(
            u, f"the whisper redirected (HTTP {s}) to"), max_bytes=100_000, total_seconds=WHISPER_DEADLINE_S)
    except httpx.HTTPError as exc:
        whisper.problem = f"the whisper could not be fetched ({exc.__class__.__name__})"
        return None
    if answer.status >= 300 or answer.problem:
        whisper.problem = answer.problem or f"the whisper answered HTTP {answer.status}: {plain_text(answer.text)}"
        return None
    try:
        root = fromstring(answer.body)
    except (ParseError, DefusedXmlException, ValueError):
        whisper.problem = "the whisper is not TwiML"
        return None
    return list(root) if root.tag == "Response" else None


def _play(verbs: list[Element], whisper: Whisper, leg: "IvrLeg") -> tuple[str | None, str, dict[str, str]]:
    """Run one whisper document; returns the next document to fetch (after a Gather or Redirect), if any."""
    for verb in verbs:
        tag = verb.tag.lower()
        if tag == "say":
            words = " ".join("".join(verb.itertext()).split())
            whisper.words.append(words)
            leg.clock.advance(max(1.0, len(words.split()) / WORDS_PER_SECOND))
        elif tag == "play":
            whisper.words.append(f"(recording {(verb.text or '').strip()})")
        elif tag == "gather":
            for child in verb:
                if child.tag.lower() == "say":
                    whisper.words.append(" ".join("".join(child.itertext()).split()))
            whisper.pressed.append("1")
            return verb.get("action") or "", verb.get("method", "POST"), {"Digits": "1"}
        elif tag == "redirect" and (verb.text or "").strip():
            return verb.text.strip(), verb.get("method", "POST"), {}
        elif tag in ("hangup", "reject"):
            whisper.accepted = False
            return None, "", {}
    return None, "", {}
