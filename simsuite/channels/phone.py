"""The phone channel: calls an IVR over HTTP, the way Twilio (TwiML) or a VoiceXML 2.1 browser does.

The dialect is chosen by each document the IVR answers with: a `<Response>` root is TwiML, run here;
a `<vxml>` root is VoiceXML, run by `simsuite.channels.voicexml`. Both share the `Call` API, the pending
input (`Listener`) and the recorded steps. Everything heard and pressed is a step. Speech, music, pauses
and holds advance the simulated clock; nothing sleeps. Redirect chains, queue waits and documents per
call are bounded.

Simulator conventions beyond Twilio's documentation: a `<Number>`, `<Client>` or `<Sip>` with a `url`
attribute inside `<Dial>` is followed as the TwiML of the party who answers (a simulated agent); without
one, the call is bridged to a person outside the simulation and the phone leg ends there. In a queue,
a `<Redirect>` in the wait document means an agent answered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..errors import HostNotAllowed, ScriptError, SiteUnreachable
from ..model import FrictionKind
from . import register_channel
from .menus import best_option, parse_menu

if TYPE_CHECKING:
    from ..customer import Customer
    from .voicexml import VoiceXmlInterpreter

WORDS_PER_SECOND = 2.5
PLAY_SECONDS = 30.0
MAX_LOOP = 10
MAX_FETCHES_WITHOUT_INPUT = 25
MAX_DOCUMENTS_PER_CALL = 200
MAX_QUEUE_FETCHES = 300
MAX_BODY_BYTES = 1_000_000
DTMF = set("0123456789*#w")


@dataclass
class Listener:
    """What the IVR is listening for now: a TwiML `<Gather>`, or a VoiceXML `<field>` or `<menu>`.

    `on_input(kind, value)` runs when the caller gives input of an accepted kind ("dtmf" digits with
    `finish_on_key` and `num_digits` applied, or "speech"); `on_timeout()` when the caller stays silent
    or gives input of a kind not listened for. Either may fetch documents or queue more to run.
    """

    prompt: str
    timeout: float
    inputs: set[str]
    on_input: Callable[[str, str], None]
    on_timeout: Callable[[], None]
    finish_on_key: str = "#"
    num_digits: int | None = None


class Call:
    """One phone call to an IVR. Created by `PhoneChannel.call`; drive it with press, say, wait, choose."""

    def __init__(self, channel: "PhoneChannel", url: str, to: str) -> None:
        self.channel = channel
        self.customer = channel.customer
        self.contact = self.customer.new_contact("call")
        self.sid = "CA" + uuid.uuid4().hex  # unique per call, as Twilio's are
        self.to = to
        self.active = True
        self.ended_by: str | None = None
        self.bridged_to: str | None = None
        self.transcript: list[tuple[str, str]] = []
        self._heard: list[str] = []
        self._verbs: list[Element] = []
        self._doc_url = url
        self._gather: Listener | None = None
        self._documents = 0
        self._fetches_without_input = 0
        self._first_verb = False
        self.dialect = "twiml"
        self._vxml: "VoiceXmlInterpreter | None" = None

    # -- what the caller perceives ---------------------------------------------------------
    @property
    def heard(self) -> str:
        """Everything the IVR said since the customer last acted."""
        return " ".join(self._heard)

    @property
    def prompt(self) -> str:
        """The prompt of the Gather (or VoiceXML field or menu) now listening, or '' if nothing listens."""
        return self._gather.prompt if self._gather else ""

    @property
    def listening(self) -> bool:
        """Whether the IVR is waiting for the customer's input."""
        return self.active and self._gather is not None

    @property
    def menu(self) -> dict[str, str]:
        """The options announced since the customer last acted, key -> description."""
        return parse_menu(self.heard) if self.listening else {}

    @property
    def asked_for(self) -> list[str]:
        """Facts the IVR asked for since the customer last acted."""
        if not self.listening:
            return []
        return [fact for fact, _ in self.customer.phrases.fact_asks_in(self.heard)]

    def heard_any(self, *phrases: str, whole_call: bool = True) -> str | None:
        """The first sentence heard (in this call, or since the last input) holding one of the phrases."""
        from ..phrases import first_sentence_with

        text = " ".join(t for who, t in self.transcript if who == "ivr") if whole_call else self.heard
        return first_sentence_with(text, phrases)

    # -- what the caller does ----------------------------------------------------------------
    def press(self, digits: str) -> "Call":
        """Press keys on the keypad (DTMF). Characters a keypad lacks are dropped."""
        keys = "".join(c for c in str(digits) if c in DTMF)
        self._input("pressed", keys, str(digits), "Digits", keys, "dtmf")
        return self

    def say(self, words: str) -> "Call":
        """Speak to the IVR (SpeechResult)."""
        self._input("said", words, words, "SpeechResult", words, "speech")
        return self

    def wait(self) -> "Call":
        """Say nothing until the IVR times out (TwiML: the next verb; VoiceXML: a noinput event)."""
        if not self.listening:
            raise ScriptError("wait() on a call that is not listening; check call.active first")
        g = self._gather
        self._gather = None
        self.customer.clock.advance(g.timeout)
        self._record("no_input", f"said nothing for {g.timeout:g} s")
        self._heard.clear()
        g.on_timeout()
        self._run()
        return self

    def answer(self, fact: str) -> "Call":
        """Give a fact the IVR asked for, or stay silent if the customer does not know it."""
        if not self.customer.knows(fact):
            return self.wait()
        value = self.customer.fact(fact)
        g = self._gather
        if g and "dtmf" in g.inputs and any(c.isdigit() for c in value) and not any(c.isalpha() for c in value):
            return self.press(value + (g.finish_on_key if g.finish_on_key and g.num_digits is None else ""))
        return self.say(value)

    def choose(self, *wants: str, fallback: tuple[str, ...] = ()) -> str | None:
        """Press the announced option that fits what the customer wants.

        If none fits, that is a missing option (the prompt is the evidence); then the customer tries
        `fallback` descriptions. Returns the key pressed, or None.
        """
        menu = self.menu
        key = best_option(menu, wants)
        if key is None and menu:
            missing = self.customer.friction(
                FrictionKind.MISSING_OPTION, self.prompt or self.heard,
                detail=f"no option for: {', '.join(wants)}; offered: {'; '.join(menu.values())}",
                step=self.customer.last_step(self.contact, "gather"))
            missing.source = "menu"
            key = best_option(menu, fallback)
        if key is not None:
            self.press(key)
        return key

    def hangup(self) -> None:
        """The customer hangs up."""
        if self.active:
            self._end("customer", "the customer hung up")

    def navigate(self, wants: tuple[str, ...], *, fallback: tuple[str, ...] = (), explain: str = "",
                 until: tuple[str, ...] = (), max_turns: int = 15) -> str | None:
        """Act like a caller with a goal until one of `until` is heard, the call ends, or turns run out.

        Each turn: give an asked-for fact (silence if unknown), else choose a menu option, else say
        `explain`, else wait. Returns the sentence that matched `until`, or None.
        """
        for _ in range(max_turns):
            done = self.heard_any(*until) if until else None
            if done or not self.listening:
                return done
            facts = self.asked_for
            if facts:
                self.answer(facts[0])
            elif self.menu:
                if self.choose(*wants, fallback=fallback) is None:
                    self.say(explain) if explain else self.wait()
            elif explain and "speech" in self._gather.inputs:
                self.say(explain)
            else:
                self.wait()
        return self.heard_any(*until) if until else None

    # -- interpreter ---------------------------------------------------------------------------
    def start(self) -> "Call":
        """Place the call: request the entry document and run it until it listens or the call ends."""
        self._record("call", f"called {self.to}", url=self._doc_url)
        self.fetch(self._doc_url, "POST", {}, first=True)
        self._run()
        return self

    def listen(self, listener: Listener, **data: Any) -> None:
        """Start listening for the caller's input (a `gather` step with the prompt as its text)."""
        self._gather = listener
        self._record("gather", f"listening for {' or '.join(sorted(listener.inputs))} "
                     f"(timeout {listener.timeout:g} s)", listener.prompt, data=data)

    def hear(self, text: str, seconds: float | None = None, **data: Any) -> str:
        """The IVR speaks `text` (a `heard` step); speech takes its time on the simulated clock."""
        text = " ".join(text.split())
        if seconds is None:
            seconds = max(1.0, len(text.split()) / WORDS_PER_SECOND)
        self.customer.clock.advance(seconds)
        if text:
            self._heard.append(text)
            self.transcript.append(("ivr", text))
            self._record("heard", "Say", text, data=data)
        return text

    def _input(self, action: str, shown: str, raw: str, field: str, value: str, kind: str) -> None:
        if not self.listening:
            raise ScriptError(f"{action} {shown!r} on a call that is not listening; check call.listening first")
        g = self._gather
        self._gather = None
        if kind == "dtmf":
            self.customer.clock.advance(0.4 * len(value))
            if g.finish_on_key and g.finish_on_key in value:
                value = value.split(g.finish_on_key)[0]
            if g.num_digits:
                value = value[:g.num_digits]
        else:
            self.customer.clock.advance(len(value.split()) / WORDS_PER_SECOND)
        step, _ = self._record(action, shown)
        self.customer.note_values_sent(raw, step)
        self.transcript.append(("customer", shown))
        self._heard.clear()
        self._fetches_without_input = 0
        if kind not in g.inputs or not value:
            self.customer.clock.advance(g.timeout)
            self._record("no_input", f"the IVR did not take {kind} input")
            g.on_timeout()
        else:
            g.on_input(kind, value)
        self._run()

    def _params(self, extra: dict[str, str]) -> dict[str, str]:
        return {
            "CallSid": self.sid,
            "AccountSid": "AC" + "0" * 32,
            "From": self.customer.persona.records.get("phone", "+15550000000"),
            "To": self.to,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "ApiVersion": "2010-04-01",
            **extra,
        }

    def fetch(self, url: str, method: str, extra: dict[str, str], *, first: bool = False,
              twilio: bool = True) -> bool:
        """Request an IVR document and make it the one to run next. False if the call ended instead.

        `url` is relative to the current document; its #fragment names the VoiceXML dialog to start at.
        `twilio=False` sends only `extra` (a VoiceXML fetch), not Twilio's call parameters.
        """
        absolute, fragment = urldefrag(urljoin(self._doc_url, url))
        self.channel.check_host(absolute)
        shown = self.customer.target.relative(absolute)
        self._documents += 1
        self._fetches_without_input += 1
        if self._documents > MAX_DOCUMENTS_PER_CALL or self._fetches_without_input > MAX_FETCHES_WITHOUT_INPUT:
            limit = MAX_FETCHES_WITHOUT_INPUT if self._fetches_without_input > MAX_FETCHES_WITHOUT_INPUT \
                else MAX_DOCUMENTS_PER_CALL
            step, _ = self._record("bounded", f"stopped after {limit} documents without input", url=absolute)
            self.customer.friction(FrictionKind.LOOP, f"redirected to {shown} again and again",
                                   detail=f"the IVR kept redirecting; simulator bound of {limit} reached",
                                   step=step)
            self._end("company", "the IVR redirected without end")
            return False
        params = self._params(extra) if twilio else dict(extra)
        method = (method or "POST").upper()
        try:
            if method == "GET":
                response = self.channel.http.get(httpx.URL(absolute).copy_merge_params(params))
            else:
                response = self.channel.http.post(absolute, data=params)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise SiteUnreachable(f"the IVR at {absolute} could not be reached ({exc.__class__.__name__}). "
                                  "Fix: check --phone-url and that the IVR is running") from None
        except httpx.HTTPError as exc:
            self._record("http_error", f"{exc.__class__.__name__} from {shown}", str(exc)[:200], url=absolute)
            self._end("company", f"the IVR did not answer ({exc.__class__.__name__})")
            return False
        self._doc_url = absolute
        if response.status_code >= 400 or len(response.content) > MAX_BODY_BYTES:
            status = response.status_code
            self._record("http_error", f"HTTP {status} from {shown}", response.text[:200], status=status,
                         url=absolute)
            self._end("company", f"the IVR answered HTTP {status}")
            return False
        try:
            root = fromstring(response.content)
        except (ParseError, DefusedXmlException, ValueError) as exc:
            self._record("bad_document", f"not TwiML or VoiceXML from {shown}: {exc.__class__.__name__}",
                         response.text[:200], status=response.status_code, url=absolute)
            self._end("company", "the IVR answered with a document that is neither TwiML nor VoiceXML")
            return False
        from .voicexml import VoiceXmlInterpreter, is_voicexml

        if root.tag == "Response":
            self.dialect = "twiml"
            self._verbs = list(root)
            self._first_verb = first
            return True
        if is_voicexml(root):
            self.dialect = "voicexml"
            self._verbs = []
            if self._vxml is None:
                self._vxml = VoiceXmlInterpreter(self)
            return self._vxml.load(root, absolute, fragment)
        self._record("bad_document", f"root <{root.tag}> is not <Response> (TwiML) or <vxml> (VoiceXML) "
                     f"at {shown}", response.text[:200], status=response.status_code, url=absolute)
        self._end("company", "the IVR answered with a document that is neither TwiML nor VoiceXML")
        return False

    def _run(self) -> None:
        """Run the current document until something listens or the call ends."""
        while self.active and self._gather is None:
            if self.dialect == "voicexml" and self._vxml is not None:
                self._vxml.run()
                continue
            if not self._verbs:
                self._end("company", "the IVR document ended, so the call ended")
                return
            verb = self._verbs.pop(0)
            first, self._first_verb = self._first_verb, False
            handler: Callable[[Element, bool], None] | None = getattr(self, f"_verb_{verb.tag.lower()}", None)
            if handler is None:
                self._record("note", f"ignored unknown verb <{verb.tag}>")
                continue
            handler(verb, first)
            if self.customer.clock.exhausted and self.active:
                self._end("customer", "the customer ran out of patience")

    def _speak(self, verb: Element, **data) -> str:
        text = " ".join("".join(verb.itertext()).split())
        loops = _loops(verb.get("loop"))
        return self.hear(text, loops * max(1.0, len(text.split()) / WORDS_PER_SECOND), **data)

    def _play(self, verb: Element, **data) -> None:
        loops = _loops(verb.get("loop"))
        self.customer.clock.advance(loops * PLAY_SECONDS)
        self._record("heard", f"Play x{loops}: {(verb.text or '').strip()}", "", data={"audio": True, **data})

    def _verb_say(self, verb: Element, first: bool) -> None:
        self._speak(verb)

    def _verb_play(self, verb: Element, first: bool) -> None:
        self._play(verb)

    def _verb_pause(self, verb: Element, first: bool) -> None:
        length = _number(verb.get("length"), 1.0, 0, 600)
        self.customer.clock.advance(length)
        self._record("pause", f"Pause {length:g} s")

    def _verb_gather(self, verb: Element, first: bool) -> None:
        prompt = []
        for child in verb:
            tag = child.tag.lower()
            if tag == "say":
                prompt.append(self._speak(child, prompt=True))
            elif tag == "play":
                self._play(child, prompt=True)
            elif tag == "pause":
                self._verb_pause(child, False)
        digits = verb.get("numDigits")
        action, method = verb.get("action") or self._doc_url, verb.get("method", "POST")

        def posted(kind: str, value: str) -> None:
            field = "Digits" if kind == "dtmf" else "SpeechResult"
            self.fetch(action, method, {field: value, **({"Confidence": "0.9"} if kind == "speech" else {})})

        self.listen(Listener(
            prompt=" ".join(p for p in prompt if p) or self.heard,
            timeout=_number(verb.get("timeout"), 5.0, 1, 600),
            inputs=set((verb.get("input") or "dtmf").lower().split()),
            on_input=posted,
            on_timeout=lambda: None,  # falls through to the next verb
            finish_on_key=verb.get("finishOnKey", "#"),
            num_digits=int(digits) if digits and digits.isdigit() else None,
        ))

    def _verb_redirect(self, verb: Element, first: bool) -> None:
        target = (verb.text or "").strip()
        if not target:
            self._record("note", "Redirect without a URL ignored")
            return
        self._record("redirect", f"Redirect to {target}")
        self.fetch(target, verb.get("method", "POST"), {})

    def _verb_hangup(self, verb: Element, first: bool) -> None:
        self._end("company", "the IVR hung up")

    def _verb_reject(self, verb: Element, first: bool) -> None:
        reason = verb.get("reason", "rejected")
        detail = f"the call was never answered (Reject: {reason})" if first else f"the IVR rejected the call ({reason})"
        self._end("company", detail)

    def _verb_leave(self, verb: Element, first: bool) -> None:
        self._record("note", "Leave outside a queue ignored")

    def _verb_record(self, verb: Element, first: bool) -> None:
        max_length = _number(verb.get("maxLength"), 3600, 1, 14400)
        spoken = min(max_length, 30.0)
        self.customer.clock.advance(spoken)
        self._record("record", f"left a {spoken:g} s message (Record)")
        self.fetch(verb.get("action") or self._doc_url, verb.get("method", "POST"),
                   {"RecordingUrl": f"https://recordings.invalid/{self.sid}", "RecordingDuration": f"{spoken:g}",
                    "Digits": "hangup"})

    def _verb_dial(self, verb: Element, first: bool) -> None:
        nouns = [c for c in verb if c.tag in ("Number", "Client", "Sip", "Queue", "Conference")]
        noun = nouns[0] if nouns else None
        target = " ".join(((noun.text if noun is not None else verb.text) or "").split()) or "(nobody)"
        kind = noun.tag if noun is not None else "Number"
        self._record("transfer", f"Dial {kind} {target}", data={"target": target, "noun": kind})
        url = noun.get("url") if noun is not None else None
        if url:
            self.fetch(url, noun.get("method", "POST"), {"DialCallStatus": "in-progress"})
            return
        self.bridged_to = target
        self._end("bridged", f"connected to {kind} {target}, outside the simulation")

    def _verb_enqueue(self, verb: Element, first: bool) -> None:
        name = " ".join((verb.text or "").split()) or "queue"
        self._record("queue", f"Enqueue into {name}", data={"queue": name})
        start = self.customer.clock.now
        wait_url = verb.get("waitUrl")
        rest, doc_url = self._verbs, self._doc_url
        if not wait_url:  # Twilio's default hold music until an agent dequeues: none will, so until patience ends
            self.customer.clock.advance(self.customer.clock.limit - start)
        announced: list[str] = []
        outcome = "patience"
        for _ in range(MAX_QUEUE_FETCHES if wait_url else 0):
            if self.customer.clock.exhausted:
                break
            queue_time = int(self.customer.clock.now - start)
            self._fetches_without_input = 0
            if not self.fetch(wait_url, verb.get("waitUrlMethod", "POST"),
                               {"QueueTime": str(queue_time), "QueuePosition": "1", "QueueSid": "QU" + "0" * 32,
                                "AvgQueueTime": str(queue_time), "CurrentQueueSize": "1"}):
                return
            outcome = self._play_wait_document(announced)
            if outcome != "continue":
                break
        minutes = round((self.customer.clock.now - start) / 60.0, 1)
        explained = self.customer.phrases.is_explained_wait(" ".join(announced))
        evidence = " ".join(announced) or f"{minutes:g} minutes of hold music, nothing said"
        self._record("hold", f"held {minutes:g} min in {name}", evidence,
                     data={"minutes": minutes, "explained": explained})
        if outcome == "leave":
            action = verb.get("action")
            if action:
                self.fetch(action, verb.get("method", "POST"), {"QueueResult": "leave"})
            else:
                self._verbs, self._doc_url = rest, doc_url
        elif outcome not in ("redirect", "hangup") and self.active:
            self._end("customer", "the customer gave up on hold")

    def _play_wait_document(self, announced: list[str]) -> str:
        """Play one wait document; 'continue', 'redirect', 'leave' or 'hangup' (or 'ended')."""
        before = self.customer.clock.now
        verbs, self._verbs = self._verbs, []
        for verb in verbs:
            tag = verb.tag.lower()
            if tag == "say":
                text = " ".join("".join(verb.itertext()).split())
                self.customer.clock.advance(_loops(verb.get("loop")) * max(1.0, len(text.split()) / WORDS_PER_SECOND))
                if text and text not in announced:
                    announced.append(text)
                    self.transcript.append(("ivr", text))
                    self._record("heard", "Say (on hold)", text, data={"on_hold": True})
            elif tag == "play":
                self.customer.clock.advance(_loops(verb.get("loop")) * PLAY_SECONDS)
            elif tag == "pause":
                self.customer.clock.advance(_number(verb.get("length"), 1.0, 0, 600))
            elif tag == "redirect" and (verb.text or "").strip():
                self._verbs = []
                return "redirect" if self.fetch(verb.text.strip(), verb.get("method", "POST"), {}) else "ended"
            elif tag == "leave":
                return "leave"
            elif tag == "hangup":
                self._end("company", "the IVR hung up while the customer was on hold")
                return "hangup"
        if self.customer.clock.now == before:
            self.customer.clock.advance(PLAY_SECONDS)
        return "continue"

    # -- bookkeeping ---------------------------------------------------------------------------
    def _record(self, action: str, detail: str, text: str = "", **fields):
        fields.setdefault("url", self._doc_url)
        return self.customer.record("phone", action, detail, text, contact=self.contact, **fields)

    def _end(self, by: str, detail: str) -> None:
        if not self.active:
            return
        self.active = False
        self.ended_by = by
        self._gather = None
        self._verbs = []
        self.customer.record_end("phone", self.contact, by, detail, " ".join(self._heard[-2:]), url=self._doc_url)


def _loops(value: str | None) -> int:
    n = int(_number(value, 1, 0, MAX_LOOP))
    return MAX_LOOP if n == 0 else n


def _number(value: str | None, default: float, low: float, high: float) -> float:
    try:
        n = float(value) if value not in (None, "") else default
    except ValueError:
        n = default
    return min(high, max(low, n))


class PhoneChannel:
    """The customer's phone: places calls to an IVR webhook base URL."""

    name = "phone"

    def __init__(self, customer: "Customer") -> None:
        self.customer = customer
        self.base = customer.target.phone_url or customer.target.base_url
        self._own_http = customer.target.http_client is None
        self.http = customer.target.http_client or new_http_client()
        self.calls: list[Call] = []

    def check_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        allowed = self.customer.target.allowed_hosts
        if allowed and host not in allowed:
            raise HostNotAllowed(f"the IVR sent the call to {url}, outside the hosts this run may touch "
                                 f"({', '.join(sorted(allowed))})")

    def call(self, path: str = "/", *, to: str = "+18005550100") -> Call:
        """Dial the IVR at `path` (relative to the phone URL) and run it until it listens or ends."""
        url = urljoin(self.base.rstrip("/") + "/", path.lstrip("/"))
        call = Call(self, url, to)
        self.calls.append(call)
        return call.start()

    def close(self) -> None:
        for call in self.calls:
            call.hangup()
        if self._own_http:
            self.http.close()


def new_http_client() -> httpx.Client:
    """An HTTP client that calls webhooks the way the phone channel does (no redirects, 10 s timeout)."""
    return httpx.Client(timeout=httpx.Timeout(10.0), follow_redirects=False,
                        headers={"User-Agent": "simsuite-phone/0.1 (TwilioProxy compatible)"})


register_channel("phone")(PhoneChannel)
