"""The map an explorer draws: states, the moves between them, where paths end, and what it found."""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field, fields
from typing import Any

ENDS = ("human", "resolved", "hangup", "error", "loop", "bounded", "dead_end", "elsewhere")


@dataclass
class MapNode:
    """One state: a menu or prompt (IVR), a set of buttons (chat), a page (web), a state (flow export)."""

    id: str
    label: str
    kind: str = "menu"          # menu, prompt, page, reply, state, end
    end: str | None = None      # one of ENDS when a path stops here
    depth: int = 0
    sim_seconds: float = 0.0    # simulated time from the start to reach it
    path: list[str] = field(default_factory=list)  # the moves from the start that reach it (keys, buttons, links)
    evidence: str = ""          # the words the company said or showed here


@dataclass
class MapEdge:
    """A move from one state to another: a key pressed, a button, a link, a transition."""

    source: str
    target: str
    label: str
    announced: bool = True      # False: an option no prompt mentions
    outcome: str = "ok"         # ok, failed (announced but did nothing useful), loop, error


@dataclass
class Finding:
    """Something worth a CX leader's attention, with evidence and a path a person can replay."""

    kind: str                   # a friction kind value, or: unannounced_option, failed_option, unreachable, ...
    title: str
    evidence: str
    path: list[str] = field(default_factory=list)
    node: str | None = None
    index: float | None = None  # the friction index of the path that shows it, where one applies
    more_paths: list[list[str]] = field(default_factory=list)  # other paths that meet the same problem
    count: int = 1              # how many distinct paths or branches meet it

    def also(self, path: list[str]) -> None:
        """Another path meets the same problem: keep and count it if it is new."""
        if path != self.path and path not in self.more_paths:
            self.more_paths.append(list(path))
            self.count += 1


@dataclass
class ExploreMap:
    """Everything one exploration found, ready for results.json and the report."""

    kind: str                   # ivr, chat, web, studio, connect
    target: str
    mode: str | None = None
    goal: str | None = None
    nodes: list[MapNode] = field(default_factory=list)
    edges: list[MapEdge] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    bounds: dict[str, Any] = field(default_factory=dict)

    def node(self, node_id: str) -> MapNode | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def to_dict(self) -> dict[str, Any]:
        """The map for results.json. A path longer than a person would replay keeps its first and last moves
        around an ellipsis, so a map grows with its states, not with their square (a node's depth stays exact)."""
        def plain(item: Any) -> dict[str, Any]:  # one level: copying every long path whole is the slow part
            out = {f.name: getattr(item, f.name) for f in fields(item)}
            if "path" in out:
                out["path"] = shortened(out["path"])
            if "more_paths" in out:
                out["more_paths"] = [shortened(p) for p in out["more_paths"]]
            return out

        return {"kind": self.kind, "target": self.target, "mode": self.mode, "goal": self.goal,
                "nodes": [plain(n) for n in self.nodes], "edges": [asdict(e) for e in self.edges],
                "findings": [plain(f) for f in self.findings], "stats": copy.deepcopy(self.stats),
                "bounds": copy.deepcopy(self.bounds)}


PATH_SHOWN = 24  # moves of a path kept in a map: the first 4 and the last 19, "…" between


def shortened(path: list[str]) -> list[str]:
    """`path` as a map keeps it: whole up to PATH_SHOWN moves, else its start and end around "…"."""
    if len(path) <= PATH_SHOWN:
        return list(path)
    return [*path[:4], "\u2026", *path[-(PATH_SHOWN - 5):]]
