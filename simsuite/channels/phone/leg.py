"""One call leg to an IVR: fetch its documents within limits, run each through its dialect, record it all.

The leg is what the dialects (TwiML, VoiceXML) work with: `fetch` a document, `hear` what the IVR says,
`listen` for the caller's input, `record` a step, `end` the call. The caller's own API is `Call`.
Bounds: documents per call and without caller input, bytes per document, the customer's patience.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urldefrag, urlencode, urljoin
from xml.etree.ElementTree import Element, ParseError

import httpx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ...errors import SiteUnreachable
from ...model import Action, FrictionKind, Step
from ..webhooks import Answer, fetch, has_answered, plain_text, webhook_client
from .dialect import DIALECTS, Dialect

if TYPE_CHECKING:
    from ...core.context import ChannelContext

WORDS_PER_SECOND = 2.5
_RECORDINGS = re.compile(r"(?:\(recording [^)]*\)\s*)+")
MAX_FETCHES_WITHOUT_INPUT = 25
MAX_DOCUMENTS_PER_CALL = 200
MAX_BODY_BYTES = 1_000_000
REQUEST_DEADLINE_S = 15.0
ACCOUNT_SID = "AC" + "0" * 32


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
    audio: bool = False  # the prompt was only recordings: its options cannot be read
    entry: bool = False  # the dialect knows it listens for data (a VoiceXML field of digits, a date ...)

    @property
    def data_entry(self) -> bool:
        """Whether this listens for data (several digits, a date, a PIN), not for a menu choice."""
        return self.entry or (self.num_digits is not None and self.num_digits > 1)


def recording(url: str) -> str:
    """How a recording a caller heard is written: its address, since its words cannot be read."""
    return f"(recording {url or 'without an address'})"


def only_recordings(text: str) -> bool:
    """Whether what was heard is recordings alone, with no words simsuite can read."""
    return bool(_RECORDINGS.fullmatch(text.strip()))


def new_http_client() -> httpx.Client:
    """An HTTP client that calls webhooks the way the phone channel does (deadlines; redirects by `fetch`)."""
    return webhook_client("simsuite-phone/0.2 (TwilioProxy compatible)")


@lru_cache(maxsize=256)
def _parsed(body: bytes) -> Element:
    """An IVR document, parsed safely; remembered, as an IVR sends the same documents on every call.
    The dialects only read the tree."""
    return fromstring(body)


@lru_cache(maxsize=32)
def _encoded(pairs: tuple[tuple[str, str], ...]) -> str:
    return urlencode(pairs)


class IvrLeg:
    """The company's side of one call: documents, what was heard, what listens, and the call's end."""

    def __init__(self, ctx: "ChannelContext", http: httpx.Client, url: str, to: str, contact: str) -> None:
        self.ctx = ctx
        self.journal = ctx.journal
        self.clock = ctx.clock
        self.http = http
        self.contact = contact
        self.sid = "CA" + uuid.uuid4().hex  # unique per call, as Twilio's are
        self.to = to
        self.doc_url = url
        self.active = True
        self.ended_by: str | None = None
        self.bridged_to: str | None = None
        self.transcript: list[tuple[str, str]] = []
        self.heard: list[str] = []          # what the IVR said since the caller last acted
        self.listener: Listener | None = None
        self.dialect: Dialect | None = None
        self._dialects: dict[str, Dialect] = {}
        self._documents = 0
        self._fetches_without_input = 0
        self._encoded: str | None = None
        self._fixed: dict[str, str] = {}

    # -- what the dialects use ------------------------------------------------------------------
    def record(self, action: Action, detail: str, text: str = "", **fields: Any) -> Step:
        """Record a step of this call."""
        fields.setdefault("url", self.doc_url)
        return self.journal.record("phone", action, detail, text, contact=self.contact, **fields)

    def hear(self, text: str, seconds: float | None = None, detail: str = "Say", **data: Any) -> str:
        """The IVR speaks `text` (a `heard` step); speech takes its time on the simulated clock."""
        text = " ".join(text.split())
        if seconds is None:
            seconds = max(1.0, len(text.split()) / WORDS_PER_SECOND)
        self.clock.advance(seconds)
        if text:
            self.heard.append(text)
            self.transcript.append(("ivr", text))
            self.record(Action.HEARD, detail, text, data=data)
        return text

    def listen(self, listener: Listener, **data: Any) -> None:
        """Start listening for the caller's input (a `gather` step with the prompt as its text)."""
        self.listener = listener
        self.record(Action.GATHER, f"listening for {' or '.join(sorted(listener.inputs))} "
                    f"(timeout {listener.timeout:g} s)", listener.prompt, data=data)

    def end(self, by: str, detail: str) -> None:
        """End the call: "company" (the IVR), "customer" (hung up or gave up) or "bridged" (to a person)."""
        if not self.active:
            return
        self.active = False
        self.ended_by = by
        self.listener = None
        self.journal.record_end("phone", self.contact, by, detail, " ".join(self.heard[-2:]), url=self.doc_url)

    def relative(self, url: str) -> str:
        """A URL of the target written as a path."""
        return self.ctx.target.relative(url) or url

    def params(self, extra: dict[str, str]) -> dict[str, str]:
        """Twilio's call parameters (caller and callee with their locations) plus `extra`."""
        records, place = self.ctx.persona.records, self.ctx.target.phone_location
        caller = records.get("phone", "+15550000000")
        return {
            "CallSid": self.sid, "AccountSid": ACCOUNT_SID, "ApiVersion": "2010-04-01",
            "From": caller, "Caller": caller, "To": self.to, "Called": self.to,
            "CallStatus": "in-progress", "Direction": "inbound",
            "FromCity": records.get("city", ""), "FromState": records.get("state", ""),
            "FromZip": records.get("postcode", ""), "FromCountry": records.get("country", ""),
            "CallerCity": records.get("city", ""), "CallerState": records.get("state", ""),
            "CallerZip": records.get("postcode", ""), "CallerCountry": records.get("country", ""),
            "ToCity": place.get("city", ""), "ToState": place.get("state", ""), "ToZip": place.get("zip", ""),
            "ToCountry": place.get("country", ""), "CalledCity": place.get("city", ""),
            "CalledState": place.get("state", ""), "CalledZip": place.get("zip", ""),
            "CalledCountry": place.get("country", ""),
            **extra,
        }

    def _form(self, extra: dict[str, str]) -> str:
        """Twilio's parameters plus `extra`, url-encoded; the fixed part is encoded once per call (and all
        but the call's id once per caller and number)."""
        if self._encoded is None:
            self._fixed = self.params({})
            rest = tuple((k, v) for k, v in self._fixed.items() if k != "CallSid")
            self._encoded = f"{urlencode({'CallSid': self.sid})}&{_encoded(rest)}"
        if extra.keys() & self._fixed.keys():
            return urlencode({**self._fixed, **extra})
        return f"{self._encoded}&{urlencode(extra)}" if extra else self._encoded

    def fetch(self, url: str, method: str, extra: dict[str, str], *, first: bool = False,
              twilio: bool = True) -> bool:
        """Request an IVR document and make it the one to run next. False if the call ended instead.

        `url` is relative to the current document; its #fragment names the VoiceXML dialog to start at.
        `twilio=False` sends only `extra` (a VoiceXML fetch), not Twilio's call parameters. Redirects are
        followed on the target's hosts (each is a step); one to another host raises HostNotAllowed.
        """
        absolute, fragment = urldefrag(urljoin(self.doc_url, url))
        self.ctx.target.check_host(absolute, "the IVR sent the call to")
        shown = self.relative(absolute)
        if not self._within_bounds(absolute, shown):
            return False
        answer = self._request(absolute, shown, method or "POST", self._form(extra) if twilio else dict(extra))
        if answer is None:
            return False
        for status, location in answer.redirects:
            self.record(Action.REDIRECT, f"HTTP {status} redirect to {self.relative(location)}", url=location)
        self.doc_url = answer.url
        shown = self.relative(answer.url)
        if answer.problem or answer.status >= 300 or answer.truncated:
            return self._broken(answer, shown)
        try:
            root = _parsed(answer.body)
        except (ParseError, DefusedXmlException, ValueError) as exc:
            self.record(Action.BAD_DOCUMENT, f"not TwiML or VoiceXML from {shown}: {exc.__class__.__name__}",
                        plain_text(answer.text), status=answer.status, url=answer.url)
            self.end("company", "the IVR answered with a document that is neither TwiML nor VoiceXML")
            return False
        dialect = self._dialect_for(root)
        if dialect is None:
            self.record(Action.BAD_DOCUMENT, f"root <{root.tag}> is not <Response> (TwiML) or <vxml> (VoiceXML) "
                        f"at {shown}", plain_text(answer.text), status=answer.status, url=answer.url)
            self.end("company", "the IVR answered with a document that is neither TwiML nor VoiceXML")
            return False
        self.dialect = dialect
        return dialect.load(root, answer.url, fragment, first)

    def _broken(self, answer: Answer, shown: str) -> bool:
        """An answer that is no document: a redirect loop, an HTTP error or one too large. The call ends."""
        if answer.problem:
            detail, ended = f"the IVR {answer.problem}", "the IVR redirected without end"
        elif answer.truncated:
            detail = f"an answer larger than {MAX_BODY_BYTES // 1_000_000} MB from {shown}"
            ended = "the IVR answered with more than a document can hold"
        else:
            hint = f" (it does not take {answer.method} there)" if answer.status == 405 else ""
            detail, ended = f"HTTP {answer.status} from {shown}{hint}", f"the IVR answered HTTP {answer.status}"
        self.record(Action.HTTP_ERROR, detail, plain_text(answer.text), status=answer.status, url=answer.url)
        self.end("company", ended)
        return False

    def run(self) -> None:
        """Run the current document until something listens or the call ends."""
        while self.active and self.listener is None:
            if self.dialect is None:
                self.end("company", "the IVR sent no document, so the call ended")
                return
            self.dialect.run()

    # -- what the caller's Call uses --------------------------------------------------------------
    def take_input(self, action: Action, shown: str, raw: str, kind: str, value: str) -> Step:
        """The caller pressed or said something: record it, hand it to what listens, and run on."""
        listener = self.listener
        assert listener is not None
        self.listener = None
        if kind == "dtmf":
            self.clock.advance(0.4 * len(value))
            if listener.finish_on_key and listener.finish_on_key in value:
                value = value.split(listener.finish_on_key)[0]
            if listener.num_digits:
                value = value[:listener.num_digits]
        else:
            self.clock.advance(len(value.split()) / WORDS_PER_SECOND)
        step = self.record(action, shown)
        self.journal.note_values_sent(raw, step)
        self.transcript.append(("customer", shown))
        self.heard.clear()
        self._fetches_without_input = 0
        if kind not in listener.inputs or not value:
            self.clock.advance(listener.timeout)
            self.record(Action.NO_INPUT, f"the IVR did not take {kind} input")
            listener.on_timeout()
        else:
            listener.on_input(kind, value)
        self.run()
        return step

    def time_out(self) -> None:
        """The caller said nothing until what listens timed out."""
        listener = self.listener
        assert listener is not None
        self.listener = None
        self.clock.advance(listener.timeout)
        self.record(Action.NO_INPUT, f"said nothing for {listener.timeout:g} s")
        self.heard.clear()
        listener.on_timeout()
        self.run()

    # -- internals ----------------------------------------------------------------------------
    def _within_bounds(self, absolute: str, shown: str) -> bool:
        self._documents += 1
        self._fetches_without_input += 1
        if self._documents <= MAX_DOCUMENTS_PER_CALL and self._fetches_without_input <= MAX_FETCHES_WITHOUT_INPUT:
            return True
        limit = MAX_FETCHES_WITHOUT_INPUT if self._fetches_without_input > MAX_FETCHES_WITHOUT_INPUT \
            else MAX_DOCUMENTS_PER_CALL
        step = self.record(Action.BOUNDED, f"stopped after {limit} documents without input", url=absolute)
        self.journal.friction(FrictionKind.LOOP, f"redirected to {shown} again and again",
                              detail=f"the IVR kept redirecting; simulator bound of {limit} reached", step=step)
        self.end("company", "the IVR redirected without end")
        return False

    def reset_input_bound(self) -> None:
        """Progress that is not caller input (a queue's wait music) does not count toward the redirect bound."""
        self._fetches_without_input = 0

    def _request(self, absolute: str, shown: str, method: str, params: dict[str, str] | str) -> Answer | None:
        def on_target(location: str, status: int) -> None:
            self.ctx.target.check_host(location, f"the IVR redirected the call (HTTP {status}) to")

        try:
            answer = fetch(self.http, method, absolute, form=params, check_host=on_target, max_bytes=MAX_BODY_BYTES,
                           total_seconds=REQUEST_DEADLINE_S)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise SiteUnreachable(f"the IVR at {absolute} could not be reached ({exc.__class__.__name__}). "
                                  "Fix: check --phone-url and that the IVR is running") from None
        except (httpx.TimeoutException, httpx.HTTPError) as exc:
            if not has_answered(self.http, absolute):  # a line that never answered: no verdict on the company
                raise SiteUnreachable(f"the IVR at {absolute} took the connection but never answered "
                                      f"({exc.__class__.__name__}). Fix: check --phone-url and that the IVR is "
                                      "running") from None
            return self._no_answer(exc, absolute, shown)
        return answer

    def _no_answer(self, exc: Exception, absolute: str, shown: str) -> None:
        """A line that answered before and now does not: the company's line failed the caller."""
        if isinstance(exc, httpx.TimeoutException):
            self.record(Action.HTTP_ERROR, f"no answer from {shown} within {REQUEST_DEADLINE_S:g} s",
                        exc.__class__.__name__, url=absolute)
            self.end("company", f"the IVR did not answer within {REQUEST_DEADLINE_S:g} s")
            return None
        self.record(Action.HTTP_ERROR, f"{exc.__class__.__name__} from {shown}", str(exc)[:200], url=absolute)
        self.end("company", f"the IVR did not answer ({exc.__class__.__name__})")
        return None

    def _dialect_for(self, root: Element) -> Dialect | None:
        for name, factory in DIALECTS.items():
            if factory.accepts(root):
                if name not in self._dialects:
                    self._dialects[name] = factory(self)
                return self._dialects[name]
        return None
