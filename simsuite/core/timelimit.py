"""A wall-clock limit on one journey, whatever it is stuck in: the script's own loop, a sleep, a channel.

On the main thread (the command line, the workers, pytest) the limit is an interval timer whose signal
raises `TimeLimitExceeded` where the journey is. While the browser's event loop runs (Playwright's
own code, asyncio, greenlet), raising there could break the browser for the journeys after, so the stop
waits for the loop to hand control back, which its own bounded waits guarantee within seconds. Off the main
thread no signal can be used; `check()` then stops the journey at its next recorded step.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from ..errors import SimsuiteError

DEFAULT_SECONDS = 300.0
_RETRY_S = 0.05
_DEFER = ("playwright", "greenlet", "asyncio")


class TimeLimitExceeded(SimsuiteError):
    """A journey ran past its wall-clock limit and was stopped: an error outcome, never friction."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the journey ran past its time limit of {seconds:g} s and was stopped. Fix: look for a "
                         "loop that never ends in the script, or raise the limit (time_limit_seconds in the "
                         "scenario, --journey-time-limit for the run)")


def _in_event_loop(frame) -> bool:
    """Whether Playwright's, asyncio's or greenlet's own code is anywhere on the interrupted stack."""
    while frame is not None:
        name = frame.f_code.co_filename
        if "/lib/python" in name and any(part in name for part in _DEFER):  # site-packages is under it too
            return True
        frame = frame.f_back
    return False


class _Limit:
    def __init__(self, seconds: float) -> None:
        self.seconds, self.deadline = seconds, time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() >= self.deadline:
            raise TimeLimitExceeded(self.seconds)


_active = threading.local()


def check() -> None:
    """Raise `TimeLimitExceeded` if the journey running on this thread is past its limit (a step's hook)."""
    limit = getattr(_active, "limit", None)
    if limit is not None:
        limit.check()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Stop what runs inside after `seconds` of wall-clock time (None or 0: no limit)."""
    if not seconds or seconds <= 0:
        yield
        return
    limit = _Limit(seconds)
    _active.limit = limit
    use_signal = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous = None
    if use_signal:
        def expire(signum, frame):  # noqa: ARG001 - the signal handler's signature
            if _in_event_loop(frame):
                signal.setitimer(signal.ITIMER_REAL, _RETRY_S)
                return
            raise TimeLimitExceeded(seconds)

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        _active.limit = None
        if use_signal:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)
