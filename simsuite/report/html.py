"""report.html: one self-contained page (inline CSS and script, screenshots as data URIs) rendered with Jinja2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from ..core.index import DEFAULT_WEIGHTS, band
from ..suite import mode_label, summarize, worst_mode, worst_moments
from .headline import alerts_view, company_names, fix_first_view, join_names, targets_view
from .maps import map_view
from .trend import history_view
from .views import (MAX_SCREENSHOTS, Screenshots, band_class, channel_class, effort, friction_kinds, journey_band,
                    journey_view, kind_label, moment_lines, num)

REPORT_FILE = "report.html"
DETAIL_LIMIT = 200  # journeys drawn in full (worst first); the rest go in a compact table
PRINT_JOURNEYS = 5  # journeys the default PDF prints in full: those that matter, one per scenario and mode first
EXEC_MOMENTS = 3
EXEC_CHANGES = 6
FORMULA = "KI = 100 * (1 - (1-w_U)^U * prod_i (1-w_i)^n_i * (1 - w_W * W))"

_env: Environment | None = None


def _environment() -> Environment:
    global _env
    if _env is None:
        _env = Environment(loader=PackageLoader("simsuite.report", "templates"), autoescape=True,
                           trim_blocks=True, lstrip_blocks=True)
    return _env


def _outcomes_text(outcomes: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in outcomes.items())


def _mean_or_none(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def matters(j: dict[str, Any]) -> bool:
    """A journey worth printing: the customer met friction or did not get what they came for."""
    return bool(j.get("frictions")) or j.get("outcome") not in ("resolved", "error")


class _Journeys:
    """The run's journeys, worst first, with their anchors in the page and their effort."""

    def __init__(self, journeys: list[dict[str, Any]]) -> None:
        self.all = journeys
        self.ordered = sorted(journeys, key=lambda j: (j.get("outcome") == "error", -float(j.get("index") or 0.0),
                                                        str(j.get("id", ""))))
        self.anchors = {id(j): f"journey-{n}" for n, j in enumerate(self.ordered)}
        self.by_id = {j.get("id"): self.anchors[id(j)] for j in self.ordered}
        self.journey_by_id = {j.get("id"): j for j in self.ordered}
        self.efforts = {id(j): effort(j) for j in journeys}
        self.groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.mode_groups: dict[str, list[dict[str, Any]]] = {}
        for j in journeys:
            self.groups.setdefault((str(j.get("scenario", "")), mode_label(j.get("mode"))), []).append(j)
            self.mode_groups.setdefault(mode_label(j.get("mode")), []).append(j)

    def effort_means(self, members: list[dict[str, Any]]) -> dict[str, Any]:
        """Mean customer minutes, steps and facts asked for over the journeys that ran."""
        ok = [self.efforts[id(j)] for j in members if j.get("outcome") != "error"]
        return {"minutes": _mean_or_none([e["minutes"] for e in ok]),
                "steps": _mean_or_none([float(e["steps"]) for e in ok]),
                "facts": _mean_or_none([float(e["facts_asked"]) for e in ok])}

    def printed(self, limit: int = PRINT_JOURNEYS) -> set[int]:
        """The journeys the default PDF prints: those that matter, worst first, one per scenario, journey
        and mode before any second one, at most `limit`."""
        candidates = [j for j in self.ordered[:DETAIL_LIMIT] if matters(j)]
        seen: set[tuple[Any, ...]] = set()
        first, rest = [], []
        for j in candidates:
            key = (j.get("scenario"), j.get("journey"), j.get("mode"))
            (rest if key in seen else first).append(j)
            seen.add(key)
        return {id(j) for j in (first + rest)[:limit]}


def _mode_views(summary: dict[str, Any], js: _Journeys) -> list[dict[str, Any]]:
    modes = []
    for name, m in summary["by_mode"].items():
        worst = js.journey_by_id.get(m["worst_id"]) if m["worst_id"] else None
        if worst is not None and not float(worst.get("index") or 0.0):
            worst = None  # an effortless mode has no worst journey worth naming
        b = band(m["mean_index"]) if m["mean_index"] is not None else None
        members = js.mode_groups.get(name, [])
        modes.append({
            "name": name, "count": m["count"], "mean": m["mean_index"], "band": b, "band_class": band_class(b),
            "errors": sum(1 for j in members if j.get("outcome") == "error"),
            "effort": js.effort_means(members),
            "worst": {
                "scenario": worst.get("scenario"), "journey": worst.get("journey"), "index": worst.get("index"),
                "persona": (worst.get("persona") or {}).get("name", ""), "anchor": js.by_id.get(worst.get("id")),
            } if worst else None,
        })
    return modes


def _scenario_rows(summary: dict[str, Any], js: _Journeys, hist: dict[str, Any],
                   mode_names: list[str]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for row in summary["by_scenario"]:
        cells = rows.setdefault(row["scenario"], {})
        key = f"{row['scenario']} ({row['mode']})"
        cells[row["mode"]] = {**row, "band_class": band_class(row["band"]),
                              "outcomes_text": _outcomes_text(row["outcomes"]),
                              "effort": js.effort_means(js.groups.get((row["scenario"], row["mode"]), [])),
                              "trend": hist["scenario_trends"].get(key)}
    return [{"scenario": s, "cells": [cells.get(m) for m in mode_names]} for s, cells in rows.items()]


def _compact_rows(js: _Journeys) -> list[dict[str, Any]]:
    compact = []
    for j in js.ordered[DETAIL_LIMIT:]:
        e = js.efforts[id(j)]
        kinds: dict[str, int] = {}
        for f in j.get("frictions") or ():
            kinds[kind_label(f.get("kind"))] = kinds.get(kind_label(f.get("kind")), 0) + 1
        b = journey_band(j)
        compact.append({
            "anchor": js.anchors[id(j)], "id": j.get("id", ""), "scenario": j.get("scenario", ""),
            "journey": j.get("journey", ""), "mode": mode_label(j.get("mode")), "kinds": friction_kinds(j),
            "persona": (j.get("persona") or {}).get("name", ""), "index": j.get("index"),
            "band": b, "band_class": band_class(b), "outcome": j.get("outcome", ""),
            "minutes": num(round(e["minutes"], 1)), "steps": e["steps"], "channels": ", ".join(e["channels"]),
            "facts": e["facts_asked"], "frictions": ", ".join(f"{k} \u00d7{n}" for k, n in kinds.items()),
        })
    return compact


def _moments(journeys: list[dict[str, Any]], mode: str | None, js: _Journeys,
             shots: Screenshots) -> list[dict[str, Any]]:
    moments = []
    for m in worst_moments(journeys, n=EXEC_MOMENTS, mode=mode):
        web = m["channel"] == "web"
        moments.append({**m, "kind_label": kind_label(m["kind"]), "channel_class": channel_class(m["channel"]),
                        "img": shots.uri(m["artifact"]) if web or m["artifact"] else None,
                        "lines": [] if web else moment_lines(js.journey_by_id.get(m["journey_id"]), m["step"]),
                        "anchor": js.by_id.get(m["journey_id"])})
    return moments


def _map_findings(maps: list[dict[str, Any]]) -> dict[str, Any]:
    """What the explorers' maps found, for the executive page: how many findings, of which kinds."""
    kinds: dict[str, int] = {}
    for m in maps:
        for f in m.get("findings") or ():
            kinds[kind_label(f.get("kind"))] = kinds.get(kind_label(f.get("kind")), 0) + 1
    return {"maps": len(maps), "count": sum(kinds.values()),
            "kinds": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))}


def _filters(journeys: list[dict[str, Any]]) -> dict[str, list[tuple[str, str]]]:
    """The choices each journey filter offers: (value, label) pairs in a stable order."""
    def choices(values: list[str], label=lambda v: v) -> list[tuple[str, str]]:
        return [(v, label(v)) for v in dict.fromkeys(v for v in values if v)]
    return {
        "mode": choices([mode_label(j.get("mode")) for j in journeys]),
        "scenario": choices(sorted(str(j.get("scenario") or "") for j in journeys)),
        "outcome": choices(sorted(str(j.get("outcome") or "") for j in journeys)),
        "kind": choices(sorted(k for j in journeys for k in friction_kinds(j)), kind_label),
    }


def _journey_views(js: _Journeys, shots: Screenshots) -> list[dict[str, Any]]:
    printed = js.printed()
    return [{**journey_view(j, js.anchors[id(j)], shots), "matters": matters(j), "printed": id(j) in printed}
            for j in js.ordered[:DETAIL_LIMIT]]


def _view(doc: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    journeys = list(doc.get("journeys") or [])
    summary = summarize(journeys)
    run = doc.get("run") or {}
    shots = Screenshots(out_dir)
    js = _Journeys(journeys)
    modes = _mode_views(summary, js)
    mode_names = [m["name"] for m in modes]
    hist = history_view(doc.get("history"), {m["name"]: m["mean"] for m in modes}, run.get("id"))
    wmode = worst_mode(summary)
    moments = _moments(journeys, wmode, js, shots)
    journey_views = _journey_views(js, shots)
    weights = next((j.get("components", {}).get("weights") for j in js.ordered
                    if (j.get("components") or {}).get("weights")), None) or dict(DEFAULT_WEIGHTS)
    weight_rows = [(("unresolved (w_U)" if k == "unresolved" else "wait (w_W)" if k == "wait"
                     else kind_label(k)), v) for k, v in weights.items()]
    errors = [{"anchor": js.anchors[id(j)], "id": j.get("id", ""), "error": j.get("error"),
               "outcome_detail": j.get("outcome_detail", "")} for j in js.ordered if j.get("outcome") == "error"]
    companies = company_names(doc)
    return {
        "company": join_names(companies) or "simsuite",
        "run": {
            "id": run.get("id"),
            "started": run.get("started") or "",
            "finished": run.get("finished") or "",
            "complete": run.get("complete", True),
            "seed": run.get("seed"),
            "workers": run.get("workers"),
        },
        "targets": targets_view(doc, companies),
        "tool": doc.get("tool") or {},
        "summary": summary,
        "fix_first": fix_first_view(doc, js.by_id, summary.get("fix_first")),
        "modes": modes,
        "mode_names": mode_names,
        "scenario_rows": _scenario_rows(summary, js, hist, mode_names),
        "worst_mode": wmode,
        "moments": moments,
        "history": hist,
        "notices": alerts_view(doc.get("history")),
        "exec_changes": EXEC_CHANGES,
        "journeys": journey_views,
        "printed_count": sum(1 for j in journey_views if j["printed"]),
        "filters": _filters(js.ordered),
        "compact": _compact_rows(js),
        "detail_limit": DETAIL_LIMIT,
        "maps": [map_view(m) for m in doc.get("maps") or []],
        "map_findings": _map_findings(doc.get("maps") or []),
        "errors": errors,
        "formula": FORMULA,
        "weights": weight_rows,
        "screenshots_capped": shots.embedded >= MAX_SCREENSHOTS,
        "max_screenshots": MAX_SCREENSHOTS,
    }


def render_html(doc: dict[str, Any], out_dir: Path) -> Path:
    """Write `out_dir/report.html` for a results document and return its path.

    Screenshot artifacts (paths relative to `out_dir`) are embedded as data URIs, at most
    MAX_SCREENSHOTS of them; missing files are skipped. Everything from a site is escaped.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = _environment().get_template("report.html.j2").render(**_view(doc, out_dir))
    path = out_dir / REPORT_FILE
    path.write_text(html, encoding="utf-8")
    return path
