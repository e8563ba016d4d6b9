"""Alerts (rules, JSON body, a real webhook receiver) and the scheduler (cron times, fake clock, config errors)."""

from __future__ import annotations

import json
import socket
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from simsuite.alerts import AlertRules, alert_body, evaluate, post_alert
from simsuite.schedule import ScheduleError, SuiteConfig, load_suite_config, next_runs, run_scheduled

ROOT = Path(__file__).resolve().parent.parent
UTC = timezone.utc


def journey(scenario: str, mode: str, index: float, frictions=()):
    return {"id": f"{scenario}/j/{mode}/p1", "scenario": scenario, "journey": "j", "mode": mode,
            "outcome": "gave_up", "index": index, "steps": [],
            "frictions": [{"kind": k, "channel": "phone", "step": 1, "evidence": e} for k, e in frictions]}


def doc(journeys, started="2024-01-08T06:00:01+00:00", target="https://staging.example.com"):
    from simsuite.suite import summarize

    return {"schema": 1, "tool": {"name": "simsuite", "version": "0.1.0"},
            "run": {"started": started, "target": target}, "journeys": journeys, "maps": [],
            "summary": summarize(journeys)}


def comparison(rows, new_frictions=(), by_scenario=None):
    """What compare() returns, reduced to the fields alerts read."""
    new_frictions = list(new_frictions)
    if by_scenario is None:
        by_scenario = []
        for f in new_frictions:
            entry = {"scenario": f["scenario"], "mode": f["mode"], "kind": f["kind"]}
            if entry not in by_scenario:
                by_scenario.append(entry)
    return {"scenarios": [{"scenario": s, "mode": m, "before": b, "after": a,
                           "change": None if b is None or a is None else round(a - b, 1)} for s, m, b, a in rows],
            "suite": {}, "new_frictions": new_frictions, "gone_frictions": [],
            "new_kinds": sorted({e["kind"] for e in by_scenario}), "new_kinds_by_scenario": by_scenario,
            "worse": [], "better": []}


def new_friction(scenario, mode, kind, evidence):
    return {"scenario": scenario, "mode": mode, "kind": kind, "channel": "phone", "evidence": evidence,
            "journey_id": f"{scenario}/j/{mode}/p1", "step": 1}


# ---------------------------------------------------------------- alert rules


def test_index_rise_over_threshold_fires_and_under_does_not():
    after = doc([journey("lab", "staging", 45.0), journey("telecom", "staging", 39.0)])
    cmp = comparison([("lab", "staging", 30.0, 45.0), ("telecom", "staging", 30.0, 39.0)])
    alerts = evaluate(cmp, after, AlertRules(index_rise=10))
    assert [(a["kind"], a["scenario"], a["mode"]) for a in alerts] == [("index_rise", "lab", "staging")]
    a = alerts[0]
    assert a["before"] == 30.0 and a["after"] == 45.0
    assert "30.0" in a["message"] and "45.0" in a["message"] and a["message"].endswith(".")
    # exactly at the threshold is not "more than"
    assert evaluate(comparison([("lab", "staging", 30.0, 40.0)]), after, AlertRules(index_rise=10)) == []
    # a falling index never fires
    assert evaluate(comparison([("lab", "staging", 60.0, 20.0)]), after, AlertRules(index_rise=10)) == []


def test_new_friction_kind_fires_with_its_exact_words():
    words = "Rescheduling is only possible by calling our toll-free line."
    after = doc([journey("lab", "as-is", 50.0, [("forced_channel_switch", words)])])
    cmp = comparison([("lab", "as-is", 48.0, 50.0)], [new_friction("lab", "as-is", "forced_channel_switch", words)])
    alerts = evaluate(cmp, after, AlertRules())
    assert len(alerts) == 1
    a = alerts[0]
    assert a["kind"] == "new_friction_kind" and a["friction_kind"] == "forced_channel_switch"
    assert a["evidence"] == words and words in a["message"]
    assert (a["scenario"], a["mode"]) == ("lab", "as-is")
    # switched off by the rule
    assert evaluate(cmp, after, AlertRules(new_friction_kinds=False)) == []


def test_new_friction_of_a_known_kind_is_not_a_new_kind():
    after = doc([journey("lab", "as-is", 50.0, [("transfer", "Please hold while I transfer you.")])])
    cmp = comparison([("lab", "as-is", 50.0, 50.0)],
                     [new_friction("lab", "as-is", "transfer", "Please hold while I transfer you.")], by_scenario=[])
    assert evaluate(cmp, after, AlertRules()) == []


def test_over_max_fires_even_on_a_first_run_with_evidence():
    words = "Our agents are not permitted to reschedule."
    after = doc([journey("lab", "as-is", 72.0, [("dead_end", words)]), journey("telecom", "as-is", 50.0)])
    alerts = evaluate(None, after, AlertRules(max_index=60))
    assert [(a["kind"], a["scenario"]) for a in alerts] == [("over_max", "lab")]
    assert alerts[0]["after"] == 72.0 and alerts[0]["evidence"] == words and "60" in alerts[0]["message"]
    assert evaluate(None, after, AlertRules(max_index=None)) == []


def test_alerts_work_with_the_real_compare():
    compare = pytest.importorskip("simsuite.compare").compare
    words = "Please visit our website for outage information."
    before = doc([journey("telecom", "as-is", 20.0)])
    after = doc([journey("telecom", "as-is", 45.0, [("forced_channel_switch", words)])])
    kinds = [a["kind"] for a in evaluate(compare(before, after), after, AlertRules(index_rise=10))]
    assert kinds == ["index_rise", "new_friction_kind"]


# ---------------------------------------------------------------- webhook


class Receiver:
    """A real HTTP server on 127.0.0.1 that keeps every JSON body posted to it."""

    def __init__(self, status: int = 200) -> None:
        self.bodies: list[dict] = []
        self.headers: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                outer.headers.append(dict(self.headers))
                outer.bodies.append(json.loads(self.rfile.read(length)))
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/simsuite"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "Receiver":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_post_alert_delivers_the_documented_body_to_a_real_receiver():
    words = "Rescheduling is only possible by calling our toll-free line."
    after = doc([journey("lab", "staging", 55.0, [("forced_channel_switch", words)])])
    cmp = comparison([("lab", "staging", 30.0, 55.0)], [new_friction("lab", "staging", "forced_channel_switch", words)])
    alerts = evaluate(cmp, after, AlertRules())
    body = alert_body(alerts, after, 42, "reports/staging/report.html")
    with Receiver() as hook:
        ok, reason = post_alert(hook.url, body)
    assert ok, reason
    assert reason == "HTTP 200"
    assert len(hook.bodies) == 1
    got = hook.bodies[0]
    assert hook.headers[0]["Content-Type"] == "application/json"
    assert got["source"] == "simsuite" and got["version"] == 1
    assert got["run"] == {"id": "42", "started": "2024-01-08T06:00:01+00:00", "target": "https://staging.example.com"}
    assert got["summary"] == {"mean_index": 55.0, "band": "high effort"}
    assert got["report"] == "reports/staging/report.html"
    assert [a["kind"] for a in got["alerts"]] == ["index_rise", "new_friction_kind"]
    for a in got["alerts"]:
        assert set(a) >= {"kind", "scenario", "mode", "message", "before", "after", "evidence"}
        assert a["evidence"] == words
    assert "run 42" in got["text"] and "55.0" in got["text"] and "2 alerts" in got["text"]
    assert "reports/staging/report.html" in got["text"]


def test_post_alert_reports_an_error_status():
    with Receiver(status=500) as hook:
        ok, reason = post_alert(hook.url, {"source": "simsuite"})
    assert not ok and "HTTP 500" in reason


def test_post_alert_to_a_webhook_that_is_down_returns_fast():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.perf_counter()
    ok, reason = post_alert(f"http://127.0.0.1:{port}/hook", {"source": "simsuite"}, timeout=2)
    assert not ok and reason and str(port) in reason
    assert time.perf_counter() - t0 < 2.5
    ok, reason = post_alert("not a url", {"source": "simsuite"})
    assert not ok and reason


def test_post_alert_is_bounded_by_its_timeout():
    with socket.socket() as s:  # listening, never answering
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        t0 = time.perf_counter()
        ok, reason = post_alert(f"http://127.0.0.1:{s.getsockname()[1]}/", {"source": "simsuite"}, timeout=0.5)
    assert not ok and "0.5" in reason
    assert time.perf_counter() - t0 < 3


# ---------------------------------------------------------------- cron


@pytest.mark.parametrize("cron, after, expected", [
    ("0 6 * * 1", datetime(2024, 1, 3, 12, 0, tzinfo=UTC),  # a Wednesday: next Mondays at 06:00
     [datetime(2024, 1, 8, 6, 0, tzinfo=UTC), datetime(2024, 1, 15, 6, 0, tzinfo=UTC)]),
    ("*/15 * * * *", datetime(2024, 1, 1, 10, 7, tzinfo=UTC),
     [datetime(2024, 1, 1, 10, 15, tzinfo=UTC), datetime(2024, 1, 1, 10, 30, tzinfo=UTC)]),
    ("30 2 1 * *", datetime(2024, 1, 1, 2, 30, tzinfo=UTC),  # strictly after: not the same minute again
     [datetime(2024, 2, 1, 2, 30, tzinfo=UTC), datetime(2024, 3, 1, 2, 30, tzinfo=UTC)]),
    ("0 9 * * 1-5", datetime(2024, 1, 5, 9, 0, tzinfo=UTC),  # a Friday: the next is Monday
     [datetime(2024, 1, 8, 9, 0, tzinfo=UTC), datetime(2024, 1, 9, 9, 0, tzinfo=UTC)]),
])
def test_next_runs(cron, after, expected):
    assert next_runs(cron, after, 2) == expected


@pytest.mark.parametrize("bad", ["every monday", "61 * * * *", "0 6 * *", ""])
def test_next_runs_rejects_a_bad_cron(bad):
    with pytest.raises(ScheduleError, match="cron expression .* Fix: use five fields"):
        next_runs(bad, datetime(2024, 1, 1, tzinfo=UTC), 1)


# ---------------------------------------------------------------- the scheduler


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start.timestamp()
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.slept.append(seconds)
        self.now += seconds


def config(tmp_path: Path, webhook: str | None = None, cron: str = "0 6 * * 1") -> SuiteConfig:
    return SuiteConfig(path=tmp_path / "suite.yaml", cron=cron, target={"demo": "as-is"}, out=tmp_path / "out",
                       timezone="UTC", webhook=webhook, rules=AlertRules(index_rise=10))


def test_run_scheduled_runs_max_runs_times_at_the_cron_times_and_alerts_on_a_new_kind(tmp_path):
    clock = FakeClock(datetime(2024, 1, 3, 12, 0, tzinfo=UTC))  # a Wednesday
    fired: list[datetime] = []
    words = "Please visit our website for outage information."

    def run_once(cfg: SuiteConfig) -> dict:
        fired.append(datetime.fromtimestamp(clock(), tz=UTC))
        clock.now += 95  # a run takes time
        n = len(fired)
        if n == 2:  # the second run meets a kind of friction the first did not
            after = doc([journey("telecom", "as-is", 31.0, [("forced_channel_switch", words)])])
            cmp = comparison([("telecom", "as-is", 30.0, 31.0)],
                             [new_friction("telecom", "as-is", "forced_channel_switch", words)])
        else:
            after = doc([journey("telecom", "as-is", 30.0)])
            cmp = comparison([("telecom", "as-is", 30.0, 30.0)]) if n > 1 else None
        report = tmp_path / "out" / "report.html"
        return {"doc": after, "run_id": n, "comparison": cmp, "report": str(report)}

    lines: list[str] = []
    with Receiver() as hook:
        code = run_scheduled(config(tmp_path, hook.url), run_once, clock=clock, sleep=clock.sleep, max_runs=3,
                             log=lines.append)
    assert code == 0
    assert fired == [datetime(2024, 1, 8, 6, 0, tzinfo=UTC), datetime(2024, 1, 15, 6, 0, tzinfo=UTC),
                     datetime(2024, 1, 22, 6, 0, tzinfo=UTC)]
    assert len(hook.bodies) == 1  # only the run with an alert posts
    body = hook.bodies[0]
    assert body["run"]["id"] == "2"
    assert [(a["kind"], a["friction_kind"], a["evidence"]) for a in body["alerts"]] == \
        [("new_friction_kind", "forced_channel_switch", words)]
    run_lines = [line for line in lines if " run " in line and "mean index" in line]
    assert len(run_lines) == 3
    assert "1 alert(s) posted (HTTP 200)" in run_lines[1] and "no alerts" in run_lines[0]
    assert json.loads((tmp_path / "out" / "alerts.json").read_text())["run"]["id"] == "3"
    assert clock.slept and max(clock.slept) <= 60  # slept in slices, never for real


def test_run_scheduled_survives_a_failing_run_and_ends_cleanly_on_ctrl_c(tmp_path):
    clock = FakeClock(datetime(2024, 1, 1, 10, 7, tzinfo=UTC))
    calls = []

    def run_once(cfg):
        calls.append(clock())
        if len(calls) == 1:
            raise RuntimeError("staging is down")
        raise KeyboardInterrupt

    lines: list[str] = []
    code = run_scheduled(config(tmp_path, cron="*/15 * * * *"), run_once, clock=clock, sleep=clock.sleep,
                         log=lines.append)
    assert code == 0 and len(calls) == 2
    assert any("failed: RuntimeError: staging is down" in line for line in lines)
    assert lines[-1] == "simsuite schedule: stopped after 2 run(s)"


def test_run_scheduled_logs_alerts_without_a_webhook(tmp_path):
    clock = FakeClock(datetime(2024, 1, 1, 10, 7, tzinfo=UTC))
    after = doc([journey("lab", "as-is", 80.0)])
    cfg = SuiteConfig(path=tmp_path / "s.yaml", cron="*/15 * * * *", target={"demo": "as-is"}, out=tmp_path,
                      timezone="UTC", rules=AlertRules(max_index=60))
    lines: list[str] = []
    run_scheduled(cfg, lambda c: {"doc": after, "run_id": 1, "comparison": None, "report": None}, clock=clock,
                  sleep=clock.sleep, max_runs=1, log=lines.append)
    assert "1 alert(s), no webhook configured" in lines[-1]


# ---------------------------------------------------------------- the suite file


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "suite.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_suite_loads(monkeypatch):
    monkeypatch.setenv("SIMSUITE_WEBHOOK", "https://hooks.example.com/T000/B000")
    cfg = load_suite_config(ROOT / "examples" / "suite.yaml")
    assert cfg.cron == "0 6 * * 1" and cfg.target == {"demo": "as-is"} and cfg.seed == 7
    assert cfg.webhook == "https://hooks.example.com/T000/B000"
    assert cfg.rules == AlertRules(index_rise=10, max_index=60, new_friction_kinds=True)
    assert cfg.out == Path("reports/scheduled") and cfg.history == "reports/history.sqlite"
    run = cfg.run_config()
    assert run.target.demo == ("as-is",) and run.seed == 7 and run.history == "reports/history.sqlite"
    assert run.alerts.max_index == 60 and run.alerts.webhook == cfg.webhook  # the run delivers its own alerts
    assert run.alerts.to == () and run.alerts.report_url is None
    monkeypatch.delenv("SIMSUITE_WEBHOOK")
    cfg = load_suite_config(ROOT / "examples" / "suite.yaml")
    assert cfg.webhook is None and cfg.webhook_unset == "SIMSUITE_WEBHOOK"


def test_a_site_target(tmp_path):
    cfg = load_suite_config(write(tmp_path, """
cron: "*/30 * * * *"
target: {base_url: "https://staging.example.com/", phone_url: "https://ivr.example.com", mode: staging}
alert: {webhook: "https://hooks.example.com/x", index_rise: 5}
"""))
    assert cfg.target == {"base_url": "https://staging.example.com", "phone_url": "https://ivr.example.com",
                          "mode": "staging"}
    assert cfg.rules.index_rise == 5 and cfg.rules.max_index is None
    run = cfg.run_config()
    assert run.target.base_url == "https://staging.example.com" and run.target.phone_url == "https://ivr.example.com"
    assert run.target.mode == "staging" and run.journeys == (Path("journeys"),) and run.only_given
    assert run.history == "reports/history.sqlite" and not run.fail_over_budget


@pytest.mark.parametrize("text, names", [
    ("target: {demo: as-is}\n", ["missing key 'cron'", "Fix:", "cron:"]),
    ('cron: "0 6 * * 1"\n', ["missing key 'target'", "Fix:", "demo: as-is"]),
    ('cron: "every monday"\ntarget: {demo: as-is}\n', [":1:", "key 'cron'", "not a valid cron", "Fix: use five"]),
    ('cron: "0 25 * * *"\ntarget: {demo: as-is}\n', ["key 'cron'", "Fix:"]),
    ('cron: "0 6 * * 1"\ntarget: {demo: sideways}\n', [":2:", "key 'target.demo'", "Fix:", "as-is"]),
    ('cron: "0 6 * * 1"\ntarget: {phone_url: "https://x.example.com"}\n', ["missing key 'target.base_url'", "Fix:"]),
    ('cron: "0 6 * * 1"\ntarget: {base_url: staging}\n', ["'target.base_url' is not an http(s) URL", "Fix:"]),
    ('cron: "0 6 * * 1"\ntarget: {demo: as-is}\ncorn: x\n', [":3:", "unknown key 'corn'", "Fix:"]),
    ('cron: "0 6 * * 1"\ntarget: {demo: as-is}\nalert: {index_rise: lots}\n', ["'alert.index_rise'", "Fix:"]),
    ('cron: "0 6 * * 1"\ntarget: {demo: as-is}\nalert: {webhook: "ftp://x"}\n', ["'alert.webhook'", "Fix:"]),
    ('cron: "0 6 * * 1"\ntarget: {demo: as-is}\nseed: seven\n', ["key 'seed'", "Fix:"]),
    ("cron: 0 6 * * 1\n  target: [\n", ["not valid YAML", "Fix:"]),
])
def test_suite_file_errors_name_the_file_key_and_fix(tmp_path, text, names):
    path = write(tmp_path, text)
    with pytest.raises(ScheduleError) as caught:
        load_suite_config(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    for words in names:
        assert words in message, message


def test_a_missing_suite_file(tmp_path):
    with pytest.raises(ScheduleError, match="no such suite file"):
        load_suite_config(tmp_path / "nope.yaml")


# ---------------------------------------------------------------- CI examples


def test_ci_examples_are_valid_yaml_and_use_the_documented_flags():
    """The scheduled recipes run simsuite with a history that outlives a weekly schedule and post alerts;
    tests/test_examples_ci.py checks the recipes against their published schemas and in depth."""
    gh = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text())
    triggers = gh.get("on", gh.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    (job,) = gh["jobs"].values()
    steps = job["steps"]
    uses = [s.get("uses", "") for s in steps]
    assert any(u.startswith("actions/upload-artifact") for u in uses)
    runs = "\n".join(s.get("run", "") for s in steps)
    for flag in ("bootstrap.py simsuite run", "--base-url", "--history", "--alert-webhook", "GITHUB_STEP_SUMMARY"):
        assert flag in runs, flag
    assert not any(u.startswith("actions/cache") and "history" in str(s.get("with", {}).get("path", ""))
                   for u, s in zip(uses, steps))  # a cache unused for 7 days is evicted: no home for history
    gitlab = (ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text()
    gl = yaml.safe_load(gitlab)["simsuite"]
    assert any("schedule" in r["if"] for r in gl["rules"])
    assert "reports/" in gl["artifacts"]["paths"] and "--history" in gitlab and "--alert-webhook" in gitlab


def test_a_cron_expression_that_never_fires_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "suite.yaml"
    path.write_text('cron: "0 0 30 2 *"\ntarget:\n  demo: as-is\n', encoding="utf-8")
    with pytest.raises(ScheduleError) as caught:
        load_suite_config(path)
    assert "no date ever matches it" in str(caught.value) and "suite.yaml:1" in str(caught.value)
    assert next_runs("0 0 29 2 *", datetime(2025, 1, 1))[0].year == 2028  # a leap day does fire
