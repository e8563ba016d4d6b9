"""What a block's words mean to one caller: simsuite's phrase lists applied to a flow export's prompts.

The judgement is the detectors' own (simsuite.core.phrases): a channel demand is a forced switch when the
caller has that channel and an unavailable demand when they do not; a fact asked for is unavailable when
the caller does not know it; business hours are a demand on a caller who can only call outside them. A
recorded prompt is judged by its name, the only words the export has for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..core.personas import Persona
from ..core.phrases import Phrases, first_sentence_with, load_phrases, sentences
from ..model import FrictionKind
from .flow_model import FlowState
from .flow_words import words_of

FLOW_CHANNEL = "phone"
"""The channel a flow export serves: a demand to call is no switch for a caller already on the phone."""


@dataclass(frozen=True)
class FlowCaller:
    """Who is calling: the channels they can use now and the facts they know (None: every fact)."""

    channels: frozenset[str] = frozenset({FLOW_CHANNEL})
    knows: frozenset[str] | None = None
    outside_business_hours: bool = False

    @classmethod
    def from_persona(cls, persona: Persona) -> FlowCaller:
        """The caller a persona makes: its channels, its facts and its situation."""
        return cls(frozenset(persona.channels), frozenset(persona.knows), persona.outside_business_hours)

    def can_use(self, channel: str) -> bool:
        """Whether the caller can use this channel right now."""
        return channel in self.channels

    def knows_fact(self, fact: str) -> bool:
        """Whether the caller knows this fact."""
        return self.knows is None or fact in self.knows


class Judge:
    """Reads the words of each block against the phrase lists, for one caller."""

    def __init__(self, phrases: Phrases | None, caller: FlowCaller | None,
                 resolution_words: Iterable[str]) -> None:
        self.phrases = phrases or load_phrases()
        self.caller = caller or FlowCaller()
        self.resolution_words = [w.lower() for w in resolution_words]  # besides the phrase lists' own

    @staticmethod
    def words(state: FlowState) -> str:
        """The words to judge: the prompt, or the recording's name as words."""
        return state.text or (words_of(state.recording) + "." if state.recording else "")

    def demands(self, state: FlowState) -> list[tuple[FrictionKind, str, str]]:
        """(kind, channel, sentence) for each sentence sending the caller to another channel."""
        found = []
        for channel, sentence in self.phrases.channel_demands_in(self.words(state)):
            if channel == FLOW_CHANNEL:
                continue
            kind = FrictionKind.FORCED_SWITCH if self.caller.can_use(channel) else FrictionKind.UNAVAILABLE_DEMAND
            found.append((kind, channel, sentence))
        if self.caller.outside_business_hours:
            found += [(FrictionKind.UNAVAILABLE_DEMAND, "business hours", s)
                      for s in self.phrases.business_hours_in(self.words(state))]
        return found

    def asks(self, state: FlowState) -> list[tuple[str, str]]:
        """(fact, sentence) for each fact an input block asks for."""
        return self.phrases.fact_asks_in(self.words(state))

    def resolves(self, state: FlowState) -> bool:
        """Whether the block says the caller's thing is done."""
        return any(self.phrases.resolves(s, self.resolution_words) for s in sentences(self.words(state)))

    def fails(self, state: FlowState) -> bool:
        """Whether the block says the way is closed or the input failed."""
        words = self.words(state)
        return bool(self.phrases.dead_ends_in(words)) or first_sentence_with(words, self.phrases.retries) is not None

    def tells_wait(self, state: FlowState) -> str | None:
        """The sentence that tells the caller how long they will wait (an estimate, a position, a promise
        with a duration), if any. "Try again in a few minutes" is no wait, nor a time already passed."""
        for sentence in sentences(self.words(state)):
            if first_sentence_with(sentence, (*self.phrases.retries, "try again")):
                continue
            if self.phrases.wait_promises_in(sentence) or self.phrases.queue_wait_in(sentence):
                return sentence
        return None
