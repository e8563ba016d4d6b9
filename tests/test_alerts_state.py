"""Alerts between runs without a network: open conditions, back to normal, last judged run, safe descriptions."""

from __future__ import annotations

import pytest

from simsuite.alerts import AlertRules, evaluate, report_link
from simsuite.alerts.notify import describe, scrub
from simsuite.alerts.state import alert_key, could_not_run, reconcile
from simsuite.compare import compare
from simsuite.history import History
from simsuite.suite import summarize

AT = "2024-01-08T06:00:00+00:00"


def journey(scenario, mode, index, frictions=(), outcome="gave_up", n=1):
    return {"id": f"{scenario}/j/{mode}/p{n}", "scenario": scenario, "journey": "j", "mode": mode,
            "outcome": outcome, "index": index, "steps": [], "error": "the site could not be reached" if
            outcome == "error" else None,
            "frictions": [{"kind": k, "channel": "phone", "step": 1, "evidence": e} for k, e in frictions]}


def doc(*journeys, started=AT):
    js = list(journeys)
    return {"schema": 2, "tool": {"version": "0.1"}, "run": {"started": started, "target": "t"}, "journeys": js,
            "maps": [], "summary": summarize(js)}


def test_could_not_run_lists_how_many_which_and_the_first_error():
    d = doc(journey("a", "m", None, outcome="error"), journey("b", "m", 20.0))
    alert = could_not_run(d)
    assert alert["kind"] == "could_not_run" and alert["errors"] == 1 and alert["journeys"] == 2
    assert alert["journey_ids"] == ["a/j/m/p1"] and "1 of 2 journeys could not run" in alert["message"]
    assert alert["evidence"] == "the site could not be reached." and (alert["scenario"], alert["mode"]) == ("", "")
    assert could_not_run(doc(journey("b", "m", 20.0))) is None


def test_index_rise_and_new_kind_stay_open_quietly_and_close_when_gone():
    rules = AlertRules(index_rise=10)
    words = "Please visit our website."
    before = doc(journey("s", "m", 20.0))
    worse = doc(journey("s", "m", 45.0, [("forced_channel_switch", words)]))
    raised = evaluate(compare(before, worse), worse, rules)
    assert [a["kind"] for a in raised] == ["index_rise", "new_friction_kind"]
    sent, still = reconcile({}, raised, worse, rules, run_id="r2", at=AT)
    assert sent == raised and len(still) == 2
    # the next run is as bad: nothing new against the last judged run, nothing closes, nothing is sent
    same = doc(journey("s", "m", 44.0, [("forced_channel_switch", words)]))
    sent, still = reconcile(still, evaluate(compare(worse, same), same, rules), same, rules, run_id="r3", at=AT)
    assert sent == [] and len(still) == 2
    # fixed: both close, each with one back_to_normal
    fixed = doc(journey("s", "m", 25.0))
    sent, still = reconcile(still, evaluate(compare(same, fixed), fixed, rules), fixed, rules, run_id="r4", at=AT)
    assert [(a["kind"], a["closes"]) for a in sent] == [("back_to_normal", "index_rise"),
                                                         ("back_to_normal", "new_friction_kind")]
    assert "within 10 points of 20.0" in sent[0]["message"] and still == {}


def test_a_scenario_that_was_not_scored_closes_nothing_and_raises_no_new_kinds():
    rules = AlertRules(max_index=30)
    over = doc(journey("s", "m", 50.0, [("dead_end", "No.")]))
    sent, still = reconcile({}, evaluate(None, over, rules), over, rules, run_id="r1", at=AT)
    assert [a["kind"] for a in sent] == ["over_max"]
    partly = doc(journey("s", "m", None, outcome="error"), journey("other", "m", 10.0, n=2))
    sent, still = reconcile(still, [could_not_run(partly)], partly, rules, run_id="r2", at=AT)
    assert [a["kind"] for a in sent] == ["could_not_run"] and alert_key({"kind": "over_max", "scenario": "s",
                                                                           "mode": "m"}) in still
    # s comes back with friction it always had: not "new" against a run that did not score it
    back = doc(journey("s", "m", 50.0, [("dead_end", "No.")]), journey("other", "m", 10.0, n=2))
    raised = evaluate(compare(partly, back), back, rules)
    assert [a["kind"] for a in raised] == ["over_max"]
    sent, still = reconcile(still, raised, back, rules, run_id="r3", at=AT)
    assert [(a["kind"], a.get("closes"), a.get("repeat")) for a in sent] == \
        [("over_max", None, True), ("back_to_normal", "could_not_run", None)]


def test_the_last_judged_run_is_compared_and_unscored_rows_are_skipped(tmp_path):
    with History(tmp_path / "h.sqlite") as store:
        good = store.record(doc(journey("s", "as-is", 30.0), journey("s", "recovered", 10.0, n=2)), target="t")
        legacy = store.record(doc(journey("s", "as-is", None, outcome="error"), started="2024-01-09T06:00:00+00:00"),
                              target="t")  # what older simsuites kept when nothing could run
        latest = store.record(doc(journey("s", "as-is", 50.0), started="2024-01-10T06:00:00+00:00"), target="t")
        assert store.previous(latest)["id"] == good and store.last_judged("t")["id"] == latest
        trend = store.trend(target="t")
        assert [p["id"] for p in trend["runs"]] == [good, latest] and legacy not in str(trend)
        assert trend["modes"] == {"as-is": [{"id": good, "started": AT, "mean_index": 30.0},
                                            {"id": latest, "started": "2024-01-10T06:00:00+00:00", "mean_index": 50.0}],
                                  "recovered": [{"id": good, "started": AT, "mean_index": 10.0}]}


@pytest.mark.parametrize("url, shown", [
    ("slack://T1234ABCD/B5678EFGH/abcdefghijklmnop", "slack://***"),
    ("pagerduty://integrationkey123@apikey456", "pagerduty://***"),
    ("opsgenie://apikey-abcdef", "opsgenie://***"),
    ("workflows://prod-01.westus.logic.azure.com:443/workflowid123/signature456",
     "workflows://prod-01.westus.logic.azure.com:443"),
    ("mailtos://alerts:p4ssw0rd@example.com?to=cx@example.com", "mailtos://example.com"),
    ("https://hooks.slack.com/services/T000/B000/XXXX", "https://hooks.slack.com"),
    ("json://user:pw@127.0.0.1:8080/hook/token", "json://127.0.0.1:8080"),
])
def test_a_destination_is_described_without_its_secrets(url, shown):
    assert describe(url) == shown
    said = scrub(f"could not post to {url}: refused by {url.split('://')[1]}", url)
    for part in ("T1234ABCD", "abcdefghijklmnop", "integrationkey123", "apikey456", "workflowid123", "signature456",
                 "p4ssw0rd", "XXXX", "token"):
        assert part not in said


def test_the_report_link_is_absolute(tmp_path):
    assert report_link("reports/x", "https://r.example.com/weekly") == "https://r.example.com/weekly/report.html"
    assert report_link("reports/x", "https://r.example.com/w/index.html") == "https://r.example.com/w/index.html"
    assert report_link(tmp_path / "out") == str((tmp_path / "out" / "report.html").resolve())
    assert report_link("relative/out").startswith("/")


def test_the_alert_log_works_on_postgresql(postgres_url):
    target = f"pg-alerts-{id(postgres_url)}"
    with History(postgres_url) as store:
        alert = {"kind": "could_not_run", "scenario": "", "mode": "", "message": "m", "evidence": "e"}
        store.record_alerts(target, None, AT, [alert], {alert_key(alert): {**alert, "opened": AT, "opened_run": None}},
                            [{"to": "json://127.0.0.1:1", "ok": False, "attempts": 3, "detail": "refused", "at": AT}])
        assert [a["kind"] for a in store.alerts(target)] == ["could_not_run"]
        assert store.deliveries(target)[0]["ok"] is False and store.deliveries(target)[0]["attempts"] == 3
        assert list(store.open_alerts(target)) == [alert_key(alert)]
        run = store.record(doc(journey("s", "as-is", 30.0)), target=target)
        assert store.trend(target=target)["modes"]["as-is"][0]["id"] == run


from test_history import postgres_url  # noqa: E402,F401  the throwaway PostgreSQL server, or a skip
