"""Journey maps: one journey as a swim-lane diagram in inline SVG.

One lane per channel the customer used (in order of first use), each step a small mark; the distance
between two steps grows with the square root of the simulated time between them (with a minimum, so
bursts stay readable and a 41-minute hold is visibly longer than a key press), long gaps have their
duration written above them, a dashed connector marks where the customer switches channel with the
simulated clock, and each friction is a red marker whose <title> names the kind and quotes the evidence.
Labels are packed into rows so that none overlaps another. Everything from a site is escaped.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..results import actor_of

MAX_STEPS = 150
LABEL_W = 78
PAD = 10
MIN_GAP = 12       # px between two steps at the same moment
GAP_PER_ROOT_S = 5  # px per square root of a second: a 41-minute hold is ~250 px, a key press ~20 px
MAX_GAP = 320
LONG_GAP_S = 60    # a gap this long gets its duration written above it
ROW_H = 11         # a row of labels
LANE_MIN_H = 34
CHAR_W = 0.64      # a label's width per character, in em (generous: labels must never overlap)
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


def duration(seconds: float) -> str:
    """A gap in plain words: 45 s, 41 min, 1 h 05 min."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{round(s / 60)} min"
    return f"{s // 3600} h {round(s % 3600 / 60):02d} min"


def text_width(text: str, size: float) -> float:
    return len(text) * size * CHAR_W + 2


class _Rows:
    """Greedy packing of labels into rows: a label goes in the first row where it overlaps nothing."""

    def __init__(self, gap: float = 4) -> None:
        self.rows: list[list[tuple[float, float]]] = []
        self.gap = gap

    def place(self, x0: float, x1: float) -> int:
        for r, row in enumerate(self.rows):
            if all(x1 + self.gap <= a or x0 >= b + self.gap for a, b in row):
                row.append((x0, x1))
                return r
        self.rows.append([(x0, x1)])
        return len(self.rows) - 1


class _Layout:
    """Where each step sits (x by simulated time, y by its channel's lane) and where each label goes."""

    def __init__(self, steps: list[dict[str, Any]], channels: list[str], frictions: list[dict[str, Any]]) -> None:
        self.xs: list[float] = []
        x = LABEL_W + PAD
        prev = None
        for s in steps:
            at = float(s.get("at") or 0.0)
            if prev is not None:
                x += min(MAX_GAP, MIN_GAP + GAP_PER_ROOT_S * max(0.0, at - prev) ** 0.5)
            self.xs.append(x)
            prev = at
        # the time band above the lanes: switch clocks and long gaps' durations
        self.top_rows = _Rows()
        self.time_labels: list[tuple[float, int, str, str]] = []  # (centre x, row, text, title)
        for k in range(1, len(steps)):
            gap = float(steps[k].get("at") or 0) - float(steps[k - 1].get("at") or 0)
            if gap >= LONG_GAP_S:
                self._time_label((self.xs[k - 1] + self.xs[k]) / 2, duration(gap),
                                 f"{duration(gap)} between step {steps[k - 1].get('index')} and {steps[k].get('index')}")
            if _channel(steps[k]) != _channel(steps[k - 1]):
                at = clock(steps[k].get("at"))
                self._time_label(self.xs[k], at, f"switch from {_channel(steps[k - 1])} to {_channel(steps[k])} at {at}")
        self.top = 6 + max(len(self.top_rows.rows), 1) * ROW_H + 4
        # friction labels below their markers, packed per lane
        self.fr_rows = {c: _Rows() for c in channels}
        self.fr_labels: dict[Any, int] = {}
        pos = {s.get("index"): k for k, s in enumerate(steps)}
        for idx, fs in _frictions_by_step(frictions, pos):
            k = pos[idx]
            text = _fr_text(fs)
            x0 = self.xs[k] - 2
            self.fr_labels[idx] = self.fr_rows[_channel(steps[k])].place(x0, x0 + text_width(text, 9))
        self.lane_h = {c: LANE_MIN_H + len(self.fr_rows[c].rows) * 10 for c in channels}
        self.lane_y: dict[str, float] = {}
        y = self.top
        for c in channels:
            self.lane_y[c] = y
            y += self.lane_h[c]
        self.height = y + PAD
        self.width = (self.xs[-1] if self.xs else LABEL_W) + 70

    def _time_label(self, x: float, text: str, title: str) -> None:
        w = text_width(text, 9)
        row = self.top_rows.place(x - w / 2, x + w / 2)
        self.time_labels.append((x, row, text, title))

    def y(self, channel: str) -> float:
        return self.lane_y[channel] + 16


def _frictions_by_step(frictions: list[dict[str, Any]], pos: dict[Any, int]) -> list[tuple[Any, list[dict[str, Any]]]]:
    by_step: dict[Any, list[dict[str, Any]]] = {}
    for f in frictions:
        if f.get("step") in pos:
            by_step.setdefault(f.get("step"), []).append(f)
    return sorted(by_step.items(), key=lambda kv: pos[kv[0]])


def _fr_text(fs: list[dict[str, Any]]) -> str:
    short = _SHORT.get(str(fs[0].get("kind")), str(fs[0].get("kind", "")).replace("_", " "))
    return short + (f" +{len(fs) - 1}" if len(fs) > 1 else "")


def _channel(step: dict[str, Any]) -> str:
    return str(step.get("channel") or "other")


def lanes_svg(journey: dict[str, Any], max_steps: int = MAX_STEPS) -> Markup:
    """The journey's swim-lane diagram (role="img", labelled), or an empty Markup without steps."""
    all_steps = list(journey.get("steps") or [])
    if not all_steps:
        return Markup("")
    steps = all_steps[:max_steps]
    channels = lane_channels(steps)
    frictions = journey.get("frictions") or []
    lay = _Layout(steps, channels, frictions)
    switches = sum(1 for a, b in zip(steps, steps[1:]) if a.get("channel") != b.get("channel"))
    label = (f"Journey map: {len(channels)} channel{'s' if len(channels) != 1 else ''} "
             f"({', '.join(channels)}), {len(all_steps)} steps over {duration(float(steps[-1].get('at') or 0))}, "
             f"{switches} channel switch{'es' if switches != 1 else ''}, "
             f"{len(frictions)} friction{'s' if len(frictions) != 1 else ''}")
    w, h = round(lay.width), round(lay.height)
    out = [f'<svg class="lanes" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
           f'aria-label="{escape(label)}"><title>{escape(label)}</title>']
    for i, c in enumerate(channels):
        y = lay.lane_y[c]
        out.append(f'<rect class="lane" data-channel="{escape(c)}" x="0" y="{y:.0f}" width="{w}" '
                   f'height="{lay.lane_h[c]}" fill="{"#f6f7f9" if i % 2 == 0 else "#ffffff"}"/>'
                   f'<text class="lane-label" x="6" y="{lay.y(c) + 4:.0f}">{escape(_short(c, 11))}</text>')
    for x, row, text, title in lay.time_labels:
        out.append(f'<g class="time"><title>{escape(title)}</title><line x1="{x:.0f}" x2="{x:.0f}" '
                   f'y1="{6 + row * ROW_H + 3:.0f}" y2="{lay.top:.0f}" stroke="#c5cad3" stroke-width="0.8"/>'
                   f'<text class="clock" x="{x:.0f}" y="{6 + (row + 1) * ROW_H - 3:.0f}" text-anchor="middle">'
                   f'{escape(text)}</text></g>')
    # the path through the lanes: one polyline, switches drawn as dashed connectors over it
    points = " ".join(f"{lay.xs[k]:.0f},{lay.y(_channel(s)):.0f}" for k, s in enumerate(steps))
    out.append(f'<polyline points="{points}" fill="none" stroke="#9aa4b1" stroke-width="1.2"/>')
    out.extend(_switch_marks(steps, lay))
    out.extend(_step_marks(steps, lay))
    out.extend(_friction_marks(steps, frictions, lay))
    out.append("</svg>")
    if len(all_steps) > max_steps:
        out.append(f'<p class="meta">The first {len(steps)} of {len(all_steps)} steps are drawn; the timeline '
                   'and results.json have them all.</p>')
    return Markup("".join(out))


def _switch_marks(steps: list[dict[str, Any]], lay: _Layout) -> list[str]:
    out = []
    for k in range(1, len(steps)):
        a, b = _channel(steps[k - 1]), _channel(steps[k])
        if a != b:
            at = clock(steps[k].get("at"))
            out.append(f'<line class="switch" x1="{lay.xs[k - 1]:.0f}" y1="{lay.y(a):.0f}" x2="{lay.xs[k]:.0f}" '
                       f'y2="{lay.y(b):.0f}" stroke="#111" stroke-width="1.6" stroke-dasharray="3,2"><title>'
                       f'{escape(f"switch from {a} to {b} at {at}")}</title></line>')
    return out


def _step_marks(steps: list[dict[str, Any]], lay: _Layout) -> list[str]:
    """A filled circle where the customer acted, a hollow square where the company or simsuite did."""
    out = []
    for k, s in enumerate(steps):
        ch = _channel(s)
        colour = CHANNEL_COLOURS.get(ch, OTHER_COLOUR)
        x, y = lay.xs[k], lay.y(ch)
        tip = escape(f"#{s.get('index')} {clock(s.get('at'))} {s.get('action', '')}: {_short(s.get('detail'), 60)}")
        if actor_of(s) == "customer":
            out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="3.5" fill="{colour}"><title>{tip}</title></circle>')
        else:
            out.append(f'<rect x="{x - 3:.0f}" y="{y - 3:.0f}" width="6" height="6" fill="#fff" '
                       f'stroke="{colour}" stroke-width="1.5"><title>{tip}</title></rect>')
    return out


def _friction_marks(steps: list[dict[str, Any]], frictions: list[dict[str, Any]], lay: _Layout) -> list[str]:
    pos = {s.get("index"): k for k, s in enumerate(steps)}
    out: list[str] = []
    for idx, fs in _frictions_by_step(frictions, pos):
        k = pos[idx]
        x, y = lay.xs[k], lay.y(_channel(steps[k]))
        kinds = ", ".join(str(f.get("kind", "")).replace("_", " ") for f in fs)
        tip = "; ".join(f"{str(f.get('kind', '')).replace('_', ' ')}: \u201c{_short(f.get('evidence'))}\u201d"
                        for f in fs)
        out.append(f'<g class="fr" data-kind="{escape(kinds)}"><title>{escape(tip)}</title>'
                   f'<path d="M{x:.0f},{y - 5:.0f} l-5,-9 h10 z" fill="#c62828"/>'
                   f'<text class="fr-label" x="{x - 2:.0f}" y="{y + 14 + lay.fr_labels[idx] * 10:.0f}">'
                   f'{escape(_fr_text(fs))}</text></g>')
    return out
