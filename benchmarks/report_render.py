"""Benchmark: render the HTML report and write results.json for 2,000 journeys generated as data.

Generates realistic journey results (10-40 steps each across web, phone, chat and email, a few
frictions with evidence, scored by the real Kafkaesque index) over 10 scenarios x 2 modes, plus a
history block (a 12-run trend, per-scenario trends, a comparison with new and gone friction, an
alert), then times `write_reports(doc, out, ["json", "html"])` and prints wall time, the HTML and
JSON sizes, and peak memory (tracemalloc's peak of Python allocations during rendering, and the
process's maximum resident set size from getrusage).

    .venv/bin/python benchmarks/report_render.py [--journeys 2000] [--seed 1] [--out DIR]

Exit status 0 (a measurement); 1 if the report is missing what it must show.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from simsuite.core.index import kafkaesque_index
from simsuite.model import Friction, FrictionKind, JourneyResult, Outcome, Step
from simsuite.reporters import write_reports
from simsuite.suite import summarize

SCENARIOS = [f"scenario-{n:02d}" for n in range(10)]
MODES = ["as-is", "recovered"]
PAGES = ["/help/", "/lab/", "/lab/manage", "/lab/reschedule", "/account/", "/contact/"]
IVR = ["Welcome to Metro. For billing press 1, for faults press 2, for anything else press 3.",
       "Please enter your account number followed by the hash key.",
       "All our agents are busy. Your call is important to us.",
       "For that, please visit our website.",
       "I'm sorry, I didn't get that."]
CHAT = ["Hi! I'm Max, your assistant. What can I help with?", "Can you give me your booking reference?",
        "I can't help with that here. Please call us.", "Here are some articles that might help."]
EVIDENCE = {
    FrictionKind.DEAD_END: ["Rescheduling is not available online.", "This service is temporarily unavailable."],
    FrictionKind.FORCED_SWITCH: ["Please call 1-800-LAB to change your booking.", "Please call us."],
    FrictionKind.UNAVAILABLE_DEMAND: ["For that, please visit our website.", "Please email us from your account."],
    FrictionKind.REPEATED_INFORMATION: ["Please enter your account number followed by the hash key."],
    FrictionKind.TRANSFER: ["Dial queue billing"],
    FrictionKind.LOOP: ["I'm sorry, I didn't get that."],
    FrictionKind.WAIT: ["All our agents are busy. Your call is important to us."],
    FrictionKind.MISSING_OPTION: ["No option fits: reschedule (offered: billing, faults, anything else)"],
}


def make_journey(rng: random.Random, scenario: str, mode: str, n: int) -> dict[str, Any]:
    """One realistic journey result as a dict, scored by the real index."""
    length = rng.randint(10, 40)
    channels = rng.sample(["web", "phone", "chat", "email"], rng.randint(1, 3))
    steps, t, ch = [], 0.0, channels[0]
    for i in range(length):
        if i and rng.random() < 0.12:
            ch = rng.choice(channels)
        t += rng.uniform(2, 90)
        if ch == "web":
            action = rng.choice(["page", "click", "fill", "page"])
            steps.append(Step(i, "web", action, "Manage my booking" if action != "page" else "loaded",
                              text="Book or manage your test. " * rng.randint(1, 6), at=t, status=200,
                              url=rng.choice(PAGES), contact="web-1",
                              data={"gave": ["booking_reference"]} if action == "fill" else {}))
        elif ch == "phone":
            action = rng.choice(["heard", "gather", "pressed", "heard"])
            steps.append(Step(i, "phone", action, "Say" if action != "pressed" else str(rng.randint(1, 3)),
                              text=rng.choice(IVR) if action != "pressed" else "", at=t, contact="call-1",
                              url="/ivr/voice"))
        elif ch == "chat":
            action = rng.choice(["sent", "heard"])
            steps.append(Step(i, "chat", action, "message", text=rng.choice(CHAT), at=t, contact="chat-1"))
        else:
            steps.append(Step(i, "email", "received", "Your booking", text="Your booking has been received.",
                              at=t, contact="mail-1"))
    frictions = []
    for _ in range(rng.randint(0, 5) if mode == "as-is" else rng.randint(0, 2)):
        kind = rng.choice(list(FrictionKind))
        step = rng.choice(steps)
        frictions.append(Friction(kind, step.index, step.channel, rng.choice(EVIDENCE[kind]),
                                  minutes=rng.uniform(1, 40) if kind == FrictionKind.WAIT else None,
                                  explained=rng.random() < 0.5 if kind == FrictionKind.WAIT else None))
    outcome = rng.choice([Outcome.RESOLVED, Outcome.PROMISED, Outcome.UNRESOLVED])
    index, components = kafkaesque_index(outcome, frictions)
    return JourneyResult(
        scenario=scenario, journey=f"journey_{n % 3}", mode=mode,
        persona={"id": f"p{n}", "name": f"Customer {n}", "channels": channels, "knows": ["name", "phone"],
                 "situation": [], "records": {}},
        outcome=outcome, outcome_detail="generated", index=index, components=components, frictions=frictions,
        steps=steps, simulated_minutes=round(t / 60, 1), started="2024-01-01T00:00:00+00:00", wall_seconds=0.5,
    ).to_dict()


def make_history(rng: random.Random, journeys: list[dict[str, Any]], runs: int = 12) -> dict[str, Any]:
    """A history block as the lead puts it into the document: trend, previous run, comparison, alerts."""
    summary = summarize(journeys)
    trend_runs = [{"id": f"run-{k}", "started": f"2024-01-{k + 1:02d}T06:00:00+00:00",
                   "mean_index": round(rng.uniform(25, 70), 1)} for k in range(runs - 1)]
    trend_runs.append({"id": "run-now", "started": "2024-01-31T06:00:00+00:00", "mean_index": summary["mean_index"]})
    scen = {}
    rows = []
    for r in summary["by_scenario"]:
        key = f"{r['scenario']} ({r['mode']})"
        pts = [{"id": p["id"], "started": p["started"], "mean_index": round(rng.uniform(10, 80), 1)}
               for p in trend_runs[:-1]]
        scen[key] = pts + [{"id": "run-now", "started": trend_runs[-1]["started"], "mean_index": r["mean_index"]}]
        before = pts[-1]["mean_index"]
        rows.append({"scenario": r["scenario"], "mode": r["mode"], "before": before, "after": r["mean_index"],
                     "change": round((r["mean_index"] or 0) - before, 1)})
    new = [{"scenario": j["scenario"], "mode": j["mode"], "kind": f["kind"], "channel": f["channel"],
            "evidence": f["evidence"], "journey_id": j["id"], "step": f["step"]}
           for j in journeys[:40] for f in j["frictions"][:1]]
    comparison = {"before": {"id": "run-10", "started": trend_runs[-2]["started"]},
                  "after": {"id": "run-now", "started": trend_runs[-1]["started"]},
                  "scenarios": rows,
                  "suite": {"before": trend_runs[-2]["mean_index"], "after": summary["mean_index"],
                            "change": round(summary["mean_index"] - trend_runs[-2]["mean_index"], 1)},
                  "new_frictions": new[:20], "gone_frictions": new[20:30], "new_kinds": ["missing_option"],
                  "worse": [r for r in rows if r["change"] > 0], "better": [r for r in rows if r["change"] < 0]}
    return {"trend": {"runs": trend_runs, "scenarios": scen}, "previous": comparison["before"],
            "comparison": comparison,
            "alerts": [{"kind": "threshold", "scenario": "scenario-03", "mode": "as-is",
                        "message": "scenario-03 (as-is) rose past 60"}]}


def make_doc(count: int = 2000, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    journeys = [make_journey(rng, SCENARIOS[n % 10], MODES[(n // 10) % 2], n) for n in range(count)]
    return {"schema": 1, "tool": {"name": "simsuite", "version": "bench"},
            "run": {"id": "run-now", "started": "2024-01-31T06:00:00+00:00", "finished": "2024-01-31T06:40:00+00:00",
                    "complete": True, "seed": seed, "targets": ["generated"]},
            "journeys": journeys, "maps": [], "summary": summarize(journeys),
            "history": make_history(rng, journeys)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--journeys", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", default=None, help="output folder (default: a temporary one)")
    args = ap.parse_args(argv)
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="simsuite-bench-report-"))

    t0 = time.perf_counter()
    doc = make_doc(args.journeys, args.seed)
    gen = time.perf_counter() - t0
    steps = sum(len(j["steps"]) for j in doc["journeys"])
    frictions = sum(len(j["frictions"]) for j in doc["journeys"])

    t0 = time.perf_counter()
    paths = write_reports(doc, out, ["json"])
    json_took = time.perf_counter() - t0
    t0 = time.perf_counter()
    paths += write_reports(doc, out, ["html"])
    html_took = time.perf_counter() - t0

    tracemalloc.start()
    write_reports(doc, out, ["json", "html"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    html = (out / "report.html").read_text(encoding="utf-8")
    print(f"journeys: {len(doc['journeys'])}, steps: {steps}, frictions: {frictions} (generated in {gen:.2f} s)")
    print(f"render: results.json {json_took:.2f} s + report.html {html_took:.2f} s = {json_took + html_took:.2f} s")
    for p in paths:
        print(f"  {p.name}: {p.stat().st_size / 1e6:.1f} MB")
    print(f"peak Python allocations while rendering both (tracemalloc): {peak / 1e6:.1f} MB; max RSS: {maxrss / 1024:.0f} MB")
    print(f"output: {out}")
    ok = all(s in html for s in ("Executive summary", "What changed since the last run", 'class="lanes"',
                                 'class="trend"', "more journeys"))
    if not ok:
        print("report is missing a section it must show", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
