"""The top of the report: whose report it is, what it ran against in plain words, what to fix first,
and the alerts the run raised with what became of their delivery."""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, urlsplit

from ..suite import mode_label
from .views import excerpt, kind_label

FIX_FIRST_SHOWN = 10
_TECH_KEYS = ("base_url", "phone_url", "chat_url", "mailbox")


def _split(url: str) -> SplitResult:
    """`urlsplit`, except that a URL Python refuses (a redacted "[credentials]@" host) is taken as a bare path."""
    try:
        return urlsplit(url)
    except ValueError:
        return urlsplit("")


def _demo_companies(journeys: list[dict[str, Any]]) -> list[str]:
    """The demo companies whose pages or IVRs the journeys visited (their homes prefix the steps' paths)."""
    from ..demo.lab import COMPANY as LAB
    from ..demo.telecom import COMPANY as TELECOM

    used = set()
    for j in journeys:
        for s in j.get("steps") or ():
            url = str(s.get("url") or "")
            path = _split(url).path if "://" in url else url
            for company in (LAB, TELECOM):
                if path.startswith(company["home"]):
                    used.add(company["name"])
    return [c["name"] for c in (LAB, TELECOM) if c["name"] in used]


def _host(url: Any) -> str:
    text = str(url or "").strip()
    if not text:
        return ""
    parts = _split(text if "://" in text else f"//{text}")
    return parts.hostname or text


def _target_dicts(run: dict[str, Any]) -> list[dict[str, Any]]:
    targets = run.get("targets") or []
    if isinstance(targets, (dict, str)):
        targets = [targets]
    out = []
    for t in targets:
        if isinstance(t, str) and t.strip():
            out.append({"demo": True} if t.strip() == "demo" else {"base_url": t.strip()})
        elif isinstance(t, dict):
            out.append(t)
    return out


def _is_demo(run: dict[str, Any], targets: list[dict[str, Any]]) -> bool:
    return bool(run.get("demo") or run.get("target") == "demo" or any(t.get("demo") for t in targets))


def _names(value: Any) -> list[str]:
    if isinstance(value, str) and value.strip():
        return [value.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v or "").strip()]
    return []


def company_names(doc: dict[str, Any]) -> list[str]:
    """Whom the run is about: run.company(ies), run.target, the targets' own names, the demo companies
    the journeys visited, else the targets' hosts."""
    run = doc.get("run") or {}
    names = _names(run.get("company")) or _names(run.get("companies"))
    if names:
        return names
    targets = _target_dicts(run)
    for key in ("company", "name", "label"):
        names = list(dict.fromkeys(n for t in targets for n in _names(t.get(key))))
        if names:
            return names
    if _is_demo(run, targets):
        names = _demo_companies(list(doc.get("journeys") or []))
        if names:
            return names
    hosts = list(dict.fromkeys(h for h in (_host(t.get("base_url")) for t in targets) if h))
    label = str(run.get("target") or "").strip()  # how history files the run: "demo", a mode, or a base URL
    if not hosts and label and label != "demo" and label not in {t.get("mode") for t in targets}:
        hosts = [_host(label) if "://" in label else label]
    return hosts


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return names[0] if names else ""
    return ", ".join(names[:-1]) + " and " + names[-1]


def targets_view(doc: dict[str, Any], companies: list[str]) -> dict[str, Any]:
    """What the run ran against, in plain words, and the technical details for the collapsed "Run details"."""
    run = doc.get("run") or {}
    targets = _target_dicts(run)
    modes = [mode_label(t.get("mode")) for t in targets if t.get("mode")]
    if _is_demo(run, targets) and not _names(run.get("company")):
        plain = f"The demo {'companies' if len(companies) != 1 else 'company'} {join_names(companies)}".rstrip()
        plain += " on this machine" + (f", {len(modes)} modes: {', '.join(modes)}" if len(modes) > 1 else
                                       f", mode {modes[0]}" if modes else "") + "."
    else:
        where = [f"{_host(t.get('base_url')) or 'a site'}" + (f" ({mode_label(t.get('mode'))})" if t.get("mode") else "")
                 for t in targets]
        plain = f"Run against {join_names(where)}." if where else ""
    rows = []
    for t in targets:
        cells = {k: str(t[k]) for k in _TECH_KEYS if t.get(k)}
        rows.append({"mode": mode_label(t.get("mode")), "cells": cells,
                     "other": {str(k): str(v) for k, v in t.items()
                               if k not in _TECH_KEYS and k not in ("mode", "demo") and v not in (None, "", [], {})}})
    return {"plain": plain, "rows": rows, "columns": [k for k in _TECH_KEYS if any(k in r["cells"] for r in rows)]}


def _drop(value: Any) -> str:
    try:
        return f"{float(value):.1f}"
    except (TypeError, ValueError):
        return "\u2013"


def fix_first_view(doc: dict[str, Any], anchors: dict[Any, str], computed: Any = None) -> list[dict[str, Any]]:
    """doc.summary.fix_first (else `computed`, the ranking of the journeys at hand, for a document written
    before the ranking existed), ready to show: the company's words, where, who met it, the drop, the remedy."""
    summary = doc.get("summary") if isinstance(doc.get("summary"), dict) else {}
    items = summary["fix_first"] if "fix_first" in summary else computed
    if not isinstance(items, list):
        return []
    out = []
    for n, item in enumerate(i for i in items if isinstance(i, dict)):
        journeys = [j for j in item.get("journeys") or [] if j is not None]
        by_mode = item.get("drop_by_mode") if isinstance(item.get("drop_by_mode"), dict) else {}
        out.append({
            "rank": item.get("rank") if isinstance(item.get("rank"), int) else n + 1,
            "kind": str(item.get("kind") or ""),
            "kind_label": str(item.get("kind_label") or kind_label(item.get("kind") or "friction")),
            "words": excerpt(item.get("words"), 300),
            "where": str(item.get("where") or ""),
            "customers": item.get("customers"),
            "drop": _drop(item.get("drop")),
            "drop_by_mode": [(str(m), _drop(v)) for m, v in by_mode.items()],
            "modes": [str(m) for m in item.get("modes") or []],
            "remedy": str(item.get("remedy") or ""),
            "journeys": [{"id": str(j), "anchor": anchors.get(j), "n": k + 1} for k, j in enumerate(journeys)],
        })
    out.sort(key=lambda i: i["rank"])
    return out[:FIX_FIRST_SHOWN]


def _destination(to: Any) -> str:
    """Where a delivery went, without the secret a webhook URL carries: scheme and host only."""
    text = str(to or "").strip()
    if "://" in text:
        parts = _split(text)
        return f"{parts.scheme}://{parts.hostname or ''}" + ("/\u2026" if parts.path.strip("/") or parts.query else "")
    return text


def alerts_view(history: Any) -> dict[str, Any]:
    """The run's alerts (kind, scenario, mode, message, evidence) and deliveries (to, ok, attempts, detail, at)."""
    history = history if isinstance(history, dict) else {}
    alerts = []
    for a in history.get("alerts") or []:
        if not isinstance(a, dict):
            continue
        evidence = a.get("evidence")
        if isinstance(evidence, (list, tuple)):
            evidence = "; ".join(str(e) for e in evidence if e)
        elif isinstance(evidence, dict):
            evidence = "; ".join(f"{k}: {v}" for k, v in evidence.items())
        mode = a.get("mode")
        alerts.append({"kind": kind_label(a.get("kind") or ""), "scenario": str(a.get("scenario") or ""),
                       "mode": str(mode) if mode not in (None, "", "None") else "",
                       "message": str(a.get("message") or ""), "evidence": excerpt(evidence, 300)})
    deliveries = []
    for d in history.get("deliveries") or []:
        if isinstance(d, dict):
            deliveries.append({"to": _destination(d.get("to")), "ok": bool(d.get("ok")),
                               "attempts": d.get("attempts") if d.get("attempts") is not None else "",
                               "detail": excerpt(d.get("detail"), 200), "at": str(d.get("at") or "")})
    return {"alerts": alerts, "deliveries": deliveries}
