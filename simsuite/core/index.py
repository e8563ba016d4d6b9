"""The Kafkaesque index: a bounded, monotone noisy-OR of the friction a journey met."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from ..model import Friction, FrictionKind, Outcome

DEFAULT_WEIGHTS: dict[str, float] = {
    "unresolved": 0.60,
    FrictionKind.UNAVAILABLE_DEMAND.value: 0.35,
    FrictionKind.DEAD_END.value: 0.30,
    FrictionKind.FORCED_SWITCH.value: 0.25,
    FrictionKind.MISSING_OPTION.value: 0.20,
    FrictionKind.LOOP.value: 0.15,
    FrictionKind.REPEATED_INFORMATION.value: 0.12,
    FrictionKind.TRANSFER.value: 0.10,
    FrictionKind.WAIT.value: 0.30,
}

BANDS: tuple[tuple[float, str], ...] = (
    (20, "effortless"),
    (40, "friction"),
    (60, "high effort"),
    (101, "Kafkaesque"),
)

UNRESOLVED_AMOUNT = {Outcome.RESOLVED: 0.0, Outcome.PROMISED: 0.5, Outcome.UNRESOLVED: 1.0, Outcome.ERROR: 0.0}


def band(index: float) -> str:
    """The brief's band for an index: effortless, friction, high effort or Kafkaesque."""
    for upper, name in BANDS:
        if index < upper:
            return name
    return BANDS[-1][1]


def wait_share(minutes: float) -> float:
    """W = min(1, ln(1 + minutes) / ln(31)): a 30-minute wait is the whole wait weight."""
    return min(1.0, math.log1p(max(0.0, minutes)) / math.log(31))


@dataclass(frozen=True)
class IndexWeights:
    """Weights of the index; override any of them by friction kind value or "unresolved"."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    unexplained_wait_multiplier: float = 1.5

    def with_overrides(self, overrides: dict[str, float] | None) -> "IndexWeights":
        """A copy with some weights replaced; unknown names are an error."""
        if not overrides:
            return self
        unknown = set(overrides) - set(self.weights)
        if unknown:
            raise ValueError(f"unknown index weight(s) {sorted(unknown)}; known: {sorted(self.weights)}")
        merged = {**self.weights, **{k: float(v) for k, v in overrides.items()}}
        for name, value in merged.items():
            if not 0.0 <= value < 1.0:
                raise ValueError(f"index weight {name}={value} must be at least 0 and below 1")
        return replace(self, weights=merged)


def wait_minutes(frictions: Iterable[Friction], multiplier: float = 1.5) -> float:
    """Total effective wait: each unexplained wait counts `multiplier` times its minutes."""
    total = 0.0
    for f in frictions:
        if f.kind is FrictionKind.WAIT and f.minutes:
            total += f.minutes * (1.0 if f.explained else multiplier)
    return total


def kafkaesque_index(
    outcome: Outcome, frictions: list[Friction], weights: IndexWeights | None = None
) -> tuple[float, dict[str, Any]]:
    """The index (0-100) and its components, per the brief's formula.

    KI = 100 * (1 - (1-w_U)^U * prod_i (1-w_i)^n_i * (1 - w_W * W))
    """
    w = (weights or IndexWeights()).weights
    mult = (weights or IndexWeights()).unexplained_wait_multiplier
    u = UNRESOLVED_AMOUNT[outcome]
    survive = (1.0 - w["unresolved"]) ** u
    counts: dict[str, float] = {}
    for f in frictions:
        if f.kind is FrictionKind.WAIT:
            continue
        counts[f.kind.value] = counts.get(f.kind.value, 0.0) + f.factor
    for kind, n in counts.items():
        survive *= (1.0 - w[kind]) ** n
    minutes = wait_minutes(frictions, mult)
    share = wait_share(minutes)
    survive *= 1.0 - w[FrictionKind.WAIT.value] * share
    index = round(100.0 * (1.0 - survive), 1)
    components = {
        "unresolved": u,
        "counts": {k.value: counts.get(k.value, 0.0) for k in FrictionKind if k is not FrictionKind.WAIT},
        "wait_minutes_effective": round(minutes, 1),
        "wait_share": round(share, 3),
        "weights": dict(w),
        "band": band(index),
    }
    return index, components
