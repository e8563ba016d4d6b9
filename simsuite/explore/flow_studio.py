"""Reading a Twilio Studio flow definition (`states`, `initial_state`, `flags`) into a Flow."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from .flow_model import Flow, FlowError, FlowMove, FlowState, mapping, names, text_of
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
        raise FlowError(source, "'states' is not a non-empty list", "export the Studio flow definition again")
    states: dict[str, FlowState] = {}
    raw_moves: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(raw):
        state = _state(item, i, source)
        if state.id in states:
            raise FlowError(source, f"two states are named '{state.id}'", "rename one of them")
        state.resolves = state.type in resolving
        states[state.id] = state
        raw_moves.extend((state.id, t) for t in _transitions(item, state.id, source))
    start = data.get("initial_state")
    if start is not None and not isinstance(start, str):
        raise FlowError(source, "initial_state is not a state name", f"set it to one of: {names(states)}")
    if start is None:
        start = next((s.id for s in states.values() if s.type == "trigger"), next(iter(states)))
    if start not in states:
        raise FlowError(source, f"initial_state '{start}' is not a state", f"set it to one of: {names(states)}")
    flow = Flow("studio", start, states)
    flow.moves = _moves(raw_moves, states, source)
    for state in states.values():
        state.terminal = all(m.target is None for m in flow.moves if m.source == state.id)
        if state.type in _GATHERS:
            state.kind = "menu" if _is_menu(state, flow.moves, states, raw) else "data"
    return flow


def _state(item: Any, i: int, source: str) -> FlowState:
    if not isinstance(item, dict) or not text_of(item.get("name")):
        raise FlowError(source, f"state #{i + 1} has no name", "give every state a non-empty 'name'")
    name = item["name"]
    kind_ = text_of(item.get("type"))
    if not kind_:
        raise FlowError(source, f"state '{name}' has no type", "give it a widget 'type' such as 'say-play'")
    props = item.get("properties") or {}
    if not isinstance(props, dict):
        raise FlowError(source, f"state '{name}' has properties that are not an object",
                        "make 'properties' a JSON object")
    raw = text_of(props.get("say")) or (text_of(props.get("body")) if kind_ in _MESSAGES else "")
    play = text_of(props.get("play"))
    feeds = _READS.search(str(props.get("input", ""))) if kind_ == "split-based-on" else None
    return FlowState(name, kind_, spoken(raw), "prompt" if raw or play else "state",
                     feeds_from=feeds.group(1) if feeds else None,
                     recording=recording_name(play) if play and not raw else "", detail=_detail(kind_, props),
                     role=_ROLES.get(kind_, ""), dynamic=speaks_runtime_values(raw),
                     elsewhere=kind_ == "add-twiml-redirect")


def _detail(kind_: str, props: dict[str, Any]) -> str:
    """What identifies a widget that says nothing: its type and whom or what it reaches."""
    if kind_ == "connect-call-to":
        to = props.get("to")
        return f"{kind_} {', '.join(map(str, to)) if isinstance(to, list) else text_of(to) or props.get('noun', '')}"
    if kind_ == "enqueue-call":
        queue = text_of(props.get("queue_name")) or text_of(props.get("workflow_sid"))
        return f"{kind_} (queue {queue})" if queue else kind_
    if kind_ in ("make-http-request", "run-function", "add-twiml-redirect"):
        url = text_of(props.get("url"))
        return f"{kind_} {url.split('?')[0]}" if url else kind_
    return kind_


def _transitions(item: dict[str, Any], name: str, source: str) -> list[dict[str, Any]]:
    transitions = item.get("transitions", [])
    if not isinstance(transitions, list):
        raise FlowError(source, f"state '{name}' has 'transitions' that is not a list",
                        "make it a list of {\"event\", \"next\"} objects")
    for t in transitions:
        if not isinstance(t, dict) or not text_of(t.get("event")):
            raise FlowError(source, f"state '{name}' has a transition without an event",
                            "give each transition an 'event'")
        if "next" in t and t["next"] is not None and not isinstance(t["next"], str):
            raise FlowError(source, f"state '{name}' has a '{t['event']}' transition whose next is not a name",
                            "set 'next' to a state name or remove it")
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
            raise FlowError(source, f"state '{name}' has a '{event}' transition to '{nxt}', which no state defines",
                            f"add a state named '{nxt}' or point the transition at one of: {names(states)}")
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


def _is_menu(gather: FlowState, moves: list[FlowMove], states: dict[str, FlowState], raw: list[Any]) -> bool:
    """A gather is a menu when a check routes its answer by matching keys or words; a gather of several
    digits, or one whose answer nothing matches, collects data."""
    props = next((mapping(s.get("properties")) for s in raw if isinstance(s, dict) and s.get("name") == gather.id), {})
    try:
        digits = int(props.get("number_of_digits") or 1)
    except (TypeError, ValueError):
        digits = 1
    if digits > 1 or gather.type != "gather-input-on-call":
        return False
    checks = {s.id for s in states.values() if s.feeds_from == gather.id}
    return any(m.source in checks and m.kind == "choice" for m in moves)
