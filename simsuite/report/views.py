"""One journey as the report shows it: its steps, call transcripts, effort, friction and the data the filters read."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

from ..core.index import band
from ..results import actor_of
from ..suite import mode_label
from .lanes import clock as _lane_clock
from .lanes import lanes_svg

MAX_SCREENSHOTS = 40
MAX_SCREENSHOT_BYTES = 3 * 1024 * 1024
TEXT_EXCERPT = 400

_BAND_CLASS = {"effortless": "effortless", "friction": "friction", "high effort": "high", "Kafkaesque": "kafka"}
CHANNELS = ("web", "phone", "chat", "email", "sms", "app", "in_person")
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp"}
WORDS_ACTIONS = {"heard", "gather"}  # company steps whose text is what the company said
_ASKED_KINDS = {"unavailable_demand", "repeated_information"}


class Screenshots:
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


def band_class(name: str | None) -> str:
    return _BAND_CLASS.get(name or "", "none")


def channel_class(channel: Any) -> str:
    return channel if channel in CHANNELS else "other"


def kind_label(kind: Any) -> str:
    return str(kind).replace("_", " ")


def num(n: Any) -> str:
    n = float(n or 0)
    return str(int(n)) if n.is_integer() else f"{n:.1f}"


def clock(seconds: Any) -> str:
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


def excerpt(text: Any, limit: int = TEXT_EXCERPT) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def journey_band(j: dict[str, Any]) -> str | None:
    """The journey's band, None for an error (an error is not scored)."""
    if j.get("outcome") == "error":
        return None
    name = (j.get("components") or {}).get("band")
    if name is None and j.get("index") is not None:
        name = band(float(j["index"]))
    return name


def speaker(step: dict[str, Any]) -> str | None:
    """Who acted at a step, as the transcript names them (None for simsuite's own notes)."""
    actor = actor_of(step)
    if actor == "company":
        return "IVR" if step.get("channel") == "phone" else "Company"
    if actor == "customer":
        return "Customer"
    return None


def transcript_line(step: dict[str, Any], heard_before: str = "") -> dict[str, str]:
    """One line of a call transcript; a step repeating the words just heard (a Gather carrying its
    prompt, a hold or hang-up carrying the last sentence) shows only what happened, not the words again."""
    action = str(step.get("action", ""))
    detail = str(step.get("detail") or "")
    text = excerpt(step.get("text"))
    if text and text == heard_before and action != "heard":
        text = ""
    who = speaker(step)
    if action == "heard":
        words = text or detail
    elif action in ("pressed", "said"):
        said = detail or text
        words = said if said.lower().startswith(action) else (
            f"pressed {said}" if action == "pressed" else f"said \u201c{said}\u201d")
    else:
        words = f"{action}: {detail}" + (f" \u2014 {text}" if text else "")
    role = "customer" if who == "Customer" else ("company" if who else "note")
    return {"speaker": who or "Call", "role": role,
            "words": words, "step": str(step.get("index", "")), "time": clock(step.get("at"))}


def transcripts(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each phone call's transcript, without the same words twice in a row from the same speaker."""
    calls: dict[str, list[dict[str, str]]] = {}
    heard: dict[str, str] = {}
    for s in steps:
        if s.get("channel") != "phone":
            continue
        contact = str(s.get("contact") or "call")
        lines = calls.setdefault(contact, [])
        line = transcript_line(s, heard.get(contact, ""))
        text = excerpt(s.get("text"))
        if actor_of(s) == "company" and text:
            heard[contact] = text
        elif actor_of(s) == "customer":
            heard[contact] = ""
        if lines and lines[-1]["speaker"] == line["speaker"] and lines[-1]["words"] == line["words"]:
            continue
        lines.append(line)
    return [{"contact": contact, "lines": lines} for contact, lines in calls.items()]


def _step_view(s: dict[str, Any], prev_text: str, frictions: list[str], shots: Screenshots) -> dict[str, Any]:
    text = excerpt(s.get("text"))
    return {
        "index": s.get("index"), "time": clock(s.get("at")), "channel": s.get("channel") or "",
        "channel_class": channel_class(s.get("channel")), "action": s.get("action") or "",
        "speaker": speaker(s), "detail": s.get("detail") or "", "status": s.get("status"),
        "url": s.get("url") or "",
        # the same words as the step before (a Gather after its prompt): said once
        "excerpt": "" if text and text == prev_text and s.get("action") != "heard" else text,
        "repeat": bool(text and text == prev_text),
        "artifact": s.get("artifact"), "img": shots.uri(s.get("artifact")), "frictions": frictions,
    }


def friction_kinds(j: dict[str, Any]) -> list[str]:
    """The friction kinds a journey met (their data names, for the filters), in first-met order."""
    return list(dict.fromkeys(str(f.get("kind")) for f in j.get("frictions") or () if f.get("kind")))


def journey_view(j: dict[str, Any], anchor: str, shots: Screenshots) -> dict[str, Any]:
    comps = j.get("components") or {}
    persona = j.get("persona") or {}
    frictions = j.get("frictions") or []
    by_step: dict[Any, list[str]] = {}
    for f in frictions:
        by_step.setdefault(f.get("step"), []).append(kind_label(f.get("kind")))
    steps, prev = [], ""
    for s in j.get("steps") or []:
        steps.append(_step_view(s, prev, by_step.get(s.get("index"), []), shots))
        prev = excerpt(s.get("text")) or prev
    band_name = journey_band(j)
    all_channels = list(persona.get("channels") or [])
    e = effort(j)
    return {
        "effort": {**e, "minutes": num(round(e["minutes"], 1)),
                   "channels_badges": [{"name": c, "class": channel_class(c)} for c in e["channels"]],
                   "facts_given_text": ", ".join(sorted(set(e["facts_given"])))},
        "lanes": lanes_svg(j),
        "anchor": anchor,
        "id": j.get("id", ""),
        "scenario": j.get("scenario", ""),
        "journey": j.get("journey", ""),
        "mode": mode_label(j.get("mode")),
        "kinds": friction_kinds(j),
        "persona_name": persona.get("name", ""),
        "persona_channels": [{"name": c, "class": channel_class(c)} for c in all_channels],
        "persona_missing": [c for c in CHANNELS if c not in all_channels] if all_channels else [],
        "persona_knows": list(persona.get("knows") or []),
        "persona_situation": list(persona.get("situation") or []),
        "index": j.get("index"),
        "band": band_name,
        "band_class": band_class(band_name),
        "outcome": j.get("outcome", ""),
        "outcome_detail": j.get("outcome_detail", ""),
        "error": j.get("error"),
        "budget_violations": list(j.get("budget_violations") or []),
        "simulated_minutes": num(j.get("simulated_minutes")),
        "counts": [(kind_label(k), num(n)) for k, n in (comps.get("counts") or {}).items() if n],
        "wait_minutes": num(comps.get("wait_minutes_effective")),
        "unresolved": num(comps.get("unresolved")),
        "frictions": [{
            "kind": kind_label(f.get("kind")),
            "channel": f.get("channel") or "",
            "channel_class": channel_class(f.get("channel")),
            "step": f.get("step"),
            "evidence": f.get("evidence", ""),
            "detail": f.get("detail", ""),
        } for f in frictions],
        "steps": steps,
        "transcripts": transcripts(j.get("steps") or []),
    }


def moment_lines(j: dict[str, Any] | None, step_index: Any) -> list[dict[str, str]]:
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
        if st.get("channel") == channel and actor_of(st) == "company" and str(st.get("action")) in WORDS_ACTIONS \
                and str(st.get("text") or "").strip():
            heard = k
            break
    lines = []
    if heard is not None:
        for k in range(heard - 1, -1, -1):
            if actor_of(steps[k]) == "customer":
                line = transcript_line(steps[k])
                lines.append({**line, "speaker": "Customer", "role": "customer"})
                break
        h = steps[heard]
        lines.append({"speaker": "IVR" if channel == "phone" else "Company", "role": "company",
                      "words": excerpt(h.get("text"), 300), "step": str(h.get("index", "")),
                      "time": clock(h.get("at"))})
    return lines
