"""The narrow context a channel works in: the journal, clock, target, persona and phrases of one journey."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable

from ..errors import ScriptError
from .clock import SimClock
from .detectors import Detector, default_detectors
from .journal import Journal
from .personas import Persona
from .phrases import Phrases, load_phrases
from .target import Target


@dataclass(frozen=True)
class ChannelContext:
    """Everything a channel may use, and nothing of the script's API.

    `open_channel(name)` gives another channel of the same customer (a link in a mail opens in the
    customer's browser); it raises ScriptError if the customer cannot use that channel.
    """

    journal: Journal
    target: Target
    open_channel: Callable[[str], Any] | None = None

    @property
    def clock(self) -> SimClock:
        """The journey's simulated clock."""
        return self.journal.clock

    @property
    def persona(self) -> Persona:
        """The customer: channels they can use, facts they know."""
        return self.journal.persona

    @property
    def phrases(self) -> Phrases:
        """The phrase lists the detectors and channels match against."""
        return self.journal.phrases

    def sibling(self, name: str) -> Any:
        """Another channel of the same customer."""
        if self.open_channel is None:
            raise ScriptError(f"this contact cannot open the {name} channel: it was made without a customer")
        return self.open_channel(name)


def new_context(
    persona: Persona,
    target: Target,
    *,
    phrases: Phrases | None = None,
    patience_minutes: float = 120.0,
    detectors: Iterable[Detector] | None = None,
    open_channel: Callable[[str], Any] | None = None,
) -> ChannelContext:
    """A fresh journal (clock limited by the customer's patience, every registered detector) and its context."""
    text, url = target.rewriters(persona.secret_values(), persona.personal_values())
    journal = Journal(persona, (phrases or load_phrases()).for_persona(persona.knows), SimClock(patience_minutes),
                      default_detectors() if detectors is None else detectors, rewrite_text=text, rewrite_url=url)
    return ChannelContext(journal, target, open_channel)
