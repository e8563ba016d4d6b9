"""Reading a Twilio Studio flow definition (`states`, `initial_state`, `flags`) into a Flow."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from .flow_model import (
    MAX_BLOCKS,
    MAX_PROMPT,
    Flow,
    FlowError,
    FlowMove,
    FlowState,
    field_text,
    list_field,
    mapping,
    names,
    object_field,
    scalar_text,
    shown,
    text_of,
)
from .flow_words import recording_name, speaks_runtime_values, spoken

_GATHERS = {"gather-input-on-call", "send-and-wait-for-reply", "capture-payments"}
_MESSAGES = {"send-message", "send-and-wait-for-reply"}
_FAILURES = {"failed", "fail", "failure", "error", "callfailure", "failedtoenqueue", "deliveryfailure"}
_ROLES = {"connect-call-to": "transfer", "enqueue-call": "queue", "send-to-flex": "queue",
          "record-voicemail": "record", "add-twiml-redirect": "elsewhere"}
_READS = re.compile(r"widgets\.([\w-]+)\.(?:Digits|SpeechResult)")


def parse_studio(data: dict[str, Any], source: str, resolving: set[str]) -> Flow:
    """The blocks and moves of a Studio flow; `resolving` names the widget types that hand the caller on."""
    raw = data["states"]
    if not isinstance(raw, list) or not raw:
        raise FlowError(source, f"'states' is {shown(raw)}, not a non-empty list",
                        "export the Studio flow definition again")
    if len(raw) > MAX_BLOCKS:
        raise FlowError(source, f"'states' holds {len(raw):,} states, more than any Studio flow (at most "
                        f"{MAX_BLOCKS:,})",
                        "check that the file is one flow's export; split a larger flow into subflows")
    states: dict[str, FlowState] = {}
    raw_moves: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(raw):
        state = _state(item, i, source)
        if state.id in states:
            raise FlowError(source, f"two states are named {shown(state.id)}", "rename one of them")
        state.resolves = state.type in resolving
        states[state.id] = state
        raw_moves.extend((state.id, t) for t in _transitions(item, state.id, source))
    start = data.get("initial_state")
    if start is not None and not isinstance(start, str):
        raise FlowError(source, f"initial_state is {shown(start)}, not a state name",
                        f"set it to one of: {names(states)}")
    if start is None:
        start = next((s.id for s in states.values() if s.type == "trigger"), next(iter(states)))
    if start not in states:
        raise FlowError(source, f"initial_state {shown(start)} is not a state", f"set it to one of: {names(states)}")
    flow = Flow("studio", start, states)
    flow.moves = _moves(raw_moves, states, source)
    ends: dict[str, bool] = {}
    for move in flow.moves:
        ends[move.source] = ends.get(move.source, True) and move.target is None
    properties = {item["name"]: mapping(item.get("properties")) for item in raw}
    for state in states.values():
        state.terminal = ends.get(state.id, True)
        if state.type in _GATHERS:
            state.kind = "menu" if _is_menu(state, flow.moves, states, properties[state.id]) else "data"
    return flow


def _state(item: Any, i: int, source: str) -> FlowState:
    if not isinstance(item, dict):
        raise FlowError(source, f"state #{i + 1} is {shown(item)}, not an object",
                        "make every state an object with a 'name', a 'type' and its 'transitions'")
    if not field_text(f"state #{i + 1}", item, "name", source):
        raise FlowError(source, f"state #{i + 1} has no name", "give every state a non-empty 'name'")
    name = item["name"]
    owner = f"state {shown(name)}"
    kind_ = field_text(owner, item, "type", source)
    if not kind_:
        raise FlowError(source, f"{owner} has no type", "give it a widget 'type' such as 'say-play'")
    props = object_field(owner, item, "properties", source)
    raw = field_text(owner, props, "say", source, MAX_PROMPT)
    if not raw and kind_ in _MESSAGES:
        raw = field_text(owner, props, "body", source, MAX_PROMPT)
    play = field_text(owner, props, "play", source)
    feeds = _READS.search(text_of(props.get("input"))) if kind_ == "split-based-on" else None
    return FlowState(name, kind_, spoken(raw), "prompt" if raw or play else "state",
                     feeds_from=feeds.group(1) if feeds else None,
                     recording=recording_name(play) if play and not raw else "", detail=_detail(kind_, props),
                     role=_ROLES.get(kind_, ""), dynamic=speaks_runtime_values(raw),
                     elsewhere=kind_ == "add-twiml-redirect")


def _detail(kind_: str, props: dict[str, Any]) -> str:
    """What identifies a widget that says nothing: its type and whom or what it reaches."""
    if kind_ == "connect-call-to":
        to = props.get("to")
        to = ", ".join(scalar_text(t) for t in to if scalar_text(t)) if isinstance(to, list) else scalar_text(to)
        return f"{kind_} {to or text_of(props.get('noun'))}"
    if kind_ == "enqueue-call":
        queue = text_of(props.get("queue_name")) or text_of(props.get("workflow_sid"))
        return f"{kind_} (queue {queue})" if queue else kind_
    if kind_ in ("make-http-request", "run-function", "add-twiml-redirect"):
        url = text_of(props.get("url"))
        return f"{kind_} {url.split('?')[0]}" if url else kind_
    return kind_


def _transitions(item: dict[str, Any], name: str, source: str) -> list[dict[str, Any]]:
    owner = f"state {shown(name)}"
    transitions = list_field(owner, item, "transitions", source, "{\"event\", \"next\"} objects")
    for t in transitions:
        if not field_text(f"a transition of {owner}", t, "event", source):
            raise FlowError(source, f"{owner} has a transition without an event",
                            "give each transition an 'event'")
        if "next" in t and t["next"] is not None and not isinstance(t["next"], str):
            raise FlowError(source, f"{owner} has a {shown(t['event'])} transition whose next is {shown(t['next'])}, "
                            "not a state name", "set 'next' to a state name or remove it")
        list_field(f"the {shown(t['event'])} transition of {owner}", t, "conditions", source,
                   "{\"type\", \"value\"} objects")
    return transitions


def _moves(raw_moves: list[tuple[str, dict[str, Any]]], states: dict[str, FlowState], source: str) -> list[FlowMove]:
    wired: dict[str, set[str]] = defaultdict(set)
    for name, t in raw_moves:
        if t.get("next"):
            wired[name].add(t["event"])
    moves = []
    for name, t in raw_moves:
        event, nxt = t["event"], t.get("next") or None
        state = states[name]
        if nxt is not None and nxt not in states:
            raise FlowError(source, f"state {shown(name)} has a {shown(event)} transition to {shown(nxt)}, which no "
                            f"state defines", f"add a state named {shown(nxt)} or point the transition at one of: "
                            f"{names(states)}")
        if nxt is None and (state.type == "trigger"
                            or (event in ("keypress", "speech") and wired[name] & {"keypress", "speech"})):
            continue
        label, keys = event, ()
        if event == "match":
            label, keys = _condition(t.get("conditions") or [], state)
        moves.append(FlowMove(name, nxt, label, _kind(event, state), keys))
    return moves


def _kind(event: str, state: FlowState) -> str:
    low = event.lower()
    if low in ("keypress", "speech") and state.type in _GATHERS:
        return "choice"
    if low == "timeout":
        return "timeout"
    if low == "nomatch":
        return "nomatch" if state.feeds_from else "else"
    if low == "match":
        return "choice" if state.feeds_from else "normal"
    if low in _FAILURES:
        return "error"
    return "hangup" if low == "hangup" else "normal"


def _condition(conditions: list[Any], state: FlowState) -> tuple[str, tuple[str, ...]]:
    cond = mapping(conditions[0]) if isinstance(conditions, list) and conditions else {}
    value = scalar_text(cond.get("value"))[:200]
    op = scalar_text(cond.get("type")) or "match"
    keys: tuple[str, ...] = ()
    if op in ("equal_to", "matches_any_of"):
        values = tuple(v.strip() for v in value.split(",") if v.strip()) if op == "matches_any_of" else (value,)
        if values and all(re.fullmatch(r"[0-9*#]+", v) for v in values):
            keys = values
    if keys and state.feeds_from is not None:
        return f"keypress {value}", keys
    return (f"match {op} {value}".strip() if value else scalar_text(cond.get("friendly_name"))[:200] or "match"), keys


def _is_menu(gather: FlowState, moves: list[FlowMove], states: dict[str, FlowState], props: dict[str, Any]) -> bool:
    """A gather is a menu when a check routes its answer by matching keys or words; a gather of several
    digits, or one whose answer nothing matches, collects data."""
    try:
        digits = int(props.get("number_of_digits") or 1)
    except (TypeError, ValueError, OverflowError):
        digits = 1
    if digits > 1 or gather.type != "gather-input-on-call":
        return False
    checks = {s.id for s in states.values() if s.feeds_from == gather.id}
    return any(m.source in checks and m.kind == "choice" for m in moves)
