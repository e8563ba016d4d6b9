"""A short plain-text summary of a run for the terminal."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..core.index import band
from ..suite import mode_label, summarize, worst_mode, worst_moments


def _truncate(text: Any, limit: int) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def format_summary(doc: dict[str, Any], report_path: Path | None = None) -> str:
    """Plain text: per scenario and mode, the mean per mode, the worst 3 moments, errors, report path."""
    journeys = list(doc.get("journeys") or [])
    summary = summarize(journeys)
    run = doc.get("run") or {}
    lines = []
    maps = doc.get("maps") or []
    if summary["count"] or not maps:
        head = f"simsuite: {summary['count']} journey{'' if summary['count'] == 1 else 's'}"
    else:  # an explorer's run: maps, no journeys
        head = f"simsuite: {len(maps)} map{'' if len(maps) == 1 else 's'}"
    if run.get("seed") is not None:
        head += f", seed {run['seed']}"
    if run.get("complete") is False:
        head += " (run incomplete)"
    lines.append(head)

    rows = summary["by_scenario"]
    width_s = max((len(r["scenario"]) for r in rows), default=0)
    width_m = max((len(r["mode"]) for r in rows), default=0)
    for r in rows:
        score = f"{r['mean_index']:5.1f}  {r['band']}" if r["mean_index"] is not None else "    -  not scored"
        outcomes = ", ".join(f"{n} {o}" for o, n in r["outcomes"].items())
        lines.append(f"  {r['scenario']:<{width_s}}  {r['mode']:<{width_m}}  {score}  ({outcomes})")

    means = [f"{m} {v['mean_index']:.1f} ({band(v['mean_index'])})" if v["mean_index"] is not None else f"{m} -"
             for m, v in summary["by_mode"].items()]
    if means:
        lines.append("Mean index: " + ", ".join(means))

    problems = summary.get("fix_first") or []
    if problems:
        lines.append("Fix these first:")
        for p in problems[:3]:
            drops = p.get("drop_by_mode") or {}
            drop = ", ".join(f"-{v:.1f} {m}" for m, v in drops.items()) if len(drops) > 1 or len(
                summary["by_mode"]) > 1 else f"-{p['drop']:.1f}"
            lines.append(f"  {p['rank']}. \"{_truncate(p['words'], 90)}\" ({p['where']}; {p['customers']} "
                         f"customer{'' if p['customers'] == 1 else 's'}; index {drop})")

    wmode = worst_mode(summary)
    moments = worst_moments(journeys, n=3, mode=wmode)
    if moments:
        lines.append(f"Worst moments{f' ({wmode})' if wmode and len(summary['by_mode']) > 1 else ''}:")
        for m in moments:
            kind = str(m["kind"]).replace("_", " ")
            lines.append(f"  - {kind} ({m['channel']}, {m['scenario']}): \"{_truncate(m['evidence'], 100)}\"")

    errors = [j for j in journeys if j.get("outcome") == "error"]
    if errors:
        lines.append(f"Errors: {len(errors)} (not scored)")
        for j in errors:
            ident = j.get("id") or f"{j.get('scenario')}/{j.get('journey')}/{mode_label(j.get('mode'))}"
            lines.append(f"  - {ident}: {_truncate(j.get('error') or j.get('outcome_detail'), 200)}")

    if maps:
        lines.append(f"Maps: {len(maps)}")
        for m in maps:
            ends: dict[str, int] = {}
            for node in m.get("nodes") or []:
                if node.get("end"):
                    ends[node["end"]] = ends.get(node["end"], 0) + 1
            where = f"{m.get('kind')} {m.get('target')}" + (f" ({m['mode']})" if m.get("mode") else "")
            if m.get("goal"):
                where += f" goal \"{_truncate(m['goal'], 40)}\""
            ended = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in sorted(ends.items()))
            lines.append(f"  {where}: {len(m.get('nodes') or [])} states; ends: {ended or 'none'}; "
                         f"{len(m.get('findings') or [])} findings")
            for f in (m.get("findings") or [])[:3]:
                path = " > ".join(str(p) for p in f.get("path") or []) or "(start)"
                lines.append(f"    - {str(f.get('kind', '')).replace('_', ' ')}: \"{_truncate(f.get('evidence'), 80)}\" "
                             f"[path: {path}]")

    if report_path is not None:
        lines.append(f"Report: {report_path}")
    return "\n".join(lines)
