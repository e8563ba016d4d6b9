"""After a run: keep it in history, compare it with the run before, and raise alerts when it got worse."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from .alerts import AlertRules, alert_body, evaluate, post_alert
from .compare import compare
from .history import History, history_location
from .results import RESULTS_FILE, write_json_atomic


def track_run(
    doc: dict[str, Any],
    out_dir: Path,
    *,
    history: str | None,
    target: str,
    webhook: str | None = None,
    rules: Any = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Record `doc` in the history at `history`, attach trend, comparison and alerts as `doc["history"]`.

    results.json in `out_dir` is rewritten with the history block, so the report renders from it alone.
    Alerts are posted to `webhook` when there are any. Returns the document.
    """

    location = history_location(history)
    if "://" not in location:
        Path(location).parent.mkdir(parents=True, exist_ok=True)
    with History(location) as store:
        run_id = store.record(doc, target=target)
        previous = store.previous(run_id)
        comparison = compare(store.load(previous["id"]), doc) if previous else None
        trend = store.trend(target=target)
    alerts = evaluate(comparison, doc, rules or AlertRules()) if comparison else []
    doc["run"]["id"] = run_id
    doc["history"] = {"location": location, "run_id": run_id, "previous": previous, "trend": trend,
                      "comparison": comparison, "alerts": alerts, "alert_posted": None}
    if alerts and webhook:
        ok, reason = post_alert(webhook, alert_body(alerts, doc, run_id, str(Path(out_dir) / "report.html")))
        doc["history"]["alert_posted"] = {"ok": ok, "detail": reason}
        log(f"simsuite: {len(alerts)} alert(s) {'posted' if ok else 'NOT posted'} to the webhook: {reason}")
    elif alerts:
        log(f"simsuite: {len(alerts)} alert(s); no --alert-webhook given, so none was posted")
    write_json_atomic(Path(out_dir) / RESULTS_FILE, doc)
    return doc
