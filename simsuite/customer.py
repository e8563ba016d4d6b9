"""The customer a journey script drives: a thin facade over the journey's journal and its channels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from .channels import CHANNELS, Channel, ChatChannel, EmailChannel, PhoneChannel, WebChannel
from .core.clock import SimClock
from .core.context import ChannelContext
from .core.detectors import Detector, default_detectors
from .core.journal import Journal
from .core.personas import CHANNELS as PERSONA_CHANNELS
from .core.personas import Persona
from .core.phrases import Phrases, load_phrases
from .core.target import Target
from .errors import ScriptError
from .model import Action, Friction, FrictionKind, Outcome, Step

if TYPE_CHECKING:
    from .core.scenario import Scenario


class Customer:
    """A synthetic customer on one journey. Journey scripts receive one and act through it.

    `customer.web`, `.phone`, `.chat` and `.email` are the channels; `fact`, `knows` and `can_use`
    say what this customer has; `resolved`, `promised` and `gave_up` end the journey; `friction`
    records what only the script knows. Everything that happened is in `customer.journal`.
    """

    def __init__(
        self,
        persona: Persona,
        scenario: "Scenario | None",
        target: Target,
        *,
        detectors: Iterable[Detector] | None = None,
        phrases: Phrases | None = None,
        patience_minutes: float | None = None,
    ) -> None:
        self.persona = persona
        self.scenario = scenario
        self.target = target
        patience = patience_minutes if patience_minutes is not None else (
            scenario.patience_minutes if scenario is not None else 120.0)
        disabled = scenario.disabled_detectors if scenario is not None else ()
        text, url = target.rewriters(persona.secret_values(), persona.personal_values())
        self.journal = Journal(persona, (phrases or load_phrases()).for_persona(persona.knows), SimClock(patience),
                               default_detectors(disabled) if detectors is None else detectors,
                               rewrite_text=text, rewrite_url=url)
        self.context = ChannelContext(self.journal, target, self.channel)
        self._channels: dict[str, Channel] = {}

    # -- what the customer has ---------------------------------------------------------------
    @property
    def clock(self) -> SimClock:
        """The journey's simulated clock."""
        return self.journal.clock

    @property
    def phrases(self) -> Phrases:
        """The phrase lists this journey is judged with."""
        return self.journal.phrases

    @property
    def steps(self) -> list[Step]:
        """Every step so far."""
        return self.journal.steps

    @property
    def frictions(self) -> list[Friction]:
        """Every friction so far."""
        return self.journal.frictions

    @property
    def outcome(self) -> Outcome | None:
        """How the journey ended, once it has."""
        return self.journal.outcome

    def fact(self, name: str) -> str:
        """The value of a fact this customer knows; MissingFact (a ScriptError) if they do not know it."""
        return self.journal.fact(name)

    def knows(self, name: str) -> bool:
        """Whether this customer knows a fact, from the start or because the company told them."""
        return self.journal.knows(name)

    def can_use(self, channel: str) -> bool:
        """Whether this customer can use a channel right now."""
        return self.journal.can_use(channel)

    # -- channels ----------------------------------------------------------------------------
    def channel(self, name: str) -> Any:
        """The customer's adapter for a channel, made on first use from the channel registry."""
        if name in PERSONA_CHANNELS and not self.can_use(name):
            raise ScriptError(f"this customer cannot use {name} in this scenario; check "
                              f"customer.can_use({name!r}) before using it")
        if name not in self._channels:
            self._channels[name] = CHANNELS.get(name)(self.context)
        return self._channels[name]

    @property
    def web(self) -> WebChannel:
        """The web channel: a real browser page."""
        return self.channel("web")

    @property
    def phone(self) -> PhoneChannel:
        """The phone channel: an IVR over its TwiML or VoiceXML webhooks."""
        return self.channel("phone")

    @property
    def chat(self) -> ChatChannel:
        """The chat channel: a bot's HTTP API."""
        return self.channel("chat")

    @property
    def email(self) -> EmailChannel:
        """The customer's mailbox."""
        return self.channel("email")

    def close(self) -> None:
        """Release every channel the journey opened."""
        for ch in self._channels.values():
            ch.close()

    def later(self, *, days: float = 0, hours: float = 0, minutes: float = 0, why: str = "") -> Step:
        """Let time pass between contacts, as the customer chooses ("two days later"): shown in the
        report, and never a wait the company imposed."""
        seconds = ((days * 24 + hours) * 60 + minutes) * 60
        if seconds <= 0:
            raise ScriptError("later() needs some time to pass: days=, hours= or minutes=")
        self.clock.skip(seconds)
        self.journal.given.clear()  # a new visit days later: being asked again is no repeated question
        channel = self.steps[-1].channel if self.steps else "web"  # time passes where the customer left off
        return self.journal.record(channel, Action.LATER, f"{_span(days, hours, minutes)} later",
                                   why, data={"minutes": round(seconds / 60, 1)})

    # -- outcome and the script's own friction -----------------------------------------------------
    def resolved(self, detail: str) -> None:
        """The goal is reached. `detail` says how, in the company's words where possible."""
        self.journal.conclude(Outcome.RESOLVED, detail)

    def promised(self, detail: str) -> None:
        """Only a ticket or a promise: counts half as unresolved."""
        self.journal.conclude(Outcome.PROMISED, detail)

    def gave_up(self, detail: str) -> None:
        """The customer ran out of ways or patience."""
        self.journal.conclude(Outcome.UNRESOLVED, detail)

    def friction(self, kind: FrictionKind | str, evidence: str, *, detail: str = "",
                 step: Step | int | None = None, channel: str | None = None, **fields: Any) -> Friction:
        """Record a friction the script knows about, with its evidence (the exact words or status)."""
        return self.journal.friction(kind, evidence, detail=detail, step=step, channel=channel, **fields)

    def finish(self) -> None:
        """Run the detectors that look at the whole journey once it is over."""
        self.journal.finish()


def _span(days: float, hours: float, minutes: float) -> str:
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    return ", ".join(f"{n:g} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n)
