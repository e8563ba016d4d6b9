"""Shards: a stable share of a suite, the same on every machine, so N machines run it together.

A journey run is one (scenario, journey, persona); its shard is a hash of those names (never of the
machine, the time or the order of files), so `--shard 2/4` takes the same runs wherever it starts,
and the four shards together take every run exactly once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import SimsuiteError

_FORM = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


@dataclass(frozen=True)
class Shard:
    """Shard `index` (1-based) of `total`."""

    index: int
    total: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """"2/4" as Shard(2, 4); anything else is a usage error saying the form and the fix."""
        m = _FORM.fullmatch(str(text))
        if not m:
            raise SimsuiteError(f"--shard {text!r} is not I/N. Fix: write the shard's number and the number of "
                                "shards, e.g. --shard 2/4")
        index, total = int(m.group(1)), int(m.group(2))
        if total < 1 or not 1 <= index <= total:
            n = max(total, 1)
            raise SimsuiteError(f"--shard {text!r}: the shard's number must be between 1 and the number of shards "
                                f"({total}). Fix: --shard 1/{n} ... --shard {n}/{n}")
        return cls(index, total)

    def takes(self, key: str) -> bool:
        """Whether this shard runs the journey run named `key`."""
        return shard_of(key, self.total) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def shard_of(key: str, total: int) -> int:
    """The shard (1-based) a journey run belongs to among `total`: a stable hash of its key."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % total + 1


def run_key(scenario: str, journey: str, persona_id: str) -> str:
    """The name of a journey run that every machine computes alike."""
    return f"{scenario}/{journey}/{persona_id}"


def suite_id(keys: Iterable[str], seed: int, modes: Iterable[str | None]) -> str:
    """A short fingerprint of the whole suite (every run's key, the seed, the modes): parts of one suite
    share it; parts of different suites or seeds do not."""
    text = "\n".join([f"seed={seed}", "modes=" + ",".join(str(m) for m in modes), *sorted(keys)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
