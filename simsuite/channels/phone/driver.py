"""A public way to drive calls without a journey script, for the explorers: place a call, make a move.

A move is a key ("1", "*", "#"), `NO_INPUT` (stay silent until the prompt times out) or "<fact>"
(give that fact, e.g. "<account_number>"; "<postcode=60616>" also shows the value typed).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...core.context import ChannelContext, new_context
from ...core.detectors import default_detectors
from ...core.personas import Persona
from ...core.phrases import Phrases
from ...core.target import Target
from .call import Call
from .channel import PhoneChannel

NO_INPUT = "<no input>"


def fact_of(move: str) -> str | None:
    """The fact a "<fact>" or "<fact=value>" move gives, else None."""
    if move.startswith("<") and move.endswith(">") and move != NO_INPUT:
        return move[1:-1].split("=", 1)[0]
    return None


def perform(call: Call, move: str) -> None:
    """Make one move on a listening call."""
    fact = fact_of(move)
    if move == NO_INPUT:
        call.wait()
    elif fact:
        call.answer(fact)
    else:
        call.press(move)


class Dialer:
    """Places calls to one IVR for one persona; each call has a fresh journal (`call.journal`)."""

    def __init__(self, target: Target, persona: Persona, phrases: Phrases, *, patience_minutes: float,
                 http: Any = None, disabled: tuple[str, ...] = ()) -> None:
        self.target = target
        self.persona = persona
        self.phrases = phrases
        self.patience_minutes = patience_minutes
        self.http = http
        self.disabled = disabled
        self.calls = 0

    def prepare(self, *, shared: bool = True) -> ChannelContext:
        """A fresh journal and context for one call; `shared` lends it the dialer's HTTP client."""
        target = replace(self.target, http_client=self.http) if shared and self.http is not None else self.target
        return new_context(self.persona, target, phrases=self.phrases, patience_minutes=self.patience_minutes,
                           detectors=default_detectors(self.disabled))

    def call(self, entry: str, *, ctx: ChannelContext | None = None, shared: bool = True) -> Call:
        """Dial `entry` (in `ctx`, else a fresh one) and run the IVR until it listens or ends."""
        self.calls += 1
        return PhoneChannel(ctx or self.prepare(shared=shared)).call(entry)
