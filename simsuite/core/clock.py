"""Simulated time: holds, speech and typing move a clock; nothing ever sleeps for real."""

from __future__ import annotations


class SimClock:
    """Simulated time in seconds since the journey began, with the customer's patience as its limit."""

    def __init__(self, limit_minutes: float = 8 * 60) -> None:
        self.now = 0.0
        self.limit = limit_minutes * 60
        self.skipped = 0.0

    def advance(self, seconds: float) -> float:
        """Move time forward (never back) and return the new time."""
        self.now += max(0.0, float(seconds))
        return self.now

    def skip(self, seconds: float) -> float:
        """Let time pass that is the customer's own (days between contacts): the clock moves, and the
        customer's patience for the company is not spent by it."""
        seconds = max(0.0, float(seconds))
        self.now += seconds
        self.limit += seconds
        self.skipped += seconds
        return self.now

    @property
    def minutes(self) -> float:
        """The time so far, in minutes."""
        return self.now / 60.0

    @property
    def spent_minutes(self) -> float:
        """The customer's time the company took so far, in minutes: the days they chose to let pass aside."""
        return (self.now - self.skipped) / 60.0

    @property
    def exhausted(self) -> bool:
        """Whether the customer's patience for this journey (the clock's limit) has run out."""
        return self.now >= self.limit
