"""The journal of one journey: every step, the friction detectors find in it, contacts, facts and outcome.

Channels write to the journal; detectors read it. It depends only on the data model: the persona,
phrase lists, clock and detectors it is given are used through their public methods.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..errors import ScriptError
from ..model import Action, Actor, Friction, FrictionKind, Outcome, Step

if TYPE_CHECKING:
    from .clock import SimClock
    from .detectors import Detector
    from .personas import Persona
    from .phrases import Phrases

PER_OCCURRENCE = frozenset({FrictionKind.WAIT, FrictionKind.LOOP, FrictionKind.TRANSFER,
                            FrictionKind.REPEATED_INFORMATION})
_ENDED_BY = {"company": Actor.COMPANY, "customer": Actor.CUSTOMER, "bridged": Actor.COMPANY}


def _same(text: Any) -> Any:
    return text


def _holds_url(value: Any) -> bool:
    if isinstance(value, str):
        return "://" in value
    if isinstance(value, dict):
        return any(_holds_url(k) or _holds_url(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_holds_url(v) for v in value)
    return "://" in str(value) if value is not None and not isinstance(value, (int, float, bool)) else False


class Journal:
    """What happened on one journey, recorded as it happens and judged by the detectors."""

    def __init__(
        self,
        persona: "Persona",
        phrases: "Phrases",
        clock: "SimClock",
        detectors: Iterable["Detector"] = (),
        *,
        rewrite_text: Callable[[str], str] = _same,
        rewrite_url: Callable[[str | None], str | None] = _same,
    ) -> None:
        self.persona = persona
        self.phrases = phrases
        self.clock = clock
        self.detectors = list(detectors)
        # the target's own URLs are written as paths, so results do not depend on the ports used
        self.rewrite_text, self.rewrite_url = rewrite_text, rewrite_url
        self.steps: list[Step] = []
        self.frictions: list[Friction] = []
        self.given: dict[str, int] = {}
        self.learned: dict[str, tuple[str, int]] = {}
        self.outcome: Outcome | None = None
        self.outcome_detail = ""
        self.found: list[Friction] = []  # the friction the last recorded step produced
        self._contacts = 0
        self._by_action: dict[Action | str, list["Detector"]] = {}

    # -- facts -------------------------------------------------------------------------------
    def fact(self, name: str) -> str:
        """The value of a fact the customer knows (KeyError if they do not know it)."""
        if name in self.learned:
            return self.learned[name][0]
        return self.persona.fact(name)

    def knows(self, name: str) -> bool:
        """Whether the customer knows a fact, from the start or because the company told them."""
        return name in self.learned or self.persona.knows_fact(name)

    def can_use(self, channel: str) -> bool:
        """Whether the customer can use a channel right now."""
        return self.persona.can_use(channel)

    def learn(self, name: str, value: str, step: Step) -> None:
        """The company told the customer a fact (a case reference, say) at this step."""
        self.learned.setdefault(name, (value, step.index))

    def note_values_sent(self, text: str, step: Step) -> None:
        """Mark every known fact whose value appears in what the customer sent as given at this step."""
        sent = str(text).strip().lower()
        if len(sent) < 3:
            return
        values = {**self.persona.records, **{k: v for k, (v, _) in self.learned.items()}}
        for fact in sorted(self.persona.knows | set(self.learned)):
            value = values.get(fact, "").lower()
            if value and (value == sent or (len(value) >= 6 and value in sent)):
                self.given.setdefault(fact, step.index)
                step.data.setdefault("gave", []).append(fact)

    # -- contacts and steps ----------------------------------------------------------------------
    def new_contact(self, channel: str) -> str:
        """A new contact id (a call, a chat, a web visit) in this journey."""
        self._contacts += 1
        return f"{channel}-{self._contacts}"

    def record(self, channel: str, action: Action | str, detail: str, text: str = "", **fields: Any) -> Step:
        """Record one step and run the detectors on it; the friction found is in `self.found`."""
        if "url" in fields:
            fields["url"] = self.rewrite_url(fields["url"])
        text, detail = self.rewrite_text(text), self.rewrite_text(detail)
        if fields.get("data") and (_holds_url(fields["data"]) or self._secret_in(fields["data"])):
            fields["data"] = json.loads(self.rewrite_text(json.dumps(fields["data"], default=str)))
        step = Step(index=len(self.steps), channel=channel, action=action, detail=detail,
                    text=text, at=round(self.clock.now, 1), **fields)
        self.steps.append(step)
        found: list[Friction] = []
        for detector in self._watching(step.action):
            for friction in detector.on_step(self, step) or ():
                found.extend(self._add(friction))
        self.found = found
        return step

    def _secret_in(self, data: Any) -> bool:
        """Whether a step's data holds a secret of this customer's (checked only when they have some)."""
        secrets = self.persona.secret_values()
        return bool(secrets) and any(v in json.dumps(data, default=str) for v in secrets)

    def _watching(self, action: Action | str) -> list["Detector"]:
        """The detectors whose `on_step` looks at steps of this action, in registration order."""
        watching = self._by_action.get(action)
        if watching is None:
            watching = self._by_action[action] = [
                d for d in self.detectors if getattr(d, "actions", None) is None or action in d.actions]
        return watching

    def record_end(self, channel: str, contact: str, by: str, detail: str, text: str = "", **fields: Any) -> Step:
        """Record that a contact ended, and who ended it ("company", "customer" or "bridged")."""
        data = {**(fields.pop("data", None) or {}), "ended_by": by}
        if by == "company":
            data["ended_by_company"] = True
        return self.record(channel, Action.ENDED, detail, text, contact=contact, data=data,
                           actor=_ENDED_BY.get(by, Actor.SYSTEM), **fields)

    def last_step(self, contact: str | None, action: Action | str) -> int:
        """The index of the contact's last step with this action (else the last step of all)."""
        for step in reversed(self.steps):
            if step.contact == contact and step.action == action:
                return step.index
        return len(self.steps) - 1

    # -- friction --------------------------------------------------------------------------------
    def friction(self, kind: FrictionKind | str, evidence: str, *, detail: str = "", step: Step | int | None = None,
                 channel: str | None = None, source: str = "script", **fields: Any) -> Friction:
        """Record a friction with its evidence (the exact words or status), at a step (default: the last)."""
        if not self.steps and step is None:
            raise ScriptError("record a step before a friction: every friction points at a step")
        index = step.index if isinstance(step, Step) else (len(self.steps) - 1 if step is None else step)
        f = Friction(kind=FrictionKind(kind), step=index, channel=channel or self.steps[index].channel,
                     evidence=self.rewrite_text(evidence), detail=self.rewrite_text(detail), source=source, **fields)
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

    # -- the end -----------------------------------------------------------------------------
    def conclude(self, outcome: Outcome, detail: str) -> None:
        """Record how the journey ended for the customer (an "outcome" step on the last channel used)."""
        last = self.steps[-1].channel if self.steps else "journey"
        self.record(last, Action.OUTCOME, outcome.value, detail)
        self.outcome = outcome
        self.outcome_detail = self.rewrite_text(detail)

    def finish(self) -> None:
        """Run the detectors that look at the whole journey once it is over, in registration order."""
        for detector in self.detectors:
            for friction in list(detector.finish(self) or ()):
                self._add(friction)
        self.frictions.sort(key=lambda f: (f.step, f.kind.value))
