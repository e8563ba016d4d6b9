"""After a run: keep it in history, compare it with the last judged run, raise, deliver and keep alerts.

`doc["history"]` after `track_run`::

    {"location": "reports/history.sqlite", "run_id": "3f2a9c0b1d2e",   # None: not kept as a scored run
     "judged": true,                       # false when no journey could run
     "previous": {...} | None,             # the last judged run of the target (as History.runs() lists it)
     "trend": {"runs": [...], "scenarios": {...}, "modes": {...}},
     "comparison": {...} | None,           # compare(last judged run, this run)
     "alerts": [{"kind", "scenario", "mode", "message", "before", "after", "evidence", "friction_kind", ...}],
     "open_alerts": [...],                 # conditions still open after this run (see simsuite.alerts.state)
     "deliveries": [{"to", "ok", "attempts", "detail", "at"}],
     "report_link": "https://.../report.html"}
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from .alerts import AlertRules, alert_body, evaluate, report_link
from .alerts.notify import deliver
from .alerts.state import could_not_run, reconcile
from .compare import compare
from .history import History, history_location
from .results import RESULTS_FILE, write_json_atomic


def nothing_ran(doc: dict[str, Any]) -> bool:
    """Every journey of the run is an error: there is no score to keep or compare with."""
    journeys = doc.get("journeys") or []
    return bool(journeys) and all(j.get("outcome") == "error" for j in journeys)


def track_run(
    doc: dict[str, Any],
    out_dir: Path,
    *,
    history: str | None,
    target: str,
    webhook: str | None = None,
    alert_to: tuple[str, ...] | list[str] = (),
    report_url: str | None = None,
    rules: Any = None,
    attempts: int = 3,
    timeout: float = 10.0,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Record `doc` in the history at `history` (unless no journey could run), attach trend, comparison,
    alerts and deliveries as `doc["history"]` (see the module docstring), and deliver the alerts to `webhook`
    and every apprise URL in `alert_to`. results.json in `out_dir` is rewritten with the history block, so the
    report renders from it alone. Returns the document."""
    rules = rules or AlertRules()
    location = history_location(history)
    if "://" not in location:
        Path(location).parent.mkdir(parents=True, exist_ok=True)
    judged = not nothing_ran(doc)
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with History(location) as store:
        if judged:
            run_id: str | None = store.record(doc, target=target)
            previous = store.previous(run_id)
            comparison = compare(store.load(previous["id"]), doc) if previous else None
        else:
            run_id, comparison = None, None
            previous = store.last_judged(target)
            log("simsuite: not kept in the history as a scored run: no journey could run")
        trend = store.trend(target=target)
        raised = evaluate(comparison, doc, rules) if judged else []
        failed = could_not_run(doc)
        alerts, still_open = reconcile(store.open_alerts(target), ([failed] if failed else []) + raised, doc,
                                       rules, run_id=run_id, at=at)
        link = report_link(out_dir, report_url)
        deliveries: list[dict[str, Any]] = []
        if alerts and (webhook or alert_to):
            body = alert_body(alerts, doc, run_id, link, target=target)
            deliveries = deliver(body, webhooks=[webhook] if webhook else [], apprise_urls=list(alert_to),
                                 attempts=attempts, timeout=timeout, log=log)
        elif alerts:
            log(f"simsuite: {len(alerts)} alert(s); no --alert-webhook or --alert-to given, so none was sent")
        store.record_alerts(target, run_id, at, alerts, still_open, deliveries)
        shown = store.shown
    if run_id is not None:
        doc["run"]["id"] = run_id
    doc["history"] = {"location": shown, "run_id": run_id, "judged": judged, "previous": previous,
                      "trend": trend, "comparison": comparison, "alerts": alerts,
                      "open_alerts": list(still_open.values()), "deliveries": deliveries, "report_link": link}
    write_json_atomic(Path(out_dir) / RESULTS_FILE, doc)
    return doc


def track_failure(reason: str, out_dir: Path, *, history: str | None, target: str, webhook: str | None = None,
                  alert_to: tuple[str, ...] | list[str] = (), report_url: str | None = None, rules: Any = None,
                  attempts: int = 3, timeout: float = 10.0, log: Callable[[str], None] = print
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A run that stopped before any journey (a broken file, a crash): one could_not_run alert, delivered and
    kept in the history with no run row. Returns (alerts sent, deliveries)."""
    location = history_location(history)
    if "://" not in location:
        Path(location).parent.mkdir(parents=True, exist_ok=True)
    at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    failed = {"kind": "could_not_run", "scenario": "", "mode": "", "message": f"The run could not run: {reason}",
              "before": None, "after": None, "evidence": reason, "friction_kind": None, "errors": 0, "journeys": 0,
              "journey_ids": []}
    doc: dict[str, Any] = {"run": {"started": at, "target": target}, "journeys": [], "summary": {}}
    with History(location) as store:
        alerts, still_open = reconcile(store.open_alerts(target), [failed], doc, rules or AlertRules(), run_id=None,
                                       at=at)
        deliveries: list[dict[str, Any]] = []
        if webhook or alert_to:
            body = alert_body(alerts, doc, None, report_link(out_dir, report_url), target=target)
            deliveries = deliver(body, webhooks=[webhook] if webhook else [], apprise_urls=list(alert_to),
                                 attempts=attempts, timeout=timeout, log=log)
        store.record_alerts(target, None, at, alerts, still_open, deliveries)
    return alerts, deliveries
