"""The words of the brief as data: steps, frictions, outcomes and journey results."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any


class FrictionKind(str, Enum):
    """The eight kinds of friction the brief counts."""

    DEAD_END = "dead_end"
    FORCED_SWITCH = "forced_channel_switch"
    UNAVAILABLE_DEMAND = "unavailable_demand"
    REPEATED_INFORMATION = "repeated_information"
    TRANSFER = "transfer"
    LOOP = "loop"
    WAIT = "wait"
    MISSING_OPTION = "missing_option"

    @property
    def label(self) -> str:
        """The kind as a reader says it ("forced channel switch")."""
        return self.value.replace("_", " ")


class Outcome(str, Enum):
    """How a journey ended for the customer."""

    RESOLVED = "resolved"
    PROMISED = "promised"  # only a ticket or a promise: counts half as unresolved
    UNRESOLVED = "unresolved"
    ERROR = "error"  # the simulator or the site broke; never scored as friction


@dataclass
class Step:
    """One action of the customer and what came back."""

    index: int
    channel: str
    action: str
    detail: str
    text: str = ""
    at: float = 0.0
    status: int | None = None
    url: str | None = None
    contact: str | None = None
    artifact: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Friction:
    """One thing that cost the customer effort, with the evidence that shows it."""

    kind: FrictionKind
    step: int
    channel: str
    evidence: str
    detail: str = ""
    source: str = "script"
    factor: float = 1.0
    minutes: float | None = None
    explained: bool | None = None

    def __post_init__(self) -> None:
        self.kind = FrictionKind(self.kind)
        if not str(self.evidence).strip():
            raise ValueError(f"a {self.kind.label} friction needs evidence: the exact words or status")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["kind"] = self.kind.value
        return d


@dataclass
class JourneyResult:
    """Everything one synthetic customer met on one journey."""

    scenario: str
    journey: str
    persona: dict[str, Any]
    mode: str | None
    outcome: Outcome
    outcome_detail: str
    index: float
    components: dict[str, Any]
    frictions: list[Friction]
    steps: list[Step]
    simulated_minutes: float
    budget: dict[str, Any] = field(default_factory=dict)
    budget_violations: list[str] = field(default_factory=list)
    error: str | None = None
    started: str = ""
    wall_seconds: float = 0.0

    @property
    def id(self) -> str:
        """A stable identifier: scenario, journey, mode and persona."""
        mode = self.mode or "target"
        return f"{self.scenario}/{self.journey}/{mode}/{self.persona.get('id', '')}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "scenario": self.scenario,
            "journey": self.journey,
            "mode": self.mode,
            "persona": self.persona,
            "outcome": self.outcome.value,
            "outcome_detail": self.outcome_detail,
            "index": self.index,
            "components": self.components,
            "budget": self.budget,
            "budget_violations": self.budget_violations,
            "error": self.error,
            "simulated_minutes": self.simulated_minutes,
            "frictions": [f.to_dict() for f in self.frictions],
            "steps": [s.to_dict() for s in self.steps],
            "started": self.started,
            "wall_seconds": self.wall_seconds,
        }
