"""Explorer maps drawn as inline SVG: states in columns by depth, moves as arrows, ends coloured."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from markupsafe import Markup, escape

END_COLOURS = {
    None: ("#ffffff", "#37474f"),
    "resolved": ("#d7f0dd", "#1b5e20"),
    "human": ("#dbe9fb", "#0d47a1"),
    "hangup": ("#fde2e1", "#b71c1c"),
    "dead_end": ("#fde2e1", "#b71c1c"),
    "elsewhere": ("#efe3f8", "#4a148c"),
    "loop": ("#fff1d6", "#8a4b00"),
    "error": ("#e6e6e6", "#212121"),
    "bounded": ("#f2f2f2", "#555555"),
}
COL_W, COL_GAP, ROW_H, BOX_W, BOX_H, PAD = 200, 60, 64, 200, 46, 20
MAX_NODES = 80
LINE_CHARS = 32


def _lines(text: str, n: int = 2) -> list[str]:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > LINE_CHARS:
            lines.append(line)
            line = word
            if len(lines) == n:
                break
        else:
            line = f"{line} {word}".strip()
    if len(lines) < n and line:
        lines.append(line)
    if len(lines) == n and sum(map(len, lines)) < len(" ".join(words)) - 1:
        lines[-1] = lines[-1][: LINE_CHARS - 1] + "…"
    return lines or [""]


def path_text(path: list[str] | None) -> str:
    """A path a person can replay: "3 → 2 → (no input)"."""
    return " → ".join(str(p) for p in path or []) or "(start)"


def map_svg(m: dict[str, Any]) -> Markup:
    """The map as an SVG diagram; everything from the site is escaped."""
    nodes = sorted(m.get("nodes") or [], key=lambda n: (n.get("depth", 0), str(n.get("id"))))[:MAX_NODES]
    shown = {n["id"] for n in nodes}
    columns: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        columns[int(node.get("depth") or 0)].append(node)
    pos: dict[str, tuple[float, float]] = {}
    for depth, column in columns.items():
        for row, node in enumerate(column):
            pos[node["id"]] = (PAD + depth * (COL_W + COL_GAP), PAD + row * ROW_H)
    width = PAD * 2 + (max(columns) + 1 if columns else 1) * (COL_W + COL_GAP)
    height = PAD * 2 + max((len(c) for c in columns.values()), default=1) * ROW_H + 10
    findings: dict[str, int] = defaultdict(int)
    for f in m.get("findings") or []:
        if f.get("node"):
            findings[f["node"]] += 1

    labels: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for edge in m.get("edges") or []:
        if edge.get("source") in shown and edge.get("target") in shown:
            labels[(edge["source"], edge["target"])].append(edge)

    parts = [f'<svg class="map" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(_title(m))}">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#607d8b"/></marker></defs>']
    for (source, target), edges in labels.items():
        (x1, y1), (x2, y2) = pos[source], pos[target]
        back = x2 <= x1
        sx, sy = x1 + BOX_W, y1 + BOX_H / 2
        tx, ty = (x2 + BOX_W / 2, y2 + BOX_H) if back else (x2, y2 + BOX_H / 2)
        if back:
            d = f"M{sx},{sy} C{sx + 40},{sy + 60} {tx + 40},{ty + 40} {tx},{ty}"
        else:
            d = f"M{sx},{sy} C{sx + COL_GAP / 2},{sy} {tx - COL_GAP / 2},{ty} {tx},{ty}"
        failed = any(e.get("outcome") not in (None, "ok") for e in edges)
        hidden = all(not e.get("announced", True) for e in edges)
        colour = "#c62828" if failed else "#8a4b00" if back else "#607d8b"
        dash = ' stroke-dasharray="5,4"' if hidden or back else ""
        parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="1.4"{dash} '
                     'marker-end="url(#arrow)"/>')
        label = ", ".join(str(e.get("label", "")) for e in edges)[:24]
        lx, ly = (sx + tx) / 2, (sy + ty) / 2 - 4 + (30 if back else 0)
        parts.append(f'<text x="{lx:.0f}" y="{ly:.0f}" class="edge-label" text-anchor="middle">'
                     f'{escape(label)}</text>')
    for node in nodes:
        x, y = pos[node["id"]]
        fill, stroke = END_COLOURS.get(node.get("end"), END_COLOURS[None])
        tip = f"{node.get('label', '')} | path: {path_text(node.get('path'))}"
        parts.append(f'<g><title>{escape(tip)}</title><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" '
                     f'rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>')
        for i, line in enumerate(_lines(node.get("label", ""))):
            parts.append(f'<text x="{x + 8}" y="{y + 18 + i * 15}" class="node-label">{escape(line)}</text>')
        if node.get("end"):
            parts.append(f'<text x="{x + BOX_W - 6}" y="{y + BOX_H - 5}" class="node-end" text-anchor="end" '
                         f'fill="{stroke}">{escape(str(node["end"]).replace("_", " "))}</text>')
        if findings.get(node["id"]):
            parts.append(f'<circle cx="{x + BOX_W}" cy="{y}" r="9" fill="#c62828"/><text x="{x + BOX_W}" '
                         f'y="{y + 4}" text-anchor="middle" class="node-flag">{findings[node["id"]]}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _title(m: dict[str, Any]) -> str:
    return f"{m.get('kind', 'map')} map of {m.get('target', '')}" + (f" ({m['mode']})" if m.get("mode") else "")


def map_view(m: dict[str, Any]) -> dict[str, Any]:
    """What the report shows for one map: title, diagram, ends, findings with replayable paths."""
    ends: dict[str, int] = defaultdict(int)
    for node in m.get("nodes") or []:
        if node.get("end"):
            ends[node["end"]] += 1
    return {
        "title": _title(m),
        "goal": m.get("goal"),
        "svg": map_svg(m),
        "nodes": len(m.get("nodes") or []),
        "truncated": len(m.get("nodes") or []) > MAX_NODES,
        "ends": dict(sorted(ends.items())),
        "stats": {k: v for k, v in (m.get("stats") or {}).items() if isinstance(v, (int, float, str))},
        "findings": [{**f, "kind_label": str(f.get("kind", "")).replace("_", " "),
                      "path_text": path_text(f.get("path"))} for f in m.get("findings") or []],
    }
