"""Static analysis of IVR flow exports (Twilio Studio, Amazon Connect): the map and its holes, no calls made.

A flow is read into blocks and moves, walked breadth-first from its start, and judged as a caller would
meet it: blocks no caller can reach; calls that end before the caller was served; demands for channels or
facts the caller lacks; questions asked twice; waits; transfers; menus a timeout or a wrong key replays
with no way out; options a menu announces but never routes, or routes but never announces. Each finding
quotes the words the caller hears there (the recording's name when the prompt is audio) and counts the
branches that reach the problem. `analyse_flows` reads a batch and names each broken file with the fix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..core.phrases import Phrases
from .flow_exports import (
    CONNECT_RESOLVES,
    RESOLUTION_WORDS,
    STUDIO_RESOLVES,
    FlowError,
    FlowMove,
    FlowState,
    parse_flow,
    read_flow_file,
)
from .flow_graph import FAILURES, FlowGraph
from .flow_judge import FlowCaller, Judge
from .flow_rules import Rules
from .flow_words import mentions_key, offered_keys
from .map import ExploreMap, Finding, MapEdge, MapNode

__all__ = ["CONNECT_RESOLVES", "RESOLUTION_WORDS", "STUDIO_RESOLVES", "FlowCaller", "FlowError", "analyse_flow",
           "analyse_flow_data", "analyse_flows"]

_ORDER = ("unreachable", "dead_end", "unavailable_demand", "forced_channel_switch", "repeated_information",
          "loop", "missing_option", "wait", "transfer", "unannounced_option")


def analyse_flows(paths: Iterable[str | Path], **options: Any) -> tuple[list[ExploreMap], list[FlowError]]:
    """Analyse every export of a batch: the maps of those that read, and a FlowError (file, line, column,
    fix) for each that does not. Options are analyse_flow's."""
    maps: list[ExploreMap] = []
    errors: list[FlowError] = []
    for path in paths:
        try:
            maps.append(analyse_flow(path, **options))
        except FlowError as exc:
            errors.append(exc)
    return maps, errors


def analyse_flow(path: str | Path, *, resolution_words: Iterable[str] | None = None,
                 resolution_types: Iterable[str] | None = None, caller: FlowCaller | None = None,
                 phrases: Phrases | None = None) -> ExploreMap:
    """Read a Studio or Connect flow export and return its map with findings; raises FlowError if malformed.

    `resolution_words` replaces RESOLUTION_WORDS (the phrase lists' `resolutions` always count);
    `resolution_types` replaces the block types that hand the caller on (STUDIO_RESOLVES or CONNECT_RESOLVES);
    `caller` says which channels and facts the caller has (a phone-only caller who knows every fact by
    default); `phrases` replaces simsuite's phrase lists. Unreachable nodes get depth -1.
    """
    data = read_flow_file(path)
    return analyse_flow_data(data, str(path), resolution_words=resolution_words,
                             resolution_types=resolution_types, caller=caller, phrases=phrases)


def analyse_flow_data(data: Any, source: str = "<flow>", *, resolution_words: Iterable[str] | None = None,
                      resolution_types: Iterable[str] | None = None, caller: FlowCaller | None = None,
                      phrases: Phrases | None = None) -> ExploreMap:
    """Analyse an already parsed flow export; `source` names it in errors and in the map's target."""
    graph = FlowGraph(parse_flow(data, source, resolution_types))
    judge = Judge(phrases, caller, RESOLUTION_WORDS if resolution_words is None else resolution_words)
    return _Analysis(graph, judge, source).run()


class _Analysis:
    def __init__(self, graph: FlowGraph, judge: Judge, source: str) -> None:
        self.g, self.judge, self.source = graph, judge, source
        self.ended: dict[str, FlowMove] = {}    # a node for each way that ends the call from a block with others
        taken = set(graph.states)
        for move in graph.moves:
            if move.target is None and not graph.states[move.source].terminal:
                sid = f"{move.source}:{move.label}"
                while sid in taken:
                    sid += "'"
                taken.add(sid)
                self.ended[sid] = move
        self.nodes = {sid: MapNode(sid, self._label(s), s.kind, depth=graph.depth.get(sid, -1),
                                   path=list(graph.path.get(sid, [])), evidence=s.heard or s.detail)
                      for sid, s in graph.states.items()}
        for sid, move in self.ended.items():
            source = self.nodes[move.source]
            self.nodes[sid] = MapNode(sid, f"end after {move.source}: {move.label}", "end",
                                      depth=source.depth + 1 if source.depth >= 0 else -1,
                                      path=source.path + [move.label] if source.depth >= 0 else [])
        end_of = {id(m): sid for sid, m in self.ended.items()}
        self.edges = {id(m): MapEdge(m.source, m.target or end_of[id(m)], m.label) for m in graph.moves
                      if m.target is not None or id(m) in end_of}
        self.findings: list[Finding] = []

    def _label(self, state: FlowState) -> str:
        return f"{state.id} ({state.type})" + (f": {state.heard}" if state.heard else "")

    def run(self) -> ExploreMap:
        """Find every problem, mark the map, and return it."""
        self._as_data()
        rules = Rules(self.g, self.judge)
        self._unreachable()
        self.findings += rules.findings()
        self._retries()
        self._traps()
        self._options()
        self._mark_ends(rules)
        self.findings.sort(key=lambda f: _ORDER.index(f.kind) if f.kind in _ORDER else len(_ORDER))
        ends = Counter(n.end for n in self.nodes.values() if n.end and n.depth >= 0)
        stats = {"states": len(self.g.states), "transitions": len(self.g.moves),
                 "reachable": len(self.g.depth), "start": self.g.flow.start, "ends": dict(ends),
                 "findings": dict(Counter(f.kind for f in self.findings)),
                 "names": {sid: s.name for sid, s in self.g.states.items() if s.name and s.name != sid}}
        return ExploreMap(self.g.flow.kind, self.source, nodes=list(self.nodes.values()),
                          edges=list(self.edges.values()), findings=self.findings, stats=stats)

    def _as_data(self) -> None:
        """A menu with no key of its own that asks for a fact is data entry, not a menu."""
        for state in self.g.states.values():
            if (state.kind == "menu" and not state.intents and not self._keys_of(state.id)
                    and self.judge.asks(state)):
                state.kind = "data"
                self.nodes[state.id].kind = "data"

    def _mark_ends(self, rules: Rules) -> None:
        for sid, state in self.g.states.items():
            node = self.nodes[sid]
            if node.end:
                continue
            if state.role in ("transfer", "queue"):
                node.end = "human"
            elif state.elsewhere:
                node.end = "elsewhere"
            elif state.role == "end":
                node.end = "hangup"
            elif self.g.speaking_ending(state) or (state.terminal and state.says):
                dead = sid in rules.dead_blocks if self.g.reachable(sid) else not rules.settled(state)
                node.end = "dead_end" if dead else "resolved"
            elif state.terminal and (state.resolves or state.role):
                node.end = "resolved"
        for sid, move in self.ended.items():
            self.nodes[sid].end = ("error" if move.kind == "error" else "hangup" if move.kind == "hangup"
                                   else "dead_end" if id(move) in rules.dead_moves else "resolved")
        for move in self.g.moves:
            if id(move) in rules.dead_moves and move.kind == "error" and id(move) in self.edges:
                self.edges[id(move)].outcome = "error"

    def _unreachable(self) -> None:
        for root, others in self.g.islands():
            state = self.g.states[root]
            also = f" (nor {', '.join(others)}, reached only from it)" if others else ""
            self.findings.append(Finding("unreachable", f"No path from {self.g.flow.start} reaches {root}{also}",
                                         state.heard or state.detail, [], node=root, count=0))

    def _retries(self) -> None:
        """Menus that silence or a wrong key replays, with no way out: one finding per menu."""
        for sid, state in self.g.states.items():
            if state.kind not in ("menu", "data") or not self.g.reachable(sid):
                continue
            own = self._caller_failures(sid)
            if not own or any(self.g.follow(m, stop=sid)[0] != sid for m in own):
                continue
            replays = [(m, self.g.follow(m, stop=sid)[1]) for m in self._replays(sid)]
            if replays:
                self._loop_finding(sid, replays)

    def _replays(self, menu: str) -> list[FlowMove]:
        """Failure branches after the menu that bring the caller back to it; a prompt's error branch that
        goes where the prompt goes anyway is no branch of its own."""
        found = []
        for before in sorted(self.g.descendants(menu), key=lambda s: (self.g.depth.get(s, 0), self.g.order[s])):
            state = self.g.states[before]
            plain = state.kind not in ("menu", "data") and state.feeds_from is None
            ways = {m.target for m in self.g.out[before] if m.kind not in FAILURES} if plain else set()
            for move in self.g.out[before]:
                if (move.kind in FAILURES and self.g.reachable(before) and move.target not in ways
                        and self.g.follow(move, stop=menu)[0] == menu):
                    found.append(move)
        return found

    def _caller_failures(self, menu: str) -> list[FlowMove]:
        """Silence and no-match at the menu, and at the checks that read its answer."""
        checks = [menu] + [s.id for s in self.g.states.values() if s.feeds_from == menu]
        return [m for c in checks for m in self.g.out[c] if m.kind in ("timeout", "nomatch")]

    def _loop_finding(self, menu: str, replays: list[tuple[FlowMove, list[str]]]) -> None:
        routes = [route for _, route in replays]
        node = next(s for s in routes[0] if all(s in r for r in routes))
        words = self.g.states[node].heard or self.g.states[node].detail
        if node != menu:
            words += " / " + (self.g.states[menu].heard or self.g.states[menu].detail)
        paths = []
        for move, route in replays:
            self.edges[id(move)].outcome = "loop"
            paths.append(self.g.path[move.source] + [move.label] + self._labelled(route))
        labels = ", ".join(dict.fromkeys(m.label for m, _ in replays))
        found = Finding("loop", f"{menu} is replayed with no way out on {labels}", words, paths[0], node=node)
        for path in paths[1:]:
            found.also(path)
        found.count = len(replays)
        self.findings.append(found)

    def _labelled(self, route: list[str]) -> list[str]:
        """A route of blocks with the move labels between them, as a path reads."""
        out = [route[0]]
        for a, b in pairwise(route):
            label = next((m.label for m in self.g.out[a] if m.target == b), "")
            out += [label, b]
        return out

    def _traps(self) -> None:
        """Groups of blocks the caller can enter and never leave except by an error."""
        for group in self.g.strongly_connected():
            members = set(group)
            single = len(group) == 1 and not any(m.target == group[0] for m in self.g.out[group[0]])
            if single or any(self.g.states[s].terminal or self.g.states[s].kind in ("menu", "data") for s in group):
                continue
            if any(m.target not in members for s in group for m in self.g.out[s] if m.kind != "error"):
                continue
            group.sort(key=lambda s: (self.g.depth[s], self.g.order[s]))
            for sid in group:
                self.nodes[sid].end = "loop"
                for move in self.g.out[sid]:
                    if move.target in members:
                        self.edges[id(move)].outcome = "loop"
            first = group[0]
            evidence = " / ".join(self.g.states[s].heard or self.g.states[s].detail for s in group)
            cycle = self._cycle(first, members)
            self.findings.append(Finding("loop", f"{', '.join(group)} loop with no way out", evidence,
                                         self.g.path[first] + cycle, node=first))

    def _cycle(self, first: str, members: set[str]) -> list[str]:
        route, sid, seen = [], first, {first}
        while True:
            move = next(m for m in self.g.out[sid] if m.target in members)
            route += [move.label, move.target]
            if move.target in seen:
                return route
            seen.add(move.target)
            sid = move.target

    def _keys_of(self, menu: str) -> list[FlowMove] | None:
        """The moves that route the menu's keys (on the menu or the checks that read it); None when a key
        goes on whatever it is."""
        checks = [s.id for s in self.g.states.values() if s.feeds_from == menu]
        if not self.g.states[menu].intents and any(m.kind == "choice" and not m.keys and m.target not in checks
                                                   for m in self.g.out[menu]):
            return None
        return [m for sid in [menu, *checks] for m in self.g.out[sid] if m.keys]

    def _options(self) -> None:
        """Options a menu announces with no branch (missing), and branches it never announces."""
        for sid, state in self.g.states.items():
            if state.kind != "menu" or state.intents or not state.text or not self.g.reachable(sid):
                continue
            routed = self._keys_of(sid)
            if not routed:
                continue
            wired = {k for m in routed for k in m.keys}
            offered = offered_keys(state.text)
            missing = [k for k in offered if k not in wired]
            if missing:
                evidence = " ".join(dict.fromkeys(offered[k] for k in missing))
                found = Finding("missing_option", f"{sid} offers {', '.join(missing)} but no branch takes it",
                                evidence, self.g.path[sid] + [f"keypress {k}" for k in missing[:1]], node=sid)
                found.count = len(missing)
                self.findings.append(found)
            for move in routed:
                silent = [k for k in move.keys if not mentions_key(k, state.text)]
                if silent and id(move) in self.edges:
                    self.edges[id(move)].announced = False
                    self.findings.append(Finding(
                        "unannounced_option", f"{sid} accepts {', '.join(silent)} but its prompt never says so",
                        state.text, self.g.path[move.source] + [move.label], node=sid))
