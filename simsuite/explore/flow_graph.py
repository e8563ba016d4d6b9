"""The shape of a parsed flow: who reaches what, by which path, and which ways on end the call."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable

from .flow_model import Flow, FlowMove, FlowState

FAILURES = ("timeout", "nomatch", "else", "error")
"""Move kinds that mean something did not go as the caller wanted."""

_CHAIN_HOPS = 10


class FlowGraph:
    """A flow's moves indexed both ways, with the shortest path from the start to every block."""

    def __init__(self, flow: Flow) -> None:
        self.flow, self.states, self.moves = flow, flow.states, flow.moves
        self.order = {sid: i for i, sid in enumerate(flow.states)}
        self.out: dict[str, list[FlowMove]] = defaultdict(list)
        self.into: dict[str, list[FlowMove]] = defaultdict(list)
        for move in self.moves:
            self.out[move.source].append(move)
            if move.target is not None:
                self.into[move.target].append(move)
        self.depth, self.path = self.bfs(lambda m: True)

    def bfs(self, allowed: Callable[[FlowMove], bool]) -> tuple[dict[str, int], dict[str, list[str]]]:
        """Depth and path (block, move label, block, ...) of every block reachable by allowed moves."""
        start = self.flow.start
        depth, path = {start: 0}, {start: [start]}
        queue = deque([start])
        while queue:
            sid = queue.popleft()
            for move in self.out[sid]:
                if move.target is None or move.target in depth or not allowed(move):
                    continue
                depth[move.target] = depth[sid] + 1
                path[move.target] = path[sid] + [move.label, move.target]
                queue.append(move.target)
        return depth, path

    def reachable(self, sid: str) -> bool:
        """Whether a caller can reach this block from the start."""
        return sid in self.depth

    def incoming(self, sid: str) -> list[FlowMove]:
        """The moves a caller can take into this block (from reachable blocks)."""
        return [m for m in self.into[sid] if m.source in self.depth]

    def path_of(self, move: FlowMove) -> list[str]:
        """The path from the start through this move."""
        return self.path[move.source] + [move.label] + ([move.target] if move.target else [])

    def ends_call(self, move: FlowMove) -> bool:
        """Whether taking this move ends the call (no next block, or a block that only hangs up)."""
        if move.target is None:
            return True
        target = self.states[move.target]
        return target.role == "end" or (target.terminal and not target.says and not target.role)

    def speaking_ending(self, state: FlowState) -> bool:
        """A block that speaks and then the call ends, whichever way it goes on."""
        if not state.says or state.kind in ("menu", "data"):
            return False
        ways = [m for m in self.out[state.id] if m.kind != "hangup"]
        ways = [m for m in ways if m.kind != "error"] or ways
        return all(self.ends_call(m) for m in ways)

    def follow(self, move: FlowMove, stop: str | None = None) -> tuple[str | None, list[str]]:
        """Follow a move through blocks with a single way on; where it stops, and the blocks on the way."""
        route: list[str] = []
        sid, seen = move.target, set()
        for _ in range(_CHAIN_HOPS):
            if sid is None:
                return None, route
            route.append(sid)
            state = self.states[sid]
            ways = [m for m in self.out[sid] if m.kind not in ("error", "hangup")]
            if sid == stop or state.terminal or state.kind in ("menu", "data") or len(ways) != 1 or sid in seen:
                return sid, route
            seen.add(sid)
            sid = ways[0].target
        return sid, route

    def descendants(self, sid: str) -> set[str]:
        """Every block reachable from this one (itself included)."""
        seen, queue = {sid}, deque([sid])
        while queue:
            for move in self.out[queue.popleft()]:
                if move.target is not None and move.target not in seen:
                    seen.add(move.target)
                    queue.append(move.target)
        return seen

    def must_pass(self, marks: Callable[[FlowMove], bool]) -> dict[str, bool]:
        """For each reachable block: whether every path to it takes a marked move or passes a marked block
        (a marked move carries the mark on; the start is unmarked)."""
        state = {sid: sid != self.flow.start for sid in self.depth}
        changed = True
        while changed:
            changed = False
            for sid in self.depth:
                if sid == self.flow.start or not state[sid]:
                    continue
                if not all(state[m.source] or marks(m) for m in self.incoming(sid)):
                    state[sid] = False
                    changed = True
        return state

    def islands(self) -> list[tuple[str, list[str]]]:
        """Unreachable blocks grouped by the block a lost path would start from: (root, the others)."""
        lost = [sid for sid in self.states if sid not in self.depth]
        covered: set[str] = set()
        groups = []
        roots = [s for s in lost if not any(m.source != s and m.source not in self.depth for m in self.into[s])]
        for sid in roots + lost:
            if sid in covered:
                continue
            reached = self.descendants(sid)
            members = [s for s in lost if s in reached and s not in covered]
            covered.update(members)
            groups.append((sid, [s for s in members if s != sid]))
        return groups

    def strongly_connected(self) -> list[list[str]]:
        """The strongly connected groups of reachable blocks (Tarjan, iterative)."""
        nodes = [s for s in self.states if s in self.depth]
        edges = {s: [m.target for m in self.out[s] if m.target in self.depth] for s in nodes}
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        groups: list[list[str]] = []
        for root in nodes:
            if root in index:
                continue
            work = [(root, 0)]
            while work:
                sid, i = work.pop()
                if i == 0:
                    index[sid] = low[sid] = len(index)
                    stack.append(sid)
                    on_stack.add(sid)
                nexts = edges[sid]
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
