"""What every channel that talks shares (a phone call, a chat): hearing, answering, choosing, navigating.

The return convention of every channel's actions:

- an **action** (`press`, `say`, `wait`, `answer`, `send`, `fill`, `goto`) returns the object it was
  called on, so calls chain (`call.press("1").wait()`); what came back is read from properties
  (`heard`, `last_text`, `text`);
- a **finder** returns what it found, or None / False when the company offers nothing that fits
  (`choose`, `navigate`, `heard_any`, and the web's `click` and `select`): that absence is the
  company's doing and may be friction;
- using the API wrongly (acting on a contact that has ended, a field that is not on the page) raises
  `ScriptError`: the journey's outcome is then an error, never friction scored against the company.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from ..core.phrases import first_sentence_with
from ..model import FrictionKind
from .menus import best_option

if TYPE_CHECKING:
    from typing import Self

    from ..core.context import ChannelContext


class Conversation(ABC):
    """One contact in which the company talks and the customer answers; subclasses supply the channel's verbs."""

    channel = ""
    company = "company"      # how the transcript names the company's side ("ivr", "bot")
    option_noun = "option"   # what an offered choice is called in a missing-option friction

    def __init__(self, ctx: "ChannelContext", contact: str) -> None:
        self.ctx = ctx
        self.journal = ctx.journal
        self.contact = contact
        self.transcript: list[tuple[str, str]] = []

    # -- what a subclass provides -----------------------------------------------------------------
    @property
    @abstractmethod
    def active(self) -> bool:
        """Whether the contact is still open."""

    @property
    def listening(self) -> bool:
        """Whether the company is waiting for the customer's input now."""
        return self.active

    @property
    @abstractmethod
    def latest(self) -> str:
        """What the company said since the customer last acted."""

    @property
    @abstractmethod
    def options(self) -> dict[str, str]:
        """The choices offered now, as key -> the words that describe it."""

    @abstractmethod
    def say(self, words: str) -> "Self":
        """Say or type words to the company."""

    @abstractmethod
    def _pick(self, key: str) -> None:
        """Take the offered choice with this key."""

    @abstractmethod
    def _options_evidence(self) -> tuple[str, int]:
        """The words that offered the choices, and the step where they were offered."""

    @abstractmethod
    def _unknown_fact(self, fact: str) -> "Self":
        """What the customer does when asked for a fact they do not know."""

    def _give(self, fact: str, value: str) -> "Self":
        """Give a fact the company asked for."""
        return self.say(value)

    def _stuck(self, explain: str, offered: bool) -> bool:
        """Nothing offered fits (or nothing is offered): act if the channel allows; False to stop navigating."""
        return False

    # -- shared behaviour -----------------------------------------------------------------------
    def heard_any(self, *phrases: str, whole: bool = False, **legacy: bool) -> str | None:
        """The first sentence the company said since the customer last acted (or, with `whole=True`, in the
        whole contact) that holds one of the phrases as whole words, in its own words; None if none does.

        Judging only what came after the customer's last input keeps a greeting's "Thanks for calling"
        from answering a later question.
        """
        for name in ("whole_call", "whole_chat"):
            whole = legacy.pop(name, whole)
        if legacy:
            raise TypeError(f"heard_any() got unexpected keyword arguments {sorted(legacy)}")
        text = " ".join(t for who, t in self.transcript if who == self.company) if whole else self.latest
        return first_sentence_with(text, phrases)

    @property
    def asked_for(self) -> list[str]:
        """Facts the company asked for since the customer last acted."""
        if not self.listening:
            return []
        return [fact for fact, _ in self.ctx.phrases.fact_asks_in(self.latest)]

    def answer(self, fact: str) -> "Self":
        """Give a fact the company asked for; a customer who does not know it says so (or stays silent)."""
        if not self.journal.knows(fact):
            return self._unknown_fact(fact)
        return self._give(fact, self.journal.fact(fact))

    def choose(self, *wants: str, fallback: tuple[str, ...] = ()) -> str | None:
        """Take the offered choice that fits what the customer wants; returns its key, or None.

        If choices are offered and none fits, that is a missing option (the words that offered them
        are the evidence); then the customer tries the `fallback` descriptions.
        """
        options = self.options
        key = best_option(options, wants)
        if key is None and options:
            evidence, step = self._options_evidence()
            self.journal.friction(
                FrictionKind.MISSING_OPTION, evidence, step=step, source="menu",
                detail=f"no {self.option_noun} for: {', '.join(wants)}; offered: {'; '.join(options.values())}")
            key = best_option(options, fallback)
        if key is not None and self.listening:
            self._pick(key)
        return key

    def navigate(self, wants: tuple[str, ...], *, fallback: tuple[str, ...] = (), explain: str = "",
                 until: tuple[str, ...] = (), max_turns: int = 15) -> str | None:
        """Act like a customer with a goal until one of `until` is heard, the contact ends, or turns run out.

        Each turn: give a fact the company asked for (or say it is not known), else take the offered
        choice that fits `wants` (then `fallback`), else explain in `explain`'s words or stay silent,
        as the channel allows. Returns the sentence that matched `until`, or None.
        """
        for _ in range(max_turns):
            done = self.heard_any(*until) if until else None
            if done or not self.listening:
                return done
            facts = self.asked_for
            if facts:
                self.answer(facts[0])
            elif self.options:
                if self.choose(*wants, fallback=fallback) is None and not self._stuck(explain, True):
                    break
            elif not self._stuck(explain, False):
                break
        return self.heard_any(*until) if until else None

    def __repr__(self) -> str:
        state = "active" if self.active else "ended"
        return f"{type(self).__name__}({self.contact!r}, {state})"


