"""Static analysis of IVR flow exports (Twilio Studio, Amazon Connect): the map and its holes, no calls made.

A flow is read into states and moves, walked breadth-first from its start, and checked for states no
caller can reach, endings that resolve nothing, loops with no way out, timeout or no-match branches
that replay the same menu, error branches that hang up, and keys a menu accepts but never announces.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simsuite.errors import SimsuiteError

from .map import ExploreMap, Finding, MapEdge, MapNode

RESOLUTION_WORDS: tuple[str, ...] = (
    "your balance is", "has been", "is confirmed", "we have sent", "we've sent", "is on its way",
    "is scheduled", "is booked", "resolved", "refund",
)
"""Words that make a spoken ending count as a resolution (matched case-insensitively)."""

STUDIO_RESOLVES: tuple[str, ...] = ("connect-call-to", "enqueue-call", "send-to-flex")
CONNECT_RESOLVES: tuple[str, ...] = (
    "TransferContactToQueue", "TransferParticipantToThirdParty", "CreateCallbackContact",
)

_STUDIO_MENUS = {"gather-input-on-call", "send-and-wait-for-reply"}
_STUDIO_ERRORS = {"failed", "fail", "failure", "error", "callfailure", "failedtoenqueue", "deliveryfailure"}
_CONNECT_MENUS = {"GetParticipantInput", "ConnectParticipantWithLexBot"}
_CONNECT_PROMPTS = {"MessageParticipant", "MessageParticipantIteratively"}
_CONNECT_ENDS = {"DisconnectParticipant", "EndFlowExecution", "EndFlowModuleExecution"}
_CONNECT_ELSEWHERE = {"TransferToFlow"}
_KEY_WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
              "7": "seven", "8": "eight", "9": "nine", "*": "star", "#": "pound"}
_CHAIN_HOPS = 10


class FlowError(SimsuiteError):
    """A flow export cannot be analysed: the message names the file, the state and the fix."""

    def __init__(self, path: str, problem: str, fix: str, line: int | None = None,
                 column: int | None = None) -> None:
        where = str(path) + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {problem}. Fix: {fix}")
        self.path, self.problem, self.fix, self.line, self.column = str(path), problem, fix, line, column


@dataclass
class _State:
    id: str
    type: str
    text: str = ""
    kind: str = "state"
    resolves: bool = False
    terminal: bool = False
    elsewhere: bool = False
    feeds_from: str | None = None


@dataclass
class _Move:
    source: str
    target: str | None
    label: str
    kind: str = "normal"        # normal, timeout, nomatch, error
    keys: tuple[str, ...] = ()  # keypad values this move answers to, for the announcement check


@dataclass
class _Flow:
    kind: str
    start: str
    states: dict[str, _State] = field(default_factory=dict)
    moves: list[_Move] = field(default_factory=list)


def analyse_flow(path: str | Path, *, resolution_words: Iterable[str] | None = None,
                 resolution_types: Iterable[str] | None = None) -> ExploreMap:
    """Read a Studio or Connect flow export and return its map with findings; raises FlowError if malformed.

    `resolution_words` replaces RESOLUTION_WORDS; `resolution_types` replaces the state types whose ending
    counts as a resolution (STUDIO_RESOLVES or CONNECT_RESOLVES). Unreachable nodes get depth -1.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FlowError(str(path), f"cannot read the flow export ({exc.strerror or exc})",
                        "pass the path of a Studio or Connect flow JSON file") from None
    except UnicodeDecodeError:
        raise FlowError(str(path), "the file is not UTF-8 text", "export the flow as JSON again") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FlowError(str(path), f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
                        "repair the JSON syntax there, or export the flow again", exc.lineno, exc.colno) from None
    return analyse_flow_data(data, str(path), resolution_words=resolution_words, resolution_types=resolution_types)


def analyse_flow_data(data: Any, source: str = "<flow>", *, resolution_words: Iterable[str] | None = None,
                      resolution_types: Iterable[str] | None = None) -> ExploreMap:
    """Analyse an already parsed flow export; `source` names it in errors and in the map's target."""
    flow = _parse(data, source, resolution_types)
    words = tuple(w.lower() for w in (RESOLUTION_WORDS if resolution_words is None else resolution_words))
    return _Analysis(flow, source, words).run()


def _parse(data: Any, source: str, resolution_types: Iterable[str] | None) -> _Flow:
    if isinstance(data, dict) and isinstance(data.get("definition"), dict):
        data = data["definition"]
    if isinstance(data, dict) and isinstance(data.get("ContactFlow"), dict):
        data = data["ContactFlow"].get("Content", data)
    if isinstance(data, dict) and isinstance(data.get("Content"), str) and "Actions" not in data:
        data = data["Content"]
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise FlowError(source, f"the embedded flow Content is not valid JSON ({exc.msg})",
                            "export the flow again") from None
    types = set(resolution_types) if resolution_types is not None else None
    if isinstance(data, dict) and "states" in data and ("initial_state" in data or "flags" in data):
        return _parse_studio(data, source, types or set(STUDIO_RESOLVES))
    if isinstance(data, dict) and "Actions" in data and "StartAction" in data:
        return _parse_connect(data, source, types or set(CONNECT_RESOLVES))
    keys = ", ".join(sorted(data)[:8]) if isinstance(data, dict) else type(data).__name__
    raise FlowError(source, f"neither a Twilio Studio nor an Amazon Connect flow (found: {keys or 'nothing'})",
                    "export a Studio flow (top-level 'states' and 'initial_state') or a Connect flow "
                    "(top-level 'Actions' and 'StartAction')")


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _parse_studio(data: dict[str, Any], source: str, resolving: set[str]) -> _Flow:
    raw = data["states"]
    if not isinstance(raw, list) or not raw:
        raise FlowError(source, "'states' is not a non-empty list", "export the Studio flow definition again")
    states: dict[str, _State] = {}
    raw_moves: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not _str(item.get("name")):
            raise FlowError(source, f"state #{i + 1} has no name", "give every state a non-empty 'name'")
        name = item["name"]
        if name in states:
            raise FlowError(source, f"two states are named '{name}'", "rename one of them")
        kind_ = _str(item.get("type"))
        if not kind_:
            raise FlowError(source, f"state '{name}' has no type", "give it a widget 'type' such as 'say-play'")
        props = item.get("properties") or {}
        if not isinstance(props, dict):
            raise FlowError(source, f"state '{name}' has properties that are not an object",
                            "make 'properties' a JSON object")
        text = _str(props.get("say")) or _str(props.get("body"))
        if not text and _str(props.get("play")):
            text = f"[audio {props['play'].strip()}]"
        feeds = re.search(r"widgets\.([\w-]+)\.(?:Digits|SpeechResult)", str(props.get("input", "")))
        states[name] = _State(name, kind_, text, "menu" if kind_ in _STUDIO_MENUS else "prompt" if text else "state",
                              resolves=kind_ in resolving, feeds_from=feeds.group(1) if feeds else None)
        transitions = item.get("transitions", [])
        if not isinstance(transitions, list):
            raise FlowError(source, f"state '{name}' has 'transitions' that is not a list",
                            "make it a list of {\"event\", \"next\"} objects")
        for t in transitions:
            if not isinstance(t, dict) or not _str(t.get("event")):
                raise FlowError(source, f"state '{name}' has a transition without an event",
                                "give each transition an 'event'")
            if "next" in t and t["next"] is not None and not isinstance(t["next"], str):
                raise FlowError(source, f"state '{name}' has a '{t['event']}' transition whose next is not a name",
                                "set 'next' to a state name or remove it")
            raw_moves.append((name, item, t))
    start = data.get("initial_state")
    if start is None:
        start = next((s.id for s in states.values() if s.type == "trigger"), next(iter(states)))
    if start not in states:
        raise FlowError(source, f"initial_state '{start}' is not a state", f"set it to one of: {_names(states)}")
    flow = _Flow("studio", start, states)
    wired = defaultdict(set)
    for name, _, t in raw_moves:
        if t.get("next"):
            wired[name].add(t["event"])
    for name, item, t in raw_moves:
        event, nxt = t["event"], t.get("next") or None
        state = states[name]
        if nxt is not None and nxt not in states:
            raise FlowError(source, f"state '{name}' has a '{event}' transition to '{nxt}', which no state defines",
                            f"add a state named '{nxt}' or point the transition at one of: {_names(states)}")
        if nxt is None and (state.type == "trigger"
                            or (event in ("keypress", "speech") and wired[name] & {"keypress", "speech"})):
            continue
        low = event.lower()
        kind_ = ("timeout" if low == "timeout" else "nomatch" if low == "nomatch"
                 else "error" if low in _STUDIO_ERRORS else "normal")
        label, keys = event, ()
        if event == "match":
            label, keys = _studio_condition(t.get("conditions") or [], state)
        flow.moves.append(_Move(name, nxt, label, kind_, keys))
    for state in states.values():
        mine = [m for m in flow.moves if m.source == state.id]
        state.terminal = all(m.target is None for m in mine)
    return flow


def _studio_condition(conditions: list[Any], state: _State) -> tuple[str, tuple[str, ...]]:
    cond = conditions[0] if conditions and isinstance(conditions[0], dict) else {}
    value = str(cond.get("value", "")).strip()
    op = str(cond.get("type", "match"))
    keys: tuple[str, ...] = ()
    if op in ("equal_to", "matches_any_of"):
        values = tuple(v.strip() for v in value.split(",") if v.strip()) if op == "matches_any_of" else (value,)
        if values and all(re.fullmatch(r"[0-9*#]+", v) for v in values):
            keys = values
    if keys and state.feeds_from is not None:
        return f"keypress {value}", keys
    return (f"match {op} {value}".strip() if value else str(cond.get("friendly_name") or "match")), keys


def _parse_connect(data: dict[str, Any], source: str, resolving: set[str]) -> _Flow:
    raw = data["Actions"]
    if not isinstance(raw, list) or not raw:
        raise FlowError(source, "'Actions' is not a non-empty list", "export the Connect flow again")
    states: dict[str, _State] = {}
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not _str(item.get("Identifier")):
            raise FlowError(source, f"action #{i + 1} has no Identifier", "give every action a non-empty 'Identifier'")
        ident = item["Identifier"]
        if ident in states:
            raise FlowError(source, f"two actions have the Identifier '{ident}'", "make each Identifier unique")
        kind_ = _str(item.get("Type"))
        if not kind_:
            raise FlowError(source, f"action '{ident}' has no Type", "give it a 'Type' such as 'MessageParticipant'")
        params = item.get("Parameters") or {}
        if not isinstance(params, dict):
            raise FlowError(source, f"action '{ident}' has Parameters that are not an object",
                            "make 'Parameters' a JSON object")
        text = _str(params.get("Text")) or re.sub(r"<[^>]+>", " ", _str(params.get("SSML"))).strip()
        if not text and _str(params.get("PromptId")):
            text = f"[prompt {params['PromptId'].strip()}]"
        text = re.sub(r"\s+", " ", text)
        states[ident] = _State(ident, kind_, text,
                               "menu" if kind_ in _CONNECT_MENUS else "prompt" if text else "state",
                               resolves=kind_ in resolving, elsewhere=kind_ in _CONNECT_ELSEWHERE)
    start = data.get("StartAction")
    if not isinstance(start, str) or start not in states:
        raise FlowError(source, f"StartAction '{start}' is not an action", f"set it to one of: {_names(states)}")
    flow = _Flow("connect", start, states)
    for item in raw:
        ident = item["Identifier"]
        trans = item.get("Transitions") or {}
        if not isinstance(trans, dict):
            raise FlowError(source, f"action '{ident}' has Transitions that are not an object",
                            "make 'Transitions' an object with NextAction, Errors and Conditions")
        if trans.get("NextAction"):
            flow.moves.append(_Move(ident, _target(source, states, ident, "NextAction", trans["NextAction"]), "next"))
        for cond in _list(source, ident, trans, "Conditions"):
            c = cond.get("Condition") or {}
            operands = [str(o) for o in (c.get("Operands") or [])] if isinstance(c, dict) else []
            label = f"Condition: {c.get('Operator', '?') if isinstance(c, dict) else '?'} {' '.join(operands)}".strip()
            keys = tuple(operands) if (states[ident].type == "GetParticipantInput" and operands
                                       and all(re.fullmatch(r"[0-9*#]+", o) for o in operands)) else ()
            flow.moves.append(_Move(ident, _target(source, states, ident, label, cond.get("NextAction")), label,
                                    keys=keys))
        for err in _list(source, ident, trans, "Errors"):
            etype = str(err.get("ErrorType") or "error")
            kind_ = ("timeout" if etype == "InputTimeLimitExceeded" else
                     "nomatch" if etype == "NoMatchingCondition" else "error")
            flow.moves.append(_Move(ident, _target(source, states, ident, etype, err.get("NextAction")), etype, kind_))
    for state in states.values():
        has_moves = any(m.source == state.id for m in flow.moves)
        state.terminal = (not has_moves or state.type in _CONNECT_ENDS or state.resolves or state.elsewhere)
    return flow


def _list(source: str, ident: str, trans: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = trans.get(key) or []
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        raise FlowError(source, f"action '{ident}' has Transitions.{key} that is not a list of objects",
                        f"make {key} a list of objects with a NextAction")
    return items


def _target(source: str, states: dict[str, _State], ident: str, label: str, nxt: Any) -> str:
    if not isinstance(nxt, str) or not nxt:
        raise FlowError(source, f"action '{ident}' has a '{label}' transition with no NextAction name",
                        "set NextAction to an action Identifier")
    if nxt not in states:
        raise FlowError(source, f"action '{ident}' has a '{label}' transition to '{nxt}', which no action defines",
                        f"add an action with Identifier '{nxt}' or point NextAction at one of: {_names(states)}")
    return nxt


def _names(states: dict[str, _State]) -> str:
    names = list(states)
    return ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")


class _Analysis:
    def __init__(self, flow: _Flow, source: str, words: tuple[str, ...]) -> None:
        self.flow, self.source, self.words = flow, source, words
        self.states = dict(flow.states)
        self.moves = list(flow.moves)
        self.ended: dict[str, _Move] = {}
        self.terminal_errors: list[_Move] = []
        for move in list(self.moves):
            if move.target is not None:
                continue
            if self.states[move.source].terminal:
                self.moves.remove(move)
                if move.kind == "error":
                    self.terminal_errors.append(move)
                continue
            sid = f"{move.source}:{move.label}"
            while sid in self.states:
                sid += "'"
            self.states[sid] = _State(sid, "end", kind="end", terminal=True)
            self.ended[sid] = move
            move.target = sid
        self.out: dict[str, list[_Move]] = defaultdict(list)
        self.into: dict[str, list[_Move]] = defaultdict(list)
        for move in self.moves:
            self.out[move.source].append(move)
            self.into[move.target].append(move)
        self.depth, self.path = self._bfs(lambda m: True)
        self.happy, _ = self._bfs(lambda m: m.kind != "error")
        self.nodes = {sid: MapNode(sid, self._label(s), s.kind, depth=self.depth.get(sid, -1),
                                   path=self.path.get(sid, []), evidence=s.text) for sid, s in self.states.items()}
        self.edges = {id(m): MapEdge(m.source, m.target or "", m.label) for m in self.moves}
        self.findings: list[Finding] = []

    def run(self) -> ExploreMap:
        """Classify the ends, find the defects, and return the map."""
        self._classify_ends()
        covered = self._error_branches()
        self._traps()
        self._retries()
        self._unannounced()
        self._dead_ends(covered)
        self._unreachable()
        order = {"unreachable": 0, "dead_end": 1, "loop": 2, "unannounced_option": 3}
        self.findings.sort(key=lambda f: order.get(f.kind, 9))
        ends = defaultdict(int)
        for node in self.nodes.values():
            if node.end and node.depth >= 0:
                ends[node.end] += 1
        stats = {"states": len(self.flow.states), "transitions": len(self.flow.moves),
                 "reachable": sum(1 for s in self.flow.states if s in self.depth), "start": self.flow.start,
                 "ends": dict(ends), "findings": dict(_count(f.kind for f in self.findings))}
        return ExploreMap(self.flow.kind, self.source, nodes=list(self.nodes.values()),
                          edges=list(self.edges.values()), findings=self.findings, stats=stats)

    def _bfs(self, allowed) -> tuple[dict[str, int], dict[str, list[str]]]:
        start = self.flow.start
        depth, path = {start: 0}, {start: [start]}
        queue = deque([start])
        while queue:
            sid = queue.popleft()
            for move in self.out[sid]:
                if move.target in depth or not allowed(move):
                    continue
                depth[move.target] = depth[sid] + 1
                tail = [move.label] if move.target in self.ended else [move.label, move.target]
                path[move.target] = path[sid] + tail
                queue.append(move.target)
        return depth, path

    def _label(self, state: _State) -> str:
        if state.id in self.ended:
            move = self.ended[state.id]
            return f"end after {move.source}: {move.label}"
        return f"{state.id} ({state.type})" + (f": {state.text}" if state.text else "")

    def _says_resolution(self, state: _State) -> bool:
        text = state.text.lower()
        return state.resolves or any(w in text for w in self.words)

    def _classify_ends(self) -> None:
        self.blame: dict[str, tuple[_Move | None, _State]] = {}
        for sid, state in self.states.items():
            if not state.terminal:
                continue
            node = self.nodes[sid]
            if sid in self.ended:
                move = self.ended[sid]
                source = self.states[move.source]
                node.end = "error" if move.kind == "error" else "resolved" if source.resolves else "dead_end"
                self.blame[sid] = (None, source)
                continue
            if state.elsewhere:
                node.end = "elsewhere"
                continue
            if self._says_resolution(state):
                node.end = "resolved"
                continue
            preds = [m for m in self.into[sid] if m.kind != "error" and m.source in self.happy]
            if sid not in self.happy or (sid != self.flow.start and not preds):
                node.end = "error" if sid in self.depth else "dead_end"
                continue
            if state.text or not preds:
                node.end = "dead_end"
                self.blame[sid] = (None, state)
                continue
            failing = [m for m in preds if not self._says_resolution(self.states[m.source])]
            node.end = "dead_end" if failing else "resolved"
            if failing:
                self.blame[sid] = (failing[0], self.states[failing[0].source])

    def _follow(self, move: _Move, stop: str | None = None) -> tuple[str | None, list[str]]:
        """Follow a move through states with a single way on; return where it stops and the route taken."""
        route, sid, seen = [move.label], move.target, set()
        for _ in range(_CHAIN_HOPS):
            if sid is None or sid in self.ended:
                return sid, route
            route.append(sid)
            state = self.states[sid]
            ways = [m for m in self.out[sid] if m.kind != "error"]
            if sid == stop or state.terminal or state.kind == "menu" or len(ways) != 1 or sid in seen:
                return sid, route
            seen.add(sid)
            route.append(ways[0].label)
            sid = ways[0].target
        return sid, route

    def _error_branches(self) -> set[str]:
        covered: set[str] = set()
        for move in self.moves + self.terminal_errors:
            if move.kind != "error" or move.source not in self.depth:
                continue
            end, route = self._follow(move) if move.target else (None, [move.label])
            if end is not None and not (self.states[end].terminal and self.nodes[end].end != "resolved"):
                continue
            if end is not None:
                covered.add(end)
            if id(move) in self.edges:
                self.edges[id(move)].outcome = "error"
            source = self.states[move.source]
            self.findings.append(Finding(
                "dead_end", f"The '{move.label}' branch of {move.source} ends the call",
                source.text or f"{source.id} ({source.type}) on '{move.label}'",
                self.path[move.source] + route, node=move.source))
        return covered

    def _dead_ends(self, covered: set[str]) -> None:
        for sid, (via, state) in self.blame.items():
            if sid not in self.depth or sid in covered or self.nodes[sid].end != "dead_end":
                continue
            if sid in self.ended:
                move = self.ended[sid]
                title = f"The '{move.label}' branch of {move.source} ends the call without resolving"
                self.findings.append(Finding("dead_end", title, state.text or f"{state.id} ({state.type})",
                                             self.path[sid], node=move.source))
                continue
            path = self.path[sid]
            if via is not None and via.source in self.path:
                path = self.path[via.source] + [via.label, sid]
            self.findings.append(Finding("dead_end", f"{sid} ends the call without resolving",
                                         state.text or f"{state.id} ({state.type})", path, node=sid))

    def _traps(self) -> None:
        for group in _sccs([s for s in self.flow.states if s in self.depth],
                           {s: [m.target for m in self.out[s]] for s in self.depth}):
            members = set(group)
            single = len(group) == 1 and not any(m.target == group[0] for m in self.out[group[0]])
            if single or any(self.states[s].terminal for s in group):
                continue
            if any(m.target not in members for s in group for m in self.out[s] if m.kind != "error"):
                continue
            group.sort(key=lambda s: (self.depth[s], list(self.flow.states).index(s)))
            for sid in group:
                self.nodes[sid].end = "loop"
                for move in self.out[sid]:
                    if move.target in members:
                        self.edges[id(move)].outcome = "loop"
            first = group[0]
            evidence = " / ".join(self.states[s].text or f"{s} ({self.states[s].type})" for s in group)
            self.findings.append(Finding("loop", f"{', '.join(group)} loop with no way out", evidence,
                                         self.path[first] + self._cycle_route(first, members), node=first))

    def _cycle_route(self, first: str, members: set[str]) -> list[str]:
        route, sid, seen = [], first, {first}
        while True:
            move = next(m for m in self.out[sid] if m.target in members)
            route += [move.label, move.target]
            if move.target in seen:
                return route
            seen.add(move.target)
            sid = move.target

    def _menu_of(self, sid: str) -> str | None:
        state = self.states[sid]
        if state.kind == "menu":
            return sid
        if state.feeds_from and self.states.get(state.feeds_from, _State("", "")).kind == "menu":
            return state.feeds_from
        preds = {m.source for m in self.into[sid]}
        if len(preds) == 1 and self.states[next(iter(preds))].kind == "menu":
            return next(iter(preds))
        return None

    def _retries(self) -> None:
        for move in self.moves:
            if move.kind not in ("timeout", "nomatch") or move.source not in self.depth:
                continue
            menu = self._menu_of(move.source)
            if menu is None:
                continue
            end, route = self._follow(move, stop=menu)
            if end != menu:
                continue
            self.edges[id(move)].outcome = "loop"
            what = "Timeout" if move.kind == "timeout" else "No match"
            self.findings.append(Finding(
                "loop", f"{what} at {move.source} ('{move.label}') replays the menu {menu}",
                self.states[menu].text or f"{menu} ({self.states[menu].type})",
                self.path[move.source] + route, node=menu))

    def _unannounced(self) -> None:
        for move in self.moves:
            if not move.keys or move.source not in self.depth:
                continue
            menu = self._menu_of(move.source)
            prompt = self.states[menu].text if menu else ""
            if not prompt or prompt.startswith("["):
                continue
            low = prompt.lower()
            silent = [k for k in move.keys if not _announced(k, low)]
            if silent:
                self.edges[id(move)].announced = False
                self.findings.append(Finding(
                    "unannounced_option", f"{menu} accepts {', '.join(silent)} but its prompt never says so",
                    prompt, self.path[move.source] + [move.label], node=menu))

    def _unreachable(self) -> None:
        for sid, state in self.flow.states.items():
            if sid not in self.depth:
                self.findings.append(Finding("unreachable", f"No path from {self.flow.start} reaches {sid}",
                                             state.text or f"{sid} ({state.type})", [], node=sid))


def _announced(key: str, prompt: str) -> bool:
    if re.search(rf"(?<![\w*#]){re.escape(key)}(?![\w*#])", prompt):
        return True
    return len(key) == 1 and re.search(rf"\b{_KEY_WORDS[key]}\b", prompt) is not None


def _count(items: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item] += 1
    return counts


def _sccs(nodes: list[str], edges: dict[str, list[str | None]]) -> list[list[str]]:
    """Strongly connected components (iterative Tarjan), in discovery order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            sid, i = work.pop()
            if i == 0:
                index[sid] = low[sid] = counter
                counter += 1
                stack.append(sid)
                on_stack.add(sid)
            nexts = [t for t in edges.get(sid, []) if t in edges]
            if i < len(nexts):
                work.append((sid, i + 1))
                target = nexts[i]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[sid] = min(low[sid], index[target])
                continue
            if low[sid] == index[sid]:
                group = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    group.append(top)
                    if top == sid:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[sid])
    return groups
