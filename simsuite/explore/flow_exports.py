"""Reading IVR flow exports (Twilio Studio, Amazon Connect) into states and moves, with clear errors.

`parse_flow` takes a parsed export (or the wrapper a console gives) and returns a `Flow`: its states,
the moves between them (keys, timeouts, no-match and error branches) and where it starts. A malformed
export raises `FlowError` naming the file, the line where known, and the fix.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import SimsuiteError

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


class FlowError(SimsuiteError):
    """A flow export cannot be analysed: the message names the file, the state and the fix."""

    def __init__(self, path: str, problem: str, fix: str, line: int | None = None,
                 column: int | None = None) -> None:
        where = str(path) + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {problem}. Fix: {fix}")
        self.path, self.problem, self.fix, self.line, self.column = str(path), problem, fix, line, column


@dataclass
class FlowState:
    id: str
    type: str
    text: str = ""
    kind: str = "state"
    resolves: bool = False
    terminal: bool = False
    elsewhere: bool = False
    feeds_from: str | None = None


@dataclass
class FlowMove:
    source: str
    target: str | None
    label: str
    kind: str = "normal"        # normal, timeout, nomatch, error
    keys: tuple[str, ...] = ()  # keypad values this move answers to, for the announcement check


@dataclass
class Flow:
    kind: str
    start: str
    states: dict[str, FlowState] = field(default_factory=dict)
    moves: list[FlowMove] = field(default_factory=list)


def parse_flow(data: Any, source: str, resolution_types: Iterable[str] | None) -> Flow:
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


def _parse_studio(data: dict[str, Any], source: str, resolving: set[str]) -> Flow:
    raw = data["states"]
    if not isinstance(raw, list) or not raw:
        raise FlowError(source, "'states' is not a non-empty list", "export the Studio flow definition again")
    states: dict[str, FlowState] = {}
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
        states[name] = FlowState(name, kind_, text, "menu" if kind_ in _STUDIO_MENUS else "prompt" if text else "state",
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
    flow = Flow("studio", start, states)
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
        flow.moves.append(FlowMove(name, nxt, label, kind_, keys))
    for state in states.values():
        mine = [m for m in flow.moves if m.source == state.id]
        state.terminal = all(m.target is None for m in mine)
    return flow


def _studio_condition(conditions: list[Any], state: FlowState) -> tuple[str, tuple[str, ...]]:
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


def _parse_connect(data: dict[str, Any], source: str, resolving: set[str]) -> Flow:
    raw = data["Actions"]
    if not isinstance(raw, list) or not raw:
        raise FlowError(source, "'Actions' is not a non-empty list", "export the Connect flow again")
    states: dict[str, FlowState] = {}
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
        states[ident] = FlowState(ident, kind_, text,
                               "menu" if kind_ in _CONNECT_MENUS else "prompt" if text else "state",
                               resolves=kind_ in resolving, elsewhere=kind_ in _CONNECT_ELSEWHERE)
    start = data.get("StartAction")
    if not isinstance(start, str) or start not in states:
        raise FlowError(source, f"StartAction '{start}' is not an action", f"set it to one of: {_names(states)}")
    flow = Flow("connect", start, states)
    for item in raw:
        ident = item["Identifier"]
        trans = item.get("Transitions") or {}
        if not isinstance(trans, dict):
            raise FlowError(source, f"action '{ident}' has Transitions that are not an object",
                            "make 'Transitions' an object with NextAction, Errors and Conditions")
        if trans.get("NextAction"):
            flow.moves.append(FlowMove(ident, _target(source, states, ident, "NextAction", trans["NextAction"]), "next"))
        for cond in _list(source, ident, trans, "Conditions"):
            c = cond.get("Condition") or {}
            operands = [str(o) for o in (c.get("Operands") or [])] if isinstance(c, dict) else []
            label = f"Condition: {c.get('Operator', '?') if isinstance(c, dict) else '?'} {' '.join(operands)}".strip()
            keys = tuple(operands) if (states[ident].type == "GetParticipantInput" and operands
                                       and all(re.fullmatch(r"[0-9*#]+", o) for o in operands)) else ()
            flow.moves.append(FlowMove(ident, _target(source, states, ident, label, cond.get("NextAction")), label,
                                    keys=keys))
        for err in _list(source, ident, trans, "Errors"):
            etype = str(err.get("ErrorType") or "error")
            kind_ = ("timeout" if etype == "InputTimeLimitExceeded" else
                     "nomatch" if etype == "NoMatchingCondition" else "error")
            flow.moves.append(FlowMove(ident, _target(source, states, ident, etype, err.get("NextAction")), etype, kind_))
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


def _target(source: str, states: dict[str, FlowState], ident: str, label: str, nxt: Any) -> str:
    if not isinstance(nxt, str) or not nxt:
        raise FlowError(source, f"action '{ident}' has a '{label}' transition with no NextAction name",
                        "set NextAction to an action Identifier")
    if nxt not in states:
        raise FlowError(source, f"action '{ident}' has a '{label}' transition to '{nxt}', which no action defines",
                        f"add an action with Identifier '{nxt}' or point NextAction at one of: {_names(states)}")
    return nxt


def _names(states: dict[str, FlowState]) -> str:
    names = list(states)
    return ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
