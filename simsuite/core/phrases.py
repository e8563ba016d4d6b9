"""Phrase lists as data (simsuite/phrases.yaml plus a project's own) and sentence matching."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import SimsuiteError

_SENTENCE = re.compile(r"(?<=[.!?])\s+|(?<=[a-z][.!?])(?=[A-Z])")  # "directions.Press 2" is two sentences
_SPACE = re.compile(r"\s+")
LIST_KEYS = ("dead_ends", "ask_cues", "wait_explained", "warm_transfer", "business_hours", "resolutions", "retries")
MAP_KEYS = ("channel_demands", "facts", "references")


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
    ask_cues: list[str] = field(default_factory=list)
    wait_explained: list[str] = field(default_factory=list)
    warm_transfer: list[str] = field(default_factory=list)
    business_hours: list[str] = field(default_factory=list)
    resolutions: list[str] = field(default_factory=list)
    retries: list[str] = field(default_factory=list)
    references: dict[str, list[str]] = field(default_factory=dict)

    def extended(self, data: dict, source: str = "phrases") -> "Phrases":
        """A copy with more phrases added from a mapping of the same shape."""
        merged = Phrases(**{k: (dict((a, list(b)) for a, b in v.items()) if isinstance(v, dict) else list(v))
                            for k, v in self.__dict__.items()})
        for key, value in (data or {}).items():
            if key in LIST_KEYS and isinstance(value, list):
                getattr(merged, key).extend(normalise(str(v)) for v in value)
            elif key in MAP_KEYS and isinstance(value, dict):
                target = getattr(merged, key)
                for name, items in value.items():
                    if not isinstance(items, list):
                        raise SimsuiteError(f"{source}: {key}.{name} must be a list of phrases")
                    clean = (str(v) for v in items) if key == "references" else (normalise(str(v)) for v in items)
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
        """(channel, sentence) for each sentence that sends the customer to a channel."""
        found = []
        for sentence in sentences(text):
            for channel, phrases in self.channel_demands.items():
                if self._has(sentence, phrases):
                    found.append((channel, sentence))
                    break
        return found

    def dead_ends_in(self, text: str) -> list[str]:
        """Sentences saying the way forward is closed."""
        return [s for s in sentences(text) if self._has(s, self.dead_ends)]

    def fact_asks_in(self, text: str, *, need_cue: bool = True) -> list[tuple[str, str]]:
        """(fact, sentence) for each sentence that asks for a fact."""
        found = []
        for sentence in sentences(text):
            if need_cue and not self._has(sentence, self.ask_cues):
                continue
            for fact, phrases in self.facts.items():
                if self._has(sentence, phrases):
                    found.append((fact, sentence))
        return found

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

    def is_explained_wait(self, text: str) -> bool:
        return self._has(text, self.wait_explained) is not None

    def is_warm_transfer(self, text: str) -> bool:
        return self._has(text, self.warm_transfer) is not None


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
            raise SimsuiteError(f"{p}: phrase file not found. Fix: check the path given to --sim-phrases")
        try:
            data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            where = f"{p}:{line + 1}" if line is not None else str(p)
            raise SimsuiteError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)}). "
                                "Fix: a mapping of list names to lists of phrases") from None
        if not isinstance(data, dict):
            raise SimsuiteError(f"{p}: must be a mapping of phrase list names to phrases")
        phrases = phrases.extended(data, str(p))
    return phrases
