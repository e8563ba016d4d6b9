"""What changed between two runs: index per scenario, friction new and gone, with evidence from both.

`compare` is pure: it reads two results documents (from results.json or `History.load`) and returns
plain data the report, the scheduler's alerts and `simsuite compare` all use; `format_comparison`
renders that for a terminal.
"""

from __future__ import annotations

import re
from typing import Any

from .suite import mode_label, summarize

_SPACE = re.compile(r"\s+")


def _norm(text: Any) -> str:
    return _SPACE.sub(" ", str(text or "")).strip()


def _run_info(doc: dict[str, Any]) -> dict[str, Any]:
    run = doc.get("run") or {}
    summary = summarize(list(doc.get("journeys") or []))
    return {
        "id": run.get("id") or run.get("started"),
        "started": run.get("started"),
        "finished": run.get("finished"),
        "target": run.get("target"),
        "seed": run.get("seed"),
        "version": (doc.get("tool") or {}).get("version"),
        "git_revision": run.get("git_revision"),
        "journeys": summary["count"],
    }


def _change(before: float | None, after: float | None) -> float | None:
    return round(after - before, 1) if before is not None and after is not None else None


def _frictions(doc: dict[str, Any]) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """First occurrence of each (scenario, mode, kind, evidence) in a run's scored journeys, in order."""
    found: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for j in doc.get("journeys") or ():
        if not isinstance(j, dict) or j.get("outcome") == "error":
            continue
        scenario, mode = str(j.get("scenario", "")), mode_label(j.get("mode"))
        for f in j.get("frictions") or ():
            kind = str(f.get("kind"))
            key = (scenario, mode, kind, _norm(f.get("evidence")))
            if key not in found:
                found[key] = {"scenario": scenario, "mode": mode, "kind": kind, "channel": f.get("channel"),
                              "evidence": f.get("evidence", ""), "journey_id": j.get("id"), "step": f.get("step")}
    return found


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Compare two results documents (`before` the older run).

    Returns {"before": run info, "after": run info, "scenarios": [{"scenario", "mode", "before",
    "after", "change"}], "suite": {"before", "after", "change"}, "new_frictions": [...],
    "gone_frictions": [...], "new_kinds": [kind, ...], "new_kinds_by_scenario": [{"scenario", "mode",
    "kind"}], "worse": [...], "better": [...]}.

    Run info is {"id" (run.id, else run.started), "started", "finished", "target", "seed", "version",
    "git_revision", "journeys"}. Indexes are mean indexes of scored journeys; None where a scenario
    and mode was not run (or nothing in it was scored). A friction is identified by (scenario, mode,
    kind, evidence) with whitespace collapsed; new ones carry `after`'s channel, journey and step, gone
    ones `before`'s. `new_kinds` are kinds that occur after in some scenario and mode where they did not
    occur before. `worse` has the scenario entries whose index rose (largest rise first), `better`
    those whose index fell (largest fall first).
    """
    sb, sa = summarize(list(before.get("journeys") or [])), summarize(list(after.get("journeys") or []))
    mb = {(r["scenario"], r["mode"]): r["mean_index"] for r in sb["by_scenario"]}
    ma = {(r["scenario"], r["mode"]): r["mean_index"] for r in sa["by_scenario"]}
    scenarios = []
    for key in sorted(set(mb) | set(ma)):
        b, a = mb.get(key), ma.get(key)
        scenarios.append({"scenario": key[0], "mode": key[1], "before": b, "after": a, "change": _change(b, a)})

    fb, fa = _frictions(before), _frictions(after)
    new = [item for key, item in fa.items() if key not in fb]
    gone = [item for key, item in fb.items() if key not in fa]

    kinds_before = {(k[0], k[1], k[2]) for k in fb}
    by_scenario: list[dict[str, Any]] = []
    for k in fa:
        entry = {"scenario": k[0], "mode": k[1], "kind": k[2]}
        if (k[0], k[1], k[2]) not in kinds_before and entry not in by_scenario:
            by_scenario.append(entry)
    new_kinds = sorted({e["kind"] for e in by_scenario})

    changed = [s for s in scenarios if s["change"] is not None]
    return {
        "before": _run_info(before),
        "after": _run_info(after),
        "scenarios": scenarios,
        "suite": {"before": sb["mean_index"], "after": sa["mean_index"],
                  "change": _change(sb["mean_index"], sa["mean_index"])},
        "new_frictions": new,
        "gone_frictions": gone,
        "new_kinds": new_kinds,
        "new_kinds_by_scenario": by_scenario,
        "worse": sorted((s for s in changed if s["change"] > 0), key=lambda s: -s["change"]),
        "better": sorted((s for s in changed if s["change"] < 0), key=lambda s: s["change"]),
    }


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _arrow(before: float | None, after: float | None, change: float | None) -> str:
    if before is None and after is not None:
        return "new"
    if after is None and before is not None:
        return "gone"
    if change is None:
        return "-"
    if change > 0:
        return f"▲ +{change:.1f} worse"
    if change < 0:
        return f"▼ {change:.1f} better"
    return "= 0.0"


def _quote(text: Any, limit: int = 160) -> str:
    text = _norm(text)
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _run_name(info: dict[str, Any]) -> str:
    name = str(info.get("id") or "?")
    extra = [str(info[k]) for k in ("started", "git_revision") if info.get(k) and info.get(k) != info.get("id")]
    return f"{name} ({', '.join(extra)})" if extra else name


def _friction_line(sign: str, f: dict[str, Any]) -> str:
    kind = str(f.get("kind")).replace("_", " ")
    where = ", ".join(str(x) for x in (f.get("channel"), f"step {f.get('step')}" if f.get("step") is not None else None,
                                       f.get("journey_id")) if x)
    return f"  {sign} {kind} in {f['scenario']} ({f['mode']}) [{where}]: \"{_quote(f.get('evidence'))}\""


def format_comparison(comparison: dict[str, Any]) -> str:
    """Plain text for the terminal: suite and per-scenario index change, friction new and gone."""
    c = comparison
    lines = [f"simsuite compare: {_run_name(c['before'])} -> {_run_name(c['after'])}"]
    s = c["suite"]
    lines.append(f"Suite index: {_num(s['before'])} -> {_num(s['after'])}  {_arrow(s['before'], s['after'], s['change'])}")
    if c["scenarios"]:
        lines.append("Index per scenario:")
        width = max(len(f"{r['scenario']} ({r['mode']})") for r in c["scenarios"])
        for r in c["scenarios"]:
            name = f"{r['scenario']} ({r['mode']})"
            lines.append(f"  {name:<{width}}  {_num(r['before']):>5} -> {_num(r['after']):>5}  "
                         f"{_arrow(r['before'], r['after'], r['change'])}")
    new, gone = c["new_frictions"], c["gone_frictions"]
    lines.append(f"New friction ({len(new)}):" if new else "New friction: none")
    lines += [_friction_line("+", f) for f in new]
    lines.append(f"Friction gone ({len(gone)}):" if gone else "Friction gone: none")
    lines += [_friction_line("-", f) for f in gone]
    by_scenario = c.get("new_kinds_by_scenario") or []
    if by_scenario:
        lines.append("New kinds of friction: " + "; ".join(
            f"{e['kind'].replace('_', ' ')} in {e['scenario']} ({e['mode']})" for e in by_scenario))
    return "\n".join(lines)
