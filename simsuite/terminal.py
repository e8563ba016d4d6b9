"""What a run shows on the terminal: a live display, counted lines for logs, a verdict for `--quiet` and `--json`."""

from __future__ import annotations

import json
import re
import sys
from typing import Any, TextIO

from .core.progress import LineProgress, Progress
from .suite import mode_label

_CONTROL = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?"
                      r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: object) -> str:
    """`text` without escape sequences and control characters (a site's words could otherwise retitle,
    clear or colour the user's terminal); new lines and tabs stay."""
    return _CONTROL.sub("", str(text))


def say(line: object = "", *, err: bool = False) -> None:
    """Print one line of output that may hold a site's words, made safe for the terminal."""
    print(terminal_safe(line), file=sys.stderr if err else sys.stdout, flush=True)


OUTCOME_STYLE = {"resolved": "green", "promised": "yellow", "unresolved": "red", "error": "magenta"}


class LiveProgress(Progress):
    """A live display on the terminal (rich): a bar with the counter, the elapsed time and the journeys in
    progress; each finished journey printed above it. Lines other code prints appear above it too."""

    def __init__(self, stream: TextIO | None = None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, SpinnerColumn, TextColumn
        from rich.progress import TimeElapsedColumn

        self.console = Console(file=stream or sys.stderr)
        self.bar = Bar(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn(), console=self.console, transient=True, redirect_stdout=True,
                       redirect_stderr=False)
        self.task = self.bar.add_task("starting", total=None)
        self.running: list[str] = []
        self.bar.start()

    def _describe(self) -> None:
        shown = ", ".join(self.running[:2]) + (f" and {len(self.running) - 2} more" if len(self.running) > 2 else "")
        self.bar.update(self.task, description=f"running {shown}" if shown else "between journeys")

    def planned(self, total: int) -> None:
        self.bar.update(self.task, total=total)

    def started(self, label: str) -> None:
        self.running.append(label)
        self._describe()

    def finished(self, label: str, index: float | None, outcome: str) -> None:
        from rich.text import Text

        if label in self.running:
            self.running.remove(label)
        shown = "error" if index is None else f"{index:5.1f}"
        line = Text.assemble(f"  {shown}  ", (f"{outcome:<10}", OUTCOME_STYLE.get(outcome, "")), f" {label}")
        self.bar.console.print(line)
        self.bar.advance(self.task)
        self._describe()

    def note(self, message: str) -> None:
        self.bar.console.print(f"  {message}", markup=False, highlight=False)

    def close(self) -> None:
        self.bar.stop()


def choose_progress(quiet: bool, stream: TextIO | None = None) -> Progress:
    """The live display on an interactive terminal, counted lines in a log or pipe, nothing when quiet."""
    if quiet:
        return Progress()
    stream = stream or sys.stdout
    if stream.isatty():
        return LiveProgress(stream)
    return LineProgress(lambda line: print(terminal_safe(line), file=stream, flush=True))


def verdict(doc: dict[str, Any], exit_code: int, report: Any) -> dict[str, Any]:
    """The run in a few fields, for `--json` and `--quiet`: exit code, means per mode, counts, the report, what
    to fix first."""
    summary = doc.get("summary") or {}
    journeys = doc.get("journeys") or []
    outcomes: dict[str, int] = {}
    for j in journeys:
        outcomes[str(j.get("outcome"))] = outcomes.get(str(j.get("outcome")), 0) + 1
    history = doc.get("history") or {}
    return {
        "exit_code": exit_code,
        "run_id": (doc.get("run") or {}).get("id"),
        "journeys": len(journeys),
        "outcomes": dict(sorted(outcomes.items())),
        "mean_index": summary.get("mean_index"),
        "by_mode": {mode: m.get("mean_index") for mode, m in (summary.get("by_mode") or {}).items()},
        "over_budget": [j.get("id") for j in journeys if j.get("budget_violations") and j.get("outcome") != "error"],
        "could_not_run": [{"id": j.get("id"), "error": j.get("error") or j.get("outcome_detail")}
                          for j in journeys if j.get("outcome") == "error"],
        "fix_first": [{k: p.get(k) for k in ("rank", "kind", "words", "where", "customers", "drop")}
                      for p in summary.get("fix_first") or ()],
        "alerts": [{k: a.get(k) for k in ("kind", "scenario", "mode", "message")} for a in history.get("alerts") or ()],
        "report": str(report) if report is not None else None,
    }


def verdict_line(v: dict[str, Any]) -> str:
    """One line for `--quiet`: the means per mode, what went wrong, and where the report is."""
    means = ", ".join(f"{mode_label(m) if m else 'target'} {'-' if x is None else f'{x:.1f}'}"
                      for m, x in v["by_mode"].items()) or "nothing scored"
    problems = []
    if v["could_not_run"]:
        problems.append(f"{len(v['could_not_run'])} could not run")
    if v["over_budget"]:
        problems.append(f"{len(v['over_budget'])} over budget")
    tail = f"; {', '.join(problems)}" if problems else ""
    report = f"; report {v['report']}" if v["report"] else ""
    return f"simsuite: {v['journeys']} journeys, mean index {means}{tail}{report} (exit {v['exit_code']})"


def print_verdict(doc: dict[str, Any], exit_code: int, report: Any, *, as_json: bool) -> None:
    """Print the verdict: the JSON object on stdout for `--json`, else the one line."""
    v = verdict(doc, exit_code, report)
    print(json.dumps(v, indent=2) if as_json else terminal_safe(verdict_line(v)), flush=True)
