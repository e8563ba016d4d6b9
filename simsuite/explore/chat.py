"""Explore a chat bot's button graph breadth-first, the way many customers would, and map it.

Every path is its own conversation: a fresh synthetic customer (so a fresh sender the bot has never seen)
says the opening words, replays the moves that lead to a state, then makes one new move: presses one of
the buttons the bot offers, or, when the bot asks for a fact, answers with the persona's fact (or says
they do not know it). A state is the bot's last words plus the buttons it offers (long numbers blanked,
so a case number does not make every reply new).

Each path ends where the customer stops:

- "resolved": the bot's words say the thing is done (`RESOLUTION_WORDS`, configurable);
- "elsewhere": the bot sends the customer to another channel ("please call", "visit our website")
  and offers nothing more in chat;
- "dead_end": no buttons, no question, nothing resolved, or no reply at all;
- "loop": back at a state already on this path;
- "error": an HTTP error or a reply that is not a chat reply;
- "bounded": the depth or the number of conversations ran out first.

Friction comes from simsuite's own detectors (each conversation is a real `Customer`), copied into the
map once per kind and evidence, with the moves that first showed it as a path a person can replay.

    from simsuite.explore.chat import explore_chat
    m = explore_chat("http://127.0.0.1:8000", "/lab/chat", mode="as-is")
    for f in m.findings:
        print(f.kind, f.path, f.evidence)
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..core.target import Target
from ..customer import Customer
from ..errors import ScriptError, SimsuiteError, SiteUnreachable
from ..core.index import IndexWeights, kafkaesque_index
from ..model import Friction, Outcome
from ..core.personas import Persona, make_persona
from ..core.phrases import Phrases, first_sentence_with, load_phrases, normalise
from .map import ExploreMap, Finding, MapEdge, MapNode

__all__ = ["RESOLUTION_WORDS", "explore_chat", "resolution_in"]

RESOLUTION_WORDS: tuple[str, ...] = tuple(load_phrases().resolutions)
"""Words that say the customer's thing is done; a reply or page holding one resolves the path."""

_LONG_NUMBER = re.compile(r"\d{4,}")
_EXPLORE_PATIENCE_MINUTES = 24 * 60


def resolution_in(text: str, words: Sequence[str] = RESOLUTION_WORDS) -> str | None:
    """The first sentence of `text` holding one of the resolution words, or None."""
    return first_sentence_with(text, words)


def _identity(text: str, buttons: Sequence[str]) -> str:
    body = _LONG_NUMBER.sub("#", normalise(text))
    return body + " | " + "; ".join(normalise(b) for b in buttons)


@dataclass(frozen=True)
class _Move:
    """One thing the customer does in a conversation: press a button, or answer a question."""

    kind: str      # "press" or "answer"
    value: str     # the button title, or the fact asked for
    label: str     # how the path shows it


@dataclass
class _State:
    """What the explorer knows about one node: how to reach it and what it offers."""

    id: str
    moves_to: list[_Move]
    nodes_to: list[str]            # node ids from the root to this node, this one included
    moves: list[_Move] = field(default_factory=list)


@dataclass
class _Seen:
    """What one conversation showed after its last move."""

    status: str                    # "ok", "error" (HTTP error or bad reply), "no_reply"
    text: str = ""
    buttons: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    evidence: str = ""


class _ChatExplorer:
    def __init__(self, bot: str, *, opening: str, mode: str | None, max_depth: int, max_conversations: int,
                 persona: Persona | None, chat_config: dict[str, Any] | None, resolution: Sequence[str],
                 phrases: Phrases | None) -> None:
        if max_depth < 1 or max_conversations < 1:
            raise ValueError("max_depth and max_conversations must be at least 1")
        self.bot = bot
        self.opening = opening
        self.max_depth = max_depth
        self.max_conversations = max_conversations
        self.persona = persona or make_persona(0, "explore-chat")
        if not self.persona.can_use("chat"):
            raise ScriptError(f"persona {self.persona.id} cannot use chat in its situation "
                              f"({'; '.join(self.persona.situation) or 'chat not among its channels'}). "
                              "Fix: explore with a persona who can chat")
        self.chat_config = dict(chat_config or {})
        self.resolution = tuple(resolution)
        self.phrases = phrases
        parts = urlsplit(bot)
        self.base = f"{parts.scheme}://{parts.netloc}"
        self.hosts = frozenset({parts.netloc})
        self.run_token = secrets.token_hex(3)
        self.conversations = 0
        self.map = ExploreMap(kind="chat", target=bot, mode=mode,
                              bounds={"max_depth": max_depth, "max_conversations": max_conversations})
        self.ids: dict[str, str] = {}
        self.states: dict[str, _State] = {}
        self.ends: Counter[str] = Counter()
        self.paths: list[dict[str, Any]] = []
        self.found: dict[tuple[str, str], Finding] = {}
        self.replay_mismatches = 0
        self.turns = 0

    # -- one conversation ------------------------------------------------------------------------
    def _customer(self) -> Customer:
        self.conversations += 1
        persona = dataclasses.replace(self.persona,
                                      id=f"{self.persona.id}-x{self.run_token}-{self.conversations}")
        target = Target(base_url=self.base, chat_url=self.bot, chat_config=self.chat_config,
                        allowed_hosts=self.hosts)
        return Customer(persona, None, target, phrases=self.phrases, patience_minutes=_EXPLORE_PATIENCE_MINUTES)

    def _seen(self, conv: Any) -> _Seen:
        if not conv.active and conv.ended_by == "company":
            last = next((s for s in reversed(conv.journal.steps) if s.action in ("http_error", "bad_reply")), None)
            return _Seen("error", evidence=last.detail if last else "the bot ended the chat")
        if not conv.last_replies:
            return _Seen("no_reply", evidence="the bot sent no reply")
        text = conv.last_text
        return _Seen("ok", text=text, buttons=list(dict.fromkeys(conv.buttons)), asked=conv.asked_for,
                     evidence=text)

    def _do(self, conv: Any, move: _Move) -> None:
        self.turns += 1
        if move.kind == "press":
            conv.press(move.value)
        else:
            conv.answer(move.value)

    def _moves(self, seen: _Seen, customer: Customer) -> list[_Move]:
        moves = [_Move("press", title, title) for title in seen.buttons]
        for fact in dict.fromkeys(seen.asked):
            said = fact.replace("_", " ")
            label = f"[{said}]" if customer.knows(fact) else f"[does not know the {said}]"
            moves.append(_Move("answer", fact, label))
        return moves

    def _end_of(self, seen: _Seen, customer: Customer) -> tuple[str | None, str]:
        """Where a path stops at this reply, with the words that show it (None: the path goes on)."""
        if seen.status == "error":
            return "error", seen.evidence
        if seen.status == "no_reply":
            return "dead_end", seen.evidence
        done = resolution_in(seen.text, self.resolution)
        if done:
            return "resolved", done
        if seen.buttons or seen.asked:
            return None, ""
        away = [s for ch, s in customer.phrases.channel_demands_in(seen.text) if ch != "chat"]
        if away:
            return "elsewhere", away[0]
        return "dead_end", seen.text or "the bot offered nothing to do next"

    # -- bookkeeping -----------------------------------------------------------------------------
    def _node(self, key: str, label: str, *, kind: str, depth: int, sim: float, path: list[str],
              evidence: str, end: str | None) -> tuple[MapNode, bool]:
        if key in self.ids:
            return self.map.node(self.ids[key]), False  # type: ignore[return-value]
        node = MapNode(id=f"n{len(self.ids)}", label=label[:200], kind=kind, end=end, depth=depth,
                       sim_seconds=round(sim, 1), path=list(path), evidence=evidence[:1000])
        self.ids[key] = node.id
        self.map.nodes.append(node)
        return node, True

    def _finding(self, kind: str, title: str, evidence: str, path: list[str], node: str | None) -> None:
        key = (kind, evidence)
        if key not in self.found:
            self.found[key] = Finding(kind=kind, title=title, evidence=evidence, path=list(path), node=node)
            self.map.findings.append(self.found[key])

    def _collect(self, customer: Customer, marks: list[int], moves: list[_Move], nodes: list[str],
                 end: str | None, end_node: str | None) -> None:
        """Copy the conversation's friction into the map, each with the moves made before it."""
        customer.finish()
        for friction in customer.frictions:
            done = sum(1 for m in marks if m < friction.step)
            path = [m.label for m in moves[:done]]
            node = nodes[min(done, len(nodes) - 1)] if nodes else None
            self._finding(friction.kind.value, f"{friction.kind.label}: {friction.detail or friction.evidence}",
                          friction.evidence, path, node)
        if end is not None:
            outcome = Outcome.RESOLVED if end == "resolved" else Outcome.UNRESOLVED
            index, _ = kafkaesque_index(outcome, list(customer.frictions), IndexWeights())
            self.paths.append({"keys": [m.label for m in moves], "end": end, "node": end_node, "index": index,
                               "sim_seconds": round(customer.clock.now, 1),
                               "frictions": [_friction_key(f) for f in customer.frictions]})

    # -- the walk --------------------------------------------------------------------------------
    def run(self) -> ExploreMap:
        root = self._root()
        queue: deque[str] = deque([root.id] if root is not None else [])
        while queue:
            state = self.states[queue.popleft()]
            node = self.map.node(state.id)
            assert node is not None
            for i, move in enumerate(state.moves):
                if self.conversations >= self.max_conversations:
                    self._bound(node, state.moves[i:])
                    for left in queue:
                        self._bound(self.map.node(left), self.states[left].moves)  # type: ignore[arg-type]
                    queue.clear()
                    break
                child = self._explore(state, move)
                if child is not None:
                    queue.append(child)
        self._finish()
        return self.map

    def _bound(self, node: MapNode, left: list[_Move]) -> None:
        if node.end is None:
            node.end = "bounded"
            self.ends["bounded"] += 1
            self.paths.append({"keys": list(node.path), "end": "bounded", "node": node.id, "index": None,
                               "sim_seconds": node.sim_seconds, "frictions": []})
        node.evidence = node.evidence or "not explored: " + "; ".join(m.label for m in left)

    def _root(self) -> _State | None:
        customer = self._customer()
        try:
            conv = customer.chat.connect("/")
            conv.send(self.opening)
            seen = self._seen(conv)
            end, why = self._end_of(seen, customer)
            label = seen.text or seen.evidence
            node, _ = self._node(_identity(seen.text, seen.buttons) if seen.status == "ok" else "!" + seen.evidence,
                                 label, kind="reply" if seen.status == "ok" else "end", depth=0,
                                 sim=customer.clock.now, path=[], evidence=why or seen.text, end=end)
            moves = self._moves(seen, customer) if end is None else []
            if end is not None:
                self.ends[end] += 1
                if end in ("dead_end", "error"):
                    self._finding(end, f"the chat ends at once: {why}", why, [], node.id)
            state = _State(node.id, [], [node.id], moves)
            self.states[node.id] = state
            conv.end()
            self._collect(customer, [], [], [node.id], end, node.id)
        finally:
            customer.close()
        return state if end is None and moves and self.max_depth > 0 else None

    def _explore(self, state: _State, move: _Move) -> str | None:
        """One conversation: replay the path to `state`, make `move`; returns a new node to expand, if any."""
        customer = self._customer()
        moves = state.moves_to + [move]
        path = [m.label for m in moves]
        marks: list[int] = []
        try:
            try:
                conv = customer.chat.connect("/")
                conv.send(self.opening)
                reached = [self.ids.get(_identity(conv.last_text, list(dict.fromkeys(conv.buttons))))]
                for step in state.moves_to:
                    marks.append(len(customer.steps))
                    self._do(conv, step)
                    reached.append(self.ids.get(_identity(conv.last_text, list(dict.fromkeys(conv.buttons)))))
                    if not conv.active:
                        break
                if reached != state.nodes_to:
                    self.replay_mismatches += 1
                    conv.end()
                    self._collect(customer, marks, state.moves_to, state.nodes_to, None, None)
                    return None
                marks.append(len(customer.steps))
                self._do(conv, move)
            except ScriptError:
                self.replay_mismatches += 1
                return None
            except SiteUnreachable as exc:
                marks.append(len(customer.steps))
                seen = _Seen("error", evidence=str(exc).split(" (")[0])
            else:
                seen = self._seen(conv)
            return self._arrive(customer, state, move, moves, path, marks, seen)
        finally:
            customer.close()

    def _arrive(self, customer: Customer, state: _State, move: _Move, moves: list[_Move], path: list[str],
                marks: list[int], seen: _Seen) -> str | None:
        source = state.id
        depth = len(moves)
        end, why = self._end_of(seen, customer)
        expand: str | None = None
        if seen.status != "ok":
            node, _ = self._node("!" + seen.evidence, seen.evidence, kind="end", depth=depth,
                                 sim=customer.clock.now, path=path, evidence=seen.evidence, end=end)
            outcome = "error" if seen.status == "error" else "failed"
            self.map.edges.append(MapEdge(source, node.id, move.label, outcome=outcome))
            self._finding("failed_option", f"'{move.label}' fails: {seen.evidence}", seen.evidence, path, source)
            if end == "dead_end":
                self._finding("dead_end", f"dead end after '{move.label}': {seen.evidence}",
                              f"{seen.evidence} (after '{move.label}')", path, node.id)
            self.ends[end or "error"] += 1
            path_end: str | None = end
        else:
            key = _identity(seen.text, seen.buttons)
            known = self.ids.get(key)
            if known is not None and known in state.nodes_to:
                self.map.edges.append(MapEdge(source, known, move.label, outcome="loop"))
                self._finding("loop", f"loop: '{move.label}' leads back to a state already on this path",
                              seen.text or "; ".join(seen.buttons), path, known)
                self.ends["loop"] += 1
                node_id, path_end = known, "loop"
            elif known is not None:
                self.map.edges.append(MapEdge(source, known, move.label))
                other = self.map.node(known)
                path_end = other.end if other is not None and other.end in ("resolved", "elsewhere", "dead_end") \
                    else None
                if path_end:
                    self.ends[path_end] += 1
                node_id = known
            else:
                node, _ = self._node(key, seen.text or "; ".join(seen.buttons), kind="reply", depth=depth,
                                     sim=customer.clock.now, path=path, evidence=why or seen.text, end=end)
                self.map.edges.append(MapEdge(source, node.id, move.label))
                node_id, path_end = node.id, end
                child_moves = self._moves(seen, customer) if end is None else []
                self.states[node.id] = _State(node.id, moves, state.nodes_to + [node.id], child_moves)
                if end is not None:
                    self.ends[end] += 1
                    if end == "dead_end":
                        self._finding("dead_end", f"dead end after '{move.label}'", why, path, node.id)
                elif depth >= self.max_depth:
                    self._bound(node, child_moves)
                else:
                    expand = node.id
            node = self.map.node(node_id)  # type: ignore[assignment]
        if customer.chat.conversations and customer.chat.conversations[-1].active:
            customer.chat.conversations[-1].end()
        self._collect(customer, marks, moves, state.nodes_to + [node.id], path_end, node.id)
        return expand

    def _finish(self) -> None:
        by_key = {(f.kind, f.evidence): f for f in self.map.findings}
        for p in self.paths:
            for key in p.pop("frictions"):
                finding = by_key.get(key)
                if finding is not None and finding.index is None:
                    finding.index = p["index"]
        for finding in self.map.findings:
            if finding.index is None:
                finding.index = next((p["index"] for p in self.paths if p["index"] is not None
                                      and p["keys"][:len(finding.path)] == finding.path), None)
        self.map.stats = {
            "conversations": self.conversations,
            "moves": self.turns,
            "nodes": len(self.map.nodes),
            "edges": len(self.map.edges),
            "ends": dict(sorted(self.ends.items())),
            "paths": self.paths,
            "opening": self.opening,
            "replay_mismatches": self.replay_mismatches,
            "persona": self.persona.id,
        }


def _friction_key(f: Friction) -> tuple[str, str]:
    return (f.kind.value, f.evidence)


def explore_chat(
    bot_url: str,
    path: str = "/",
    *,
    opening: str = "Hello",
    mode: str | None = None,
    max_depth: int = 5,
    max_conversations: int = 60,
    persona: Persona | None = None,
    chat_config: dict[str, Any] | None = None,
    resolution: Sequence[str] = RESOLUTION_WORDS,
    phrases: Phrases | None = None,
) -> ExploreMap:
    """Walk a chat bot's buttons breadth-first and return its map (kind "chat").

    `bot_url` and `path` name the bot as `ChatChannel.connect` does (e.g. the demo server's URL and
    "/lab/chat"); `chat_config` picks the adapter (Rasa REST by default). Each path is a new conversation
    that opens with `opening`, replays the moves to a state and makes one more: every button offered,
    and the persona's answer when the bot asks for a fact. Paths stop at `max_depth` moves; the walk
    stops after `max_conversations` conversations. Raises `SiteUnreachable` if the bot cannot be reached.
    """
    bot = urljoin(bot_url.rstrip("/") + "/", path.lstrip("/")) if "://" not in path else path
    bot = bot.rstrip("/") or bot
    if urlsplit(bot).scheme not in ("http", "https"):
        raise SimsuiteError(f"{bot_url!r} is not an http(s) URL. Fix: give the bot's base URL, "
                            "e.g. http://127.0.0.1:8000")
    explorer = _ChatExplorer(bot, opening=opening, mode=mode, max_depth=max_depth,
                             max_conversations=max_conversations, persona=persona, chat_config=chat_config,
                             resolution=resolution, phrases=phrases)
    return explorer.run()
