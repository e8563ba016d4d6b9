"""A SIP front for a TwiML IVR: a call to `sip:lab@front` runs the IVR's webhooks and speaks them as audio.

This is what makes the demo companies answer the phone: each call fetches the TwiML as Twilio would
(POST with CallSid, From, To, Digits ...) and renders it: `<Say>` is synthesised, `<Gather>` listens for
keys (RFC 4733 or INFO) and, with `input="speech"`, the caller's words (`listening.py`: heard against its
`hints` and the front's `vocabulary`, else transcribed), either interrupting its prompt, `<Pause>` is silence, `<Play>` a quiet tone,
`<Redirect>` fetches, `<Hangup>` ends the call, `<Dial>` is a REFER to the number, and `<Enqueue>` holds the
caller (a re-INVITE to sendonly) while its wait URL plays, reporting `QueueTime` sped up by `hold_speed`
so a 35-minute demo hold passes in seconds. Every call is bounded in documents and in time.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Callable, Sequence
from urllib.parse import urljoin
from xml.etree.ElementTree import Element

import httpx
import numpy as np
from defusedxml.ElementTree import fromstring

from .hearing import Recogniser, default_recogniser
from .listening import MAX_UTTERANCE_S, CallerEar, understand
from .server import IncomingCall, SipServer
from .speech import silence, synthesise

MAX_DOCUMENTS = 100
TONE = (np.sin(np.arange(8000) * 2 * np.pi * 330 / 8000) * 1500).astype(np.int16)  # a quiet stand-in for music


class TwimlFront:
    """Answers SIP calls for the TwiML IVRs under `base_url`: the user part of the address called names
    the voice URL (`routes[user]`, else `/<user>`; `lab/ivr/voice` is `/lab/ivr/voice`)."""

    def __init__(self, base_url: str, *, routes: dict[str, str] | None = None, host: str = "127.0.0.1",
                 port: int = 0, hold_speed: float = 60.0, max_call_s: float = 600.0,
                 speak: Callable[[str], np.ndarray] = synthesise, vocabulary: Sequence[str] = (),
                 recogniser: Recogniser | None = None) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.routes = routes or {}
        self.hold_speed = hold_speed
        self.speak = speak
        self.vocabulary = list(vocabulary)  # what the company's speech recogniser is adapted to (its customers' records)
        self.recogniser = recogniser
        self.fetched: list[tuple[str, str, str]] = []  # (call id, URL, the keys sent) of every document, in order
        self.server = SipServer(self._answer, host=host, port=port, screen=self._screen, max_call_s=max_call_s)

    @property
    def port(self) -> int:
        return self.server.port

    def address(self, user: str) -> str:
        """The SIP address that reaches the IVR `user` names."""
        return f"sip:{user}@{self.server.host}:{self.server.port}"

    def start(self) -> "TwimlFront":
        self.server.start()
        return self

    def close(self) -> None:
        self.server.close()

    def __enter__(self) -> "TwimlFront":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _screen(self, user: str) -> int | None:
        return None if user and (user in self.routes or "/" in user or user.isidentifier()) else 404

    def _answer(self, call: IncomingCall) -> None:
        path = self.routes.get(call.user) or "/" + call.user.lstrip("/")
        with httpx.Client(timeout=10.0) as http:
            _Session(self, call, http).run(urljoin(self.base_url, path.lstrip("/")))


class _Session:
    """One call through the front: the current document's verbs, the keys pressed, the call's end."""

    def __init__(self, front: TwimlFront, call: IncomingCall, http: httpx.Client) -> None:
        self.front, self.call, self.http = front, call, http
        self.keys: queue.Queue[str] = queue.Queue()
        self.pressed = threading.Event()
        self.documents = 0
        self.url = ""
        call.rtp.on_key = self._key
        self.params = {"CallSid": "CA" + call.call_id.replace("@", "").replace(".", "")[:32], "From": "sip:caller",
                       "To": call.user, "CallStatus": "in-progress", "Direction": "inbound",
                       "AccountSid": "AC" + "0" * 32}

    def _key(self, key: str) -> None:
        self.keys.put(key)
        self.pressed.set()

    @property
    def live(self) -> bool:
        return not self.call.ended.is_set()

    def run(self, url: str) -> None:
        verbs = self._fetch(url, {})
        while verbs is not None and self.live:
            verbs = self._run(verbs)
        if self.live:
            self.call.hangup()

    def _fetch(self, url: str, extra: dict[str, str], method: str = "POST") -> list[Element] | None:
        self.documents += 1
        if self.documents > MAX_DOCUMENTS:
            return None
        self.url = urljoin(self.url or url, url)
        self.front.fetched.append((self.call.call_id, self.url, extra.get("Digits", "")))
        data = {**self.params, **extra}
        try:
            answer = self.http.request(method.upper(), self.url, data=data) if method.upper() == "POST" else \
                self.http.get(self.url, params=data)
            root = fromstring(answer.content[:1_000_000])
        except Exception:  # an IVR that fails is a call that ends, as Twilio's "an application error" does
            self._say("We are sorry, an application error has occurred. Goodbye.")
            return None
        return list(root) if root.tag == "Response" else None

    def _run(self, verbs: list[Element]) -> list[Element] | None:
        """Run verbs until one moves the call to another document (returned) or the call ends (None)."""
        for verb in verbs:
            if not self.live:
                return None
            tag = verb.tag
            if tag == "Say":
                self._say(" ".join("".join(verb.itertext()).split()))
            elif tag == "Play":
                self._play_music(min(int(verb.get("loop") or 1) or 1, 3))
            elif tag == "Pause":
                self._silence(float(verb.get("length") or 1))
            elif tag == "Gather":
                moved = self._gather(verb)
                if moved is not None:
                    return moved
            elif tag == "Redirect":
                return self._fetch((verb.text or "").strip(), {}, verb.get("method", "POST"))
            elif tag == "Hangup" or tag == "Reject":
                return None
            elif tag == "Dial":
                number = " ".join("".join(verb.itertext()).split()) or "operator"
                self.call.refer(f"sip:{number.replace(' ', '')}@{self.front.server.host}:{self.front.port}")
                self._silence(1.0)
                return None
            elif tag == "Enqueue":
                return self._hold(verb)
        return None

    def _say(self, text: str, interrupt: threading.Event | None = None) -> bool:
        if not text:
            return True
        played = self.call.rtp.play(self.front.speak(text), stop=interrupt)
        return played and self._silence(0.5, interrupt)

    def _silence(self, seconds: float, interrupt: threading.Event | None = None) -> bool:
        return self.call.rtp.play(silence(seconds), stop=interrupt)

    def _play_music(self, loops: int, interrupt: threading.Event | None = None) -> None:
        for _ in range(loops):
            if not self.call.rtp.play(TONE, stop=interrupt) or not self._silence(0.5, interrupt):
                return

    def _gather(self, gather: Element) -> list[Element] | None:
        """Play what the Gather holds (a key, or speech when it takes speech, interrupts it), then take keys or
        words as Twilio does."""
        while not self.keys.empty():  # keys pressed before the Gather listened are not its input
            self.keys.get_nowait()
        self.pressed.clear()
        if "speech" not in (gather.get("input") or "dtmf"):
            return self._gathered(gather, self._prompt_and_keys(gather, None))
        end_silence = min(max(_seconds(gather.get("speechTimeout"), 1.0), 0.5), 10.0)  # "auto": 1 s
        with CallerEar(self.call.rtp, end_silence, on_speech=self.pressed.set) as ear:
            digits = self._prompt_and_keys(gather, ear)
            if digits or not ear.speaking.is_set():
                return self._gathered(gather, digits)
            utterance = None
            deadline = time.monotonic() + MAX_UTTERANCE_S + end_silence + 1.0
            while utterance is None and self.live and time.monotonic() < deadline:
                try:
                    utterance = ear.utterances.get(timeout=0.1)
                except queue.Empty:
                    pass
        if utterance is None:
            return None
        hints = [h.strip() for h in (gather.get("hints") or "").split(",") if h.strip()]
        said, confidence = understand(utterance.pcm, hints + self.front.vocabulary,
                                      self.front.recogniser or default_recogniser())
        if not said:
            return None
        return self._fetch(gather.get("action") or self.url, {"SpeechResult": said, "Confidence": f"{confidence:.2f}"},
                           gather.get("method", "POST"))

    def _prompt_and_keys(self, gather: Element, ear: CallerEar | None) -> str:
        """Play the Gather's prompts, then wait for keys until its timeout; the keys pressed ('' if none, or
        if the caller started speaking instead)."""
        interrupt = self.pressed
        for verb in gather:
            if interrupt.is_set() or not self.live:
                break
            if verb.tag == "Say":
                self._say(" ".join("".join(verb.itertext()).split()), interrupt)
            elif verb.tag == "Pause":
                self._silence(float(verb.get("length") or 1), interrupt)
            elif verb.tag == "Play":
                self._play_music(1, interrupt)
        timeout = min(_seconds(gather.get("timeout"), 5.0), 60.0)
        finish, wanted = gather.get("finishOnKey", "#"), int(gather.get("numDigits") or 0)
        digits = ""
        waited_until = time.monotonic() + timeout
        while self.live and not (ear is not None and ear.speaking.is_set() and not digits):
            try:
                key = self.keys.get(timeout=0.05)
            except queue.Empty:
                if time.monotonic() >= waited_until:
                    break
                continue
            waited_until = time.monotonic() + timeout
            if finish and key == finish:
                break
            digits += key
            if wanted and len(digits) >= wanted:
                break
        return digits

    def _gathered(self, gather: Element, digits: str) -> list[Element] | None:
        if not digits:
            return None  # no input: the verbs after the Gather run
        return self._fetch(gather.get("action") or self.url, {"Digits": digits}, gather.get("method", "POST"))

    def _hold(self, enqueue: Element) -> list[Element] | None:
        """Hold the caller while the wait URL plays, until it redirects, or the call ends."""
        wait_url = enqueue.get("waitUrl")
        self.call.hold(True)
        held, started = True, time.monotonic()
        try:
            while self.live and wait_url:
                waited = int((time.monotonic() - started) * self.front.hold_speed)
                verbs = self._fetch(wait_url, {"QueueTime": str(waited), "QueuePosition": "1"},
                                    enqueue.get("waitUrlMethod", "POST"))
                if verbs is None:
                    return None
                moved = next((v for v in verbs if v.tag in ("Redirect", "Leave", "Hangup")), None)
                for verb in verbs:
                    if verb is moved or not self.live:
                        break
                    if verb.tag == "Say":
                        self._say(" ".join("".join(verb.itertext()).split()))
                    elif verb.tag == "Play":
                        self._play_music(min(int(verb.get("loop") or 1) or 1, 3))
                if moved is not None:
                    self.call.hold(False)
                    held = False
                    self._silence(1.0)  # the line clicks over to the agent: music and words do not run together
                    if moved.tag == "Redirect":
                        return self._fetch((moved.text or "").strip(), {}, moved.get("method", "POST"))
                    return None
            return None
        finally:
            if held and self.live:
                self.call.hold(False)


def _seconds(value: str | None, default: float) -> float:
    """A TwiML duration attribute in seconds ("auto", missing or not a number: `default`)."""
    try:
        return float(value) if value else default
    except ValueError:
        return default
