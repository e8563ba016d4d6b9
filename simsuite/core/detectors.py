"""Friction detectors and their registry. Each finds one kind of friction from the evidence in steps.

A detector sees every step as it is recorded (`on_step`) and the whole journey at the end (`finish`),
through the journey's `Journal`. Register your own with `@register_detector` (its `name` is how a
scenario switches it off: `detectors: {disable: [name]}`); a fresh instance is made for every journey.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from ..model import COMPANY_WORDS, Action, Actor, Friction, FrictionKind, Step
from .phrases import duration_minutes, first_sentence_with, queue_minutes, sentences
from .registry import Registry

if TYPE_CHECKING:
    from .journal import Journal


class Detector:
    """Base detector: override `on_step`, `finish` or both. `name` appears as the friction's source."""

    name = "detector"
    #: The step actions `on_step` looks at (None: every step; empty: none, the detector only `finish`es).
    actions: frozenset[Action] | None = None

    def on_step(self, journal: "Journal", step: Step) -> Iterable[Friction]:
        """Friction shown by one step, as it is recorded."""
        return ()

    def finish(self, journal: "Journal") -> Iterable[Friction]:
        """Friction shown by the whole journey, once it is over."""
        return ()


DETECTORS: Registry[type[Detector]] = Registry(
    "detector", how_to_add="Add one with @simsuite.register_detector on a Detector subclass.")


def register_detector(cls: type[Detector]) -> type[Detector]:
    """Class decorator: run this detector on every journey from now on, under its `name`."""
    name = cls.__dict__.get("name") or cls.__name__
    cls.name = name
    return DETECTORS.register(name, cls)


def default_detectors(disabled: Iterable[str] = ()) -> list[Detector]:
    """A fresh instance of every registered detector, except the names in `disabled`."""
    off = set(disabled)
    DETECTORS.check(off)
    return [cls() for name, cls in DETECTORS.items() if name not in off]


def _quote(text: str, value: str) -> str:
    """The sentence of `text` that holds `value`."""
    return next((s for s in sentences(text) if value in s), text[:200])


def _friction(kind: FrictionKind, step: Step, evidence: str, detail: str, source: str, **kw) -> Friction:
    return Friction(kind=kind, step=step.index, channel=step.channel, evidence=evidence,
                    detail=detail, source=source, **kw)


@register_detector
class HttpErrorDetector(Detector):
    """A page that answers with an HTTP error status is a dead end."""

    name = "http-status"
    actions = frozenset({Action.PAGE})

    def on_step(self, journal, step):
        if step.channel == "web" and step.action is Action.PAGE and step.status and step.status >= 400:
            yield _friction(FrictionKind.DEAD_END, step, f"HTTP {step.status} at {step.url}",
                            "the page answered with an error", self.name)


@register_detector
class ChannelDemandDetector(Detector):
    """Being sent to another channel: a forced switch, or an unavailable demand if the customer lacks it."""

    name = "channel-demand"
    actions = COMPANY_WORDS

    def on_step(self, journal, step):
        if step.action not in COMPANY_WORDS:
            return
        said: dict[str, list[str]] = {}
        for channel, sentence in journal.phrases.channel_demands_in(step.text):
            if channel != step.channel:
                said.setdefault(channel, []).append(sentence)
        for channel, sentences_said in said.items():  # one demand per channel, in all the words that make it
            sentence = " ".join(sentences_said)
            if journal.can_use(channel):
                yield _friction(FrictionKind.FORCED_SWITCH, step, sentence,
                                f"sent from {step.channel} to {channel}", self.name)
            else:
                situation = "; ".join(journal.persona.situation) or "not among this customer's channels"
                yield _friction(FrictionKind.UNAVAILABLE_DEMAND, step, sentence,
                                f"told to use {channel}, which this customer cannot use now ({situation})",
                                self.name)


@register_detector
class BusinessHoursDetector(Detector):
    """Told to come back in business hours when the customer can only act outside them."""

    name = "business-hours"
    actions = COMPANY_WORDS

    def on_step(self, journal, step):
        if step.action in COMPANY_WORDS and journal.persona.outside_business_hours:
            for sentence in journal.phrases.business_hours_in(step.text):
                yield _friction(FrictionKind.UNAVAILABLE_DEMAND, step, sentence,
                                "limited to business hours, which this customer cannot use", self.name)


@register_detector
class DeadEndPhraseDetector(Detector):
    """A page, a call or a chat saying the way is closed, with no other way offered, is a dead end."""

    name = "dead-end-phrase"
    actions = COMPANY_WORDS

    def on_step(self, journal, step):
        if step.action is Action.HEARD and journal.phrases.channel_demands_in(step.text):
            return  # on a call or in a chat, being sent elsewhere is the demand (the hang-up the dead end)
        said = journal.phrases.dead_ends_in(step.text)  # a page saying both closes the way and sends elsewhere
        if said:  # one dead end, in all the words that close the way
            yield _friction(FrictionKind.DEAD_END, step, " ".join(said), "no way forward in this channel", self.name)


@register_detector
class ReferenceDetector(Detector):
    """Not friction itself: notes each reference the company issues, so asking for it back can count."""

    name = "reference"
    actions = COMPANY_WORDS

    def on_step(self, journal, step):
        if step.action in COMPANY_WORDS:
            for fact, value, _ in journal.phrases.references_in(step.text):
                journal.learn(fact, value, step)
        return ()


def _new_words(journal: "Journal", step: Step) -> str:
    """The sentences of a page step that the previous page of the same contact did not show."""
    before = next((s.text for s in reversed(journal.steps[:step.index])
                   if s.action is Action.PAGE and s.contact == step.contact), "")
    seen = {" ".join(s.split()) for s in sentences(before)}
    return "\n".join(s for s in sentences(step.text) if " ".join(s.split()) not in seen)


@register_detector
class FactDemandDetector(Detector):
    """Asked for a fact: unavailable if the customer does not know it, repeated if they already gave it."""

    name = "fact-demand"
    actions = frozenset({Action.PAGE, Action.HEARD})

    def __init__(self) -> None:
        self.lacking: set[tuple[str | None, str]] = set()

    def on_step(self, journal, step):
        asks: list[tuple[str, str]] = []
        if step.action is Action.PAGE:
            said = dict(journal.phrases.fact_asks_in(step.text))  # the page's own words asking, if any
            for label in step.data.get("fields", []):
                asks.extend((fact, said.get(fact) or f"form field: {label}") for fact, _ in
                            journal.phrases.fact_asks_in(label, need_cue=False))
        elif step.action is Action.HEARD:
            asks = journal.phrases.fact_asks_in(step.text)
        if step.action is Action.PAGE:  # a field that asks for an identifier no fact of the customer's names
            named = {label for label in step.data.get("fields", [])
                     if journal.phrases.fact_asks_in(label, need_cue=False)}
            asks.extend((_own_fact(journal, label) or _unnamed(label), f"form field: {label}")
                        for label in step.data.get("fields", []) if label not in named and _IDENTIFIER.search(label))
        if step.action is Action.PAGE:  # a question new on the page (a chat widget's) for what was given
            asks.extend((fact, sentence) for fact, sentence in journal.phrases.fact_asks_in(_new_words(journal, step))
                        if fact in journal.given and fact not in dict(asks))
        answerable = {evidence for fact, evidence in asks if journal.knows(fact)}  # one fact it knows will do
        again: list[tuple[str, str]] = []  # (label, fact) of a form's fields asking again, as one friction
        for fact, evidence in asks:
            said = fact.replace("_", " ")
            issued = journal.learned.get(fact)
            if issued is not None:
                origin = journal.steps[issued[1]]
                if origin.contact != step.contact:
                    yield _friction(FrictionKind.REPEATED_INFORMATION, step, evidence,
                                    f"asked for the {said} that the company itself issued at step {origin.index} "
                                    f"({origin.channel}: \"{_quote(origin.text, issued[0])}\"): this contact does "
                                    "not know about the first one", self.name)
            elif fact in journal.phrases.references:
                continue  # a reference that was never issued: an optional question, not a demand
            elif not journal.knows(fact) and evidence not in answerable and (step.contact, fact) not in self.lacking:
                self.lacking.add((step.contact, fact))  # asked again for what they lack: the same demand
                yield _friction(FrictionKind.UNAVAILABLE_DEMAND, step, evidence,
                                f"asked for the {said}, which this customer does not know", self.name)
            elif fact in journal.given and journal.given[fact] < step.index:
                if evidence.startswith("form field: "):
                    again.append((evidence.removeprefix("form field: "), fact))
                    continue
                first = journal.steps[journal.given[fact]]
                yield _friction(FrictionKind.REPEATED_INFORMATION, step, evidence,
                                f"asked again for the {said}, already given at step {first.index} "
                                f"({first.channel}: {first.detail})", self.name)
        if again:  # one form asking again for what was given is one repetition, however many fields it has
            given = "; ".join(f"the {fact.replace('_', ' ')} at step {journal.given[fact]} "
                              f"({journal.steps[journal.given[fact]].detail})" for _, fact in again)
            yield _friction(FrictionKind.REPEATED_INFORMATION, step,
                            ("form fields: " if len(again) > 1 else "form field: ") + ", ".join(l for l, _ in again),
                            f"the form asks again for what was already given: {given}", self.name)


@register_detector
class LoopDetector(Detector):
    """Back at a state already seen with nothing new: the same menu prompt, the same page."""

    name = "loop"
    actions = frozenset({Action.GATHER, Action.PAGE, Action.HEARD, Action.LATER})

    def __init__(self) -> None:
        self.seen: dict[tuple, int] = {}

    def on_step(self, journal, step):
        if step.action is Action.LATER:  # coming back days later is a new visit, not going round
            self.seen.clear()
            return
        if step.action is Action.HEARD and step.channel == "chat" and step.text:
            yield from self._chat(journal, step)
            return
        if step.action is Action.GATHER and step.text:
            key: tuple = ("phone", step.contact, step.text)
        elif step.action is Action.PAGE and step.data.get("navigated") and not step.data.get("opened"):
            key = ("web", step.url, step.text)
        else:
            return
        count = self.seen.get(key, 0) + 1
        self.seen[key] = count
        if count > 1:
            where = "prompt" if key[0] == "phone" else f"page {step.url}"
            yield _friction(FrictionKind.LOOP, step, step.text[:300],
                            f"the same {where} again (visit {count}) with nothing new", self.name)


    def _chat(self, journal, step):
        """A bot that did not understand and asks again, or says again what it said before, sends the
        customer round: a loop."""
        key = ("chat", step.contact, " ".join(step.text.split()).lower())
        count = self.seen[key] = self.seen.get(key, 0) + 1
        retry = first_sentence_with(step.text, [p for p in journal.phrases.retries if p != "sorry"])
        if retry and first_sentence_with(step.text, _GUIDANCE):
            retry = None  # "please type it as DD/MM/YYYY, for example ...": a hint the customer can act on
        if count > 1 or retry:
            why = "the bot did not understand and asks again" if retry and count == 1 else \
                f"the same reply again (time {count}) with nothing new"
            yield _friction(FrictionKind.LOOP, step, step.text[:300], why, self.name)


@register_detector
class TransferPhraseDetector(Detector):
    """A bot or a web chat handing the customer to a person or another team ("I'm transferring you to our
    card team"). On the phone the transfer is the call being put through, judged by the transfer detector."""

    name = "transfer-words"
    actions = COMPANY_WORDS

    def on_step(self, journal, step):
        if step.channel == "phone":
            return
        for sentence in journal.phrases.transfers_in(step.text):
            if sentence.rstrip().endswith("?") or re.match(r"\s*(?:to|if|so|when)\b", sentence, re.I):
                continue  # "to connect you with the right team, what's it about?" hands nobody over yet
            warm = journal.phrases.is_warm_transfer(step.text)
            yield _friction(FrictionKind.TRANSFER, step, sentence,
                            "warm transfer (context carried)" if warm else "handed to another team or agent",
                            self.name, factor=0.5 if warm else 1.0)


def _own_fact(journal: "Journal", label: str) -> str | None:
    """The customer's own fact a field names by the start of its words ("Membership number": member_number)."""
    words = re.findall(r"[a-z0-9]+", label.lower())
    for fact in sorted(journal.persona.knows):
        parts = fact.lower().split("_")
        if len(parts) > 1 and all(any(w.startswith(p) for w in words) for p in parts):
            return fact
    return None


def _unnamed(label: str) -> str:
    """A fact named after the field that asks for it ("Card reference": card_reference)."""
    return "_".join(re.findall(r"[a-z0-9]+", label.lower())) or "field"


_GUIDANCE = ("for example", "e.g.", "such as", "in the format", "like this", "format")
_IDENTIFIER = re.compile(r"\b(?:number|no\.(?=\s|$)|code|id|key|reference|ref|pin|licen[cs]e|serial|passcode)\b",
                         re.I)


def _demanded_already(journal: "Journal", step: Step, field: str) -> bool:
    """Whether this contact already counted the demand for this field (when the page showed it)."""
    said = " ".join(field.split()).casefold()
    facts = [fact.replace("_", " ") for fact, _ in journal.phrases.fact_asks_in(field, need_cue=False)]
    return bool(said) and any(
        f.kind is FrictionKind.UNAVAILABLE_DEMAND and journal.steps[f.step].contact == step.contact
        and (said in " ".join(f.evidence.split()).casefold() or any(f"the {fact}," in f.detail for fact in facts))
        for f in journal.frictions)


@register_detector
class FormRefusalDetector(Detector):
    """A form the customer sent and got back with nothing done and nothing said is a loop; refused for a
    fact the customer does not have, an unavailable demand; refused with words that close the way, a
    dead end. A request to correct what was typed ("enter a valid date") is no friction."""

    name = "form-refusal"
    actions = frozenset({Action.REFUSED})

    def on_step(self, journal, step):
        form = step.data.get("form") or "on this page"
        if step.data.get("by") == "browser":
            field = step.data.get("field") or ""
            facts = [fact for fact, _ in journal.phrases.fact_asks_in(field, need_cue=False)]
            if (facts and not any(journal.knows(f) for f in facts)) or (not facts and _IDENTIFIER.search(field)):
                said = facts[0].replace("_", " ") if facts else field
                if not _demanded_already(journal, step, field):
                    yield _friction(FrictionKind.UNAVAILABLE_DEMAND, step, step.text,
                                    f"the form '{form}' cannot be sent without the {said}, which this customer "
                                    "does not have", self.name)
                yield _friction(FrictionKind.DEAD_END, step, step.text,
                                f"the browser will not send the form '{form}' without it", self.name)
            return  # a field the customer could fill and did not: the script's to handle
        if step.data.get("silent"):  # back at the same form with nothing new: a loop (BRIEF: a revisit)
            yield _friction(FrictionKind.LOOP, step, f"{step.text} (HTTP {step.status or 200}): {step.detail}",
                            "the form was sent and came back with nothing done and nothing said", self.name)
            return
        lacking = [fact for fact, _ in journal.phrases.fact_asks_in(step.text, need_cue=False)
                   if not journal.knows(fact)]
        if lacking:
            yield _friction(FrictionKind.UNAVAILABLE_DEMAND, step, step.text,
                            f"the form '{form}' was refused for the {lacking[0].replace('_', ' ')}, which this "
                            "customer does not know", self.name)
        elif journal.phrases.dead_ends_in(step.text):  # "we are unable to process requests online"
            yield _friction(FrictionKind.DEAD_END, step, journal.phrases.dead_ends_in(step.text)[0],
                            f"the form '{form}' was refused and the way is closed", self.name)
        # anything else asks the customer to correct what they typed: the script's to handle


@register_detector
class TransferDetector(Detector):
    """Handed to another department, queue or agent; half weight if the context travels along.

    The evidence is the transfer and the words said just before it; a queue joined without a word is
    quoted with what the caller then heard on hold.
    """

    name = "transfer"
    actions = frozenset({Action.TRANSFER, Action.QUEUE})

    def __init__(self) -> None:
        self.silent_queues: list[Friction] = []

    def on_step(self, journal, step):
        if step.action not in (Action.TRANSFER, Action.QUEUE):
            return
        heard = []
        for earlier in reversed(journal.steps[:-1]):
            if earlier.action is not Action.HEARD or earlier.contact != step.contact:
                break
            heard.insert(0, earlier.text)
        before = " ".join(heard)
        friction = self._transfer(journal, step, step.detail + (f" after: {before}" if before else ""), before)
        if not before and step.action is Action.QUEUE:
            self.silent_queues.append(friction)
        yield friction
        if step.action is Action.TRANSFER:  # put through to a person: no hold is simulated, only what was said
            for sentence in sentences(before):
                minutes = duration_minutes(sentence) if journal.phrases.queue_wait_in(sentence) else None
                if minutes:
                    yield _friction(FrictionKind.WAIT, step, sentence, f"told the wait to be answered is about "
                                    f"{minutes:g} min", self.name, minutes=minutes, explained=True)

    def finish(self, journal):
        for friction in self.silent_queues:  # quoted with what the caller heard on hold, now that it is known
            step = journal.steps[friction.step]
            hold = next((s for s in journal.steps[step.index + 1:] if s.contact == step.contact
                         and s.action in (Action.HOLD, Action.HEARD) and s.text), None)
            if hold is not None:
                friction.evidence = f"{step.detail} then: {hold.text}"
        return ()

    def _transfer(self, journal, step, evidence: str, words: str) -> Friction:
        warm = journal.phrases.is_warm_transfer(words)
        return _friction(FrictionKind.TRANSFER, step, evidence,
                         "warm transfer (context carried)" if warm else "handed to another queue or agent",
                         self.name, factor=0.5 if warm else 1.0)


@register_detector
class WaitDetector(Detector):
    """Time on hold, measured on the simulated clock; explained if an estimate or position was given."""

    name = "wait"
    actions = frozenset({Action.HOLD})

    def on_step(self, journal, step):
        minutes = step.data.get("minutes")
        if step.action is Action.HOLD and minutes:
            explained = bool(step.data.get("explained"))
            yield _friction(FrictionKind.WAIT, step, step.text or step.detail,
                            f"{minutes:.0f} min on hold, {'explained' if explained else 'no estimate given'}",
                            self.name, minutes=minutes, explained=explained)


@register_detector
class ToldToWaitDetector(Detector):
    """Told to wait for something outside the contact, with a duration: a callback window, a visit, a truck."""

    name = "told-to-wait"
    actions = COMPANY_WORDS

    def on_step(self, journal, step):
        for sentence, minutes in journal.phrases.wait_promises_in(step.text):
            yield _friction(FrictionKind.WAIT, step, sentence, f"told to wait about {minutes:g} min for it",
                            self.name, minutes=minutes, explained=True)
        if step.channel != "phone":  # a chat's or a page's queue: what it says is all there is of the wait
            for sentence in sentences(step.text):
                minutes = journal.phrases.queue_wait_in(sentence) and queue_minutes(sentence)
                if minutes:
                    yield _friction(FrictionKind.WAIT, step, sentence, f"told the wait is about {minutes:g} min",
                                    self.name, minutes=minutes, explained=True)

    def finish(self, journal):
        """A duration the customer came to find out ("Orders arrive within 5 working days", quoted as the
        answer that resolved the journey) is the answer, not a wait the company made them take."""
        answer = " ".join((journal.outcome_detail or "").split()).casefold()
        if journal.outcome is not None and journal.outcome.value == "resolved" and answer:
            journal.frictions[:] = [f for f in journal.frictions if not (
                f.source == self.name and journal.steps[f.step].channel != "phone"
                and " ".join(f.evidence.split()).casefold() in answer)]
        return ()


@register_detector
class CompanyEndedDetector(Detector):
    """A contact the company ended before the goal was met is a dead end."""

    name = "company-ended"
    actions: frozenset[Action] = frozenset()  # judges the whole journey only

    def finish(self, journal):
        steps = journal.steps
        resolved = journal.outcome is not None and journal.outcome.value == "resolved"
        for i, step in enumerate(steps):
            if not step.data.get("ended_by_company"):
                continue
            later = [s for s in steps[i + 1:] if s.action is not Action.NOTE]
            if resolved and later and later[0].action is Action.OUTCOME:
                continue
            if self._said_already(journal, step):
                continue  # the company's own words already said the way was closed: one dead end, not two
            last_words = next((s.text for s in reversed(steps[:i + 1])
                               if s.contact == step.contact and s.action is Action.HEARD and s.text), "")
            if any(channel != step.channel for channel, _ in journal.phrases.channel_demands_in(last_words)):
                continue  # the company sent the customer elsewhere: counted as a switch or a demand
            yield _friction(FrictionKind.DEAD_END, step, (last_words + " " if last_words else "") + f"[{step.detail}]",
                            "the company ended the contact before the goal was met", self.name)


    @staticmethod
    def _said_already(journal, ended: Step) -> bool:
        since = next((s.index for s in reversed(journal.steps[:ended.index]) if s.contact == ended.contact
                      and s.actor is Actor.CUSTOMER), -1)
        return any(f.kind is FrictionKind.DEAD_END and since < f.step <= ended.index
                   and journal.steps[f.step].contact == ended.contact for f in journal.frictions)


@register_detector
class SwitchAfterDeadEndDetector(Detector):
    """Moving to another channel after a dead end, with no switch asked for, is a forced switch."""

    name = "switch-after-dead-end"
    actions: frozenset[Action] = frozenset()  # judges the whole journey only

    def finish(self, journal):
        steps = journal.steps
        by_contact: dict[str, set[FrictionKind]] = {}
        for f in journal.frictions:
            contact = steps[f.step].contact
            if contact:
                by_contact.setdefault(contact, set()).add(f.kind)
        for contact, kinds in by_contact.items():
            if FrictionKind.DEAD_END not in kinds or kinds & {FrictionKind.FORCED_SWITCH,
                                                              FrictionKind.UNAVAILABLE_DEMAND}:
                continue
            last = max(i for i, s in enumerate(steps) if s.contact == contact)
            nxt = next((s for s in steps[last + 1:] if s.contact and s.contact != contact), None)
            if nxt is not None and nxt.channel != steps[last].channel:
                evidence = next(f.evidence for f in journal.frictions
                                if f.kind is FrictionKind.DEAD_END and steps[f.step].contact == contact)
                yield _friction(FrictionKind.FORCED_SWITCH, nxt, evidence,
                                f"forced from {steps[last].channel} to {nxt.channel} after a dead end", self.name)
