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
from ..customer import Customer
from ..errors import HostNotAllowed
from ..personas import Persona
from ..phrases import normalise, sentences
from ..scenario import Scenario
from .ivr import (
    NO_INPUT,
    RESOLUTION_PHRASES,
    _display,
    _Findings,
    _Result,
    _Session,
    _short,
    perform,
)
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
    session = _Session(phone_url, entry, persona=persona, scenario=scenario, max_sim_minutes=max_sim_minutes,
                       resolution_phrases=resolution_phrases, follow_human=True, http=http)
    wants = goal_words(goal)
    goal_stems = stems(goal) - _GENERIC
    explored = ExploreMap(kind="ivr", target=session.target_label, mode=mode, goal=goal, bounds={
        "max_turns": max_turns, "max_visits": max_visits, "max_sim_minutes": max_sim_minutes})
    findings = _Findings()
    try:
        customer = session.customer()
        error: str | None = None
        try:
            call: Call | None = customer.phone.call(session.entry)
        except HostNotAllowed as exc:
            call, error = None, str(exc)
        path: list[str] = []
        marks: list[int] = []
        chain: list[str] = []                    # node reached after each move (and at the start)
        by_key: dict[str, MapNode] = {}
        tried: dict[str, set[str]] = {}
        visits: Counter[str] = Counter()
        human: tuple[float, list[str], str] | None = None
        last: MapNode | None = None
        while True:
            result = _Result(customer, call, marks=list(marks), error=error)
            session.classify(result, stop_at_human=False)
            if result.human_at is not None and human is None:
                human = (result.human_at, list(path), result.human_words)
            if result.end is not None:
                break
            node = by_key.get(result.key)
            if node is None:
                node = MapNode(id=f"n{len(by_key)}", label=_display(result.prompt),
                               kind="prompt" if result.asked or not result.menu else "menu", depth=len(path),
                               sim_seconds=round(result.sim, 1), path=list(path), evidence=result.prompt)
                by_key[result.key] = node
                explored.nodes.append(node)
            if last is not None:
                explored.edges.append(MapEdge(last.id, node.id, path[-1], outcome="loop" if node.id in chain else "ok"))
            chain.append(node.id)
            last = node
            visits[result.key] += 1
            if visits[result.key] > max_visits:
                result.end, result.evidence = "loop", result.prompt
                findings.add("loop", f"back at the same prompt {visits[result.key]} times", result.prompt,
                             path, node.id, None)
                break
            if len(path) >= max_turns:
                result.end, result.evidence = "bounded", f"stopped after {max_turns} turns"
                break
            mark = len(customer.steps)
            try:
                move = _decide(call, customer, result, tried.setdefault(result.key, set()), wants, goal_stems,
                               fallback, first_visit=visits[result.key] == 1)
            except _Blocked as blocked:
                move, error = blocked.move, blocked.reason
            if move is None:
                result.end, result.evidence = "bounded", "the caller had nothing left to try: " + _short(result.prompt)
                break
            tried[result.key].add(move)
            marks.append(mark)
            path.append(move)
        end_result = result
        end_result.marks = list(marks)
        session.finish(end_result)
        end = MapNode(id="e0", label=_short(end_result.evidence), kind="end", end=end_result.end, depth=len(path),
                      sim_seconds=round(end_result.sim, 1), path=list(path), evidence=end_result.evidence)
        if end_result.end in ("loop", "bounded") and last is not None and end_result.evidence == last.evidence:
            last.end = end_result.end
            end = last
        else:
            explored.nodes.append(end)
            if last is not None:
                explored.edges.append(MapEdge(last.id, end.id, path[-1] if path else NO_INPUT,
                                              outcome="error" if end_result.end == "error" else "ok"))
        findings.frictions(end_result, path, [n for n in chain] + [end.id], skip_detector_loops=False)
        for f in findings.items:
            f.index = end_result.index
        if end_result.end == "dead_end":
            findings.add("dead_end", "hung up after sending the caller to another channel", end_result.evidence,
                         path, end.id, end_result.index)
        elif end_result.end == "error":
            findings.add("error", "the IVR broke", end_result.evidence, path, end.id, end_result.index)
        explored.findings = findings.items
        first_human = None
        if human is not None:
            first_human = {"min_depth": len(human[1]), "min_depth_path": human[1],
                           "min_sim_seconds": round(human[0], 1), "min_sim_path": human[1], "count": 1}
            explored.findings.append(Finding(
                kind="human", title=f"a person reached after {len(human[1])} moves and "
                f"{human[0] / 60:.1f} simulated minutes", evidence=human[2] or "transferred", path=human[1],
                index=end_result.index))
        explored.stats = {
            "calls": session.calls,
            "turns": len(path),
            "nodes": len(by_key),
            "edges": len(explored.edges),
            "end": end_result.end,
            "index": end_result.index,
            "ends": {end_result.end: 1},
            "first_human": first_human,
            "paths": [{"keys": list(path), "end": end_result.end, "index": end_result.index,
                       "sim_seconds": round(end_result.sim, 1)}],
            "wants": list(wants),
            "wall_seconds": round(time.perf_counter() - started, 3),
        }
        return explored
    finally:
        session.close()


def _acknowledged(call: Call, goal_stems: set[str]) -> bool:
    """Whether the IVR's words other than its options already speak of the goal (an announced outage)."""
    said = " ".join(t for who, t in call.transcript if who == "ivr")
    others = " ".join(s for s in sentences(said) if not _PRESS.search(s))
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


def _decide(call: Call, customer: Customer, result: _Result, tried: set[str], wants: tuple[str, ...],
            goal_stems: set[str], fallback: tuple[str, ...], *, first_visit: bool) -> str | None:
    """Make the caller's next move at a listening prompt; returns its label, or None if nothing is left."""
    all_stems = {_stem(w) for w in wants}
    if result.asked:
        known = next((f for f in result.asked if customer.knows(f)), None)
        return _act(call, f"<{known}>" if known else NO_INPUT)
    menu = result.menu
    if not menu:
        return _act(call, NO_INPUT)
    untried = {k: v for k, v in menu.items() if k not in tried}
    scored = sorted(((len(goal_stems & stems(label)), k) for k, label in untried.items()), key=lambda s: -s[0])
    if scored and scored[0][0] > 0:
        return _act(call, scored[0][1])
    specific = tuple(w for w in wants if _stem(w) in goal_stems)
    if first_visit and not tried and specific and not _acknowledged(call, goal_stems):
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
