"""The friction a caller meets at each block of a flow: dead ends, channel and fact demands, repeated
questions, waits and transfers. One finding per distinct problem, counting the branches that reach it.

A call that ends is a dead end unless the caller was served first: handed to a queue or a person, given a
call back or a recorded message, told their thing is done, told the answer looked up for them, or given
the answer to the option they chose before the menu came back.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from ..model import FrictionKind
from .flow_graph import FlowGraph
from .flow_judge import Judge
from .flow_model import FlowMove, FlowState
from .map import Finding

_HANDS_ON = ("transfer", "queue", "callback", "record", "elsewhere")


class Rules:
    """The flow's shape, the judge of its words, and which blocks serve the caller."""

    def __init__(self, graph: FlowGraph, judge: Judge) -> None:
        self.graph, self.judge = graph, judge
        self.dead_moves: set[int] = set()     # id() of moves that end the call unserved
        self.dead_blocks: set[str] = set()    # blocks that speak, then end the call unserved
        self.serving = {sid for sid, s in graph.states.items() if self._serves(s)}
        self.served = graph.must_pass(lambda m: m.source in self.serving and m.kind != "error")

    def settled(self, state: FlowState) -> bool:
        """The block tells the caller their thing is done, or the answer looked up for them."""
        return (self.judge.resolves(state) or state.dynamic) and not self.judge.fails(state)

    def _serves(self, state: FlowState) -> bool:
        if state.resolves or state.role in _HANDS_ON:
            return True
        if state.kind != "prompt" or not state.says:
            return False
        return self.settled(state) or self._answers(state)

    def _answers(self, state: FlowState) -> bool:
        """A prompt the caller chose, saying something plain, after which a menu comes back."""
        g, judge = self.graph, self.judge
        if judge.fails(state) or judge.demands(state) or judge.tells_wait(state):
            return False
        if not any(m.kind == "choice" for m in g.into[state.id]):
            return False
        ways = [m for m in g.out[state.id] if m.kind not in ("error", "hangup")]
        return bool(ways) and all(m.target and g.states[m.target].kind in ("menu", "data") for m in ways)

    def findings(self) -> list[Finding]:
        """Every finding these rules make, in a stable order."""
        return self.dead_ends() + self.demands() + self.facts() + self.waits() + self.transfers()

    def _at(self, kind: FrictionKind, title: str, evidence: str, node: str,
            moves: Iterable[FlowMove] | None = None) -> Finding:
        """A finding at a block, counting the branches (moves) that reach the problem."""
        g = self.graph
        moves = list(g.incoming(node) if moves is None else moves)
        paths = [g.path_of(m) for m in moves] or [g.path[node]]
        main = g.path[node] if g.path[node] in paths else paths[0]
        found = Finding(kind.value, title, evidence, list(main), node=node)
        for path in paths:
            found.also(path)
        found.count = max(1, len(moves))
        return found

    def _reachable(self) -> list[FlowState]:
        g = self.graph
        return sorted((s for s in g.states.values() if g.reachable(s.id)), key=lambda s: (g.depth[s.id], g.order[s.id]))

    def dead_ends(self) -> list[Finding]:
        """Blocks where the call ends before the caller was served; a check's unserved endings count at the
        menu whose answer it reads (silence and a wrong key that hang up are one problem)."""
        g, found = self.graph, []
        silent: dict[str, list[FlowMove]] = {}
        for state in self._reachable():
            if g.speaking_ending(state):
                if self.judge.fails(state) or not (self.settled(state) or self.served[state.id]):
                    self.dead_moves.update(id(m) for m in g.out[state.id])
                    self.dead_blocks.add(state.id)
                    found.append(self._at(FrictionKind.DEAD_END, f"{state.id} ends the call without resolving",
                                          state.heard, state.id))
                continue
            ends = [m for m in g.out[state.id] if m.kind != "hangup" and g.ends_call(m)
                    and not (self.served[state.id] or (state.id in self.serving and m.kind != "error"))]
            if ends:
                self.dead_moves.update(id(m) for m in ends)
                menu = state.feeds_from if state.feeds_from in g.states else state.id
                silent.setdefault(menu, []).extend(ends)
        for sid, ends in silent.items():
            state = g.states[sid]
            labels = "', '".join(dict.fromkeys(m.label for m in ends))
            found.append(self._at(FrictionKind.DEAD_END, f"The '{labels}' branch of {sid} ends the call",
                                  state.heard or state.detail, sid, ends))
        return found

    def demands(self) -> list[Finding]:
        """Sentences sending the caller to a channel: a forced switch, or unavailable if they lack it."""
        found = []
        for state in self._reachable():
            if not state.says:
                continue
            for kind, channel, sentence in self.judge.demands(state):
                found.append(self._at(kind, f"{state.id} sends the caller to {channel}", sentence, state.id))
        return found

    def facts(self) -> list[Finding]:
        """Facts asked that the caller does not know, or already gave on the way here."""
        found = []
        inputs = [s for s in self._reachable() if s.kind in ("menu", "data") and s.says]
        asked = {s.id: self.judge.asks(s) for s in inputs}
        for state in inputs:
            for fact, sentence in asked[state.id]:
                said = fact.replace("_", " ")
                if not self.judge.caller.knows_fact(fact):
                    found.append(self._at(FrictionKind.UNAVAILABLE_DEMAND,
                                          f"{state.id} asks for the {said}, which this caller does not know",
                                          sentence, state.id))
                before = [a for a in inputs if a is not state and fact in dict(asked[a.id])
                          and state.id in self._after_success(a.id)]
                if before:
                    found.append(self._at(FrictionKind.REPEATED_INFORMATION,
                                          f"{state.id} asks again for the {said} given at {before[0].id}",
                                          sentence, state.id))
        return found

    def _after_success(self, sid: str) -> set[str]:
        """Blocks reached after this one went as the caller wanted (no failure on the way)."""
        seen, queue = set(), deque([sid])
        while queue:
            for move in self.graph.out[queue.popleft()]:
                if move.kind in ("normal", "choice") and move.target and move.target not in seen:
                    seen.add(move.target)
                    queue.append(move.target)
        return seen

    def waits(self) -> list[Finding]:
        """Being told to wait: an estimate, a call back or message promised for later, a hold before a queue."""
        g, found, seen = self.graph, [], set()

        def add(state: FlowState, title: str, evidence: str) -> None:
            if state.id not in seen and g.reachable(state.id):
                seen.add(state.id)
                found.append(self._at(FrictionKind.WAIT, title, evidence, state.id))

        for state in self._reachable():
            sentence = self.judge.tells_wait(state) if state.says else None
            if sentence:
                add(state, f"{state.id} tells the caller how long they will wait", sentence)
            elif state.role == "callback":
                tellers = self._announcers(state)
                for teller in tellers:
                    add(teller, f"{teller.id} announces a call back later ({state.type})", teller.heard)
                if not tellers:
                    add(state, f"{state.id} leaves the caller waiting for a call back", state.detail)
            elif state.role == "record":
                for teller in self._announcers(state):
                    if self.judge.resolves(teller):
                        add(teller, f"{teller.id} promises a call back after a message ({state.type})", teller.heard)
            elif state.kind == "prompt" and state.says and self._before_queue(state):
                add(state, f"{state.id} is played while the caller waits for a queue", state.heard)
        return found

    def _silent(self, state: FlowState) -> bool:
        return not state.says and not state.role and state.kind == "state"

    def _announcers(self, state: FlowState) -> list[FlowState]:
        """The prompts that tell the caller about this block: the nearest before it, else the next after it."""
        g, tellers, seen = self.graph, [], {state.id}
        queue = deque([state.id])
        while queue:
            for move in g.into[queue.popleft()]:
                before = g.states[move.source]
                if move.source in seen or not g.reachable(move.source):
                    continue
                seen.add(move.source)
                if before.says:
                    tellers.append(before)
                elif self._silent(before):
                    queue.append(move.source)
        if tellers:
            return tellers
        after = self._next_heard(state)
        return [after] if after is not None and after.says else []

    def _next_heard(self, state: FlowState) -> FlowState | None:
        """The first block after this one, along its way on, that says something or acts."""
        g = self.graph
        for _ in range(10):
            ways = [m for m in g.out[state.id] if m.kind not in ("error", "hangup") and m.target]
            if len(ways) != 1:
                return None
            state = g.states[ways[0].target]
            if not self._silent(state):
                return state
        return None

    def _before_queue(self, state: FlowState) -> bool:
        nxt = self._next_heard(state)
        return nxt is not None and nxt.role == "queue"

    def transfers(self) -> list[Finding]:
        """Blocks that hand the caller to a queue, an agent or another number."""
        return [self._at(FrictionKind.TRANSFER, f"{s.id} hands the caller on", s.detail, s.id)
                for s in self._reachable() if s.role in ("transfer", "queue")]
