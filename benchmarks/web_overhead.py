"""Benchmark: simsuite's per-step overhead on a web journey against a plain Playwright script.

Runs the demo lab "reschedule appointment" journey two ways in one process, sharing ONE Chromium
launch and ONE DemoServer("recovered"):

  plain     a hand-written Playwright script (get_by_role / get_by_label, domcontentloaded waits)
  simsuite  run_journey() with journeys/reschedule_lab_appointment.py in a context from simsuite's
            BrowserPool (host guard included), no report_dir (no screenshots)

Each iteration gets a fresh browser context and page, closed afterwards; both ways are timed the same
way (context creation to context close). Two warm-up runs of each, then N interleaved iterations
(plain, simsuite, plain, simsuite, ...) so drift hits both alike. Prints median and mean wall time per
journey and the simsuite/plain ratio of medians against the 1.05 target.

Exit status: 0 whatever the ratio (this is a measurement); 1 if either way fails to reach
"has been moved to" (simsuite must finish with outcome "resolved").

    .venv/bin/python benchmarks/web_overhead.py [--iterations N] [--warmup W]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
JOURNEY_FILE = ROOT / "journeys" / "reschedule_lab_appointment.py"
SCENARIO_FILE = ROOT / "scenarios" / "lab_reschedule.yaml"
MOVED = "has been moved to"
TARGET_RATIO = 1.05
VIEWPORT = {"width": 1100, "height": 800}  # what simsuite's BrowserPool uses


class JourneyFailed(Exception):
    """One way of running the journey did not reach the confirmation."""


def plain_journey(browser: Any, base_url: str, reference: str, last_name: str) -> None:
    """The journey as a person would script it in plain Playwright."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        page.goto(base_url + "/lab/", wait_until="domcontentloaded")
        page.get_by_role("link", name="Manage my booking").click()
        page.wait_for_load_state("domcontentloaded")
        page.get_by_label("Booking reference").fill(reference)
        page.get_by_label("Last name").fill(last_name)
        page.get_by_role("button", name="Find my booking").click()
        page.wait_for_load_state("domcontentloaded")
        page.get_by_role("link", name="Reschedule appointment").click()
        page.wait_for_load_state("domcontentloaded")
        page.get_by_label("New date and time").select_option(label="Tuesday 1 December, 10:30")
        page.get_by_role("button", name="Confirm new time").click()
        page.wait_for_load_state("domcontentloaded")
        try:
            expect(page.get_by_text(MOVED)).to_be_visible()
        except AssertionError as exc:
            raise JourneyFailed(f"plain: {MOVED!r} did not appear on {page.url}: {exc}") from None
    finally:
        context.close()


def simsuite_journey(browser: Any, spec: Any, scenario: Any, persona: Any, target: Any) -> None:
    """The same journey through simsuite's runner, in a fresh context from simsuite's own BrowserPool."""
    from contextlib import ExitStack

    from simsuite.model import Outcome
    from simsuite.browser import BrowserPool
    from simsuite.runner import run_journey

    with ExitStack() as stack:
        pool = BrowserPool(stack, browser)
        try:
            result = run_journey(spec, scenario, persona, target, page_factory=pool.page_factory(target.hosts))
        finally:
            pool.release()
    if result.outcome is not Outcome.RESOLVED or MOVED not in (result.outcome_detail or ""):
        raise JourneyFailed(f"simsuite: outcome {result.outcome.value!r} ({result.outcome_detail or result.error})")


def timed(fn: Callable[[], None]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Measure simsuite's overhead over a plain Playwright script on the demo lab "
                    "reschedule journey (shared browser and server, interleaved runs).")
    parser.add_argument("--iterations", "-n", type=int, default=20, metavar="N",
                        help="timed iterations of each way (default 20)")
    parser.add_argument("--warmup", type=int, default=2, metavar="W",
                        help="untimed warm-up runs of each way (default 2)")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.warmup < 0:
        parser.error("--iterations must be >= 1 and --warmup >= 0")

    from playwright.sync_api import sync_playwright

    from simsuite.browser import find_browser
    from simsuite.demo.server import DemoServer
    from simsuite.core.journey import load_journey_file
    from simsuite.runner import RunTarget
    from simsuite.core.scenario import load_scenario

    spec = next(s for s in load_journey_file(JOURNEY_FILE) if s.name == "reschedule_lab_appointment")
    scenario = load_scenario(SCENARIO_FILE)
    persona = scenario.personas(seed=1)[0]
    reference, last_name = persona.fact("booking_reference"), persona.fact("name").split()[-1]

    plain_times: list[float] = []
    sim_times: list[float] = []
    with DemoServer("recovered") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**find_browser().launch_kwargs())
        try:
            target = RunTarget("recovered", server.url)
            run_plain = lambda: plain_journey(browser, server.url, reference, last_name)  # noqa: E731
            run_sim = lambda: simsuite_journey(browser, spec, scenario, persona, target)  # noqa: E731
            try:
                for _ in range(args.warmup):
                    run_plain()
                    run_sim()
                for _ in range(args.iterations):
                    plain_times.append(timed(run_plain))
                    sim_times.append(timed(run_sim))
            except JourneyFailed as exc:
                print(f"FAILED: {exc}", file=sys.stderr)
                return 1
        finally:
            browser.close()

    rows = [("plain", plain_times), ("simsuite", sim_times)]
    print(f"web overhead: lab reschedule journey, {args.iterations} interleaved iterations "
          f"(+{args.warmup} warm-up each), server {server.mode}")
    print(f"{'way':<10}{'median ms':>11}{'mean ms':>10}{'min ms':>9}{'max ms':>9}")
    for name, times in rows:
        print(f"{name:<10}{statistics.median(times) * 1000:>11.1f}{statistics.mean(times) * 1000:>10.1f}"
              f"{min(times) * 1000:>9.1f}{max(times) * 1000:>9.1f}")
    ratio = statistics.median(sim_times) / statistics.median(plain_times)
    print(f"ratio simsuite/plain (median): {ratio:.3f}")
    verdict = "within" if ratio <= TARGET_RATIO else "ABOVE"
    print(f"verdict: {verdict} the {TARGET_RATIO:.2f} target ({ratio:.3f} {'<=' if ratio <= TARGET_RATIO else '>'} "
          f"{TARGET_RATIO:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
