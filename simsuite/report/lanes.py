"""Journey maps: one journey as a swim-lane diagram in inline SVG.

One lane per channel the customer used (in order of first use), each step a small mark in step
order (x is the step's order, not its time, so bursts stay readable), a dashed connector where the
customer switches channel with the simulated clock written there, and each friction a red marker
whose <title> names the kind and quotes the evidence. Everything from a site is escaped.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..results import actor_of

MAX_STEPS = 150
LANE_H = 40
LABEL_W = 78
PAD = 10
TOP = 24
CHANNEL_COLOURS = {
    "web": "#1d4ed8", "phone": "#6d28d9", "chat": "#0f766e", "email": "#9a3412", "sms": "#be185d",
    "app": "#4338ca", "in_person": "#374151",
}
OTHER_COLOUR = "#555555"
_SHORT = {
    "dead_end": "dead end", "forced_channel_switch": "switch", "unavailable_demand": "unavailable",
    "repeated_information": "repeat", "transfer": "transfer", "loop": "loop", "wait": "wait",
    "missing_option": "no option",
}


def clock(seconds: Any) -> str:
    """Simulated time as m:ss, or h:mm:ss past an hour."""
    s = int(float(seconds or 0))
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60:02d}:{rest % 60:02d}"


def _short(text: Any, limit: int = 90) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def lane_channels(steps: list[dict[str, Any]]) -> list[str]:
    """The channels a journey used, in order of first use."""
    seen: dict[str, None] = {}
    for s in steps:
        seen.setdefault(str(s.get("channel") or "other"), None)
    return list(seen)


class _Grid:
    """Where each step sits: x by its order, y by its channel's lane."""

    def __init__(self, channels: list[str], n: int) -> None:
        self.lane_of = {c: i for i, c in enumerate(channels)}
        self.dx = 14 if n <= 60 else 9 if n <= 100 else 7
        self.width = LABEL_W + PAD * 2 + max(n - 1, 1) * self.dx + 60
        self.height = TOP + len(channels) * LANE_H + PAD

    def x(self, k: int) -> float:
        return LABEL_W + PAD + k * self.dx

    def y(self, channel: str) -> float:
        return TOP + self.lane_of[channel] * LANE_H + LANE_H / 2


def _channel(step: dict[str, Any]) -> str:
    return str(step.get("channel") or "other")


def lanes_svg(journey: dict[str, Any], max_steps: int = MAX_STEPS) -> Markup:
    """The journey's swim-lane diagram (role="img", labelled), or an empty Markup without steps."""
    all_steps = list(journey.get("steps") or [])
    if not all_steps:
        return Markup("")
    steps = all_steps[:max_steps]
    channels = lane_channels(steps)
    grid = _Grid(channels, len(steps))
    frictions = journey.get("frictions") or []
    switches = sum(1 for a, b in zip(steps, steps[1:]) if a.get("channel") != b.get("channel"))
    label = (f"Journey map: {len(channels)} channel{'s' if len(channels) != 1 else ''} "
             f"({', '.join(channels)}), {len(all_steps)} steps, {switches} channel switch"
             f"{'es' if switches != 1 else ''}, {len(frictions)} friction{'s' if len(frictions) != 1 else ''}")
    out = [f'<svg class="lanes" width="{grid.width}" height="{grid.height}" '
           f'viewBox="0 0 {grid.width} {grid.height}" role="img" aria-label="{escape(label)}">'
           f'<title>{escape(label)}</title>']
    for i, c in enumerate(channels):
        y = TOP + i * LANE_H
        out.append(f'<rect class="lane" data-channel="{escape(c)}" x="0" y="{y}" width="{grid.width}" '
                   f'height="{LANE_H}" fill="{"#f6f7f9" if i % 2 == 0 else "#ffffff"}"/>'
                   f'<text class="lane-label" x="6" y="{y + LANE_H / 2 + 4:.0f}">{escape(c)}</text>')
    # the path through the lanes: one polyline, switches drawn as dashed connectors over it
    points = " ".join(f"{grid.x(k):.0f},{grid.y(_channel(s)):.0f}" for k, s in enumerate(steps))
    out.append(f'<polyline points="{points}" fill="none" stroke="#9aa4b1" stroke-width="1"/>')
    out.extend(_switch_marks(steps, grid))
    out.extend(_step_marks(steps, grid))
    out.extend(_friction_marks(steps, frictions, grid))
    out.append("</svg>")
    if len(all_steps) > max_steps:
        out.append(f'<p class="meta">The first {len(steps)} of {len(all_steps)} steps are drawn; the timeline '
                   'and results.json have them all.</p>')
    return Markup("".join(out))


def _switch_marks(steps: list[dict[str, Any]], grid: _Grid) -> list[str]:
    out, prev = [], None
    for k, s in enumerate(steps):
        ch = _channel(s)
        if prev is not None and prev[1] != ch:
            x1, y1, x2, y2 = grid.x(prev[0]), grid.y(prev[1]), grid.x(k), grid.y(ch)
            at = clock(s.get("at"))
            out.append(f'<line class="switch" x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                       f'stroke="#111" stroke-width="1.6" stroke-dasharray="3,2"><title>'
                       f'{escape(f"switch from {prev[1]} to {ch} at {at}")}</title></line>'
                       f'<text class="clock" x="{x2:.0f}" y="{TOP - 12 if grid.lane_of[ch] == 0 else y2 - 8:.0f}" '
                       f'text-anchor="middle">{at}</text>')
        prev = (k, ch)
    return out


def _step_marks(steps: list[dict[str, Any]], grid: _Grid) -> list[str]:
    """A filled circle where the customer acted, a hollow square where the company or simsuite did."""
    out = []
    for k, s in enumerate(steps):
        ch = _channel(s)
        colour = CHANNEL_COLOURS.get(ch, OTHER_COLOUR)
        x, y = grid.x(k), grid.y(ch)
        tip = escape(f"#{s.get('index')} {clock(s.get('at'))} {s.get('action', '')}: {_short(s.get('detail'), 60)}")
        if actor_of(s) == "customer":
            out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="3.5" fill="{colour}"><title>{tip}</title></circle>')
        else:
            out.append(f'<rect x="{x - 3:.0f}" y="{y - 3:.0f}" width="6" height="6" fill="#fff" '
                       f'stroke="{colour}" stroke-width="1.5"><title>{tip}</title></rect>')
    return out


def _friction_marks(steps: list[dict[str, Any]], frictions: list[dict[str, Any]], grid: _Grid) -> list[str]:
    by_step: dict[Any, list[dict[str, Any]]] = {}
    for f in frictions:
        by_step.setdefault(f.get("step"), []).append(f)
    pos_of_index = {s.get("index"): k for k, s in enumerate(steps)}
    out: list[str] = []
    last_label: dict[str, tuple[float, int]] = {}
    for idx, fs in sorted(by_step.items(), key=lambda kv: pos_of_index.get(kv[0], -1)):
        k = pos_of_index.get(idx)
        if k is None:
            continue
        ch = _channel(steps[k])
        x, y = grid.x(k), grid.y(ch)
        kinds = ", ".join(str(f.get("kind", "")).replace("_", " ") for f in fs)
        tip = "; ".join(f"{str(f.get('kind', '')).replace('_', ' ')}: \u201c{_short(f.get('evidence'))}\u201d"
                        for f in fs)
        short = _SHORT.get(str(fs[0].get("kind")), str(fs[0].get("kind", "")).replace("_", " "))
        if len(fs) > 1:
            short += f" +{len(fs) - 1}"
        prev_x, prev_tier = last_label.get(ch, (-1e9, 1))
        tier = (1 - prev_tier) if x - prev_x < 60 else 0
        last_label[ch] = (x, tier)
        out.append(f'<g class="fr" data-kind="{escape(kinds)}"><title>{escape(tip)}</title>'
                   f'<path d="M{x:.0f},{y - 5:.0f} l-5,-9 h10 z" fill="#c62828"/>'
                   f'<text class="fr-label" x="{x - 2:.0f}" y="{y + 12 + tier * 8:.0f}">{escape(short)}</text></g>')
    return out
