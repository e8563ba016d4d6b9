"""report.html: one self-contained page (inline CSS, screenshots as data URIs) rendered with Jinja2."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from ..core.index import DEFAULT_WEIGHTS, band
from ..results import actor_of
from ..suite import mode_label, summarize, worst_mode, worst_moments
from .lanes import clock as _lane_clock
from .lanes import lanes_svg
from .maps import map_view
from .trend import history_view

REPORT_FILE = "report.html"
MAX_SCREENSHOTS = 40
MAX_SCREENSHOT_BYTES = 3 * 1024 * 1024
DETAIL_LIMIT = 200  # journeys drawn in full (worst first); the rest go in a compact table
EXEC_MOMENTS = 3
EXEC_CHANGES = 6
TEXT_EXCERPT = 400
FORMULA = "KI = 100 * (1 - (1-w_U)^U * prod_i (1-w_i)^n_i * (1 - w_W * W))"

_BAND_CLASS = {"effortless": "effortless", "friction": "friction", "high effort": "high", "Kafkaesque": "kafka"}
_CHANNELS = ("web", "phone", "chat", "email", "sms", "app", "in_person")
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}
_WORDS_ACTIONS = {"heard", "gather"}  # company steps whose text is what the company said
_ASKED_KINDS = {"unavailable_demand", "repeated_information"}

_env: Environment | None = None


def _environment() -> Environment:
    global _env
    if _env is None:
        _env = Environment(loader=PackageLoader("simsuite.report", "templates"), autoescape=True,
                           trim_blocks=True, lstrip_blocks=True)
    return _env


class _Screenshots:
    """Embeds artifacts as data URIs, each file once, at most MAX_SCREENSHOTS files."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.cache: dict[str, str | None] = {}
        self.embedded = 0

    def uri(self, artifact: str | None) -> str | None:
        if not artifact:
            return None
        if artifact in self.cache:
            return self.cache[artifact]
        if self.embedded >= MAX_SCREENSHOTS:
            return None
        path = self.out_dir / artifact
        mime = _MIME.get(path.suffix.lower())
        data = None
        try:
            if mime and path.is_file() and path.stat().st_size <= MAX_SCREENSHOT_BYTES:
                data = f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
        except OSError:
            data = None
        self.cache[artifact] = data
        self.embedded += 1 if data else 0
        return data


def _band_class(name: str | None) -> str:
    return _BAND_CLASS.get(name or "", "none")


def _channel_class(channel: Any) -> str:
    return channel if channel in _CHANNELS else "other"


def _kind_label(kind: Any) -> str:
    return str(kind).replace("_", " ")


def _num(n: Any) -> str:
    n = float(n or 0)
    return str(int(n)) if n.is_integer() else f"{n:.1f}"


def _clock(seconds: Any) -> str:
    return _lane_clock(seconds)


def effort(j: dict[str, Any]) -> dict[str, Any]:
    """The customer's time and effort on one journey: simulated minutes, steps, channels, facts asked for.

    Facts asked for = the facts the customer gave (steps' data.gave) plus the demands they could not
    meet or had to repeat (unavailable_demand and repeated_information frictions).
    """
    steps = j.get("steps") or []
    channels: dict[str, None] = {}
    gave: list[str] = []
    for s in steps:
        if s.get("channel"):
            channels.setdefault(str(s["channel"]), None)
        for fact in (s.get("data") or {}).get("gave") or ():
            gave.append(str(fact))
    asked = sum(1 for f in j.get("frictions") or () if str(f.get("kind")) in _ASKED_KINDS)
    return {"minutes": float(j.get("simulated_minutes") or 0.0), "steps": len(steps),
            "channels": list(channels), "facts_asked": len(gave) + asked, "facts_given": gave}


def _excerpt(text: Any, limit: int = TEXT_EXCERPT) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _outcomes_text(outcomes: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in outcomes.items())


def _speaker(step: dict[str, Any]) -> str | None:
    """Who acted at a step, as the transcript names them (None for simsuite's own notes)."""
    actor = actor_of(step)
    if actor == "company":
        return "IVR" if step.get("channel") == "phone" else "Company"
    if actor == "customer":
        return "Customer"
    return None


def _transcript_line(step: dict[str, Any]) -> dict[str, str]:
    action = str(step.get("action", ""))
    detail = str(step.get("detail") or "")
    text = _excerpt(step.get("text"))
    speaker = _speaker(step)
    if action == "heard":
        words = text or detail
    elif action in ("pressed", "said"):
        said = detail or text
        words = said if said.lower().startswith(action) else (
            f"pressed {said}" if action == "pressed" else f"said \u201c{said}\u201d")
    else:
        words = f"{action}: {detail}" + (f" \u2014 {text}" if text else "")
    role = "customer" if speaker == "Customer" else ("company" if speaker else "note")
    return {"speaker": speaker or "Call", "role": role,
            "words": words, "step": str(step.get("index", "")), "time": _clock(step.get("at"))}


def _format_targets(targets: Any) -> list[str]:
    if targets is None:
        return []
    if isinstance(targets, (str, int, float)):
        return [str(targets)]
    if isinstance(targets, dict):
        return [f"{k}: {v}" for k, v in targets.items()]
    out = []
    for t in targets:
        out.append(", ".join(f"{k}={v}" for k, v in t.items()) if isinstance(t, dict) else str(t))
    return out


def _journey_view(j: dict[str, Any], anchor: str, shots: _Screenshots) -> dict[str, Any]:
    comps = j.get("components") or {}
    persona = j.get("persona") or {}
    frictions = j.get("frictions") or []
    by_step: dict[Any, list[str]] = {}
    for f in frictions:
        by_step.setdefault(f.get("step"), []).append(_kind_label(f.get("kind")))
    steps, transcripts = [], []
    calls: dict[str, list[dict[str, str]]] = {}
    for s in j.get("steps") or []:
        speaker = _speaker(s)
        steps.append({
            "index": s.get("index"),
            "time": _clock(s.get("at")),
            "channel": s.get("channel") or "",
            "channel_class": _channel_class(s.get("channel")),
            "action": s.get("action") or "",
            "speaker": speaker,
            "detail": s.get("detail") or "",
            "status": s.get("status"),
            "url": s.get("url") or "",
            "excerpt": _excerpt(s.get("text")),
            "artifact": s.get("artifact"),
            "img": shots.uri(s.get("artifact")),
            "frictions": by_step.get(s.get("index"), []),
        })
        if s.get("channel") == "phone":
            calls.setdefault(str(s.get("contact") or "call"), []).append(_transcript_line(s))
    for contact, lines in calls.items():
        transcripts.append({"contact": contact, "lines": lines})
    index = j.get("index")
    band_name = comps.get("band") if j.get("outcome") != "error" else None
    if band_name is None and index is not None and j.get("outcome") != "error":
        band_name = band(float(index))
    all_channels = list(persona.get("channels") or [])
    e = effort(j)
    return {
        "effort": {**e, "minutes": _num(round(e["minutes"], 1)),
                   "channels_badges": [{"name": c, "class": _channel_class(c)} for c in e["channels"]],
                   "facts_given_text": ", ".join(sorted(set(e["facts_given"])))},
        "lanes": lanes_svg(j),
        "anchor": anchor,
        "id": j.get("id", ""),
        "scenario": j.get("scenario", ""),
        "journey": j.get("journey", ""),
        "mode": mode_label(j.get("mode")),
        "persona_name": persona.get("name", ""),
        "persona_channels": [{"name": c, "class": _channel_class(c)} for c in all_channels],
        "persona_missing": [c for c in _CHANNELS if c not in all_channels] if all_channels else [],
        "persona_knows": list(persona.get("knows") or []),
        "persona_situation": list(persona.get("situation") or []),
        "index": index,
        "band": band_name,
        "band_class": _band_class(band_name),
        "outcome": j.get("outcome", ""),
        "outcome_detail": j.get("outcome_detail", ""),
        "error": j.get("error"),
        "budget_violations": list(j.get("budget_violations") or []),
        "simulated_minutes": _num(j.get("simulated_minutes")),
        "counts": [(_kind_label(k), _num(n)) for k, n in (comps.get("counts") or {}).items() if n],
        "wait_minutes": _num(comps.get("wait_minutes_effective")),
        "unresolved": _num(comps.get("unresolved")),
        "frictions": [{
            "kind": _kind_label(f.get("kind")),
            "channel": f.get("channel") or "",
            "channel_class": _channel_class(f.get("channel")),
            "step": f.get("step"),
            "evidence": f.get("evidence", ""),
            "detail": f.get("detail", ""),
        } for f in frictions],
        "steps": steps,
        "transcripts": transcripts,
    }


def _moment_lines(j: dict[str, Any] | None, step_index: Any) -> list[dict[str, str]]:
    """For a phone or chat moment: what the customer did just before, then the sentence they heard."""
    if not j:
        return []
    steps = j.get("steps") or []
    pos = next((k for k, st in enumerate(steps) if st.get("index") == step_index), None)
    if pos is None:
        return []
    channel = steps[pos].get("channel")
    heard = None
    for k in range(pos, -1, -1):
        st = steps[k]
        if st.get("channel") == channel and actor_of(st) == "company" and str(st.get("action")) in _WORDS_ACTIONS \
                and str(st.get("text") or "").strip():
            heard = k
            break
    lines = []
    if heard is not None:
        for k in range(heard - 1, -1, -1):
            if actor_of(steps[k]) == "customer":
                line = _transcript_line(steps[k])
                lines.append({**line, "speaker": "Customer", "role": "customer"})
                break
        h = steps[heard]
        lines.append({"speaker": "IVR" if channel == "phone" else "Company", "role": "company",
                      "words": _excerpt(h.get("text"), 300), "step": str(h.get("index", "")),
                      "time": _clock(h.get("at"))})
    return lines


def _mean_or_none(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


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


def _mode_views(summary: dict[str, Any], js: _Journeys) -> list[dict[str, Any]]:
    modes = []
    for name, m in summary["by_mode"].items():
        worst = js.journey_by_id.get(m["worst_id"]) if m["worst_id"] else None
        b = band(m["mean_index"]) if m["mean_index"] is not None else None
        members = js.mode_groups.get(name, [])
        modes.append({
            "name": name, "count": m["count"], "mean": m["mean_index"], "band": b, "band_class": _band_class(b),
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
        cells[row["mode"]] = {**row, "band_class": _band_class(row["band"]),
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
            kinds[_kind_label(f.get("kind"))] = kinds.get(_kind_label(f.get("kind")), 0) + 1
        b = (j.get("components") or {}).get("band") or (band(float(j.get("index") or 0))
                                                        if j.get("outcome") != "error" else None)
        compact.append({
            "anchor": js.anchors[id(j)], "id": j.get("id", ""), "scenario": j.get("scenario", ""),
            "journey": j.get("journey", ""), "mode": mode_label(j.get("mode")),
            "persona": (j.get("persona") or {}).get("name", ""), "index": j.get("index"),
            "band": b, "band_class": _band_class(b), "outcome": j.get("outcome", ""),
            "minutes": _num(round(e["minutes"], 1)), "steps": e["steps"], "channels": ", ".join(e["channels"]),
            "facts": e["facts_asked"], "frictions": ", ".join(f"{k} \u00d7{n}" for k, n in kinds.items()),
        })
    return compact


def _moments(journeys: list[dict[str, Any]], mode: str | None, js: _Journeys,
             shots: _Screenshots) -> list[dict[str, Any]]:
    moments = []
    for m in worst_moments(journeys, n=EXEC_MOMENTS, mode=mode):
        web = m["channel"] == "web"
        moments.append({**m, "kind_label": _kind_label(m["kind"]), "channel_class": _channel_class(m["channel"]),
                        "img": shots.uri(m["artifact"]) if web or m["artifact"] else None,
                        "lines": [] if web else _moment_lines(js.journey_by_id.get(m["journey_id"]), m["step"]),
                        "anchor": js.by_id.get(m["journey_id"])})
    return moments


def _map_findings(maps: list[dict[str, Any]]) -> dict[str, Any]:
    """What the explorers' maps found, for the executive page: how many findings, of which kinds."""
    kinds: dict[str, int] = {}
    for m in maps:
        for f in m.get("findings") or ():
            kinds[_kind_label(f.get("kind"))] = kinds.get(_kind_label(f.get("kind")), 0) + 1
    return {"maps": len(maps), "count": sum(kinds.values()),
            "kinds": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))}


def _view(doc: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    journeys = list(doc.get("journeys") or [])
    summary = summarize(journeys)
    run = doc.get("run") or {}
    shots = _Screenshots(out_dir)
    js = _Journeys(journeys)
    modes = _mode_views(summary, js)
    mode_names = [m["name"] for m in modes]
    hist = history_view(doc.get("history"), summary["mean_index"], run.get("id"))
    wmode = worst_mode(summary)
    moments = _moments(journeys, wmode, js, shots)
    journey_views = [_journey_view(j, js.anchors[id(j)], shots) for j in js.ordered[:DETAIL_LIMIT]]
    weights = next((j.get("components", {}).get("weights") for j in js.ordered
                    if (j.get("components") or {}).get("weights")), None) or dict(DEFAULT_WEIGHTS)
    weight_rows = [(("unresolved (w_U)" if k == "unresolved" else "wait (w_W)" if k == "wait"
                     else _kind_label(k)), v) for k, v in weights.items()]
    errors = [{"anchor": js.anchors[id(j)], "id": j.get("id", ""), "error": j.get("error"),
               "outcome_detail": j.get("outcome_detail", "")} for j in js.ordered if j.get("outcome") == "error"]
    return {
        "run": {
            "started": run.get("started") or "",
            "finished": run.get("finished") or "",
            "complete": run.get("complete", True),
            "seed": run.get("seed"),
            "targets": _format_targets(run.get("targets")),
        },
        "tool": doc.get("tool") or {},
        "summary": summary,
        "modes": modes,
        "mode_names": mode_names,
        "scenario_rows": _scenario_rows(summary, js, hist, mode_names),
        "worst_mode": wmode,
        "moments": moments,
        "history": hist,
        "exec_changes": EXEC_CHANGES,
        "journeys": journey_views,
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
