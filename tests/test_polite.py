"""Politeness: per-host limits on requests a second and journeys in flight, shared by processes on one machine.

The checks are lower bounds (a limit can only make things slower), never timings of simsuite's speed."""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from simsuite.cli import main
from simsuite.core.polite import HostGate, Politeness, default_gate, set_default_gate


def _burst(folder: str, count: int) -> None:
    gate = HostGate(Politeness(rate=20.0), folder)
    for _ in range(count):
        gate.request("https://shop.example.com/help")


def test_requests_to_one_host_are_spaced_and_loopback_is_not_limited(tmp_path):
    gate = HostGate(Politeness(rate=20.0), tmp_path)
    t0 = time.monotonic()
    for _ in range(6):
        gate.request("https://shop.example.com/page")
    assert time.monotonic() - t0 >= 5 / 20 - 0.02
    own = HostGate(Politeness(rate=20.0), tmp_path)
    for _ in range(6):
        own.request("http://127.0.0.1:8000/page")  # your own test server: no limit
        own.request("http://localhost:8000/page")
    assert own.waited == 0
    other = HostGate(Politeness(rate=20.0), tmp_path)
    other.request("https://other.example.org/page")  # another host has its own turn: no wait for the first
    assert other.waited == 0
    strict = HostGate(Politeness(rate=20.0, loopback=True), tmp_path / "strict")
    t0 = time.monotonic()
    for _ in range(4):
        strict.request("http://127.0.0.1:8000/page")
    assert time.monotonic() - t0 >= 3 / 20 - 0.02


def test_processes_on_one_machine_share_a_host_s_rate(tmp_path):
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=_burst, args=(str(tmp_path), 5)) for _ in range(2)]
    t0 = time.monotonic()
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=30)
    assert all(p.exitcode == 0 for p in procs)
    assert time.monotonic() - t0 >= 9 / 20 - 0.02  # ten requests in all, 50 ms apart, whoever sent them


def test_journeys_in_flight_per_host_are_capped(tmp_path):
    gate = HostGate(Politeness(max_contacts=1), tmp_path)
    events: list[tuple[str, int]] = []

    def journey(n: int) -> None:
        with gate.contact({"shop.example.com", "127.0.0.1:9"}):
            events.append(("in", n))
            time.sleep(0.2)
            events.append(("out", n))

    threads = [threading.Thread(target=journey, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    inside = 0
    for kind, _ in events:
        inside += 1 if kind == "in" else -1
        assert inside <= 1  # never two journeys against the host at once
    assert len(events) == 6


@pytest.mark.e2e
def test_the_phone_explorer_goes_through_the_gate(tmp_path):
    from simsuite.demo import DemoServer
    from simsuite.explore.ivr import explore_ivr

    before = default_gate()
    gate = HostGate(Politeness(rate=100.0, loopback=True), tmp_path)
    set_default_gate(gate)
    try:
        with DemoServer("recovered") as server:
            t0 = time.monotonic()
            explored = explore_ivr(server.url, "/telecom/ivr/voice", max_calls=5)
            elapsed = time.monotonic() - t0
    finally:
        set_default_gate(before)
    assert explored.nodes and gate.waited > 0  # the explorer's webhook requests waited for their turn
    assert elapsed >= gate.waited - 0.05


def test_limits_that_cannot_work_are_refused_with_the_fix(tmp_path, capsys):
    assert main(["demo", "--max-rate", "0", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "--max-rate 0" in err and "Fix:" in err
