"""Alerts: when a run got worse, could not run, or is back to normal, tell someone.

`evaluate(comparison, after_doc, rules)` turns a comparison with the last judged run (`simsuite.compare`;
a run that could not run is never compared with) and this run's results document into alerts. Three
things raise one, per scenario and mode:

- ``index_rise``: the mean Kafkaesque index rose by more than ``rules.index_rise`` points;
- ``over_max``: the mean index is above ``rules.max_index`` (checked on every run, a first run included);
- ``new_friction_kind``: a friction kind appears that the scenario and mode did not have in the last judged
  run (a scenario and mode that run did not score raises none: there is nothing it changed from).

Two more come from `simsuite.alerts.state`: ``could_not_run`` (one per run, about the whole suite:
scenario and mode are "", listing the journeys whose outcome is an error) and ``back_to_normal`` (an
alert an earlier run raised no longer holds; ``closes`` names its kind). `simsuite.alerts.notify`
delivers the body to webhooks and apprise URLs with retries.

`post_alert(url, body)` POSTs the body below as JSON (``Content-Type: application/json``) and never
raises for network trouble: it returns ``(ok, reason)``.

The webhook body (``version`` 1)::

    {
      "source": "simsuite",
      "version": 1,
      "run": {"id": "42", "started": "2024-05-06T06:00:02+00:00", "target": "https://staging.example.com"},
      "summary": {"mean_index": 47.3, "band": "high effort"},
      "alerts": [
        {"kind": "index_rise",   # or "over_max", "new_friction_kind", "could_not_run", "back_to_normal"
         "scenario": "lab-reschedule", "mode": "staging",
         "message": "lab-reschedule (staging): the mean index rose from 31.0 to 47.3 (+16.3, threshold 10).",
         "before": 31.0, "after": 47.3,   # mean indexes; for new_friction_kind, before is null
         "evidence": "Rescheduling is only possible by phone.",   # the first new friction's exact words, or null
         "friction_kind": null}          # the kind, for new_friction_kind alerts
         # could_not_run adds "errors", "journeys", "journey_ids"; back_to_normal adds "closes" and
         # "since"; a repeated over_max or could_not_run adds "repeat": true and "since"
      ],
      "report": "https://reports.example.com/weekly/report.html",   # --report-url, else the absolute path
      "text": "simsuite run 42 against https://staging.example.com: ..."   # one paragraph for chat tools
    }

``text`` makes the same body readable in Slack and Microsoft Teams incoming webhooks, which show a
``text`` field as the message; other receivers read the structured fields. ``alerts`` is empty when a
body is built for a run without alerts (the scheduler then posts nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.index import band as index_band
from ..history import default_target
from ..suite import mode_label, worst_moments

BODY_VERSION = 1
ALERT_KINDS = ("could_not_run", "index_rise", "over_max", "new_friction_kind", "back_to_normal")


@dataclass(frozen=True)
class AlertRules:
    """When to alert: a rise of more than `index_rise` points, a mean above `max_index`, a new friction kind."""

    index_rise: float = 10.0
    max_index: float | None = None
    new_friction_kinds: bool = True


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _fmt(value: float | None) -> str:
    return "no score" if value is None else f"{value:.1f}"


def _kind_words(kind: str) -> str:
    return str(kind).replace("_", " ")


def _key(scenario: Any, mode: Any) -> tuple[str, str]:
    return str(scenario or ""), mode_label(mode or None)


def _new_kind_keys(comparison: dict[str, Any]) -> set[tuple[str, str, str]] | None:
    """(scenario, mode, kind) triples the comparison says are new; None if it does not say.

    `compare()` gives them as `new_kinds_by_scenario` ([{"scenario", "mode", "kind"}]); `new_kinds` may
    be such dicts too, or bare kind names (then every scenario and mode among `new_frictions` with
    that kind counts).
    """
    triples: set[tuple[str, str, str]] = set()
    said = False
    for field in ("new_kinds_by_scenario", "new_kinds"):
        listed = comparison.get(field)
        if not isinstance(listed, list):
            continue
        said = True
        if field == "new_kinds" and isinstance(comparison.get("new_kinds_by_scenario"), list):
            break  # the per-scenario list is the precise one
        suite_kinds: set[str] = set()
        for item in listed:
            if isinstance(item, dict) and item.get("kind"):
                if item.get("scenario") is None:
                    suite_kinds.add(str(item["kind"]))
                else:
                    triples.add((*_key(item.get("scenario"), item.get("mode")), str(item["kind"])))
            elif isinstance(item, str):
                suite_kinds.add(item)
        for f in comparison.get("new_frictions") or ():
            if isinstance(f, dict) and str(f.get("kind")) in suite_kinds:
                triples.add((*_key(f.get("scenario"), f.get("mode")), str(f["kind"])))
    return triples if said else None


def evaluate(comparison: dict[str, Any] | None, after_doc: dict[str, Any], rules: AlertRules | None = None
             ) -> list[dict[str, Any]]:
    """The alerts for this run, in a stable order (scenario, mode, kind).

    `comparison` is `simsuite.compare.compare(before_doc, after_doc)`, or None/{} for a first run
    (then only `over_max` can fire). When the comparison lists `new_kinds` they decide which kinds are
    new; otherwise every kind among `new_frictions` counts as new for its scenario and mode.
    """
    rules = rules or AlertRules()
    comparison = comparison or {}
    new_frictions = [f for f in comparison.get("new_frictions") or () if isinstance(f, dict)]
    first_new: dict[tuple[str, str], dict[str, Any]] = {}
    first_new_kind: dict[tuple[str, str, str], dict[str, Any]] = {}
    for f in new_frictions:
        key = _key(f.get("scenario"), f.get("mode"))
        first_new.setdefault(key, f)
        first_new_kind.setdefault((*key, str(f.get("kind"))), f)

    def evidence_for(key: tuple[str, str]) -> str | None:
        if key in first_new:
            return first_new[key].get("evidence")
        journeys = [j for j in after_doc.get("journeys") or () if _key(j.get("scenario"), j.get("mode")) == key]
        moments = worst_moments(journeys, n=1)
        return moments[0].get("evidence") if moments else None

    before_of: dict[tuple[str, str], float | None] = {}
    alerts: list[dict[str, Any]] = []
    for row in comparison.get("scenarios") or ():
        if not isinstance(row, dict):
            continue
        key = _key(row.get("scenario"), row.get("mode"))
        before, after = _num(row.get("before")), _num(row.get("after"))
        before_of[key] = before
        change = round(after - before, 1) if before is not None and after is not None else _num(row.get("change"))
        if before is None or after is None or change is None or change <= rules.index_rise:
            continue
        alerts.append({
            "kind": "index_rise", "scenario": key[0], "mode": key[1],
            "message": f"{key[0]} ({key[1]}): the mean index rose from {_fmt(before)} to {_fmt(after)} "
                       f"(+{change:.1f}, threshold {rules.index_rise:g}).",
            "before": before, "after": after, "evidence": evidence_for(key), "friction_kind": None,
        })

    if rules.max_index is not None:
        for row in (after_doc.get("summary") or {}).get("by_scenario") or ():
            key = _key(row.get("scenario"), row.get("mode"))
            mean = _num(row.get("mean_index"))
            if mean is None or mean <= rules.max_index:
                continue
            alerts.append({
                "kind": "over_max", "scenario": key[0], "mode": key[1],
                "message": f"{key[0]} ({key[1]}): the mean index {_fmt(mean)} ({index_band(mean)}) is above "
                           f"the limit of {rules.max_index:g}.",
                "before": before_of.get(key), "after": mean, "evidence": evidence_for(key), "friction_kind": None,
            })

    if rules.new_friction_kinds:
        listed = _new_kind_keys(comparison)
        triples = listed if listed is not None else set(first_new_kind)
        after_means = {_key(r.get("scenario"), r.get("mode")): _num(r.get("mean_index"))
                       for r in (after_doc.get("summary") or {}).get("by_scenario") or ()}
        unscored_before = {_key(r.get("scenario"), r.get("mode")) for r in comparison.get("scenarios") or ()
                           if isinstance(r, dict) and _num(r.get("before")) is None}
        for scenario, mode, kind in sorted(triples):
            if (scenario, mode) in unscored_before:
                continue
            first = first_new_kind.get((scenario, mode, kind))
            evidence = first.get("evidence") if first else None
            said = f': "{evidence}"' if evidence else ""
            alerts.append({
                "kind": "new_friction_kind", "scenario": scenario, "mode": mode,
                "message": f"{scenario} ({mode}): a new kind of friction appeared, {_kind_words(kind)}{said}.",
                "before": None, "after": after_means.get((scenario, mode)), "evidence": evidence,
                "friction_kind": kind,
            })

    order = {k: i for i, k in enumerate(ALERT_KINDS)}
    alerts.sort(key=lambda a: (a["scenario"], a["mode"], order[a["kind"]], a.get("friction_kind") or ""))
    return alerts


def describe_target(after_doc: dict[str, Any]) -> str:
    """The target a run ran against, as history files it (`simsuite.history.default_target`)."""
    return default_target(after_doc)


def alert_body(alerts: list[dict[str, Any]], after_doc: dict[str, Any], run_id: Any, report_path: Any,
               *, target: str | None = None) -> dict[str, Any]:
    """The documented JSON body (see the module docstring) for `alerts` about the run `after_doc`."""
    run = after_doc.get("run") or {}
    summary = after_doc.get("summary") or {}
    mean = _num(summary.get("mean_index"))
    target = target or describe_target(after_doc)
    report = str(report_path) if report_path is not None else None
    where = f"run {run_id}" if run_id is not None else "run"
    head = (f"simsuite {where} against {target}: " + (
        f"the suite's mean Kafkaesque index is {_fmt(mean)} ({index_band(mean)})." if mean is not None
        else "no journey was scored."))
    if alerts:
        head += f" {len(alerts)} alert{'s' if len(alerts) != 1 else ''}: " + " ".join(a["message"] for a in alerts)
    else:
        head += " No alerts."
    if report:
        head += f" Report: {report}"
    return {
        "source": "simsuite",
        "version": BODY_VERSION,
        "run": {"id": None if run_id is None else str(run_id), "started": run.get("started"), "target": target},
        "summary": {"mean_index": mean, "band": index_band(mean) if mean is not None else None},
        "alerts": [dict(a) for a in alerts],
        "report": report,
        "text": head,
    }


def post_alert(url: str, body: dict[str, Any], timeout: float = 10) -> tuple[bool, str]:
    """POST `body` as JSON to `url`, once; (True, "HTTP 200") on a 2xx answer, else (False, the reason). Never
    raises for network errors, bad URLs or error statuses; the whole request is bounded by `timeout` seconds.
    `simsuite.alerts.notify.deliver` is the retried delivery a run uses."""
    from .notify import post_json

    ok, reason, _ = post_json(url, body, timeout)
    return ok, reason


def report_link(out_dir: Any, report_url: str | None = None) -> str:
    """The report's link in an alert: `report_url` itself if it ends in .html, else `report_url`/report.html;
    without one, the absolute path of report.html in `out_dir`."""
    from pathlib import Path

    if report_url and report_url.strip():
        url = report_url.strip()
        return url if url.lower().endswith(".html") else url.rstrip("/") + "/report.html"
    return str((Path(out_dir) / "report.html").resolve())
