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
from pathlib import Path
from typing import Any

from .flow_exports import (
    CONNECT_RESOLVES,
    RESOLUTION_WORDS,
    STUDIO_RESOLVES,
    Flow,
    FlowError,
    FlowMove,
    FlowState,
    parse_flow,
)
from .map import ExploreMap, Finding, MapEdge, MapNode

_KEY_WORDS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six",
              "7": "seven", "8": "eight", "9": "nine", "*": "star", "#": "pound"}
_CHAIN_HOPS = 10

__all__ = ["CONNECT_RESOLVES", "RESOLUTION_WORDS", "STUDIO_RESOLVES", "FlowError", "analyse_flow", "analyse_flow_data"]


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
    flow = parse_flow(data, source, resolution_types)
    words = tuple(w.lower() for w in (RESOLUTION_WORDS if resolution_words is None else resolution_words))
    return _Analysis(flow, source, words).run()


class _Analysis:
    def __init__(self, flow: Flow, source: str, words: tuple[str, ...]) -> None:
        self.flow, self.source, self.words = flow, source, words
        self.states = dict(flow.states)
        self.moves = list(flow.moves)
        self.ended: dict[str, FlowMove] = {}
        self.terminal_errors: list[FlowMove] = []
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
            self.states[sid] = FlowState(sid, "end", kind="end", terminal=True)
            self.ended[sid] = move
            move.target = sid
        self.out: dict[str, list[FlowMove]] = defaultdict(list)
        self.into: dict[str, list[FlowMove]] = defaultdict(list)
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

    def _label(self, state: FlowState) -> str:
        if state.id in self.ended:
            move = self.ended[state.id]
            return f"end after {move.source}: {move.label}"
        return f"{state.id} ({state.type})" + (f": {state.text}" if state.text else "")

    def _says_resolution(self, state: FlowState) -> bool:
        text = state.text.lower()
        return state.resolves or any(w in text for w in self.words)

    def _classify_ends(self) -> None:
        self.blame: dict[str, tuple[FlowMove | None, FlowState]] = {}
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

    def _follow(self, move: FlowMove, stop: str | None = None) -> tuple[str | None, list[str]]:
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
        if state.feeds_from and self.states.get(state.feeds_from, FlowState("", "")).kind == "menu":
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
