"""Politeness: a company's real site and phone line are never flooded, however many customers run.

Two limits per host, shared by every simsuite process on this machine (workers, parallel runs, explorers)
through lock files in one folder: at most `max_contacts` journeys in flight against a host, and at most
`rate` requests per second to it (a page opened or a form sent, an IVR webhook fetched, a chat message
sent). Hosts on loopback (127.0.0.1, localhost) are your own test servers and are not limited unless
asked. Shards on other machines keep their own limits: divide by the number of shards.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
_POLL_S = 0.05


@dataclass(frozen=True)
class Politeness:
    """The limits per host: journeys in flight, and requests per second."""

    max_contacts: int = 4
    rate: float = 5.0
    loopback: bool = False  # also limit 127.0.0.1 and localhost

    def limits(self, host: str) -> bool:
        """Whether this host is limited."""
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return bool(host) and (self.loopback or name not in _LOOPBACK)


class HostGate:
    """The limits, kept in lock files under `folder` so that every process on this machine shares them."""

    def __init__(self, politeness: Politeness = Politeness(), folder: Path | str | None = None) -> None:
        self.politeness = politeness
        self.folder = Path(folder or os.environ.get("SIMSUITE_POLITE_DIR")
                           or Path(tempfile.gettempdir()) / "simsuite-polite")
        self.waited = 0.0  # seconds this process spent waiting for its turn

    def _file(self, host: str, suffix: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in ".-" else "_" for c in host)
        return self.folder / f"{safe}.{suffix}"

    def request(self, url: str) -> None:
        """Wait, if need be, until one more request may go to the URL's host."""
        host = urlsplit(url).netloc
        if not host or not self.politeness.limits(host) or self.politeness.rate <= 0:
            return
        gap = 1.0 / self.politeness.rate
        with open(self._file(host, "rate"), "a+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            fh.seek(0)
            try:
                last = float(fh.read().strip() or 0)
            except ValueError:
                last = 0.0
            now = time.time()
            turn = max(now, last + gap)
            fh.seek(0)
            fh.truncate()
            fh.write(repr(turn))
            fh.flush()
        if turn > now:
            self.waited += turn - now
            time.sleep(turn - now)

    @contextlib.contextmanager
    def contact(self, hosts: Iterable[str]) -> Iterator[None]:
        """Hold one of each limited host's `max_contacts` places for a journey, waiting for one if all are taken."""
        with contextlib.ExitStack() as stack:
            for host in sorted(h for h in hosts if self.politeness.limits(h)):  # one order: no deadlock
                stack.enter_context(self._place(host))
            yield

    @contextlib.contextmanager
    def _place(self, host: str) -> Iterator[None]:
        started = time.monotonic()
        while True:
            for slot in range(max(1, self.politeness.max_contacts)):
                fh = open(self._file(host, f"contact-{slot}"), "a")
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    fh.close()
                    continue
                self.waited += time.monotonic() - started
                try:
                    yield
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)
                    fh.close()
                return
            time.sleep(_POLL_S)


_DEFAULT: HostGate | None = None


def default_gate() -> HostGate:
    """The gate every channel and explorer uses unless a run sets its own."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = HostGate()
    return _DEFAULT


def set_default_gate(gate: HostGate) -> None:
    """Make `gate` the one every channel and explorer in this process uses (a run's --max-rate etc.)."""
    global _DEFAULT
    _DEFAULT = gate
