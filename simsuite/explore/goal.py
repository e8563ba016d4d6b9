"""A goal-directed caller: one call in which a synthetic customer picks, at each menu, the option whose
words best match a goal given in plain words, as a real caller does, and reports where none fits.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable

import httpx

from ..channels.menus import STOP_WORDS, best_option
from ..channels.phone import Call
from ..channels.phone.driver import NO_INPUT, perform
from ..core.journal import Journal
from ..core.personas import Persona
from ..core.phrases import normalise, sentences
from ..core.scenario import Scenario
from ..errors import HostNotAllowed
from .calls import RESOLUTION_PHRASES, CallResult, CallSession, Findings, display_prompt, fact_move, short
from .map import ExploreMap, Finding, MapEdge, MapNode

__all__ = ["FALLBACK", "goal_caller", "goal_words", "similarity", "stems"]

FALLBACK: tuple[str, ...] = ("anything else", "agent", "operator", "representative", "speak with a person",
                             "person", "someone", "all other", "other")
#: Words a goal is written with that say nothing about which option fits.
GOAL_STOP_WORDS = STOP_WORDS | frozenset((
    "i", "me", "we", "our", "it", "its", "that", "was", "be", "been", "have", "has", "had", "do", "does", "did",
    "want", "need", "would", "like", "after", "before", "because", "about", "get", "got", "some", "any", "can",
    "cannot", "can't", "just", "so", "but", "from", "by", "as", "i'm", "im", "there", "their", "they", "them",
))
#: Words too general to make an option fit a goal on their own ("service" in "new services and upgrades").
GENERIC_WORDS = frozenset((
    "service", "help", "support", "account", "information", "info", "customer", "general", "question", "enquiry",
    "inquiry", "other", "option", "issue", "problem", "call", "speak", "talk",
))
_WORD = re.compile(r"[a-z0-9']+")
_GREETING = re.compile(r"\b(?:thanks? (?:you )?for calling|welcome to|you(?:'ve| have) reached)\b", re.IGNORECASE)
_PRESS = re.compile(r"\b(?:press|select|choose|dial)\s+(?:[0-9]|\*|#|star|pound|hash)\b", re.IGNORECASE)


def _stem(word: str) -> str:
    w = word.strip("'").removesuffix("'s").rstrip("s")
    for suffix in ("ing", "ed", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


def goal_words(goal: str) -> tuple[str, ...]:
    """The words of a goal that carry meaning (stop words removed), in order, each once."""
    words = [w for w in _WORD.findall(normalise(goal)) if w not in GOAL_STOP_WORDS and len(w) > 1]
    return tuple(dict.fromkeys(words))


def stems(text: str) -> set[str]:
    """The stems of the meaningful words of `text` ("outages" and "outage" share one)."""
    return {_stem(w) for w in _WORD.findall(normalise(text)) if w not in GOAL_STOP_WORDS and len(w) > 1}


def similarity(goal: str, option: str, *, specific: bool = False) -> int:
    """How many word stems a goal and an option's words share (`specific`: leaving out GENERIC_WORDS)."""
    shared = stems(goal) & stems(option)
    return len(shared - _GENERIC) if specific else len(shared)


_GENERIC = frozenset(_stem(w) for w in GENERIC_WORDS)


def goal_caller(
    phone_url: str,
    entry: str,
    goal: str,
    persona: Persona | None = None,
    *,
    max_turns: int = 20,
    mode: str | None = None,
    scenario: Scenario | None = None,
    max_sim_minutes: float = 90,
    max_visits: int = 3,
    fallback: tuple[str, ...] = FALLBACK,
    resolution_phrases: Iterable[str] = RESOLUTION_PHRASES,
    http: httpx.Client | None = None,
    method: str = "POST",
    dialled: dict[str, str] | None = None,
    facts: dict[str, str] | None = None,
) -> ExploreMap:
    """Call the IVR once as a customer with `goal` (plain words) and map the single path taken.

    At each prompt the caller gives an asked-for fact it knows (else stays silent); at a menu it presses
    the untried option sharing most word stems with the goal, words in GENERIC_WORDS not counting. Where
    none shares any, and the IVR has not already acknowledged the goal in its other words (an outage
    announced up front), that is a missing option (`Call.choose` records it with the prompt as evidence);
    the caller then tries `fallback` descriptions ("anything else", "agent", ...), an option sharing
    only general words, then 0, then the untried options in turn. The call ends as the explorer's paths
    do (human, resolved, dead_end, hangup, error, loop after `max_visits` to one prompt, bounded); a
    person reached on the way is in `stats["first_human"]`. The default persona can only use the phone
    and knows every fact.
    """
    started = time.perf_counter()
    session = CallSession(phone_url, entry, persona=persona, scenario=scenario, max_sim_minutes=max_sim_minutes,
                          resolution_phrases=resolution_phrases, follow_human=True, http=http, method=method,
                          dialled=dialled, facts=facts)
    try:
        caller = _GoalCall(session, goal, mode, max_turns=max_turns, max_visits=max_visits, fallback=fallback,
                           max_sim_minutes=max_sim_minutes)
        explored = caller.finish(caller.walk())
    finally:
        session.close()
    explored.stats["wall_seconds"] = round(time.perf_counter() - started, 3)
    return explored


class _GoalCall:
    """One goal-directed call: the walk through the IVR, then its map."""

    def __init__(self, session: CallSession, goal: str, mode: str | None, *, max_turns: int, max_visits: int,
                 fallback: tuple[str, ...], max_sim_minutes: float) -> None:
        self.session = session
        self.wants = goal_words(goal)
        self.goal_stems = stems(goal) - _GENERIC
        self.max_turns, self.max_visits, self.fallback = max_turns, max_visits, fallback
        self.explored = ExploreMap(kind="ivr", target=session.target_label, mode=mode, goal=goal, bounds={
            "max_turns": max_turns, "max_visits": max_visits, "max_sim_minutes": max_sim_minutes})
        self.findings = Findings()
        self.path: list[str] = []
        self.chain: list[str] = []                    # node reached after each move (and at the start)
        self.by_key: dict[str, MapNode] = {}
        self.human: tuple[float, list[str], str] | None = None
        self.last: MapNode | None = None

    def walk(self) -> CallResult:
        """Make the call, choosing at each prompt as the goal suggests; returns where it ended."""
        session, path = self.session, self.path
        ctx = session.context()
        error: str | None = None
        try:
            call: Call | None = session.call(ctx)
        except HostNotAllowed as exc:
            call, error = None, str(exc)
        marks: list[int] = []
        tried: dict[str, set[str]] = {}
        visits: Counter[str] = Counter()
        while True:
            result = CallResult(ctx.journal, call, marks=list(marks), error=error)
            session.classify(result, stop_at_human=False)
            if result.human_at is not None and self.human is None:
                self.human = (result.human_at, list(path), result.human_words)
            if result.end is not None:
                break
            node = self._visit(result)
            visits[result.key] += 1
            if visits[result.key] > self.max_visits:
                result.end, result.evidence = "loop", result.prompt
                self.findings.add("loop", f"back at the same prompt {visits[result.key]} times", result.prompt,
                                  path, node.id, None)
                break
            if len(path) >= self.max_turns:
                result.end, result.evidence = "bounded", f"stopped after {self.max_turns} turns"
                break
            mark = len(ctx.journal.steps)
            try:
                move = _decide(call, ctx.journal, result, tried.setdefault(result.key, set()), self.wants,
                               self.goal_stems, self.fallback, first_visit=visits[result.key] == 1)
            except _Blocked as blocked:
                move, error = blocked.move, blocked.reason
            if move is None:
                result.end, result.evidence = "bounded", "the caller had nothing left to try: " + short(result.prompt)
                break
            tried[result.key].add(move)
            marks.append(mark)
            path.append(move)
        result.marks = list(marks)
        return result

    def _visit(self, result: CallResult) -> MapNode:
        node = self.by_key.get(result.key)
        if node is None:
            node = MapNode(id=f"n{len(self.by_key)}", label=display_prompt(result.prompt),
                           kind="prompt" if result.asked or not result.menu else "menu", depth=len(self.path),
                           sim_seconds=round(result.sim, 1), path=list(self.path), evidence=result.prompt)
            self.by_key[result.key] = node
            self.explored.nodes.append(node)
        if self.last is not None:
            self.explored.edges.append(MapEdge(self.last.id, node.id, self.path[-1],
                                               outcome="loop" if node.id in self.chain else "ok"))
        self.chain.append(node.id)
        self.last = node
        return node

    def finish(self, result: CallResult) -> ExploreMap:
        """Score the call and draw its map: the end, the findings, the first person reached."""
        self.session.finish(result)
        explored, path, findings, last = self.explored, self.path, self.findings, self.last
        end = MapNode(id="e0", label=short(result.evidence), kind="end", end=result.end, depth=len(path),
                      sim_seconds=round(result.sim, 1), path=list(path), evidence=result.evidence)
        if result.end in ("loop", "bounded") and last is not None and result.evidence == last.evidence:
            last.end = result.end
            end = last
        else:
            explored.nodes.append(end)
            if last is not None:
                explored.edges.append(MapEdge(last.id, end.id, path[-1] if path else NO_INPUT,
                                              outcome="error" if result.end == "error" else "ok"))
        findings.frictions(result, path, list(self.chain) + [end.id], skip_detector_loops=False)
        for f in findings.items:
            f.index = result.index
        if result.end == "dead_end":
            findings.add("dead_end", "hung up after sending the caller to another channel",
                         result.words or result.evidence, path, end.id, result.index)
        elif result.end == "error":
            findings.add("error", "the IVR broke", result.evidence, path, end.id, result.index)
        explored.findings = findings.items
        first_human = None
        if self.human is not None:
            at, keys, words = self.human
            first_human = {"min_depth": len(keys), "min_depth_path": keys, "min_sim_seconds": round(at, 1),
                           "min_sim_path": keys, "count": 1}
            explored.findings.append(Finding(
                kind="human", title=f"a person reached after {len(keys)} moves and {at / 60:.1f} simulated minutes",
                evidence=words or "transferred", path=keys, index=result.index))
        explored.stats = {
            "calls": self.session.calls, "turns": len(path), "nodes": len(self.by_key),
            "edges": len(explored.edges), "end": result.end, "index": result.index, "ends": {result.end: 1},
            "first_human": first_human,
            "paths": [{"keys": list(path), "end": result.end, "index": result.index,
                       "sim_seconds": round(result.sim, 1)}],
            "wants": list(self.wants),
        }
        return explored


def _acknowledged(call: Call, goal_stems: set[str]) -> bool:
    """Whether the IVR's words other than its options and its greeting already speak of the goal (an announced
    outage). A greeting names the company ("Thank you for calling Harbor Mutual Insurance"), not the goal."""
    said = " ".join(t for who, t in call.transcript if who == "ivr")
    others = " ".join(s for s in sentences(said) if not _PRESS.search(s) and not _GREETING.search(s))
    return bool(goal_stems & stems(others))


class _Blocked(Exception):
    """A move sent the call to a host this run may not touch."""

    def __init__(self, move: str, reason: str) -> None:
        super().__init__(reason)
        self.move, self.reason = move, reason


def _act(call: Call, move: str) -> str:
    try:
        perform(call, move)
    except HostNotAllowed as exc:
        raise _Blocked(move, str(exc)) from None
    return move


def _decide(call: Call, journal: Journal, result: CallResult, tried: set[str], wants: tuple[str, ...],
            goal_stems: set[str], fallback: tuple[str, ...], *, first_visit: bool) -> str | None:
    """Make the caller's next move at a listening prompt; returns its label, or None if nothing is left."""
    all_stems = {_stem(w) for w in wants}
    if result.asked:
        known = next((f for f in result.asked if journal.knows(f)), None)
        return _act(call, fact_move(known, journal.persona) if known else NO_INPUT)
    menu = result.menu
    if not menu:
        return _act(call, NO_INPUT)
    untried = {k: v for k, v in menu.items() if k not in tried}
    # words every option shares name the menu's subject ("your membership"), not the choice between them
    common = set.intersection(*(stems(label) for label in menu.values())) if len(menu) > 1 else set()
    scored = sorted(((len(goal_stems & (stems(label) - common)), k) for k, label in untried.items()),
                    key=lambda s: -s[0])
    if scored and scored[0][0] > 0:
        return _act(call, scored[0][1])
    specific = tuple(w for w in wants if _stem(w) in goal_stems and _stem(w) not in common)
    if first_visit and not tried and specific and not _acknowledged(call, goal_stems - common):
        expected = best_option(menu, fallback)
        try:
            pressed = call.choose(*specific, fallback=fallback)  # records the missing option, prompt as evidence
        except HostNotAllowed as exc:
            raise _Blocked(expected or "?", str(exc)) from None
        if pressed is not None:
            return pressed
    general = sorted(((len(all_stems & stems(label)), k) for k, label in untried.items()), key=lambda s: -s[0])
    if general and general[0][0] > 0:
        return _act(call, general[0][1])
    key = best_option(untried, fallback)
    if key is not None:
        return _act(call, key)
    if "0" not in tried and "0" not in menu:
        return _act(call, "0")
    if untried:
        return _act(call, next(iter(untried)))
    return None
