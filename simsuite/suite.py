"""What a suite of journeys adds up to: means, the worst journey, and the moments that hurt most."""

from __future__ import annotations

from typing import Any, Iterable

from .core.index import DEFAULT_WEIGHTS, band
from .model import FrictionKind
from .priorities import fix_first

TARGET_MODE = "target"


def mode_label(mode: str | None) -> str:
    """The name a reader sees for a mode: a target without modes is "target"."""
    return mode if mode else TARGET_MODE


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _scored(journeys: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [j for j in journeys if j.get("outcome") != "error"]


def _worst(journeys: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not journeys:
        return None
    return sorted(journeys, key=lambda j: (-float(j.get("index") or 0.0), str(j.get("id", ""))))[0]


def summarize(journeys: list[dict[str, Any]]) -> dict[str, Any]:
    """The suite's figures: count, mean index, worst journey, per scenario and mode, friction counts, and
    the problems to fix first (`simsuite.priorities`).

    Journeys whose outcome is "error" are not customer experience: they are left out of every mean,
    maximum, worst journey and friction count, and counted under "errors".
    """
    scored = _scored(journeys)
    worst = _worst(scored)

    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for j in journeys:
        groups.setdefault((str(j.get("scenario", "")), mode_label(j.get("mode"))), []).append(j)
    by_scenario = []
    for (scenario, mode), members in sorted(groups.items()):
        ok = _scored(members)
        mean = _mean([float(j.get("index") or 0.0) for j in ok])
        outcomes: dict[str, int] = {}
        for j in members:
            outcomes[str(j.get("outcome"))] = outcomes.get(str(j.get("outcome")), 0) + 1
        by_scenario.append({
            "scenario": scenario,
            "mode": mode,
            "count": len(members),
            "mean_index": mean,
            "max_index": max((float(j.get("index") or 0.0) for j in ok), default=None),
            "band": band(mean) if mean is not None else None,
            "outcomes": dict(sorted(outcomes.items())),
        })

    modes: dict[str, list[dict[str, Any]]] = {}
    for j in journeys:
        modes.setdefault(mode_label(j.get("mode")), []).append(j)
    by_mode = {}
    for mode, members in sorted(modes.items()):
        ok = _scored(members)
        w = _worst(ok)
        by_mode[mode] = {
            "count": len(members),
            "mean_index": _mean([float(j.get("index") or 0.0) for j in ok]),
            "worst_id": w.get("id") if w else None,
        }

    friction_counts: dict[str, int] = {k.value: 0 for k in FrictionKind}
    for j in scored:
        for f in j.get("frictions") or ():
            friction_counts[str(f.get("kind"))] = friction_counts.get(str(f.get("kind")), 0) + 1

    return {
        "count": len(journeys),
        "mean_index": _mean([float(j.get("index") or 0.0) for j in scored]),
        "worst": {
            "id": worst.get("id"),
            "scenario": worst.get("scenario"),
            "journey": worst.get("journey"),
            "mode": mode_label(worst.get("mode")),
            "index": worst.get("index"),
        } if worst else None,
        "by_scenario": by_scenario,
        "by_mode": by_mode,
        "friction_counts": friction_counts,
        "errors": len(journeys) - len(scored),
        "fix_first": fix_first(scored, mode_label=mode_label),
    }


def worst_mode(summary: dict[str, Any]) -> str | None:
    """The mode with the highest mean index in a summary (None if nothing was scored)."""
    scored = [(m, v["mean_index"]) for m, v in summary.get("by_mode", {}).items() if v.get("mean_index") is not None]
    if not scored:
        return None
    return sorted(scored, key=lambda mv: (-mv[1], mv[0]))[0][0]


def worst_moments(journeys: list[dict[str, Any]], n: int = 5, mode: str | None = None) -> list[dict[str, Any]]:
    """The `n` frictions that hurt most, in the company's own words.

    Ranked by the kind's default weight, then by the journey's index; at most one item per
    (kind, evidence) pair, and every scenario's worst moment before any scenario's second. `mode` keeps only journeys of that mode ("target" matches no mode).
    Error journeys are left out.
    """
    candidates = []
    for j in _scored(journeys):
        if mode is not None and mode_label(j.get("mode")) != mode and j.get("mode") != mode:
            continue
        steps = {s.get("index"): s for s in j.get("steps") or ()}
        for f in j.get("frictions") or ():
            kind = str(f.get("kind"))
            step = steps.get(f.get("step")) or {}
            candidates.append((
                (-DEFAULT_WEIGHTS.get(kind, 0.0), -float(j.get("index") or 0.0), str(j.get("id", "")),
                 int(f.get("step") or 0)),
                {
                    "journey_id": j.get("id"),
                    "scenario": j.get("scenario"),
                    "mode": mode_label(j.get("mode")),
                    "kind": kind,
                    "channel": f.get("channel"),
                    "step": f.get("step"),
                    "evidence": f.get("evidence", ""),
                    "detail": f.get("detail", ""),
                    "artifact": step.get("artifact"),
                },
            ))
    candidates.sort(key=lambda c: c[0])
    seen: set[tuple[str, str]] = set()
    ranked: list[dict[str, Any]] = []
    for _, item in candidates:
        key = (item["kind"], str(item["evidence"]))
        if key not in seen:
            seen.add(key)
            ranked.append(item)
    # Spread the moments over scenarios: each scenario's worst first, then the rest by rank.
    firsts: dict[Any, dict[str, Any]] = {}
    for item in ranked:
        firsts.setdefault(item["scenario"], item)
    chosen = list(firsts.values())[:n]
    chosen += [item for item in ranked if item not in chosen][: n - len(chosen)]
    return sorted(chosen, key=ranked.index)
