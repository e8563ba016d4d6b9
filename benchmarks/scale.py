"""Benchmark: scaling out on this machine, measured side by side in one run.

1. Workers. The demo lab's web journey (recovered mode: reschedule online) for N customers, run by
   simsuite serially and with 2 workers, beside plain Playwright running the same journey in one
   process and in 2 processes (each process with its own browser and its own demo server, as
   simsuite's workers have). The plain pair is the ceiling this machine allows; simsuite's speed-up
   is printed as a share of it.
2. Shards. The same suite as 4 shards merged, against the serial run: equal apart from times; and the
   time `merge` takes for 8 parts of 250 journeys each.
3. Many customers. One scenario with 200 customers on 2 workers: wall time, peak memory of the parent
   and of the largest worker, and browser processes left after the run (none expected).

    .venv/bin/python benchmarks/scale.py [--customers N] [--many N]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

JOURNEY = ROOT / "journeys" / "reschedule_lab_appointment.py"
SCENARIO = """name: lab-many
company: Northside Diagnostics
goal: Move the lab appointment to another day that week.
persona:
  count: {count}
  channels: [web]
  knows: [name, email, booking_reference]
journeys: [reschedule_lab_appointment]
"""


def _scenarios(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lab_many.yaml").write_text(SCENARIO.format(count=count), encoding="utf-8")
    return folder


def _config(out: Path, scenarios: Path, **extra):
    from simsuite import RunConfig, TargetConfig

    return RunConfig(target=TargetConfig(demo=("recovered",)), out=out, journeys=(JOURNEY,), only_given=True,
                     scenarios=scenarios, explore=False, keep_history=False, fail_over_budget=False, **extra)


def simsuite_wall(out: Path, scenarios: Path, workers: int) -> tuple[float, dict]:
    from simsuite import run

    t0 = time.perf_counter()
    doc = run(_config(out, scenarios, workers=workers), log=lambda _: None).doc
    return time.perf_counter() - t0, doc


def _plain_batch(people: list[tuple[str, str]]) -> int:
    """One process: its own demo server and browser, the plain Playwright journey for each customer."""
    from playwright.sync_api import sync_playwright
    from web_overhead import plain_journey

    from simsuite.browser import find_browser
    from simsuite.demo.server import DemoServer

    with DemoServer("recovered") as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(**find_browser().launch_kwargs())
        try:
            for reference, last_name in people:
                plain_journey(browser, server.url, reference, last_name)
        finally:
            browser.close()
    return len(people)


def plain_wall(people: list[tuple[str, str]], processes: int) -> float:
    t0 = time.perf_counter()
    if processes == 1:
        _plain_batch(people)
    else:
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            pool.map(_plain_batch, [people[i::processes] for i in range(processes)])
    return time.perf_counter() - t0


def browsers_left() -> int:
    """Chromium processes still running on this machine."""
    count = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            count += b"chrom" in cmd.split(b"\0")[0]
    return count


def merge_time(doc: dict, parts: int, per_part: int, base: Path) -> float:
    """Seconds to merge `parts` shard documents of `per_part` journeys each (written from one real journey)."""
    from simsuite.merge import merge_parts

    journey = doc["journeys"][0]
    for p in range(parts):
        part = {**doc, "run": {**doc["run"], "shard": f"{p + 1}/{parts}", "complete": True},
                "journeys": [{**journey, "id": f"{journey['id']}-{p}-{k}", "order": [0, p * per_part + k]}
                             for k in range(per_part)]}
        folder = base / f"part-{p + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "results.json").write_text(json.dumps(part), encoding="utf-8")
    t0 = time.perf_counter()
    merged = merge_parts([base / f"part-{p + 1}" for p in range(parts)])
    elapsed = time.perf_counter() - t0
    assert len(merged["journeys"]) == parts * per_part
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="simsuite's workers, shards and many customers, measured.")
    parser.add_argument("--customers", type=int, default=16, help="customers for the workers comparison (16)")
    parser.add_argument("--many", type=int, default=200, help="customers for the many-customers run (200)")
    args = parser.parse_args(argv)

    from simsuite import run
    from simsuite.app import merge
    from simsuite import RunConfig, TargetConfig
    from simsuite.core.scenario import load_scenario
    from simsuite.results import strip_times

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        scenarios = _scenarios(base / "scenarios", args.customers)
        personas = load_scenario(scenarios / "lab_many.yaml").personas(7)
        people = [(p.fact("booking_reference"), p.fact("name").split()[-1]) for p in personas]

        print(f"1. workers: the lab's web journey for {args.customers} customers (wall seconds, start-up included)")
        serial_s, serial_doc = simsuite_wall(base / "serial", scenarios, 1)
        two_s, two_doc = simsuite_wall(base / "two", scenarios, 2)
        plain1 = plain_wall(people, 1)
        plain2 = plain_wall(people, 2)
        same = strip_times(two_doc)["journeys"] == strip_times(serial_doc)["journeys"]
        sim_gain, plain_gain = serial_s / two_s, plain1 / plain2
        print(f"   simsuite serial {serial_s:6.1f}   2 workers   {two_s:6.1f}   speed-up {sim_gain:.2f}x"
              f"   (results equal: {same})")
        print(f"   plain    serial {plain1:6.1f}   2 processes {plain2:6.1f}   speed-up {plain_gain:.2f}x")
        print(f"   simsuite's gain is {sim_gain / plain_gain:.0%} of plain Playwright's "
              f"(targets: 1.6x and 90%)")

        print("\n2. shards: the same suite as 4 shards, merged")
        for i in range(1, 5):
            run(_config(base / f"shard-{i}", scenarios, shard=f"{i}/4"), log=lambda _: None)
        merged = merge(RunConfig(target=TargetConfig(), out=base / "merged", keep_history=False,
                                 fail_over_budget=False, reporters=("json",)),
                       [base / f"shard-{i}" for i in range(1, 5)], log=lambda _: None).doc
        equal = strip_times(merged)["journeys"] == strip_times(serial_doc)["journeys"]
        print(f"   4 shards merged equal the serial run apart from times: {equal} "
              f"({len(merged['journeys'])} journeys)")
        print(f"   merge of 8 parts x 250 journeys: {merge_time(serial_doc, 8, 250, base / 'synthetic'):.2f} s")

        print(f"\n3. many customers: {args.many} on 2 workers")
        many = _scenarios(base / "many-scenarios", args.many)
        t0 = time.perf_counter()
        doc = run(_config(base / "many", many, workers=2), log=lambda _: None).doc
        wall = time.perf_counter() - t0
        errors = sum(1 for j in doc["journeys"] if j["outcome"] == "error")
        print(f"   wall {wall:.1f} s for {len(doc['journeys'])} journeys ({errors} errors), "
              f"{len(doc['journeys']) / wall:.2f} journeys/s")
        print(f"   peak memory: parent {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
              f"largest child {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
        print(f"   browser processes left after the run: {browsers_left()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
