"""Alerts between runs: "could not run", which conditions are still open, and "back to normal".

A run raises alerts (`simsuite.alerts.evaluate` against the last judged run, plus `could_not_run`
here); `reconcile(open_alerts, raised, doc, rules)` then decides what is sent and what stays open:

- Every alert raised is sent. ``over_max`` (a limit) and ``could_not_run`` (the monitor is blind) are
  states: while they hold they are raised, and so sent, on every run, marked ``"repeat": true`` with
  ``"since"`` (when the condition opened) so a receiver can fold them. ``index_rise`` and
  ``new_friction_kind`` are changes against the last judged run: they fire once, and stay open quietly.
- An open condition that this run no longer has is closed by one ``back_to_normal`` alert:
  ``over_max`` when the scenario and mode's mean index is at or below the limit again; ``index_rise``
  when it is back within ``rules.index_rise`` points of the index before the rise; ``new_friction_kind``
  when that kind no longer occurs in the scenario and mode; ``could_not_run`` when a run has no journey
  that could not run. A scenario and mode that this run did not score (not run, or every journey an
  error) closes nothing. An ``over_max`` left open when no limit is configured any more is forgotten
  without an alert.

Open conditions are keyed ``kind|scenario|mode|friction kind`` and kept per target in the history.
"""

from __future__ import annotations

from typing import Any

from ..suite import mode_label, summarize

SUITE = ""  # scenario and mode of an alert about the whole run (could_not_run)
_REPEATING = ("over_max", "could_not_run")


def alert_key(alert: dict[str, Any]) -> str:
    """The identity of the condition an alert is about."""
    return "|".join(str(alert.get(k) or "") for k in ("kind", "scenario", "mode", "friction_kind"))


def could_not_run(doc: dict[str, Any]) -> dict[str, Any] | None:
    """One alert listing the journeys whose outcome is "error" (how many, which, the first error's words),
    or None when every journey ran."""
    journeys = [j for j in doc.get("journeys") or () if isinstance(j, dict)]
    errors = [j for j in journeys if j.get("outcome") == "error"]
    if not errors:
        return None
    first = " ".join(str(errors[0].get("error") or errors[0].get("outcome_detail") or "no reason given").split())
    first = first if first.endswith((".", "!", "?")) else first + "."
    ids = [str(j.get("id")) for j in errors]
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    whole = (f"No journey could run ({len(errors)} of {len(errors)})" if len(errors) == len(journeys)
             else f"{len(errors)} of {len(journeys)} journeys could not run")
    return {
        "kind": "could_not_run", "scenario": SUITE, "mode": SUITE,
        "message": f"{whole}, an error, not friction: {shown}. First error: {first}",
        "before": None, "after": None, "evidence": first, "friction_kind": None,
        "errors": len(errors), "journeys": len(journeys), "journey_ids": ids,
    }


def _judged(doc: dict[str, Any]) -> tuple[dict[tuple[str, str], float], set[tuple[str, str, str]]]:
    """This run's mean index per scored (scenario, mode), and the friction kinds its scored journeys met."""
    journeys = [j for j in doc.get("journeys") or () if isinstance(j, dict)]
    means = {(r["scenario"], r["mode"]): float(r["mean_index"]) for r in summarize(journeys)["by_scenario"]
             if r["mean_index"] is not None}
    kinds = {(str(j.get("scenario", "")), mode_label(j.get("mode")), str(f.get("kind")))
             for j in journeys if j.get("outcome") != "error" for f in j.get("frictions") or () if isinstance(f, dict)}
    return means, kinds


def _closed(alert: dict[str, Any], doc: dict[str, Any], rules: Any,
            judged: tuple[dict[tuple[str, str], float], set[tuple[str, str, str]]]) -> str | None:
    """Why an open condition no longer holds in this run (the back-to-normal words), "" to forget it
    silently, or None while it still holds or cannot be judged."""
    means, kinds = judged
    kind, key = alert.get("kind"), (str(alert.get("scenario") or ""), str(alert.get("mode") or ""))
    opened = alert.get("opened") or "an earlier run"
    if kind == "could_not_run":
        journeys = [j for j in doc.get("journeys") or () if isinstance(j, dict)]
        if journeys and not any(j.get("outcome") == "error" for j in journeys):
            return f"back to normal: all {len(journeys)} journeys ran again (some could not run since {opened})."
        return None
    if key not in means:
        return None
    mean = means[key]
    where = f"{key[0]} ({key[1]})"
    if kind == "over_max":
        if rules.max_index is None:
            return ""
        if mean <= rules.max_index:
            return (f"{where}: back to normal: the mean index {mean:.1f} is within the limit of {rules.max_index:g} "
                    f"again (above it since {opened}).")
        return None
    if kind == "index_rise":
        baseline = alert.get("before")
        if baseline is None or mean <= float(baseline) + rules.index_rise:
            return (f"{where}: back to normal: the mean index {mean:.1f} is back within {rules.index_rise:g} points "
                    f"of {float(baseline or 0):.1f}, where it was before it rose (since {opened}).")
        return None
    if kind == "new_friction_kind":
        if (*key, str(alert.get("friction_kind"))) not in kinds:
            words = str(alert.get("friction_kind") or "").replace("_", " ")
            return f"{where}: back to normal: no {words} any more (first met since {opened})."
        return None
    return ""  # a kind this simsuite does not know: forget it


def reconcile(open_alerts: dict[str, dict[str, Any]], raised: list[dict[str, Any]], doc: dict[str, Any],
              rules: Any, *, run_id: str | None, at: str) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The alerts to send for this run (raised ones, then back_to_normal ones) and the conditions still open.

    `open_alerts` is what the history kept ({key: alert + "opened", "opened_run"}); the result's open
    conditions are in the same shape, to be kept for the next run.
    """
    still_open = dict(open_alerts)
    sent: list[dict[str, Any]] = []
    for alert in raised:
        key = alert_key(alert)
        alert = dict(alert)
        if key in still_open and alert["kind"] in _REPEATING:
            alert["repeat"], alert["since"] = True, still_open[key].get("opened")
            alert["message"] = f"{alert['message']} (Still so since {alert['since']}.)"
        if key not in still_open:
            still_open[key] = {**alert, "opened": at, "opened_run": run_id}
        sent.append(alert)
    raised_keys = {alert_key(a) for a in raised}
    judged = _judged(doc)
    for key, alert in sorted(open_alerts.items()):
        if key in raised_keys:
            continue
        words = _closed(alert, doc, rules, judged)
        if words is None:
            continue
        del still_open[key]
        if not words:
            continue
        scenario, mode = str(alert.get("scenario") or ""), str(alert.get("mode") or "")
        sent.append({
            "kind": "back_to_normal", "scenario": scenario, "mode": mode, "message": words,
            "before": alert.get("after"), "after": judged[0].get((scenario, mode)), "evidence": None,
            "friction_kind": alert.get("friction_kind"), "closes": alert.get("kind"), "since": alert.get("opened"),
        })
    return sent, still_open
