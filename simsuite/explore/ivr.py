"""IVR exploration: walk every path of a phone tree breadth-first, one real call per path, and map it.

A caller cannot go back, so every path is a new call from the entry that replays the moves so far
(keys, "<no input>", or "<fact>" for giving a fact the IVR asked for), then tries one more move. A state
is the normalised prompt text: reaching the same prompt again is the same node (a loop back if it is on
the path). Calls run through simsuite's own phone channel (TwiML or VoiceXML), with a phone-only persona
who knows every fact, so the real detectors judge what each call met.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..channels.menus import parse_menu
from ..channels.phone import Call
from ..channels.phone.driver import NO_INPUT, fact_of, perform
from ..core.personas import FACTS, Persona
from ..core.phrases import normalise, sentences
from ..core.scenario import Scenario
from ..errors import HostNotAllowed
from ..model import FrictionKind
from .calls import (
    DEFAULT_PROBE_KEYS,
    RESOLUTION_PHRASES,
    RETRY_PHRASES,
    CallResult,
    CallSession,
    Findings,
    display_prompt,
    fact_move,
    prompt_key,
    short,
)
from .map import ExploreMap, Finding, MapEdge, MapNode

__all__ = ["DEFAULT_PROBE_KEYS", "NO_INPUT", "RESOLUTION_PHRASES", "RETRY_PHRASES", "explore_ivr",
           "prompt_key", "replay_ivr"]


@dataclass
class _State:
    node: MapNode
    key: str
    along: list[str]                                # the node reached after each prefix of the path
    expect: list[str]                               # the prompt key heard before each move of the path
    menu: dict[str, str]
    asked: list[str]
    entry: bool = False
    audio: bool = False
    heard: str = ""                                 # the prompt's own key (`key` may add where it was asked)
    words: str = ""                                 # all the caller heard on arriving here
    moves: dict[str, _Moved] = field(default_factory=dict)


@dataclass(frozen=True)
class _Moved:
    """Where one move from a state led: the node or end reached, a comparable signature, the words heard."""

    target: str | None
    signature: tuple
    words: str
    end: str | None
    index: float | None
    stuck: bool = False  # came back with nothing on the way but an apology or a refusal


def explore_ivr(
    phone_url: str,
    entry: str = "/",
    *,
    mode: str | None = None,
    max_depth: int = 6,
    max_calls: int = 200,
    max_sim_minutes_per_call: float = 90,
    lost_keys: tuple[str | None, ...] = ("0", "*", "#", None),
    persona: Persona | None = None,
    scenario: Scenario | None = None,
    probe_keys: str = DEFAULT_PROBE_KEYS,
    resolution_phrases: Iterable[str] = RESOLUTION_PHRASES,
    follow_human: bool = False,
    max_silences: int = 3,
    http: httpx.Client | None = None,
    method: str = "POST",
    dialled: dict[str, str] | None = None,
    facts: dict[str, str] | None = None,
) -> ExploreMap:
    """Map an IVR breadth-first: every announced option, the keys a lost caller tries, and silence.

    `phone_url` is the webhook base, `entry` the first document's path (TwiML or VoiceXML). At each
    menu every announced key is pressed, then `lost_keys` (None = no input), then the rest of
    `probe_keys` (to find options no prompt announces; "" to skip). A prompt asking for a fact gets the
    persona's fact ("<account_number>") and no input instead. Each move is a new call replaying the
    path. Paths end "human" (a transfer, or a queue an agent answered; with `follow_human` the
    exploration goes on past a listening agent), "resolved" (a `resolution_phrases` sentence),
    "dead_end" (hung up after sending the caller to another channel), "hangup", "error", "loop" or
    "bounded" (depth, calls, the per-call simulated time, or the phone channel's own bounds).

    The default persona can only use the phone and knows every fact, so "visit our website" is an
    unavailable demand. `stats["paths"]` lists each path's keys, end, Kafkaesque index and simulated
    seconds; findings carry the company's exact words and the keys to replay them. `http` is an
    optional client shared by every call (one is made and closed here otherwise). `method` is how the
    entry is requested (a voice URL configured as GET); `dialled` maps numbers the IVR may transfer to
    that the target answers itself to their voice URL; `facts` are values the caller types when asked
    (`{"postcode": "60616"}`), shown in the paths as "<postcode=60616>".
    """
    started = time.perf_counter()
    session = CallSession(phone_url, entry, persona=persona, scenario=scenario, max_sim_minutes=max_sim_minutes_per_call,
                          resolution_phrases=resolution_phrases, follow_human=follow_human, http=http, method=method,
                          dialled=dialled, facts=facts)
    try:
        explorer = _Explorer(session, mode, max_depth=max_depth, max_calls=max_calls, lost_keys=tuple(lost_keys),
                             probe_keys=probe_keys, max_silences=max_silences)
        explorer.explore.bounds["max_sim_minutes_per_call"] = max_sim_minutes_per_call
        explored = explorer.run()
    finally:
        session.close()
    explored.stats["wall_seconds"] = round(time.perf_counter() - started, 3)
    return explored


class _Explorer:
    """The breadth-first walk of one IVR."""

    def __init__(self, session: CallSession, mode: str | None, *, max_depth: int, max_calls: int,
                 lost_keys: tuple[str | None, ...], probe_keys: str, max_silences: int) -> None:
        self.session = session
        self.max_silences = max(1, max_silences)
        self.max_depth, self.max_calls = max_depth, max_calls
        self.lost_keys, self.probe_keys = lost_keys, probe_keys
        self.explore = ExploreMap(kind="ivr", target=session.target_label, mode=mode, bounds={
            "max_depth": max_depth, "max_calls": max_calls,
            "lost_keys": [NO_INPUT if k is None else k for k in lost_keys], "probe_keys": probe_keys,
            "max_silences": max_silences, "follow_human": session.follow_human})
        self.findings = Findings()
        self.paths: list[dict[str, Any]] = []
        self.humans: list[dict[str, Any]] = []
        self.states: dict[str, _State] = {}
        self.by_key: dict[str, str] = {}
        self.ends = 0
        self.unexplored = 0

    def run(self) -> ExploreMap:
        session = self.session
        root = session.place([])
        queue: deque[_State] = deque()
        if root.end is not None:
            end = self.end_node(root, [], 0)
            self.findings.frictions(root, [], [end.id])
            self.path_ended(root, [], end.id)
        else:
            state = self.new_state(root, [], [""], [])
            self.findings.frictions(root, [], [state.node.id])
            queue.append(state)
        while queue:
            state = queue.popleft()
            moves = _moves(state, self.lost_keys, self.probe_keys, session.persona)
            if state.node.depth >= self.max_depth or session.calls >= self.max_calls:
                self.bounded(state, len(moves))
                continue
            for move in moves:
                if session.calls >= self.max_calls:
                    self.unexplored += len(moves) - len(state.moves)
                    self.paths.append({"keys": list(state.node.path), "end": "bounded", "index": None,
                                       "sim_seconds": state.node.sim_seconds})
                    state.node.end = None if state.moves else "bounded"
                    break
                child = self.try_move(state, move)
                if child is not None:
                    queue.append(child)
            _option_findings(self.findings, state)
        return self.result()

    def try_move(self, state: _State, move: str) -> _State | None:
        """One call: replay the path to `state`, make `move`, and put where it led on the map."""
        session, node = self.session, state.node
        path = node.path + [move]
        result = session.place(path, state.expect + [state.heard], finish=False)
        if not result.mismatch and move == NO_INPUT:
            while result.end is None and result.key == state.heard and len(path) - len(node.path) < self.max_silences:
                path.append(NO_INPUT)  # a caller who does not know what to press stays silent again
                result.marks.append(len(result.journal.steps))
                try:
                    perform(result.call, NO_INPUT)
                except HostNotAllowed as exc:
                    result.error = str(exc)
                session.classify(result)
        session.finish(result)
        if result.mismatch:
            session.mismatches += 1
            return None
        silences = len(path) - len(node.path)
        label = move if silences == 1 else f"{NO_INPUT} x{silences}"
        along = state.along + [node.id] * (silences - 1)
        expect = state.expect + [state.heard] * silences
        lost = _is_lost(move, state)
        announced = not lost or move == NO_INPUT
        skip = (FrictionKind.DEAD_END,) if lost and move != NO_INPUT else ()  # silence that hangs up is one
        if result.end in ("human", "loop") or result.error:
            skip = (FrictionKind.DEAD_END,)  # said by its own finding, or simsuite's refusal, not the company's
        child = None
        if result.end is not None:
            end = self.end_node(result, path, node.depth + 1)
            self.findings.frictions(result, path, along + [end.id], skip=skip)
            self.explore.edges.append(MapEdge(node.id, end.id, label, announced=announced,
                                              outcome="error" if result.end == "error" else "ok"))
            self.path_ended(result, path, end.id)
            words = result.words if result.evidence in result.words else f"{result.words} {result.evidence}".strip()
            state.moves[move] = _Moved(end.id, result.signature(None), words, result.end, result.index)
            return None
        ident = _identity(result, state, move)
        target = self.by_key.get(ident)
        if target in state.along:
            self.findings.frictions(result, path, along + [target], skip=skip)
            self.explore.edges.append(MapEdge(node.id, target, label, announced=announced, outcome="loop"))
            self.paths.append(_path(path, "loop", result))
            back = "the same prompt" if target == node.id else "an earlier prompt"
            silent_again = move == NO_INPUT and (target != node.id or silences >= self.max_silences)
            readable = bool(state.menu) and not state.audio  # a key heard in a recording may be no option at all
            if _no_way_out(result, state, move, self.session.phrases) and (
                    (not lost and move != NO_INPUT and readable) or silent_again):
                first = node.path + [move] if target == node.id else path  # where the caller first hears it again
                self.findings.add("loop", f"after {_said(move, silences)}, back at {back}", result.words or result.prompt,
                                  first, target, result.index)
        elif target is not None:
            self.findings.frictions(result, path, along + [target], skip=skip)
            self.explore.edges.append(MapEdge(node.id, target, label, announced=announced))
        else:
            child = self.new_state(result, path, along + [""], expect, ident)
            target = child.node.id
            self.findings.frictions(result, path, child.along, skip=skip)
            self.explore.edges.append(MapEdge(node.id, target, label, announced=announced))
        if result.human_at is not None:
            self.humans.append({"depth": len(path), "sim_seconds": result.human_at, "path": path,
                                "evidence": result.human_words, "index": result.index})
        stuck = target in state.along and _no_way_out(result, state, move, self.session.phrases)
        state.moves[move] = _Moved(target, result.signature(target), result.words or result.prompt, None,
                                   result.index, stuck)
        return child

    def new_state(self, result: CallResult, path: list[str], along: list[str], expect: list[str],
                  ident: str | None = None) -> _State:
        node = MapNode(id=f"n{len(self.states)}", label=display_prompt(result.prompt),
                       kind="menu" if result.menu and not result.asked else "prompt", depth=len(path),
                       sim_seconds=round(result.sim, 1), path=list(path), evidence=result.prompt)
        self.explore.nodes.append(node)
        key = ident or result.key
        state = _State(node, key, along[:-1] + [node.id], expect, result.menu, result.asked, result.entry,
                       result.audio, result.key, result.words)
        self.states[node.id] = state
        self.by_key[key] = node.id
        return state

    def end_node(self, result: CallResult, path: list[str], depth: int) -> MapNode:
        sim = result.human_at if result.end == "human" and result.human_at is not None else result.sim
        node = MapNode(id=f"e{self.ends}", label=short(result.evidence), kind="end", end=result.end, depth=depth,
                       sim_seconds=round(sim, 1), path=list(path), evidence=result.evidence)
        self.ends += 1
        self.explore.nodes.append(node)
        return node

    def path_ended(self, result: CallResult, path: list[str], node: str) -> None:
        self.paths.append(_path(path, result.end, result))
        if result.end == "dead_end":
            self.findings.add("dead_end", "hung up after sending the caller to another channel",
                              result.words or result.evidence, path, node, result.index)
        elif result.end == "error":
            self.findings.add("error", f"the IVR broke after {_said(path[-1]) if path else 'the call was placed'}",
                              result.evidence, path, node, result.index)
        if result.human_at is not None:
            self.humans.append({"depth": len(path), "sim_seconds": result.human_at, "path": path,
                                "evidence": result.human_words, "index": result.index})

    def bounded(self, state: _State, moves: int) -> None:
        state.node.end = "bounded"
        self.paths.append({"keys": list(state.node.path), "end": "bounded", "index": None,
                           "sim_seconds": state.node.sim_seconds})
        self.unexplored += moves

    def result(self) -> ExploreMap:
        explored = self.explore
        explored.findings = self.findings.items
        _human_findings(explored, self.humans)
        explored.stats = {
            "calls": self.session.calls,
            "nodes": len(self.states),
            "edges": len(explored.edges),
            "ends": dict(Counter(p["end"] for p in self.paths)),
            "first_human": _first_human(self.humans),
            "paths": self.paths,
            "unexplored_moves": self.unexplored,
            "replay_mismatches": self.session.mismatches,
        }
        return explored


def _path(path: list[str], end: str | None, result: CallResult) -> dict[str, Any]:
    sim = result.human_at if end == "human" and result.human_at is not None else result.sim
    return {"keys": list(path), "end": end, "index": result.index, "sim_seconds": round(sim, 1)}


def replay_ivr(phone_url: str, entry: str, path: list[str], *, persona: Persona | None = None,
               scenario: Scenario | None = None, max_sim_minutes: float = 90, method: str = "POST",
               dialled: dict[str, str] | None = None, facts: dict[str, str] | None = None) -> Call:
    """Place one call and replay a finding's path (keys, NO_INPUT, "<fact>"); returns the call, still open.

    Read `call.transcript` or `call.journal.steps`; hang up and `call.owner.close()` when done.
    """
    session = CallSession(phone_url, entry, persona=persona, scenario=scenario, max_sim_minutes=max_sim_minutes,
                          resolution_phrases=RESOLUTION_PHRASES, follow_human=True, http=None, method=method,
                          dialled=dialled, facts=facts)
    call = session.call(session.context(shared=False))
    for label in path:
        if not call.listening:
            break
        perform(call, label)
    return call


# -- helpers ---------------------------------------------------------------------------------
def _moves(state: _State, lost_keys: Iterable[str | None], probe_keys: str, persona: Persona) -> list[str]:
    """At a prompt asking for data: the fact it asks for (if the caller has it) and silence. At a menu: every
    option, the keys a lost caller tries, and the rest of the keys. Where no option could be read (a
    recording, a prompt in words simsuite does not know): every key and silence."""
    moves: list[str] = []
    if state.asked or state.entry:
        known = [f for f in state.asked if persona.knows_fact(f)][:1]
        if not known:  # asked in words no list knows, or for something the caller has under another name:
            known = _own_facts(persona)  # they try the values they were given to type
        return [fact_move(f, persona) for f in known] + list(state.menu) + [NO_INPUT]
    moves.extend(state.menu)
    moves.extend(NO_INPUT if k is None else k for k in lost_keys)
    moves.extend(probe_keys)
    if state.audio:  # a recording may ask for data as well as offer keys: try what the caller can type
        moves.extend(fact_move(f, persona) for f in _own_facts(persona))
    return list(dict.fromkeys(moves))


def _own_facts(persona: Persona) -> list[str]:
    """The values this caller was given to type (`--fact`), beyond the facts every persona has."""
    return [f for f in sorted(persona.knows) if f not in FACTS][:3]


def _identity(result: CallResult, state: _State, move: str) -> str:
    """A state is its prompt; a prompt asking for data ("please enter your account number") is also the way it
    was reached, since several branches ask the same question and go on differently."""
    if result.key == state.heard:
        return state.key
    return f"{result.key}@{state.key}>{move}" if result.asked or result.entry else str(result.key)


def _is_lost(move: str, state: _State) -> bool:
    """A move no prompt invited: an unannounced key, or silence at a menu. Where the options could not be
    read (a recording), no key is known to be uninvited."""
    if fact_of(move) or state.audio or not (state.menu or state.asked or state.entry):
        return False
    if move == NO_INPUT:
        return not state.asked
    return move not in state.menu


_REPEAT_WORDS = ("repeat", "again", "main menu", "previous menu", "go back", "start over", "return to")


def _no_way_out(result: CallResult, state: _State, move: str, phrases: Any) -> bool:
    """Whether coming back to a prompt is a loop: the caller did not ask to hear it again ("press star to
    repeat") and was given nothing on the way but an apology, a refusal, or the prompt itself."""
    label = normalise(state.menu.get(move, ""))
    if any(word in label for word in _REPEAT_WORDS):
        return False
    known = set(sentences(result.prompt)) | set(sentences(state.words))  # the prompt and its preamble, again
    said = [x for x in sentences(result.words) if x not in known]
    return all(any(r in normalise(x) for r in phrases.retries) or phrases.dead_ends_in(x) for x in said)


def _said(move: str, times: int = 1) -> str:
    fact = fact_of(move)
    if move == NO_INPUT:
        return "saying nothing" + (f" {times} times" if times > 1 else "")
    return f"giving the {fact.replace('_', ' ')}" if fact else f"pressing {move}"


def _option_findings(findings: Findings, state: _State) -> None:
    """Unannounced keys that do something an invalid key does not; announced options that fail."""
    node = state.node
    if not state.menu:
        return
    silent = state.moves[NO_INPUT].signature if NO_INPUT in state.moves else None
    unannounced = {k: m for k, m in state.moves.items() if k != NO_INPUT and k not in state.menu}
    counts = Counter(m.signature for m in unannounced.values())
    common = counts.most_common(1)
    baseline = common[0][0] if common and common[0][1] >= 2 else None
    for key, moved in unannounced.items():
        if baseline is not None and moved.signature not in (baseline, silent):
            where = f"the {moved.end.replace('_', ' ')} end" if moved.end else f"node {moved.target}"
            findings.add("unannounced_option", f"pressing {key}, which no prompt announces, leads to {where}",
                         moved.words or where, node.path + [key], node.id, moved.index)
    for key, moved in state.moves.items():
        if key not in state.menu:
            continue
        sig = moved.signature
        ends_badly = sig[0] == "end" and (sig[1] in ("error", "loop") or (sig[1] == "hangup" and not sig[2])
                                          or sig == baseline)
        if (moved.target == node.id and moved.stuck) or ends_badly:
            what = "loops straight back" if moved.target == node.id else (
                "does what an invalid key does" if sig == baseline else f"ends in {sig[1]}")
            announced = _announcing(node.evidence, key)
            findings.add("failed_option", f"announced option {key} ({state.menu[key]}) {what}",
                         f"{announced} ... {moved.words}" if moved.words else announced, node.path + [key], node.id,
                         moved.index)


def _announcing(prompt: str, key: str) -> str:
    """The sentence of a prompt that announces a key."""
    for sentence in sentences(prompt):
        if key in parse_menu(sentence):
            return sentence
    return prompt


def _first_human(humans: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not humans:
        return None
    fastest = min(humans, key=lambda h: (h["sim_seconds"], len(h["path"])))
    shallowest = min(humans, key=lambda h: (len(h["path"]), h["sim_seconds"]))
    return {"min_depth": len(shallowest["path"]), "min_depth_path": shallowest["path"],
            "min_sim_seconds": round(fastest["sim_seconds"], 1), "min_sim_path": fastest["path"],
            "count": len(humans)}


def _human_findings(explored: ExploreMap, humans: list[dict[str, Any]]) -> None:
    first = _first_human(humans)
    if first is None:
        return
    chosen = [h for h in humans if h["path"] in (first["min_sim_path"], first["min_depth_path"])]
    seen: set[tuple[str, ...]] = set()
    for h in chosen:
        if tuple(h["path"]) in seen:
            continue
        seen.add(tuple(h["path"]))
        minutes = h["sim_seconds"] / 60.0
        explored.findings.append(Finding(
            kind="human", title=f"a person reached after {len(h['path'])} moves and {minutes:.1f} simulated minutes",
            evidence=h["evidence"] or "transferred", path=list(h["path"]), index=h.get("index")))
