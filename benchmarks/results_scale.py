"""Benchmark: the cost of keeping results grows with the journeys, not with their square.

A trivial journey (it resolves at once, no channel) is run for 500 and for 1,000 customers through
`simsuite.run` (no history, no browser, no explorers), side by side; the ratio of wall times is printed.
Constant cost per journey gives 2.0; the target is at most 2.5 (a rewrite of results.json after every
journey gave 9.5: 13.9 s and 132 s).

    .venv/bin/python benchmarks/results_scale.py [--small N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JOURNEY = '''from simsuite import journey


@journey
def trivial(customer):
    customer.resolved("done at once")
'''
SCENARIO = """name: many
company: Nobody
goal: nothing at all
persona: {{count: {count}, channels: [web]}}
journeys: [trivial]
"""
TARGET = 2.5


def wall(folder: Path, count: int) -> float:
    from simsuite import RunConfig, TargetConfig, run

    scenarios = folder / f"scenarios-{count}"
    scenarios.mkdir(parents=True)
    (scenarios / "many.yaml").write_text(SCENARIO.format(count=count), encoding="utf-8")
    config = RunConfig(target=TargetConfig(base_url="http://127.0.0.1:9/"), out=folder / f"out-{count}",
                       journeys=(folder / "trivial.py",), only_given=True, scenarios=scenarios, explore=False,
                       keep_history=False, fail_over_budget=False, reporters=("json",))
    began = time.perf_counter()
    report = run(config, log=lambda _: None)
    took = time.perf_counter() - began
    assert len(report.doc["journeys"]) == count, len(report.doc["journeys"])
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=500, help="customers in the smaller run (default 500)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "trivial.py").write_text(JOURNEY, encoding="utf-8")
        small = wall(folder, args.small)
        large = wall(folder, 2 * args.small)
    ratio = large / small
    print(f"results scale: {args.small} journeys {small:.2f} s, {2 * args.small} journeys {large:.2f} s, "
          f"ratio {ratio:.2f} (target <= {TARGET}): {'PASS' if ratio <= TARGET else 'FAIL'}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
