"""The TwiML dialect of the phone channel: runs `<Response>` documents verb by verb, as Twilio does.

Say, Play, Pause, Gather (default action: the current document; POST; 5 s timeout; `#`; a timeout
falls through to the next verb), Redirect, Dial, Enqueue (with waitUrl), Leave, Hangup, Reject, Record.
Speech, music, pauses and holds advance the simulated clock; nothing sleeps.

`<Dial>`: a noun's `url` is a whisper run on the agent's leg (the caller never hears it); a number the
target answers with its own voice webhook (`Target.dialled`, how the demo companies pass a caller to
another department) continues the call in that IVR; anyone else is a person outside the simulation, and
the phone leg ends there. A `<Play>` is heard as "(recording URL)": simsuite cannot hear its words.
Simulator convention: in a queue, a `<Redirect>` in the wait document means an agent answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable
from xml.etree.ElementTree import Element

import httpx

from ...model import Action
from .leg import WORDS_PER_SECOND, Listener, only_recordings, recording
from .whisper import run_whisper

if TYPE_CHECKING:
    from .leg import IvrLeg

PLAY_SECONDS = 30.0
MAX_LOOP = 10
MAX_QUEUE_FETCHES = 300


class TwimlDialect:
    """Runs the TwiML documents of one call leg."""

    name = "twiml"

    @staticmethod
    def accepts(root: Element) -> bool:
        """Whether a document is TwiML: a `<Response>` root."""
        return root.tag == "Response"

    def __init__(self, leg: "IvrLeg") -> None:
        self.leg = leg
        self.clock = leg.clock
        self.verbs: list[Element] = []
        self.music: list[str] = []  # what a queue played while the caller held
        self._first_verb = False

    def load(self, root: Element, url: str, fragment: str, first: bool) -> bool:
        """Make this document's verbs the ones to run next."""
        self.verbs = list(root)
        self._first_verb = first
        return True

    def run(self) -> None:
        """Run the next verb; a document with no verbs left ends the call."""
        leg = self.leg
        if not self.verbs:
            leg.end("company", "the IVR document ended, so the call ended")
            return
        verb = self.verbs.pop(0)
        first, self._first_verb = self._first_verb, False
        handler: Callable[[Element, bool], None] | None = getattr(self, f"_verb_{verb.tag.lower()}", None)
        if handler is None:
            leg.record(Action.NOTE, f"ignored unknown verb <{verb.tag}>")
        else:
            handler(verb, first)
        if self.clock.exhausted and leg.active:
            leg.end("customer", "the customer ran out of patience")

    # -- verbs -----------------------------------------------------------------------------------
    def _speak(self, verb: Element, **data) -> str:
        text = " ".join("".join(verb.itertext()).split())
        loops = _loops(verb.get("loop"))
        return self.leg.hear(text, loops * max(1.0, len(text.split()) / WORDS_PER_SECOND), **data)

    def _play(self, verb: Element, **data) -> str:
        """A recording: the caller hears it but simsuite cannot read it, so its words are its address."""
        loops, url = _loops(verb.get("loop")), (verb.text or "").strip()
        return self.leg.hear(recording(url), loops * PLAY_SECONDS, f"Play x{loops}: {url}", audio=True, **data)

    def _verb_say(self, verb: Element, first: bool) -> None:
        self._speak(verb)

    def _verb_play(self, verb: Element, first: bool) -> None:
        self._play(verb)

    def _verb_pause(self, verb: Element, first: bool) -> None:
        length = _number(verb.get("length"), 1.0, 0, 600)
        self.clock.advance(length)
        self.leg.record(Action.PAUSE, f"Pause {length:g} s")

    def _verb_gather(self, verb: Element, first: bool) -> None:
        leg = self.leg
        prompt = []
        for child in verb:
            tag = child.tag.lower()
            if tag == "say":
                prompt.append(self._speak(child, prompt=True))
            elif tag == "play":
                prompt.append(self._play(child, prompt=True))
            elif tag == "pause":
                self._verb_pause(child, False)
        digits = verb.get("numDigits")
        action, method = verb.get("action") or leg.doc_url, verb.get("method", "POST")

        def posted(kind: str, value: str) -> None:
            field = "Digits" if kind == "dtmf" else "SpeechResult"
            leg.fetch(action, method, {field: value, **({"Confidence": "0.9"} if kind == "speech" else {})})

        words = " ".join(p for p in prompt if p) or " ".join(leg.heard)
        audio = only_recordings(words)
        leg.listen(Listener(
            prompt=words,
            timeout=_number(verb.get("timeout"), 5.0, 1, 600),
            inputs=set((verb.get("input") or "dtmf").lower().split()),
            on_input=posted,
            on_timeout=lambda: None,  # falls through to the next verb
            finish_on_key=verb.get("finishOnKey", "#"),
            num_digits=int(digits) if digits and digits.isdigit() else None,
            audio=audio,
        ), **({"audio": True} if audio else {}))

    def _verb_redirect(self, verb: Element, first: bool) -> None:
        target = (verb.text or "").strip()
        if not target:
            self.leg.record(Action.NOTE, "Redirect without a URL ignored")
            return
        self.leg.record(Action.REDIRECT, f"Redirect to {target}")
        self.leg.fetch(target, verb.get("method", "POST"), {})

    def _verb_hangup(self, verb: Element, first: bool) -> None:
        self.leg.end("company", "the IVR hung up")

    def _verb_reject(self, verb: Element, first: bool) -> None:
        reason = verb.get("reason", "rejected")
        detail = f"the call was never answered (Reject: {reason})" if first else f"the IVR rejected the call ({reason})"
        self.leg.end("company", detail)

    def _verb_leave(self, verb: Element, first: bool) -> None:
        self.leg.record(Action.NOTE, "Leave outside a queue ignored")

    def _verb_record(self, verb: Element, first: bool) -> None:
        leg = self.leg
        max_length = _number(verb.get("maxLength"), 3600, 1, 14400)
        spoken = min(max_length, 30.0)
        self.clock.advance(spoken)
        leg.record(Action.RECORD, f"left a {spoken:g} s message (Record)")
        leg.fetch(verb.get("action") or leg.doc_url, verb.get("method", "POST"),
                  {"RecordingUrl": f"https://recordings.invalid/{leg.sid}", "RecordingDuration": f"{spoken:g}",
                   "Digits": "hangup"})

    def _verb_dial(self, verb: Element, first: bool) -> None:
        """A transfer. A noun's `url` is the whisper on the agent's leg; a number the target answers itself
        (`target.dialled`) continues the call in that IVR; anyone else is a person outside the simulation."""
        leg = self.leg
        nouns = [c for c in verb if c.tag in ("Number", "Client", "Sip", "Queue", "Conference", "Application")]
        noun = nouns[0] if nouns else None
        target = " ".join(((noun.text if noun is not None else verb.text) or "").split()) or "(nobody)"
        kind = noun.tag if noun is not None else "Number"
        whisper = run_whisper(leg, noun.get("url"), noun.get("method", "POST"), target) \
            if noun is not None and noun.get("url") else None
        leg.record(Action.TRANSFER, f"Dial {kind} {target}",
                   data={"target": target, "noun": kind, **(whisper.to_data() if whisper else {})})
        action = verb.get("action")
        if whisper is not None and not whisper.accepted:
            if action:
                leg.fetch(action, verb.get("method", "POST"), {"DialCallStatus": "no-answer"})
            return  # no action: the call goes on with the next verb, as Twilio's does
        answering = leg.ctx.target.dialled.get(target) if kind == "Number" else None
        if answering:
            leg.fetch(answering, leg.ctx.target.phone_method, {"To": target, "Called": target})
            return
        leg.bridged_to = target
        leg.end("bridged", f"connected to {kind} {target}, outside the simulation")

    def _verb_enqueue(self, verb: Element, first: bool) -> None:
        leg, clock = self.leg, self.clock
        name = " ".join((verb.text or "").split()) or "queue"
        leg.record(Action.QUEUE, f"Enqueue into {name}", data={"queue": name})
        start = clock.now
        wait_url = verb.get("waitUrl")
        rest, doc_url = self.verbs, leg.doc_url
        if not wait_url:  # Twilio's default hold music until an agent dequeues: none will, so until patience ends
            clock.advance(clock.limit - start)
        announced: list[str] = []
        self.music: list[str] = []
        outcome = "patience"
        for _ in range(MAX_QUEUE_FETCHES if wait_url else 0):
            if clock.exhausted:
                break
            queue_time = int(clock.now - start)
            leg.reset_input_bound()
            if not leg.fetch(wait_url, verb.get("waitUrlMethod", "POST"),
                             {"QueueTime": str(queue_time), "QueuePosition": "1", "QueueSid": "QU" + "0" * 32,
                              "AvgQueueTime": str(queue_time), "CurrentQueueSize": "1"}):
                return
            outcome = self._play_wait_document(announced)
            if outcome != "continue":
                break
        minutes = round((clock.now - start) / 60.0, 1)
        explained = leg.ctx.phrases.is_explained_wait(" ".join(announced))
        music = f" ({', '.join(leg.relative(m) for m in dict.fromkeys(self.music))})" if self.music else ""
        evidence = " ".join(announced) or f"{minutes:g} minutes of hold music{music}, nothing said"
        leg.record(Action.HOLD, f"held {minutes:g} min in {name}", evidence,
                   data={"minutes": minutes, "explained": explained})
        if outcome == "leave":
            action = verb.get("action")
            if action:
                leg.fetch(action, verb.get("method", "POST"), {"QueueResult": "leave"})
            else:
                self.verbs, leg.doc_url = rest, doc_url
        elif outcome not in ("redirect", "hangup") and leg.active:
            leg.end("customer", "the customer gave up on hold")

    def _play_wait_document(self, announced: list[str]) -> str:
        """Play one wait document; 'continue', 'redirect', 'leave' or 'hangup' (or 'ended')."""
        leg, clock = self.leg, self.clock
        before = clock.now
        verbs, self.verbs = self.verbs, []
        for verb in verbs:
            tag = verb.tag.lower()
            if tag == "say":
                text = " ".join("".join(verb.itertext()).split())
                clock.advance(_loops(verb.get("loop")) * max(1.0, len(text.split()) / WORDS_PER_SECOND))
                if text and text not in announced:
                    announced.append(text)
                    leg.transcript.append(("ivr", text))
                    leg.record(Action.HEARD, "Say (on hold)", text, data={"on_hold": True})
            elif tag == "play":
                clock.advance(_loops(verb.get("loop")) * PLAY_SECONDS)
                self.music.append(str(httpx.URL(leg.doc_url).join((verb.text or "").strip())))
            elif tag == "pause":
                clock.advance(_number(verb.get("length"), 1.0, 0, 600))
            elif tag == "redirect" and (verb.text or "").strip():
                self.verbs = []
                return "redirect" if leg.fetch(verb.text.strip(), verb.get("method", "POST"), {}) else "ended"
            elif tag == "leave":
                return "leave"
            elif tag == "hangup":
                leg.end("company", "the IVR hung up while the customer was on hold")
                return "hangup"
        if clock.now == before:
            clock.advance(PLAY_SECONDS)
        return "continue"


def _loops(value: str | None) -> int:
    n = int(_number(value, 1, 0, MAX_LOOP))
    return MAX_LOOP if n == 0 else n


def _number(value: str | None, default: float, low: float, high: float) -> float:
    try:
        n = float(value) if value not in (None, "") else default
    except ValueError:
        n = default
    return min(high, max(low, n))
