"""Calls to one IVR for an exploration: the shared session, where each call's last move led, and findings.

Used by the breadth-first explorer (`ivr.py`) and the goal-directed caller (`goal.py`). Calls go
through simsuite's own phone channel with the public `Dialer`, so the real detectors judge each call.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ..channels.phone import Call, new_http_client
from ..channels.phone.driver import NO_INPUT, Dialer, perform
from ..channels.menus import asks_for_data, parse_menu
from ..core.context import ChannelContext
from ..core.index import kafkaesque_index
from ..core.journal import Journal
from ..core.personas import FACTS, Persona, make_persona
from ..core.phrases import Phrases, load_phrases, normalise, sentences
from ..core.scenario import Scenario
from ..core.target import Target
from ..errors import HostNotAllowed
from ..model import Friction, FrictionKind, Outcome
from .map import Finding

__all__ = ["DEFAULT_PROBE_KEYS", "NO_INPUT", "RESOLUTION_PHRASES", "RETRY_PHRASES", "CallResult", "CallSession",
           "Findings", "MemoPhrases", "display_prompt", "friction_title", "perform", "prompt_key", "short"]

DEFAULT_PROBE_KEYS = "0123456789*#"
RESOLUTION_PHRASES: tuple[str, ...] = tuple(load_phrases().resolutions)
RETRY_PHRASES: tuple[str, ...] = tuple(load_phrases().retries)
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
_PUNCT = re.compile(r"[^a-z0-9 ]+")


@lru_cache(maxsize=4096)
def _kept(prompt: str) -> str:
    kept = []
    for sentence in sentences(prompt):
        said = normalise(sentence)
        if not any(p in said for p in RETRY_PHRASES):
            kept.append(sentence)
    return " ".join(kept) or prompt


@lru_cache(maxsize=4096)
def prompt_key(prompt: str) -> str:
    """The identity of an IVR state: its prompt, normalised, without "sorry, I did not get that" retries."""
    return " ".join(_PUNCT.sub("", normalise(_kept(prompt))).split())


def display_prompt(prompt: str) -> str:
    return _kept(prompt)


def with_facts(persona: Persona, facts: dict[str, str]) -> Persona:
    """The persona knowing these facts too, with these values (`--fact postcode=60616`)."""
    return persona.with_facts(facts)


def asking_for(phrases: Phrases, persona: Persona) -> Phrases:
    """Phrase lists that also hear a prompt ask for a fact only this persona has (`Phrases.for_persona`)."""
    return phrases.for_persona(persona.knows)


def fact_move(fact: str, persona: Persona) -> str:
    """The move that gives a fact, with the value typed, as a finding's path shows it: "<postcode=60616>"."""
    shown = "[secret]" if fact in persona.secrets else persona.records.get(fact, "")
    return f"<{fact}={shown}>"


class MemoPhrases(Phrases):
    """The same phrase lists, remembering each answer: an exploration hears the same prompts on every call."""

    def __init__(self, base: Phrases) -> None:
        super().__init__(**{k: getattr(base, k) for k in Phrases.__dataclass_fields__})
        self._memo: dict[tuple[str, str, bool], Any] = {}

    def _remember(self, name: str, text: str, compute, flag: bool = False):
        key = (name, text, flag)
        if key not in self._memo:
            if len(self._memo) > 20_000:
                self._memo.clear()
            self._memo[key] = compute()
        value = self._memo[key]
        return list(value) if isinstance(value, list) else value

    def channel_demands_in(self, text: str) -> list[tuple[str, str]]:
        return self._remember("channel", text, lambda: super(MemoPhrases, self).channel_demands_in(text))

    def dead_ends_in(self, text: str) -> list[str]:
        return self._remember("dead", text, lambda: super(MemoPhrases, self).dead_ends_in(text))

    def fact_asks_in(self, text: str, *, need_cue: bool = True) -> list[tuple[str, str]]:
        return self._remember("fact", text, lambda: super(MemoPhrases, self).fact_asks_in(text, need_cue=need_cue),
                              need_cue)

    def references_in(self, text: str) -> list[tuple[str, str, str]]:
        return self._remember("ref", text, lambda: super(MemoPhrases, self).references_in(text))

    def business_hours_in(self, text: str) -> list[str]:
        return self._remember("hours", text, lambda: super(MemoPhrases, self).business_hours_in(text))

    def is_explained_wait(self, text: str) -> bool:
        return self._remember("wait", text, lambda: super(MemoPhrases, self).is_explained_wait(text))

    def is_warm_transfer(self, text: str) -> bool:
        return self._remember("warm", text, lambda: super(MemoPhrases, self).is_warm_transfer(text))

    def wait_promises_in(self, text: str) -> list[tuple[str, float]]:
        return self._remember("promise", text, lambda: super(MemoPhrases, self).wait_promises_in(text))


@dataclass
class CallResult:
    """One call placed for a path, and where its last move led."""

    journal: Journal
    call: Call | None = None
    marks: list[int] = field(default_factory=list)   # step index at which each move began
    mismatch: bool = False
    error: str | None = None
    end: str | None = None
    evidence: str = ""
    words: str = ""
    prompt: str = ""
    key: str | None = None
    menu: dict[str, str] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    entry: bool = False                              # the prompt listens for data, not for a choice
    audio: bool = False                              # the prompt was recordings only
    human_at: float | None = None
    human_words: str = ""
    sim: float = 0.0
    index: float | None = None

    def signature(self, target: str | None) -> tuple:
        if self.end is None:
            return ("node", target)
        return ("end", self.end, prompt_key(self.words))


class CallSession:
    """What every call of one exploration shares: target, persona, patience, phrases, HTTP client, counters."""

    def __init__(self, phone_url: str, entry: str, *, persona: Persona | None, scenario: Scenario | None,
                 max_sim_minutes: float, resolution_phrases: Iterable[str], follow_human: bool,
                 http: httpx.Client | None, phrases: Phrases | None = None, method: str = "POST",
                 dialled: dict[str, str] | None = None, facts: dict[str, str] | None = None) -> None:
        self.phone_url = phone_url.rstrip("/")
        self.entry = entry or "/"
        netloc = urlsplit(self.phone_url).netloc
        self.target = Target(base_url=self.phone_url, phone_url=self.phone_url, allowed_hosts=frozenset({netloc}),
                             phone_method=method.upper(), dialled=dict(dialled or {}))
        self.persona = with_facts(persona or make_persona(0, "ivr-explorer", channels=["phone"], knows=FACTS),
                                  facts or {})
        self.patience = max_sim_minutes if scenario is None else min(scenario.patience_minutes, max_sim_minutes)
        self.disabled = scenario.disabled_detectors if scenario is not None else ()
        self.follow_human = follow_human
        self.phrases = MemoPhrases(asking_for(phrases or load_phrases(), self.persona))
        builtin = set(self.phrases.resolutions)  # judged by Phrases.resolves; the rest are the caller's own words
        self.resolution = tuple(p for p in (normalise(p) for p in resolution_phrases) if p not in builtin)
        self._resolves: dict[str, bool] = {}
        self._given_http = http
        self._own_http: httpx.Client | None = None
        self.dialer = Dialer(self.target, self.persona, self.phrases, patience_minutes=self.patience,
                             disabled=self.disabled)
        self.mismatches = 0

    @property
    def calls(self) -> int:
        """How many calls were placed."""
        return self.dialer.calls

    @property
    def http(self) -> httpx.Client:
        """The client every call shares: the one given, else one made on first use."""
        if self._given_http is not None:
            return self._given_http
        if self._own_http is None:
            self._own_http = new_http_client()
        return self._own_http

    def close(self) -> None:
        """Release the HTTP client this session made."""
        if self._own_http is not None:
            self._own_http.close()

    @property
    def target_label(self) -> str:
        """How the map names the IVR: the entry path on loopback, else its full URL."""
        host = urlsplit(self.phone_url).hostname or ""
        return self.entry if host in _LOOPBACK else urljoin(self.phone_url + "/", self.entry.lstrip("/"))

    def context(self, *, shared: bool = True) -> ChannelContext:
        """A fresh journal for one call; `shared` lends it the session's HTTP client (much cheaper than one each)."""
        self.dialer.http = self.http if shared else None
        return self.dialer.prepare(shared=shared)

    def call(self, ctx: ChannelContext) -> Call:
        """Dial the entry in this context."""
        return self.dialer.call(self.entry, ctx=ctx)

    def place(self, path: list[str], expect: list[str] | None = None, *, stop_at_human: bool = True,
              finish: bool = True) -> CallResult:
        """Call the entry and replay `path`; classify where the last move led (or the call itself)."""
        ctx = self.context()
        result = CallResult(ctx.journal)
        journal = ctx.journal
        try:
            call = result.call = self.call(ctx)
            for i, label in enumerate(path):
                if not call.listening or (expect is not None and prompt_key(call.prompt) != expect[i]):
                    result.mismatch = True
                    break
                result.marks.append(len(journal.steps))
                perform(call, label)
        except HostNotAllowed as exc:
            result.error = str(exc)
        if not result.mismatch:
            self.classify(result, stop_at_human=stop_at_human)
        if finish:
            self.finish(result)
        return result

    def classify(self, result: CallResult, *, stop_at_human: bool = True) -> None:
        """Set where the last move (or the call, if no move was made) ended, and what was said."""
        journal, call = result.journal, result.call
        result.end, result.evidence, result.prompt, result.key, result.menu, result.asked = None, "", "", None, {}, []
        result.human_at, result.human_words = None, ""
        start = result.marks[-1] if result.marks else 0
        steps = journal.steps[start:]
        result.words = " ".join(s.text for s in steps if s.action == "heard" and s.text)
        result.sim = journal.clock.now
        human_step = None
        for i, s in enumerate(steps):
            answered = s.action == "hold" and (i + 1 >= len(steps) or steps[i + 1].action != "ended")
            if s.action == "transfer" or answered:  # a transfer, or a queue an agent answered
                human_step = i
                result.human_at = s.at
                result.human_words = " ".join(t.text for t in steps[i:] if t.action == "heard" and t.text) or s.detail
                break
        broken = next((s for s in steps if s.action in ("http_error", "bad_document")), None)
        bounded = next((s for s in steps if s.action == "bounded"), None)
        moved = bool(result.marks) or call is None or not call.listening
        resolved = self.resolution_in(result.words) if moved else None
        if resolved and start:
            before = {normalise(t) for s in journal.steps[:start] if s.action == "heard" for t in sentences(s.text)}
            resolved = self.resolution_in(result.words, heard_before=before)
        if result.error:
            result.end, result.evidence = "error", result.error
        elif broken is not None:
            result.end = "error"
            result.evidence = broken.detail + (f": {broken.text}" if broken.text else "")
        elif resolved and not (call is not None and call.listening and (call.menu or call.asked_for)):
            result.end, result.evidence = "resolved", resolved  # done, unless the IVR offers more to do
        elif bounded is not None:
            loop = next((f for f in journal.frictions
                         if f.kind is FrictionKind.LOOP and f.step == bounded.index), None)
            result.end, result.evidence = "loop", loop.evidence if loop else bounded.detail
        elif human_step is not None and (stop_at_human or call is None or not call.listening):
            result.end, result.evidence = "human", result.human_words
        elif call is not None and call.listening:
            result.prompt, result.key = call.prompt, prompt_key(call.prompt)
            result.menu, result.asked = call.menu, call.asked_for
            result.entry = bool(call.leg.listener and call.leg.listener.data_entry) or asks_for_data(call.prompt)
            result.audio = call.audio_prompt
        elif call is not None and call.ended_by == "company":
            elsewhere = [s for ch, s in self.phrases.channel_demands_in(result.words) if ch != "phone"]
            last = " ".join(sentences(result.words)[-2:])
            ended = next((s.detail for s in reversed(steps) if s.action == "ended"), "the call ended")
            result.end = "dead_end" if elsewhere else "hangup"
            result.evidence = elsewhere[0] if elsewhere else (last or f"[{ended}]")
        else:
            ended = next((s.detail for s in reversed(steps) if s.action == "ended"), "a bound stopped the call")
            result.end, result.evidence = "bounded", ended

    def resolution_in(self, words: str, heard_before: set[str] = frozenset()) -> str | None:
        """The first sentence holding a resolution phrase and not heard before in the call, or None."""
        for sentence in sentences(words):
            said = normalise(sentence)
            if said not in heard_before and self._resolves_alone(sentence, said):
                return sentence
        return None

    def _resolves_alone(self, sentence: str, said: str) -> bool:
        """Whether a sentence says the goal is met; a menu offering it ("to have us call you back, press 1")
        resolves nothing yet. Remembered: an exploration hears the same sentences on every call."""
        done = self._resolves.get(sentence)
        if done is None:
            done = self._resolves[sentence] = (self.phrases.resolves(sentence, self.resolution)
                                               and not parse_menu(sentence))
        return done

    def finish(self, result: CallResult) -> None:
        """Hang up, set the outcome, run the whole-journey detectors and score the path."""
        journal, call = result.journal, result.call
        if call is not None and call.active:
            call.hangup()
        if not journal.steps:
            return
        if result.end == "resolved":
            outcome, detail = Outcome.RESOLVED, result.evidence
        elif result.end == "human":
            outcome, detail = Outcome.PROMISED, result.evidence
        else:
            outcome, detail = Outcome.UNRESOLVED, result.evidence or "explored"
        journal.conclude(outcome, detail)
        journal.finish()
        result.index = kafkaesque_index(outcome, journal.frictions)[0]


class Findings:
    """One finding per kind and evidence: the first (shortest) path to replay, the other paths counted."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self._seen: dict[tuple[str, str], Finding] = {}

    def add(self, kind: str, title: str, evidence: str, path: list[str], node: str | None,
            index: float | None) -> None:
        evidence = " ".join(str(evidence).split())
        if not evidence:
            return
        if (kind, evidence) in self._seen:
            self._seen[(kind, evidence)].also(path)
            return
        finding = Finding(kind=kind, title=title, evidence=evidence, path=list(path), node=node, index=index)
        self._seen[(kind, evidence)] = finding
        self.items.append(finding)

    def frictions(self, result: CallResult, path: list[str], nodes: list[str], *, skip: Iterable[FrictionKind] = (),
                  skip_detector_loops: bool = True) -> None:
        """Copy what the call's detectors found, each with the keys pressed before it happened."""
        skipped = set(skip)
        for f in result.journal.frictions:
            if f.kind in skipped or (skip_detector_loops and f.kind is FrictionKind.LOOP and f.source == "loop"):
                continue
            keys = [label for label, mark in zip(path, result.marks) if mark <= f.step]
            node = nodes[min(len(keys), len(nodes) - 1)] if nodes else None
            self.add(f.kind.value, friction_title(f), f.evidence, keys, node, result.index)


def friction_title(f: Friction) -> str:
    return f"{f.kind.label}: {f.detail}" if f.detail else f.kind.label



def short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "\u2026"
