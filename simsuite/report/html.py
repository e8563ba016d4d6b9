"""report.html: one self-contained page (inline CSS, screenshots as data URIs) rendered with Jinja2."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader

from ..index import DEFAULT_WEIGHTS, band
from ..suite import mode_label, summarize, worst_mode, worst_moments
from .maps import map_view

REPORT_FILE = "report.html"
MAX_SCREENSHOTS = 40
MAX_SCREENSHOT_BYTES = 3 * 1024 * 1024
TEXT_EXCERPT = 400
FORMULA = "KI = 100 * (1 - (1-w_U)^U * prod_i (1-w_i)^n_i * (1 - w_W * W))"

_BAND_CLASS = {"effortless": "effortless", "friction": "friction", "high effort": "high", "Kafkaesque": "kafka"}
_CHANNELS = ("web", "phone", "chat", "email", "sms", "app", "in_person")
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}
_COMPANY_ACTIONS = {"heard", "reply", "received", "read"}
_CUSTOMER_ACTIONS = {"pressed", "said", "sent", "typed"}

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

    def uri(self, artifact: str | None) -> str | None:
        if not artifact:
            return None
        if artifact in self.cache:
            return self.cache[artifact]
        if sum(1 for v in self.cache.values() if v) >= MAX_SCREENSHOTS:
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
    s = int(float(seconds or 0))
    return f"{s // 60:02d}:{s % 60:02d}"


def _excerpt(text: Any, limit: int = TEXT_EXCERPT) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _outcomes_text(outcomes: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in outcomes.items())


def _speaker(step: dict[str, Any]) -> str | None:
    action = str(step.get("action", ""))
    if action in _COMPANY_ACTIONS:
        return "IVR" if step.get("channel") == "phone" else "Company"
    if action in _CUSTOMER_ACTIONS:
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
    return {
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


def _view(doc: dict[str, Any], out_dir: Path) -> dict[str, Any]:
    journeys = list(doc.get("journeys") or [])
    summary = summarize(journeys)
    run = doc.get("run") or {}
    shots = _Screenshots(out_dir)

    ordered = sorted(journeys, key=lambda j: (j.get("outcome") == "error", -float(j.get("index") or 0.0),
                                               str(j.get("id", ""))))
    anchors = {id(j): f"journey-{n}" for n, j in enumerate(ordered)}
    by_id = {j.get("id"): anchors[id(j)] for j in ordered}

    modes = []
    for name, m in summary["by_mode"].items():
        worst = next((j for j in ordered if j.get("id") == m["worst_id"]), None) if m["worst_id"] else None
        b = band(m["mean_index"]) if m["mean_index"] is not None else None
        modes.append({
            "name": name, "count": m["count"], "mean": m["mean_index"], "band": b, "band_class": _band_class(b),
            "errors": sum(1 for j in journeys if mode_label(j.get("mode")) == name and j.get("outcome") == "error"),
            "worst": {
                "scenario": worst.get("scenario"), "journey": worst.get("journey"), "index": worst.get("index"),
                "persona": (worst.get("persona") or {}).get("name", ""), "anchor": by_id.get(worst.get("id")),
            } if worst else None,
        })
    mode_names = [m["name"] for m in modes]
    rows: dict[str, dict[str, Any]] = {}
    for row in summary["by_scenario"]:
        cells = rows.setdefault(row["scenario"], {})
        cells[row["mode"]] = {**row, "band_class": _band_class(row["band"]),
                              "outcomes_text": _outcomes_text(row["outcomes"])}
    scenario_rows = [{"scenario": s, "cells": [cells.get(m) for m in mode_names]} for s, cells in rows.items()]

    wmode = worst_mode(summary)
    moments = []
    for m in worst_moments(journeys, n=5, mode=wmode):
        moments.append({**m, "kind_label": _kind_label(m["kind"]), "channel_class": _channel_class(m["channel"]),
                        "img": shots.uri(m["artifact"]), "anchor": by_id.get(m["journey_id"])})

    journey_views = [_journey_view(j, anchors[id(j)], shots) for j in ordered]

    weights = next((j.get("components", {}).get("weights") for j in ordered
                    if (j.get("components") or {}).get("weights")), None) or dict(DEFAULT_WEIGHTS)
    weight_rows = [(("unresolved (w_U)" if k == "unresolved" else "wait (w_W)" if k == "wait"
                     else _kind_label(k)), v) for k, v in weights.items()]

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
        "scenario_rows": scenario_rows,
        "worst_mode": wmode,
        "moments": moments,
        "journeys": journey_views,
        "maps": [map_view(m) for m in doc.get("maps") or []],
        "errors": [j for j in journey_views if j["outcome"] == "error"],
        "formula": FORMULA,
        "weights": weight_rows,
        "screenshots_capped": sum(1 for v in shots.cache.values() if v) >= MAX_SCREENSHOTS,
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
