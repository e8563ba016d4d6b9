"""Progress of a run, as events: how many journeys are planned, which one started, which one finished.

The runner and the workers call a `Progress`; the command line chooses how to show it (a live display on a
terminal, counted lines in a CI log, nothing with `--quiet`). Subclass `Progress` to show it elsewhere.
"""

from __future__ import annotations

import time
from typing import Callable


def journey_label(mode: str | None, scenario: str, journey: str) -> str:
    """How a journey in progress is named to the person watching: scenario, journey and mode."""
    return f"{scenario} / {journey} ({mode or 'target'})"


class Progress:
    """Receives a run's events; every method does nothing here."""

    def planned(self, total: int) -> None:
        """`total` journeys will run (this shard's share, over every target)."""

    def started(self, label: str) -> None:
        """The journey `label` started."""

    def finished(self, label: str, index: float | None, outcome: str) -> None:
        """The journey `label` finished with this index (None for an error) and outcome."""

    def note(self, message: str) -> None:
        """Something else worth a line: an explorer's map, a worker replaced."""

    def close(self) -> None:
        """The run is over; nothing more will be reported."""


class LineProgress(Progress):
    """One line per finished journey with a counter and the elapsed time, for logs (CI) and pipes."""

    def __init__(self, log: Callable[[str], None] = print) -> None:
        self.log, self.total, self.done, self.began = log, 0, 0, time.monotonic()

    def elapsed(self) -> str:
        """Time since the run began, as m:ss."""
        seconds = int(time.monotonic() - self.began)
        return f"{seconds // 60}:{seconds % 60:02d}"

    def planned(self, total: int) -> None:
        self.total = total
        self.log(f"simsuite: {total} journey{'s' if total != 1 else ''} to run")

    def finished(self, label: str, index: float | None, outcome: str) -> None:
        self.done += 1
        shown = "error" if index is None else f"{index:5.1f}"
        width = len(str(self.total or self.done))
        self.log(f"  [{self.done:>{width}}/{self.total or '?'} {self.elapsed():>5}] {shown}  {outcome:<10} {label}")

    def note(self, message: str) -> None:
        self.log(f"  {message}")
