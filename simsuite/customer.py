"""The customer a journey script drives: persona, simulated clock, channels, steps and friction."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .errors import ScriptError
from .model import Friction, FrictionKind, Outcome, Step
from .personas import Persona

if TYPE_CHECKING:
    from .channels import Channel
    from .detectors import Detector
    from .phrases import Phrases
    from .scenario import Scenario


PER_OCCURRENCE = frozenset({FrictionKind.WAIT, FrictionKind.LOOP, FrictionKind.TRANSFER,
                            FrictionKind.REPEATED_INFORMATION})


class SimClock:
    """Simulated time in seconds since the journey began; nothing ever sleeps for real."""

    def __init__(self, limit_minutes: float = 8 * 60) -> None:
        self.now = 0.0
        self.limit = limit_minutes * 60

    def advance(self, seconds: float) -> float:
        """Move time forward (never back) and return the new time."""
        self.now += max(0.0, float(seconds))
        return self.now

    @property
    def minutes(self) -> float:
        return self.now / 60.0

    @property
    def exhausted(self) -> bool:
        """Whether the customer's patience for this journey (the clock's limit) has run out."""
        return self.now >= self.limit


@dataclass
class Target:
    """Where the channels point: the web base URL, the phone webhook base, and shared resources."""

    base_url: str
    phone_url: str | None = None
    chat_url: str | None = None
    chat_config: dict[str, Any] = field(default_factory=dict)
    mailbox: Any = None
    http_client: Any = None  # an httpx.Client to share between contacts (the explorers make many calls)
    artifacts_dir: Path | None = None
    report_dir: Path | None = None
    page_factory: Callable[[], Any] | None = None
    allowed_hosts: frozenset[str] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)

    def relative_text(self, text: str) -> str:
        """Text with the target's own absolute URLs written as paths, so results do not depend on ports."""
        for base in (self.base_url, self.phone_url, self.chat_url):
            if base and base.rstrip("/") in text:
                text = text.replace(base.rstrip("/") + "/", "/")
        return text

    def relative(self, url: str | None) -> str | None:
        """A URL on the target as a path ("/lab/manage"), so results do not depend on the port used."""
        if not url:
            return url
        for base in (self.base_url, self.phone_url, self.chat_url):
            if base and url.startswith(base.rstrip("/") + "/"):
                return url[len(base.rstrip("/")):]
            if base and url == base.rstrip("/"):
                return "/"
        return url


class Customer:
    """A synthetic customer on one journey. Journey scripts receive one and act through it."""

    def __init__(
        self,
        persona: Persona,
        scenario: "Scenario",
        target: Target,
        *,
        detectors: list["Detector"] | None = None,
        phrases: "Phrases | None" = None,
    ) -> None:
        from .detectors import default_detectors
        from .phrases import load_phrases

        self.persona = persona
        self.scenario = scenario
        self.target = target
        self.phrases = phrases or load_phrases()
        self.detectors = detectors if detectors is not None else default_detectors()
        self.clock = SimClock(scenario.patience_minutes)
        self.steps: list[Step] = []
        self.frictions: list[Friction] = []
        self.given: dict[str, int] = {}
        self.learned: dict[str, tuple[str, int]] = {}
        self.outcome: Outcome | None = None
        self.outcome_detail = ""
        self._channels: dict[str, "Channel"] = {}
        self._contacts = 0

    # -- facts -------------------------------------------------------------------------------
    def fact(self, name: str) -> str:
        """The value of a fact this customer knows (KeyError if they do not know it)."""
        if name in self.learned:
            return self.learned[name][0]
        return self.persona.fact(name)

    def knows(self, name: str) -> bool:
        """Whether this customer knows a fact, from the start or because the company told them."""
        return name in self.learned or self.persona.knows_fact(name)

    def learn(self, name: str, value: str, step: Step) -> None:
        """The company told the customer a fact (a case reference, say) at this step."""
        self.learned.setdefault(name, (value, step.index))

    def can_use(self, channel: str) -> bool:
        """Whether this customer can use a channel right now."""
        return self.persona.can_use(channel)

    def note_values_sent(self, text: str, step: Step) -> None:
        """Mark every known fact whose value appears in what the customer sent as given."""
        sent = str(text).strip().lower()
        if len(sent) < 3:
            return
        values = {**self.persona.records, **{k: v for k, (v, _) in self.learned.items()}}
        for fact in sorted(self.persona.knows | set(self.learned)):
            value = values.get(fact, "").lower()
            if value and (value == sent or (len(value) >= 6 and value in sent)):
                self.given.setdefault(fact, step.index)
                step.data.setdefault("gave", []).append(fact)

    # -- channels ----------------------------------------------------------------------------
    def channel(self, name: str) -> "Channel":
        """The customer's adapter for a channel, made on first use from the channel registry."""
        from .channels import make_channel
        from .personas import CHANNELS

        if name in CHANNELS and not self.can_use(name):
            raise ScriptError(f"this customer cannot use {name} in this scenario; check "
                              f"customer.can_use({name!r}) before using it")
        if name not in self._channels:
            self._channels[name] = make_channel(name, self)
        return self._channels[name]

    @property
    def web(self) -> Any:
        """The web channel: a real browser page (see simsuite.channels.web.WebChannel)."""
        return self.channel("web")

    @property
    def phone(self) -> Any:
        """The phone channel: a TwiML IVR over its webhooks (see simsuite.channels.phone.PhoneChannel)."""
        return self.channel("phone")

    @property
    def chat(self) -> Any:
        """The chat channel: a bot's HTTP API (see simsuite.channels.chat.ChatChannel)."""
        return self.channel("chat")

    @property
    def email(self) -> Any:
        """The customer's mailbox (see simsuite.channels.email.EmailChannel)."""
        return self.channel("email")

    def new_contact(self, channel: str) -> str:
        """A new contact id (a call, a web visit) in this journey."""
        self._contacts += 1
        return f"{channel}-{self._contacts}"

    def close(self) -> None:
        """Release every channel the journey opened."""
        for ch in self._channels.values():
            ch.close()

    # -- recording ---------------------------------------------------------------------------
    def record(
        self,
        channel: str,
        action: str,
        detail: str,
        text: str = "",
        **fields: Any,
    ) -> tuple[Step, list[Friction]]:
        """Record one step and run the detectors on it; returns the step and the friction found."""
        if "url" in fields:
            fields["url"] = self.target.relative(fields["url"])
        text, detail = self.target.relative_text(text), self.target.relative_text(detail)
        if fields.get("data") and "://" in json.dumps(fields["data"], default=str):
            fields["data"] = json.loads(self.target.relative_text(json.dumps(fields["data"], default=str)))
        step = Step(index=len(self.steps), channel=channel, action=action, detail=detail,
                    text=text, at=round(self.clock.now, 1), **fields)
        self.steps.append(step)
        found: list[Friction] = []
        for detector in self.detectors:
            for friction in detector.on_step(self, step) or ():
                found.extend(self._add(friction))
        return step, found

    def last_step(self, contact: str | None, action: str) -> int:
        """The index of the contact's last step with this action (else the last step of all)."""
        for step in reversed(self.steps):
            if step.contact == contact and step.action == action:
                return step.index
        return len(self.steps) - 1

    def record_end(self, channel: str, contact: str, by: str, detail: str, text: str = "",
                   **fields: Any) -> Step:
        """Record that a contact ended, and who ended it ("company", "customer" or "bridged")."""
        data = {**(fields.pop("data", None) or {}), "ended_by": by}
        if by == "company":
            data["ended_by_company"] = True
        step, _ = self.record(channel, "ended", detail, text, contact=contact, data=data, **fields)
        return step

    def friction(
        self,
        kind: FrictionKind | str,
        evidence: str,
        *,
        detail: str = "",
        step: Step | int | None = None,
        channel: str | None = None,
        **fields: Any,
    ) -> Friction:
        """Record a friction the script knows about, with its evidence (the exact words or status)."""
        if not self.steps and step is None:
            raise ScriptError("record a step before a friction: every friction points at a step")
        index = step.index if isinstance(step, Step) else (len(self.steps) - 1 if step is None else step)
        ch = channel or self.steps[index].channel
        f = Friction(kind=FrictionKind(kind), step=index, channel=ch, evidence=evidence,
                     detail=detail, source="script", **fields)
        self._add(f)
        return f

    def has_friction(self, kind: FrictionKind | str, evidence: str) -> bool:
        """Whether a friction of this kind with these exact words was already recorded."""
        k = FrictionKind(kind)
        return any(f.kind is k and f.evidence == evidence for f in self.frictions)

    def _add(self, friction: Friction) -> list[Friction]:
        if friction.kind not in PER_OCCURRENCE and self.has_friction(friction.kind, friction.evidence):
            return []
        self.frictions.append(friction)
        return [friction]

    def finish(self) -> None:
        """Run the detectors that look at the whole journey once it is over, in registration order."""
        for detector in self.detectors:
            for friction in list(detector.finish(self) or ()):
                self._add(friction)
        self.frictions.sort(key=lambda f: (f.step, f.kind.value))

    # -- outcome -----------------------------------------------------------------------------
    def resolved(self, detail: str) -> None:
        """The goal is reached. `detail` says how, in the company's words where possible."""
        self._set_outcome(Outcome.RESOLVED, detail)

    def promised(self, detail: str) -> None:
        """Only a ticket or a promise: counts half as unresolved."""
        self._set_outcome(Outcome.PROMISED, detail)

    def gave_up(self, detail: str) -> None:
        """The customer ran out of ways or patience."""
        self._set_outcome(Outcome.UNRESOLVED, detail)

    def _set_outcome(self, outcome: Outcome, detail: str) -> None:
        last = self.steps[-1].channel if self.steps else "journey"
        self.record(last, "outcome", outcome.value, detail)
        self.outcome = outcome
        self.outcome_detail = detail
