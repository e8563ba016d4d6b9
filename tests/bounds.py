"""The bounds the fuzz tests hold: a deadline on a loader, and a command's peak memory and time.

A command is started by a small launcher, not by pytest: on Linux a child's peak resident set counts the
memory of the process it was forked from, and pytest holding hundreds of cases is larger than the bounds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(proc.pid, 0)
print(f"\\n@@ {os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}", flush=True)
"""


@dataclass
class Measured:
    """What a command did: its exit code, its output (stdout and stderr together), peak memory and time."""

    returncode: int
    output: str
    peak_mb: float
    seconds: float


def run_measured(command: list[str], cwd: Path, timeout: float = 60) -> Measured:
    """Run `command`, killing it (and returning exit code None's stand-in -9) if it runs past `timeout`."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, *command], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            start_new_session=True)
    try:
        output = proc.communicate(timeout=timeout)[0].decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output = proc.communicate()[0].decode("utf-8", "replace")
        return Measured(-9, output, 0.0, time.monotonic() - started)
    output, _, verdict = output.rpartition("\n@@ ")
    code, kib = map(int, verdict.split())
    return Measured(code, output, kib / 1024, time.monotonic() - started)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail, not hang: TimeoutError when the block runs past `seconds` (SIGALRM, main thread only)."""
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds:g} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
