"""Every journey is bounded in wall-clock time, whatever it is stuck in; the journeys after it still run."""

from __future__ import annotations

import threading
import time

import pytest

from simsuite import RunConfig, TargetConfig, run
from simsuite.core.timelimit import TimeLimitExceeded, check, time_limit

STUCK = '''import time

from simsuite import journey


@journey
def busy_loop(customer):
    while True:
        pass


@journey
def sleeps(customer):
    time.sleep(600)


@journey
def pages_forever(customer):
    while True:
        customer.web.goto("/lab/")


@journey
def calls_forever(customer):
    while True:
        call = customer.phone.call("/lab/ivr/voice")
        call.hangup()


@journey
def fine_after(customer):
    customer.web.goto("/lab/")
    customer.resolved("the page opened")
'''


def scenario(name: str, journeys: list[str], limit: float | None) -> str:
    said = f"time_limit_seconds: {limit}\n" if limit else ""
    return (f"name: {name}\ngoal: test the limit\npersona: {{count: 1, channels: [web, phone]}}\n"
            f"journeys: [{', '.join(journeys)}]\n{said}")


def test_a_busy_loop_and_a_sleep_are_stopped_at_the_limit():
    for work in (lambda: [None for _ in iter(int, 1)], lambda: time.sleep(30)):
        began = time.monotonic()
        with pytest.raises(TimeLimitExceeded) as caught:
            with time_limit(0.3):
                work()
        assert time.monotonic() - began < 2
        assert "time limit of 0.3 s" in str(caught.value) and "Fix:" in str(caught.value)


def test_off_the_main_thread_the_next_step_stops_the_journey():
    seen: list[BaseException] = []

    def journey() -> None:
        try:
            with time_limit(0.2):
                while True:
                    time.sleep(0.05)
                    check()  # what a recorded step does
        except TimeLimitExceeded as exc:
            seen.append(exc)

    worker = threading.Thread(target=journey)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive() and len(seen) == 1


def test_no_limit_and_the_timer_is_put_back():
    import signal

    before = signal.getsignal(signal.SIGALRM)
    with time_limit(None):
        pass
    with time_limit(5):
        pass
    assert signal.getsignal(signal.SIGALRM) == before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.e2e
def test_stuck_journeys_end_as_errors_that_say_where_and_the_next_one_runs(tmp_path):
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "stuck.py").write_text(STUCK, encoding="utf-8")
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "stuck.yaml").write_text(scenario("stuck", ["busy_loop", "sleeps", "pages_forever", "calls_forever"],
                                                   3), encoding="utf-8")
    (scenarios / "after.yaml").write_text(scenario("after", ["fine_after"], None), encoding="utf-8")
    config = RunConfig(target=TargetConfig(demo=("as-is",)), out=tmp_path / "out", journeys=(tmp_path / "journeys",),
                       only_given=True, scenarios=scenarios, explore=False, keep_history=False,
                       journey_time_limit=60)
    began = time.monotonic()
    report = run(config, log=lambda _: None)
    took = time.monotonic() - began
    by_name = {j["journey"]: j for j in report.doc["journeys"]}
    for name in ("busy_loop", "sleeps", "pages_forever", "calls_forever"):
        j = by_name[name]
        assert j["outcome"] == "error" and j["index"] is None, j
        assert "stopped at its time limit of 3 s" in j["error"] and "(at stuck.py:" in j["error"], j["error"]
        assert j["wall_seconds"] < 15, (name, j["wall_seconds"])
    assert "its last step was" in by_name["pages_forever"]["error"]
    assert by_name["fine_after"]["outcome"] == "resolved", by_name["fine_after"]  # the browser still works
    assert report.exit_code == 3 and took < 90


EXITS = '''import os
import sys

from simsuite import journey


@journey
def hard_exit(customer):
    os._exit(0)


@journey
def soft_exit(customer):
    sys.exit(4)


@journey
def fine(customer):
    customer.resolved("done")
'''


def test_a_journey_that_exits_the_process_is_an_error_and_the_run_goes_on(tmp_path):
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "exits.py").write_text(EXITS, encoding="utf-8")
    config = RunConfig(target=TargetConfig(base_url="http://127.0.0.1:9"), out=tmp_path / "out",
                       journeys=(tmp_path / "journeys",), only_given=True, explore=False, keep_history=False)
    report = run(config, log=lambda _: None)
    by_name = {j["journey"]: j for j in report.doc["journeys"]}
    assert "os._exit(0)" in by_name["hard_exit"]["error"] and "(at exits.py:9)" in by_name["hard_exit"]["error"]
    assert "sys.exit(4)" in by_name["soft_exit"]["error"] and "Fix:" in by_name["soft_exit"]["error"]
    assert by_name["fine"]["outcome"] == "resolved" and report.exit_code == 3
    import os
    assert os._exit.__name__ == "_exit"  # put back after the journey


def test_a_run_with_no_journey_says_why_and_could_not_run(tmp_path, capsys):
    from simsuite.cli import main

    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "_helpers.py").write_text("X = 1\n", encoding="utf-8")
    code = main(["run", str(tmp_path / "journeys"), "--base-url", "http://127.0.0.1:9", "--out",
                 str(tmp_path / "out"), "--no-history"])
    err = capsys.readouterr().err
    assert code == 3 and "no journey to run" in err and "@journey" in err and "Traceback" not in err
