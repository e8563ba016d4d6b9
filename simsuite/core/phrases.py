"""Phrase lists as data (simsuite/phrases.yaml plus a project's own) and sentence matching."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from .files import NotUtf8, read_text
from ..errors import SimsuiteError

_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[a-z][.!?])(?=[A-Z])")  # "directions.Press 2" is two sentences
_SPACE = re.compile(r"\s+")
LIST_KEYS = ("dead_ends", "ask_cues", "wait_explained", "warm_transfer", "business_hours", "resolutions", "retries",
             "channel_directives", "channel_softeners", "wait_promises", "wait_not_promises", "resolution_patterns",
             "channel_directive_patterns", "channel_possibility_patterns", "transfer_phrases",
             "transfer_patterns")
MAP_KEYS = ("channel_demands", "facts", "references", "channel_places", "channel_patterns", "field_facts")
REGEX_KEYS = ("references", "channel_patterns")
# regular expressions, kept as written (not lower-cased): "(?P<name>...)" must survive
REGEX_LIST_KEYS = ("resolution_patterns", "channel_directive_patterns", "channel_possibility_patterns",
                   "transfer_patterns")


def sentences(text: str) -> list[str]:
    """Split what a company said into sentences, keeping the exact words."""
    out: list[str] = []
    for line in text.splitlines():
        out.extend(s.strip() for s in _SENTENCE.split(_SPACE.sub(" ", line)) if s.strip())
    return out


def first_sentence_with(text: str, phrases: "list[str] | tuple[str, ...]") -> str | None:
    """The first sentence of `text` holding one of `phrases` as whole words (case and spacing ignored), in its
    own words: "calling you back" is not in "Thanks for calling", and "call" is not in "recall"."""
    wanted = [_whole(normalise(p)) for p in phrases if p.strip()]
    return next((s for s in sentences(text) if any(w.search(normalise(s)) for w in wanted)), None)


@lru_cache(maxsize=1024)
def _whole(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])")


def normalise(text: str) -> str:
    """Lower-case with single spaces and straight apostrophes, for matching."""
    return _SPACE.sub(" ", text.replace("\u2019", "'")).strip().lower()


@dataclass
class Phrases:
    """Every phrase list the detectors use."""

    channel_demands: dict[str, list[str]] = field(default_factory=dict)
    dead_ends: list[str] = field(default_factory=list)
    facts: dict[str, list[str]] = field(default_factory=dict)
    field_facts: dict[str, list[str]] = field(default_factory=dict)
    ask_cues: list[str] = field(default_factory=list)
    wait_explained: list[str] = field(default_factory=list)
    warm_transfer: list[str] = field(default_factory=list)
    business_hours: list[str] = field(default_factory=list)
    resolutions: list[str] = field(default_factory=list)
    retries: list[str] = field(default_factory=list)
    references: dict[str, list[str]] = field(default_factory=dict)
    channel_places: dict[str, list[str]] = field(default_factory=dict)
    channel_patterns: dict[str, list[str]] = field(default_factory=dict)
    channel_directives: list[str] = field(default_factory=list)
    channel_softeners: list[str] = field(default_factory=list)
    wait_promises: list[str] = field(default_factory=list)
    wait_not_promises: list[str] = field(default_factory=list)
    resolution_patterns: list[str] = field(default_factory=list)
    channel_directive_patterns: list[str] = field(default_factory=list)
    channel_possibility_patterns: list[str] = field(default_factory=list)
    transfer_patterns: list[str] = field(default_factory=list)
    transfer_phrases: list[str] = field(default_factory=list)

    def extended(self, data: dict, source: str = "phrases") -> "Phrases":
        """A copy with more phrases added from a mapping of the same shape."""
        merged = Phrases(**{k: (dict((a, list(b)) for a, b in v.items()) if isinstance(v, dict) else list(v))
                            for k, v in self.__dict__.items()})
        for key, value in (data or {}).items():
            if key in LIST_KEYS and isinstance(value, list):
                getattr(merged, key).extend(str(v) if key in REGEX_LIST_KEYS else normalise(str(v)) for v in value)
            elif key in MAP_KEYS and isinstance(value, dict):
                target = getattr(merged, key)
                for name, items in value.items():
                    if not isinstance(items, list):
                        raise SimsuiteError(f"{source}: {key}.{name} must be a list of phrases")
                    clean = (str(v) for v in items) if key in REGEX_KEYS else (normalise(str(v)) for v in items)
                    target.setdefault(str(name), []).extend(clean)
            else:
                known = ", ".join(LIST_KEYS + MAP_KEYS)
                raise SimsuiteError(f"{source}: unknown or malformed phrase list {key!r}. Fix: use one of {known}")
        return merged

    @staticmethod
    def _has(sentence: str, phrases: list[str]) -> str | None:
        s = normalise(sentence)
        return next((p for p in phrases if p in s), None)

    def channel_demands_in(self, text: str) -> list[tuple[str, str]]:
        """(channel, sentence) for each sentence that sends the customer to a channel.

        A sentence sends the customer when it holds a `channel_demands` phrase ("please visit our website"),
        or names a place of a channel (`channel_places`, `channel_patterns`: "harbor mutual dot com") and
        tells them to go there without offering it as one more way among others (`channel_softeners`:
        "you can also ..."). Telling is an imperative or an obligation (`channel_directive_patterns`: "open
        the app", "must be made online"), or, until the words say the customer's thing is done, a softer
        directive (`channel_directives`, `channel_possibility_patterns`: "can be bought in the app").
        """
        found, done = [], False
        for sentence in sentences(text):
            channel = self._demanded(sentence, strong_only=done)
            if channel:
                found.append((channel, sentence))
            elif not done and self.resolves(sentence):
                done = True
        return found

    def _demanded(self, sentence: str, strong_only: bool = False) -> str | None:
        said = normalise(sentence)
        explicit = next((channel for channel, phrases in self.channel_demands.items() if self._has(said, phrases)),
                        None)
        if explicit:
            return None if self._softened(said, len(said)) else explicit
        place = self._place(said)
        if place is None or self._softened(said, place[1]):
            return None
        if _COMPANY_ACTS.match(said) and not _HANDS_OVER.search(said):  # "we'll e-mail you when ...": what
            # the company will do; but "we'll send you a link to choose a time by text" sends the customer there
            return place[0] if _OBLIGES.search(said) else None
        if any(re.search(p, said) for p in self.channel_directive_patterns):
            return place[0]
        if strong_only:
            return None
        if any(_whole(d).search(said) for d in self.channel_directives) or any(
                re.search(p, said) for p in self.channel_possibility_patterns):
            return place[0]
        return None

    def _place(self, said: str) -> tuple[str, int] | None:
        """The channel whose place the sentence names first in the lists' order, and where it is named."""
        for channel in [*self.channel_places, *(c for c in self.channel_patterns if c not in self.channel_places)]:
            hits = [m.start() for p in self.channel_places.get(channel, ()) for m in [_whole(p).search(said)] if m]
            hits += [m.start() for p in self.channel_patterns.get(channel, ()) for m in [re.search(p, said, re.I)] if m]
            if hits:
                return channel, min(hits)
        return None

    def _softened(self, said: str, place_at: int) -> bool:
        """Offered as one more way: a softener anywhere, except "also", which must come before the place."""
        for softener in self.channel_softeners:
            at = _whole(softener).search(said)
            if at and (softener != "also" or at.start() < place_at):
                return True
        return False

    def dead_ends_in(self, text: str) -> list[str]:
        """Sentences saying the way forward is closed."""
        return [s for s in sentences(text) if self._has(s, self.dead_ends)]

    def fact_asks_in(self, text: str, *, need_cue: bool = True) -> list[tuple[str, str]]:
        """(fact, sentence) for each sentence that asks for a fact."""
        found = []
        for sentence in sentences(text):
            if need_cue and not self._has(sentence, self.ask_cues):
                continue
            if need_cue and self.states_reference(sentence):
                continue  # "your ticket number is 4821" tells the customer; it asks nothing
            said = normalise(sentence)
            asked = [fact for fact, phrases in self.facts.items() if any(_whole(p).search(said) for p in phrases)]
            if not need_cue and not asked:  # a form field's label: its short names count too
                asked = [fact for fact, phrases in self.field_facts.items()
                         if any(_whole(p).search(said) for p in phrases)]
            found.extend((fact, sentence) for fact in asked)
        return found

    def states_reference(self, sentence: str) -> bool:
        """Whether a sentence states a reference's value (and so asks nothing)."""
        return any(re.search(p, sentence, re.I) for patterns in self.references.values() for p in patterns)

    def references_in(self, text: str) -> list[tuple[str, str, str]]:
        """(fact, value, sentence) for each reference the company issues in the text."""
        found = []
        for sentence in sentences(text):
            for fact, patterns in self.references.items():
                for pattern in patterns:
                    match = re.search(pattern, sentence, re.I)
                    if match:
                        found.append((fact, match.group(1), sentence))
                        break
        return found

    def business_hours_in(self, text: str) -> list[str]:
        """Sentences that limit a channel to business hours."""
        return [s for s in sentences(text) if self._has(s, self.business_hours)]

    def resolves(self, sentence: str, extra: "list[str] | tuple[str, ...]" = ()) -> bool:
        """Whether a sentence says the customer's thing is done: one of the `extra` phrases a user gave (as
        whole words), or `resolutions` and `resolution_patterns` in a sentence that neither closes the way
        nor sends the customer to another channel."""
        said = normalise(sentence)
        if any(_whole(normalise(p)).search(said) for p in extra if p.strip()):
            return True
        done = self._has(said, self.resolutions) or any(re.search(p, said) for p in self.resolution_patterns)
        if done and _BAD_NEWS.search(said):  # "I'm sorry your flight was cancelled" is news, not a task done
            return False
        return bool(done) and not self._has(said, self.dead_ends) and not self._demanded(sentence)

    def wait_promises_in(self, text: str) -> list[tuple[str, float]]:
        """(sentence, minutes) for each sentence telling the customer to wait for something outside the call
        ("a nurse will call you back within 4 hours": 240), when it gives a duration or a time window."""
        found = []
        for sentence in sentences(text):
            if self._has(sentence, self.wait_promises) and not self._has(sentence, self.wait_not_promises):
                minutes = duration_minutes(sentence)
                if minutes:
                    found.append((sentence, minutes))
        return found

    def queue_wait_in(self, sentence: str) -> bool:
        """Whether a sentence tells the caller how long they will wait to be answered: an estimate with a
        duration ("about 20 minutes"), or a place in line ("you are number 3")."""
        said = normalise(sentence)
        if not self._has(said, self.wait_explained) or not _WAITING.search(said):
            return False
        return queue_minutes(sentence) is not None or not re.search(r"\bminutes?\b", said)

    def transfers_in(self, text: str) -> list[str]:
        """Sentences in which a bot or a chat hands the customer to someone else."""
        return [s for s in sentences(text) if first_sentence_with(s, self.transfer_phrases)
                or any(re.search(p, normalise(s)) for p in self.transfer_patterns)]

    def for_persona(self, facts: "Iterable[str]") -> "Phrases":
        """These lists, also hearing a question for a fact only this customer has: "library_card" is asked
        for as "library card"; "incident_date" as "incident date" or "date of the incident"."""
        own = {fact: _said_as(fact) for fact in facts if fact not in self.facts}
        return self.extended({"facts": own}, "the customer's facts") if own else self

    def is_explained_wait(self, text: str) -> bool:
        return self._has(text, self.wait_explained) is not None

    def is_warm_transfer(self, text: str) -> bool:
        return self._has(text, self.warm_transfer) is not None


# A sentence whose subject is the company says what it will do, not where the customer must go ...
_COMPANY_ACTS = re.compile(r"(?:we|we'll|we will|we're|we are|we shall|our [a-z]+ (?:will|team will))\b")
_HANDS_OVER = re.compile(r"\b(?:link|form|code|app)\b")
# ... unless it obliges the customer all the same ("we can only accept claims online").
_OBLIGES = re.compile(r"\b(?:must|only|need to|needs to|have to|has to|you'll need|you will need)\b")
# Words of a sentence about waiting to be served, so that "the form takes 5 minutes" is no wait.
_WAITING = re.compile(r"\b(?:wait|waiting|queue|hold|in line|ahead of you|answered|answer|next available|"
                      r"position|caller|arrive|arrives|arrival|reach you|with you|get back|respond|response|reply|"
                      r"picks? up|someone|agent|advis[oe]r|representative|available)\b")
_BAD_NEWS = re.compile(r"\b(?:sorry|unfortunately|we regret|apologi[sz]e)\b")


def _said_as(fact: str) -> list[str]:
    words = fact.split("_")
    said = [" ".join(words)]
    if len(words) == 2:
        said += [f"{words[1]} of the {words[0]}", f"{words[1]} of {words[0]}"]
    return said


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
                 "forty": 40, "forty-five": 45, "sixty": 60, "ninety": 90, "24": 24, "48": 48, "72": 72}
_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 24 * 60, "business day": 24 * 60, "working day": 24 * 60,
                 "week": 7 * 24 * 60}
_DURATION = re.compile(r"\b(?:within|in|up to|about|approximately|around|roughly|next|is|of|takes?|allow|for)\s+(?:the\s+next\s+)?(?:about\s+)?"
                       r"(?P<n>[0-9]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|"
                       r"thirty|forty|forty-five|sixty|ninety)(?:\s*(?:to|-)\s*(?P<m>[0-9]+))?\s+"
                       r"(?P<unit>minute|hour|business day|working day|day|week)s?\b", re.I)
_WINDOW = re.compile(r"\bbetween\s+(?P<a>[0-9]{1,2})(?::[0-9]{2})?\s*(?P<ap>am|pm|a\.m\.|p\.m\.)?\s+and\s+"
                     r"(?P<b>[0-9]{1,2}|noon|midday)(?::[0-9]{2})?\s*(?P<bp>am|pm|a\.m\.|p\.m\.)?", re.I)


_BARE = re.compile(r"\b(?P<n>[0-9]+)(?:\s*(?:to|-)\s*(?P<m>[0-9]+))?\s*(?P<unit>minute|min|hour|hr)s?\b", re.I)


def queue_minutes(sentence: str) -> float | None:
    """How long a stated wait to be answered is, in minutes, however it is written ("Estimated wait: 35
    minutes", "about 20 mins"), or None."""
    found = duration_minutes(sentence)
    if found:
        return found
    bare = [float(m.group("m") or m.group("n")) * (60 if m.group("unit").lower().startswith("h") else 1)
            for m in _BARE.finditer(sentence)]
    return max(bare) if bare else None


def duration_minutes(sentence: str) -> float | None:
    """The longest duration a sentence gives, in minutes ("within two business days": 2880; "between 8am and
    noon": 240), or None."""
    found = [(_NUMBER_WORDS.get(m.group("n").lower()) or float(m.group("n")) if not m.group("m") else float(m.group("m")))
             * _UNIT_MINUTES[m.group("unit").lower()] for m in _DURATION.finditer(sentence)]
    for m in _WINDOW.finditer(sentence):
        start = int(m.group("a")) + (12 if (m.group("ap") or "").lower().startswith("p") and int(m.group("a")) < 12 else 0)
        end_raw = m.group("b").lower()
        end = 12 if end_raw in ("noon", "midday") else int(end_raw) + (
            12 if (m.group("bp") or "").lower().startswith("p") and int(end_raw) < 12 else 0)
        if end > start:
            found.append((end - start) * 60.0)
    return max(found) if found else None


@lru_cache(maxsize=1)
def _builtin() -> Phrases:
    text = resources.files("simsuite.core").joinpath("phrases.yaml").read_text(encoding="utf-8")
    return Phrases().extended(yaml.safe_load(text), "simsuite/phrases.yaml")


def load_phrases(*extra_files: str | Path) -> Phrases:
    """The built-in phrase lists, extended by each YAML file given."""
    phrases = _builtin()
    for path in extra_files:
        p = Path(path)
        if not p.is_file():
            raise SimsuiteError(f"{p}: phrase file not found. Fix: check the path given to --phrases (--sim-phrases)")
        try:
            data = yaml.safe_load(read_text(p)) or {}
        except NotUtf8 as exc:
            raise SimsuiteError(f"{p}:{exc.line}: not UTF-8 text (byte 0x{exc.byte:02x}). Fix: {exc.fix}") from None
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            where = f"{p}:{line + 1}" if line is not None else str(p)
            raise SimsuiteError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)}). "
                                "Fix: a mapping of list names to lists of phrases") from None
        if not isinstance(data, dict):
            raise SimsuiteError(f"{p}: must be a mapping of phrase list names to phrases")
        lines = read_text(p).splitlines()
        for key in data:
            if key not in LIST_KEYS + MAP_KEYS:
                line = next((i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:")), None)
                raise SimsuiteError(f"{p}{f':{line}' if line else ''}: unknown phrase list {key!r}. "
                                    f"Fix: use one of {', '.join(LIST_KEYS + MAP_KEYS)}")
        phrases = phrases.extended(data, str(p))
    return phrases
