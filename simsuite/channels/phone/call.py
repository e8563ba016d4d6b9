"""The caller's side of a phone call: what the customer hears and does. The IVR's side is the `IvrLeg`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import ScriptError
from ...model import Action
from ..conversation import Conversation
from ..menus import parse_menu
from .leg import IvrLeg

if TYPE_CHECKING:
    from ...core.context import ChannelContext

DTMF = set("0123456789*#w")


class Call(Conversation):
    """One phone call to an IVR. Made by `PhoneChannel.call`; drive it with press, say, wait, choose, navigate.

    How a script learns where the call went: `transfers` (each transfer: to whom, how, at which step),
    `ended_by` ("company", "customer" or "bridged": connected to a person outside the simulation) and
    `bridged_to` (the number or address that person was reached at).
    """

    channel = "phone"
    company = "ivr"

    def __init__(self, ctx: "ChannelContext", leg: IvrLeg, owner: Any = None) -> None:
        super().__init__(ctx, leg.contact)
        self.leg = leg
        self.owner = owner  # the PhoneChannel that placed the call
        self.transcript = leg.transcript

    # -- what the caller perceives ---------------------------------------------------------
    @property
    def active(self) -> bool:
        """Whether the call is still connected."""
        return self.leg.active

    @property
    def listening(self) -> bool:
        """Whether the IVR is waiting for the customer's input."""
        return self.leg.active and self.leg.listener is not None

    @property
    def latest(self) -> str:
        """Everything the IVR said since the customer last acted."""
        return " ".join(self.leg.heard)

    @property
    def heard(self) -> str:
        """Everything the IVR said since the customer last acted."""
        return self.latest

    @property
    def prompt(self) -> str:
        """The prompt of the Gather (or VoiceXML field or menu) now listening, or '' if nothing listens."""
        return self.leg.listener.prompt if self.leg.listener else ""

    @property
    def options(self) -> dict[str, str]:
        """The options announced since the customer last acted, key -> description.

        None while the IVR listens for data (a zip code, a card number, a date, a PIN): the keys a caller
        types there are values, not choices.
        """
        listener = self.leg.listener
        if not self.active or listener is None or listener.data_entry:
            return {}
        return parse_menu(self.latest)

    @property
    def audio_prompt(self) -> bool:
        """Whether the prompt listening now is recordings only, whose options simsuite cannot read."""
        return bool(self.leg.listener and self.leg.listener.audio)

    @property
    def transfers(self) -> list[dict[str, Any]]:
        """Every transfer in this call, in order: to whom ("to"), how ("kind": Number, Queue, ...), the step,
        and what the agent's leg heard in a whisper. The last one is where the caller was sent."""
        return [{"to": s.data.get("target") or s.data.get("queue"), "kind": s.data.get("noun", "Queue"),
                 "step": s.index, "whisper": s.data.get("whisper", "")}
                for s in self.journal.steps if s.contact == self.contact and s.action in (Action.TRANSFER, Action.QUEUE)]

    @property
    def menu(self) -> dict[str, str]:
        """The options announced since the customer last acted, key -> description (same as `options`)."""
        return self.options

    @property
    def ended_by(self) -> str | None:
        """Who ended the call: "company", "customer" or "bridged" (to a person); None while it goes on."""
        return self.leg.ended_by

    @property
    def bridged_to(self) -> str | None:
        """The number or address the call was connected to, outside the simulation."""
        return self.leg.bridged_to

    @property
    def dialect(self) -> str:
        """The language of the current document: "twiml" or "voicexml" (or a plugin's)."""
        return getattr(self.leg.dialect, "name", "twiml")

    @property
    def sid(self) -> str:
        """The call's id, unique per call as Twilio's CallSid is."""
        return self.leg.sid

    @property
    def to(self) -> str:
        """The number dialled."""
        return self.leg.to

    # -- what the caller does ----------------------------------------------------------------
    def press(self, digits: str) -> "Call":
        """Press keys on the keypad (DTMF). Characters a keypad lacks are dropped."""
        keys = "".join(c for c in str(digits) if c in DTMF)
        self._input(Action.PRESSED, keys, str(digits), "dtmf", keys)
        return self

    def say(self, words: str) -> "Call":
        """Speak to the IVR (SpeechResult)."""
        self._input(Action.SAID, words, words, "speech", words)
        return self

    def wait(self) -> "Call":
        """Say nothing until the IVR times out (TwiML: the next verb; VoiceXML: a noinput event)."""
        if not self.listening:
            raise ScriptError("wait() on a call that is not listening; check call.active first")
        self.leg.time_out()
        return self

    def hangup(self) -> None:
        """The customer hangs up."""
        if self.active:
            self.leg.end("customer", "the customer hung up")

    def _input(self, action: Action, shown: str, raw: str, kind: str, value: str) -> None:
        if not self.listening:
            raise ScriptError(f"{action} {shown!r} on a call that is not listening; check call.listening first")
        self.leg.take_input(action, shown, raw, kind, value)

    # -- the conversation's hooks -------------------------------------------------------------
    def _pick(self, key: str) -> None:
        self.press(key)

    def _options_evidence(self) -> tuple[str, int]:
        return self.prompt or self.latest, self.journal.last_step(self.contact, Action.GATHER)

    def _unknown_fact(self, fact: str) -> "Call":
        return self.wait()

    def _give(self, fact: str, value: str) -> "Call":
        listener = self.leg.listener
        if listener and "dtmf" in listener.inputs and any(c.isdigit() for c in value) \
                and not any(c.isalpha() for c in value):
            end = listener.finish_on_key if listener.finish_on_key and listener.num_digits is None else ""
            return self.press(value + end)
        return self.say(value)

    def _stuck(self, explain: str, offered: bool) -> bool:
        listener = self.leg.listener
        if explain and (offered or (listener is not None and "speech" in listener.inputs)):
            self.say(explain)
        else:
            self.wait()
        return True
