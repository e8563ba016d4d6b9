"""Trends and "what changed": views of `doc["history"]` (filled in by the caller before rendering).

`doc["history"]` = {"trend": {"runs": [{"id", "started", "mean_index"}, ...oldest first],
"modes": {"<mode>": [...]}, "scenarios": {"<scenario> (<mode>)": [...]}}, "previous": {...} | None,
"comparison": compare() | None, "alerts": [...], "deliveries": [...]}. Every part may be missing (a first run).
The trend plots one line per mode (never the mean of all modes together, which matches no card).
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

THRESHOLDS = (20, 40, 60)
MAX_POINTS = 60
MAX_LISTED = 12
# one colour and one dash pattern per mode, so the lines differ without colour too
SERIES_STYLES = (("#b00020", ""), ("#1b6b34", "6,3"), ("#0b4fb3", "2,2"), ("#6d28d9", "8,3,2,3"),
                 ("#8a4b00", "1,3"), ("#374151", "10,4"))


def _points(runs: Any) -> list[dict[str, Any]]:
    out = []
    for r in runs or []:
        if isinstance(r, dict) and isinstance(r.get("mean_index"), (int, float)):
            out.append(r)
    return out[-MAX_POINTS:]


def trend_svg(runs: list[dict[str, Any]], label: str, width: int = 460, height: int = 130,
              small: bool = False) -> Markup:
    """A line chart of the index over runs (0-100 scale), band thresholds as faint lines.

    Each point is a <circle class="pt"> with a <title> (run, time, index); role="img" with a label
    that states the first and last values so a screen reader gets the trend in words.
    """
    pts = _points(runs)
    if not pts:
        return Markup("")
    if small:
        width, height = 120, 28
    left, right, top, bottom = (2, 2, 2, 2) if small else (28, 10, 8, 18)
    iw, ih = width - left - right, height - top - bottom
    n = len(pts)

    def x(i: int) -> float:
        return left + (iw * i / (n - 1) if n > 1 else iw / 2)

    def y(v: float) -> float:
        return top + ih * (1 - max(0.0, min(100.0, float(v))) / 100)

    first, last = pts[0]["mean_index"], pts[-1]["mean_index"]
    words = (f"{label}: {n} run{'s' if n != 1 else ''}, from {first:g} to {last:g}" if n > 1
             else f"{label}: one run, {last:g}")
    out = [f'<svg class="trend{" spark" if small else ""}" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(words)}"><title>{escape(words)}</title>']
    for t in THRESHOLDS:
        out.append(f'<line class="threshold" x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                   'stroke="#9e9e9e" stroke-width="0.7" stroke-dasharray="2,3" opacity="0.7"/>')
        if not small:
            out.append(f'<text class="axis" x="{left - 4}" y="{y(t) + 3:.1f}" text-anchor="end">{t}</text>')
    if n > 1:
        line = " ".join(f"{x(i):.1f},{y(p['mean_index']):.1f}" for i, p in enumerate(pts))
        out.append(f'<polyline points="{line}" fill="none" stroke="#1a1a1a" stroke-width="{1.2 if small else 1.8}"/>')
    r = 1.8 if small else 3.2
    for i, p in enumerate(pts):
        tip = f"{p.get('started') or p.get('id') or ''}: {p['mean_index']:g}"
        out.append(f'<circle class="pt" cx="{x(i):.1f}" cy="{y(p["mean_index"]):.1f}" r="{r}" '
                   f'fill="{"#b00020" if i == n - 1 else "#1a1a1a"}"><title>{escape(tip)}</title></circle>')
    if not small:
        out.append(f'<text class="axis" x="{left}" y="{height - 4}">{escape(str(pts[0].get("started") or "")[:10])}</text>'
                   f'<text class="axis" x="{width - right}" y="{height - 4}" text-anchor="end">'
                   f'{escape(str(pts[-1].get("started") or "")[:10])}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def _change_words(change: Any) -> dict[str, Any]:
    if not isinstance(change, (int, float)):
        return {"arrow": "", "words": "no comparison", "cls": "same", "value": None}
    c = round(float(change), 1)
    if c > 0:
        return {"arrow": "\u25b2", "words": f"up {c:g} (worse)", "cls": "worse", "value": c}
    if c < 0:
        return {"arrow": "\u25bc", "words": f"down {-c:g} (better)", "cls": "better", "value": c}
    return {"arrow": "=", "words": "no change", "cls": "same", "value": 0.0}


def _fmt(v: Any) -> str:
    return f"{float(v):g}" if isinstance(v, (int, float)) else "\u2013"


def _friction(f: dict[str, Any]) -> dict[str, Any]:
    return {"scenario": f.get("scenario") or "", "mode": f.get("mode") or "",
            "kind": str(f.get("kind") or "").replace("_", " "), "channel": f.get("channel") or "",
            "evidence": f.get("evidence") or "", "journey_id": f.get("journey_id") or "", "step": f.get("step")}


def _by_run(runs: list[dict[str, Any]]) -> list[str]:
    """Every run's key in time order (the x axis all the lines share)."""
    keys: dict[str, str] = {}
    for r in runs:
        key = str(r.get("id") or r.get("started") or "")
        keys.setdefault(key, str(r.get("started") or ""))
    return sorted(keys, key=lambda k: keys[k])


def mode_series(trend: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """One series per mode: trend.modes, else the per-scenario series "<scenario> (<mode>)" averaged by mode."""
    modes = trend.get("modes")
    if isinstance(modes, dict) and modes:
        return {str(m): _points(pts) for m, pts in modes.items() if _points(pts)}
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for key, pts in (trend.get("scenarios") or {}).items():
        key = str(key)
        mode = key[key.rindex("(") + 1:-1] if key.endswith(")") and "(" in key else "target"
        for p in _points(pts):
            grouped.setdefault(mode, {}).setdefault(str(p.get("id") or p.get("started") or ""), []).append(p)
    out = {}
    for mode, runs in grouped.items():
        series = [{"id": ps[0].get("id"), "started": ps[0].get("started"),
                   "mean_index": round(sum(float(p["mean_index"]) for p in ps) / len(ps), 1)} for ps in runs.values()]
        out[mode] = sorted(series, key=lambda p: str(p.get("started") or ""))[-MAX_POINTS:]
    return out


def modes_svg(series: dict[str, list[dict[str, Any]]], width: int = 460, height: int = 150) -> Markup:
    """The index over runs, one line per mode (colour and dash differ), band thresholds as faint lines.

    role="img" with <title> and <desc> that say each mode's first and last values; each point has a <title>.
    """
    runs = _by_run([p for pts in series.values() for p in pts])
    if not runs:
        return Markup("")
    left, right, top, bottom = 28, 10, 8, 18
    iw, ih = width - left - right, height - top - bottom
    pos = {k: i for i, k in enumerate(runs)}
    n = len(runs)

    def x(p: dict[str, Any]) -> float:
        i = pos[str(p.get("id") or p.get("started") or "")]
        return left + (iw * i / (n - 1) if n > 1 else iw / 2)

    def y(v: float) -> float:
        return top + ih * (1 - max(0.0, min(100.0, float(v))) / 100)

    words = [f"{mode}: {len(pts)} run{'s' if len(pts) != 1 else ''}, "
             + (f"from {pts[0]['mean_index']:g} to {pts[-1]['mean_index']:g}" if len(pts) > 1
                else f"{pts[-1]['mean_index']:g}") for mode, pts in series.items()]
    title = "Mean Kafkaesque index per mode over runs"
    out = [f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title + ": " + "; ".join(words))}"><title>{escape(title)}</title>'
           f'<desc>{escape("; ".join(words))}</desc>']
    for t in THRESHOLDS:
        out.append(f'<line class="threshold" x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                   'stroke="#9e9e9e" stroke-width="0.7" stroke-dasharray="2,3" opacity="0.7"/>'
                   f'<text class="axis" x="{left - 4}" y="{y(t) + 3:.1f}" text-anchor="end">{t}</text>')
    for k, (mode, pts) in enumerate(series.items()):
        colour, dash = SERIES_STYLES[k % len(SERIES_STYLES)]
        if len(pts) > 1:
            line = " ".join(f"{x(p):.1f},{y(p['mean_index']):.1f}" for p in pts)
            out.append(f'<polyline class="mode-line" data-mode="{escape(mode)}" points="{line}" fill="none" '
                       f'stroke="{colour}" stroke-width="2"{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>')
        for p in pts:
            tip = f"{mode}, {p.get('started') or p.get('id') or ''}: {p['mean_index']:g}"
            out.append(f'<circle class="pt" data-mode="{escape(mode)}" cx="{x(p):.1f}" cy="{y(p["mean_index"]):.1f}" '
                       f'r="3" fill="{colour}"><title>{escape(tip)}</title></circle>')
    first = next((p.get("started") for pts in series.values() for p in pts[:1]), "")
    out.append(f'<text class="axis" x="{left}" y="{height - 4}">{escape(str(first or "")[:10])}</text>'
               f'<text class="axis" x="{width - right}" y="{height - 4}" text-anchor="end">last run</text></svg>')
    return Markup("".join(out))


def _legend(series: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    out = []
    for k, (mode, pts) in enumerate(series.items()):
        colour, dash = SERIES_STYLES[k % len(SERIES_STYLES)]
        out.append({"mode": mode, "colour": colour, "dash": dash, "runs": len(pts),
                    "first": _fmt(pts[0]["mean_index"]), "last": _fmt(pts[-1]["mean_index"])})
    return out


def history_view(history: Any, mode_means: dict[str, float | None] | None = None,
                 run_id: Any = None) -> dict[str, Any]:
    """What the report shows of history: the trend per mode, per-scenario sparklines, changes, alerts."""
    history = history if isinstance(history, dict) else {}
    trend = history.get("trend") if isinstance(history.get("trend"), dict) else {}
    series = mode_series(trend)
    for mode, mean in (mode_means or {}).items():
        pts = series.get(mode, [])
        if run_id is not None and mean is not None and not any(p.get("id") == run_id for p in pts):
            series[mode] = (pts + [{"id": run_id, "started": "this run", "mean_index": mean}])[-MAX_POINTS:]
    series = {m: pts for m, pts in series.items() if pts}
    scenario_trends = {}
    for key, pts in (trend.get("scenarios") or {}).items():
        pts = _points(pts)
        if len(pts) > 1:
            scenario_trends[str(key)] = trend_svg(pts, f"Trend of {key}", small=True)
    comparison = history.get("comparison") if isinstance(history.get("comparison"), dict) else None
    changes = None
    if comparison:
        rows = []
        for s in comparison.get("scenarios") or []:
            rows.append({"scenario": s.get("scenario") or "", "mode": s.get("mode") or "",
                         "before": _fmt(s.get("before")), "after": _fmt(s.get("after")),
                         **_change_words(s.get("change"))})
        rows.sort(key=lambda r: -abs(r["value"] or 0.0))
        suite = comparison.get("suite") or {}
        new = [_friction(f) for f in comparison.get("new_frictions") or []]
        gone = [_friction(f) for f in comparison.get("gone_frictions") or []]
        before = comparison.get("before") or {}
        changes = {
            "before_label": before.get("started") or before.get("id") or "the previous run",
            "suite": {"before": _fmt(suite.get("before")), "after": _fmt(suite.get("after")),
                      **_change_words(suite.get("change"))} if suite else None,
            "rows": rows,
            "new": new[:MAX_LISTED], "new_more": max(0, len(new) - MAX_LISTED),
            "gone": gone[:MAX_LISTED], "gone_more": max(0, len(gone) - MAX_LISTED),
            "new_kinds": [str(k).replace("_", " ") for k in comparison.get("new_kinds") or []],
        }
    return {
        "runs": max((len(pts) for pts in series.values()), default=0),
        "svg": modes_svg(series) if series else Markup(""),
        "legend": _legend(series),
        "first_run": all(len(pts) < 2 for pts in series.values()),
        "previous": history.get("previous") if isinstance(history.get("previous"), dict) else None,
        "scenario_trends": scenario_trends,
        "changes": changes,
    }
