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


class Actor(str, Enum):
    """Who acted at a step: the customer, the company (its site, IVR, bot or mail), or simsuite itself."""

    CUSTOMER = "customer"
    COMPANY = "company"
    SYSTEM = "system"

    def __str__(self) -> str:
        return self.value


class Action(str, Enum):
    """What happened at a step. Each action knows who normally acts (`actor`)."""

    actor: Actor

    def __new__(cls, value: str, actor: Actor) -> "Action":
        member = str.__new__(cls, value)
        member._value_ = value
        member.actor = actor
        return member

    # the customer
    CALL = ("call", Actor.CUSTOMER)            # placed a phone call
    OPEN_CHAT = ("chat", Actor.CUSTOMER)       # opened a chat with a bot
    PRESSED = ("pressed", Actor.CUSTOMER)      # keys, or a chat button
    SAID = ("said", Actor.CUSTOMER)            # spoke, or typed a chat message
    NO_INPUT = ("no_input", Actor.CUSTOMER)    # stayed silent until a prompt timed out
    CLICK = ("click", Actor.CUSTOMER)
    FILL = ("fill", Actor.CUSTOMER)
    SELECT = ("select", Actor.CUSTOMER)
    LOOKED = ("looked", Actor.CUSTOMER)        # looked for a link, field or option and did not find it
    LATER = ("later", Actor.CUSTOMER)          # let time pass between contacts ("two days later")
    RECORD = ("record", Actor.CUSTOMER)        # left a voice message
    # the company
    PAGE = ("page", Actor.COMPANY)             # a web page shown
    REFUSED = ("refused", Actor.COMPANY)       # a form the site (or the browser, by the site's rules) would not take
    HEARD = ("heard", Actor.COMPANY)           # words said or written to the customer
    GATHER = ("gather", Actor.COMPANY)         # an IVR prompt listening for input
    PAUSE = ("pause", Actor.COMPANY)
    REDIRECT = ("redirect", Actor.COMPANY)     # the IVR moved to another document
    GOTO = ("goto", Actor.COMPANY)             # a VoiceXML dialog moved to another dialog
    SUBMIT = ("submit", Actor.COMPANY)         # a VoiceXML dialog sent what it collected
    TRANSFER = ("transfer", Actor.COMPANY)
    QUEUE = ("queue", Actor.COMPANY)
    HOLD = ("hold", Actor.COMPANY)
    HTTP_ERROR = ("http_error", Actor.COMPANY)
    BAD_DOCUMENT = ("bad_document", Actor.COMPANY)
    BAD_REPLY = ("bad_reply", Actor.COMPANY)
    NO_REPLY = ("no_reply", Actor.COMPANY)
    NO_MAIL = ("no_mail", Actor.COMPANY)
    # simsuite
    ENDED = ("ended", Actor.SYSTEM)            # a contact ended; the step's actor says who ended it
    OUTCOME = ("outcome", Actor.SYSTEM)
    NOTE = ("note", Actor.SYSTEM)
    BOUNDED = ("bounded", Actor.SYSTEM)        # a simulator bound stopped something

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @classmethod
    def parse(cls, value: "Action | str") -> "Action":
        """The action for a value; ValueError lists the known actions."""
        try:
            return cls(value)
        except ValueError:
            known = ", ".join(a.value for a in cls)
            raise ValueError(f"unknown step action {value!r}; known: {known}") from None


COMPANY_WORDS = frozenset({Action.PAGE, Action.HEARD})  # actions whose text is what the company said or showed


@dataclass
class Step:
    """One action of the customer, the company or simsuite, and what came back."""

    index: int
    channel: str
    action: Action
    detail: str
    text: str = ""
    at: float = 0.0
    status: int | None = None
    url: str | None = None
    contact: str | None = None
    artifact: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    actor: Actor | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.action, Action):
            self.action = Action.parse(self.action)
        self.actor = self.action.actor if self.actor is None else Actor(self.actor)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["action"] = self.action.value
        d["actor"] = self.actor.value
        return d


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
