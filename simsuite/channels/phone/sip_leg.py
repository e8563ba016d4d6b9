"""One phone call placed over SIP with real audio: the same leg a `Call` drives, heard instead of read.

The company's side is whatever answers the SIP address: a contact-centre platform, a PBX, or simsuite's
front for a TwiML IVR. Its audio is split into prompts by silence and each prompt is recognised against the
words the caller expects (the target's `phone_prompts`, learned from an earlier map of the same IVR); the
recognised words and their confidence are the step's text, the prompt's WAV its artifact. After a prompt,
a silence of `LISTENING_AFTER_S` means the IVR listens. Keys go out as RFC 4733 events, words as speech.
Time is real: holds are measured, and the customer's patience ends a hold that is too long.
"""

from __future__ import annotations

import socket
import time
import uuid
from typing import TYPE_CHECKING, Any

from ...errors import SiteUnreachable
from ...model import Action, Step
from ...voice.hearing import default_recogniser, sentences
from ...voice.prompts import PromptSplitter
from ...voice.caller import OutgoingCall
from ...voice.speech import synthesise, write_wav
from .leg import Listener

if TYPE_CHECKING:
    from ...core.context import ChannelContext

RING_TIMEOUT_S = 30.0        # a line that rings this long unanswered has not answered
LISTENING_AFTER_S = 2.0      # silence after a prompt that means the IVR waits for the caller
SILENT_LINE_S = 15.0         # an answered line that says nothing for this long has failed the caller
INPUT_TIMEOUT_S = 5.0        # what a caller assumes the IVR waits for input (its own timeout is not heard)
UNREACHABLE = {404, 410, 484, 604}   # the address is wrong: the line could not be reached at all


class _Audio:
    name = "sip"


def sip_address(base: str, path: str) -> str:
    """The SIP address a call to `path` dials: `path` itself if it is one; else the phone URL's, with the
    path as its user part when it names one (`/lab/ivr/voice` at `sip:127.0.0.1:5070` is
    `sip:lab/ivr/voice@127.0.0.1:5070`)."""
    if path.startswith(("sip:", "sips:")):
        return path
    scheme, _, rest = base.partition(":")
    user, at, hostport = rest.rpartition("@")
    wanted = path.strip("/")
    if not wanted:
        return base
    return f"{scheme}:{wanted}@{hostport if at else rest}"


def _host_port(address: str) -> tuple[str, int]:
    rest = address.partition(":")[2].rpartition("@")[2].split(";")[0]
    host, _, port = rest.partition(":")
    return host.lower(), int(port) if port.isdigit() else 5060


class SipLeg:
    """The company's side of one SIP call: what was heard, what listens, and the call's end."""

    dialect = _Audio()

    def __init__(self, ctx: "ChannelContext", uri: str, to: str, contact: str,
                 credentials: tuple[str, str] | None = None) -> None:
        self.ctx = ctx
        self.journal = ctx.journal
        self.clock = ctx.clock
        self.contact = contact
        self.sid = "CA" + uuid.uuid4().hex
        self.to = to
        self.doc_url = uri
        self.active = True
        self.ended_by: str | None = None
        self.bridged_to: str | None = None
        self.transcript: list[tuple[str, str]] = []
        self.heard: list[str] = []
        self.listener: Listener | None = None
        self.expected = [s for prompt in ctx.target.phone_prompts for s in sentences(prompt)]
        self.recogniser = default_recogniser()
        self._credentials = credentials
        try:
            self.call = OutgoingCall(uri, credentials=credentials)
        except (OSError, ValueError) as exc:  # no such host, or not an address at all: the run's own mistake
            why = "its host is not known" if isinstance(exc, socket.gaierror) else str(exc)
            raise SiteUnreachable(f"the SIP address {uri} could not be called ({why}). Fix: check --phone-url, "
                                  "e.g. sip:support@pbx.example.com or sip:127.0.0.1:5070") from None
        self._splitter = PromptSplitter()
        self._tick = time.monotonic()
        self._transferred: str | None = None
        self._held_since: float | None = None
        self._held_words: list[str] = []
        self._prompts = 0
        self._listen_from = 0  # prompts heard before the IVR's latest turn: listening needs one after them

    # -- the call -------------------------------------------------------------------------------
    def start(self) -> None:
        """Dial and listen until the IVR waits for the caller or the call ends."""
        state = self.call.start(RING_TIMEOUT_S)
        if state == "failed":
            status, reason = self.call.status or 0, self.call.reason
            never_answered = status in UNREACHABLE or (status == 408 and reason == "no answer")
            self.call.close()
            self.active = False
            if never_answered:
                raise SiteUnreachable(f"the SIP address {self.doc_url} could not be reached ({status} {reason}). "
                                      "Fix: check the address and that the line is up") from None
            said = f"the line rang for {RING_TIMEOUT_S:g} s and nobody answered" if status < 200 else \
                f"the line answered SIP {status} {reason}"
            self.record(Action.HTTP_ERROR, said, f"{status} {reason}")
            self.active = True
            self.end("company", said)
            return
        self._listen()

    def record(self, action: Action, detail: str, text: str = "", **fields: Any) -> Step:
        """Record a step of this call."""
        fields.setdefault("url", self.doc_url)
        return self.journal.record("phone", action, detail, text, contact=self.contact, **fields)

    def end(self, by: str, detail: str) -> None:
        """End the call: "company", "customer" or "bridged"; the caller hangs up when it is theirs."""
        if not self.active:
            return
        self.active = False
        self.ended_by = by
        self.listener = None
        self.call.hangup()  # BYE while connected (a silent line is left by the caller), else just released
        self.journal.record_end("phone", self.contact, by, detail, " ".join(self.heard[-2:]), url=self.doc_url)

    # -- what the caller's Call uses --------------------------------------------------------------
    def take_input(self, action: Action, shown: str, raw: str, kind: str, value: str) -> Step:
        """The caller pressed keys or spoke: record it, send it as audio, and listen again."""
        self.listener = None
        step = self.record(action, shown)
        self.journal.note_values_sent(raw, step)
        self.transcript.append(("customer", shown))
        self.heard.clear()
        if kind == "dtmf":
            for key in value:
                self.call.press(key)
        else:
            self.call.rtp.play(synthesise(value))
        self._listen()
        return step

    def time_out(self) -> None:
        """The caller says nothing: real silence, until the IVR speaks again or the call ends."""
        self.listener = None
        self.record(Action.NO_INPUT, f"said nothing for {INPUT_TIMEOUT_S:g} s")
        self.heard.clear()
        self._listen()

    # -- hearing ----------------------------------------------------------------------------------
    def _listen(self) -> None:
        """Hear the line until the IVR waits for input, the call ends, or the customer's patience does."""
        self._listen_from = self._prompts
        quiet_since = time.monotonic()
        while self.active:
            self._advance_clock()
            self._take_events()
            if not self.active:
                return
            for prompt in self._splitter.feed(self.call.rtp.read()):
                self._hear(prompt)
                quiet_since = time.monotonic()
            if self._held_since is not None:
                if self.clock.exhausted:
                    self._end_hold()
                    self.end("customer", "the customer gave up on hold")
                    return
            elif self._prompts > self._listen_from and not self._splitter.speaking and \
                    self._splitter.silent_for >= LISTENING_AFTER_S:
                self._listening()
                return
            elif time.monotonic() - quiet_since >= SILENT_LINE_S and not self._splitter.speaking:
                what = "no audio at all" if self.call.rtp.packets_received == 0 else "silence"
                self.record(Action.HTTP_ERROR, f"the line gave {what} for {SILENT_LINE_S:g} s", what)
                self.end("company", f"the line gave {what}")
                return
            elif self.clock.exhausted:
                self.end("customer", "the customer ran out of patience")
                return
            time.sleep(0.02)

    def _hear(self, prompt: Any) -> None:
        recognition = self.recogniser.recognise(prompt.pcm, 8000, self.expected)
        if self._held_since is not None and not recognition.text:
            return  # music on hold: the hold step measures it
        self._prompts += 1
        seconds = round(prompt.end_s - prompt.start_s, 1)
        if not recognition.text:  # no words to quote, compare or read options from: only the audio is kept
            step = self.record(Action.HEARD, f"heard {seconds:g} s of words simsuite could not recognise",
                               data={"confidence": round(recognition.confidence, 2), "seconds": seconds,
                                     "unrecognised": True})
        else:
            if self._held_since is not None:
                self._held_words.append(recognition.text)
            step = self.hear(recognition.text, detail="heard", confidence=round(recognition.confidence, 2),
                             seconds=seconds, on_hold=self._held_since is not None)
        self._keep_audio(step, prompt.pcm)

    def hear(self, text: str, detail: str = "heard", **data: Any) -> Step:
        """The IVR said `text` (as recognised): a `heard` step."""
        self.heard.append(text)
        self.transcript.append(("ivr", text))
        return self.record(Action.HEARD, detail, text, data=data)

    def _keep_audio(self, step: Step, pcm: Any) -> None:
        target = self.ctx.target
        if target.artifacts_dir is None:
            return
        target.artifacts_dir.mkdir(parents=True, exist_ok=True)
        path = target.artifacts_dir / f"step-{step.index:03d}.wav"
        write_wav(path, pcm)
        base = target.report_dir or target.artifacts_dir
        step.artifact = path.relative_to(base).as_posix()

    def _listening(self) -> None:
        prompt = " ".join(self.heard)
        self.listener = Listener(prompt=prompt, timeout=INPUT_TIMEOUT_S, inputs={"dtmf", "speech"},
                                 on_input=lambda kind, value: None, on_timeout=lambda: None)
        self.record(Action.GATHER, f"listening, as its silence says (after {LISTENING_AFTER_S:g} s)", prompt)

    def _take_events(self) -> None:
        while not self.call.events.empty():
            event = self.call.events.get_nowait()
            if event.kind == "transfer":
                self._transferred = event.detail
                self.record(Action.TRANSFER, f"transferred to {event.detail}",
                            data={"target": event.detail, "noun": "Sip"})
                if self._follow(event.detail):
                    return
            elif event.kind == "hold":
                self._held_since, self._held_words = time.monotonic(), []
                self.record(Action.QUEUE, "put on hold", data={"queue": "hold"})
            elif event.kind == "resume":
                if self._held_since is not None:  # the last of the music belongs to the hold
                    for prompt in [*self._splitter.feed(self.call.rtp.read()), *self._splitter.flush()]:
                        self._hear(prompt)
                    self._listen_from = self._prompts  # whoever answers after the hold speaks before listening
                self._end_hold()
            elif event.kind == "bye":
                self._end_hold()
                if self._transferred:
                    self.bridged_to = self._transferred
                    self.end("bridged", f"connected to {self._transferred}, outside the simulation")
                else:
                    self.end("company", "the company hung up")

    def _follow(self, target: str) -> bool:
        """Take a transfer as a phone does (a new call to the Refer-To address, then the old one let go) when
        the address is on the line's own host and port; a transfer anywhere else reaches a person outside
        the simulation, as the webhook leg's does, and is never called. True if the call moved."""
        if _host_port(target) != _host_port(self.doc_url):
            return False
        try:
            moved = OutgoingCall(target, credentials=self._credentials)
        except (OSError, ValueError):
            return False
        if moved.start(RING_TIMEOUT_S) == "failed":
            moved.close()
            return False
        self.call.hangup()
        self.call, self.doc_url, self._transferred = moved, target, None
        self._splitter = PromptSplitter()
        self._listen_from = self._prompts
        self.heard.clear()
        return True

    def _end_hold(self) -> None:
        if self._held_since is None:
            return
        minutes = round((time.monotonic() - self._held_since) / 60.0, 2)
        words = " ".join(dict.fromkeys(self._held_words))
        self._held_since = None
        self.heard.clear()  # who answers after the hold starts a new conversation
        self.record(Action.HOLD, f"held {minutes:g} min", words or f"{minutes:g} minutes of music, nothing said",
                    data={"minutes": minutes, "explained": self.ctx.phrases.is_explained_wait(words)})

    def _advance_clock(self) -> None:
        now = time.monotonic()
        self.clock.advance(now - self._tick)
        self._tick = now
