"""Reading an Amazon Connect flow (the Flow language: `Actions`, `StartAction`, `Metadata`) into a Flow."""

from __future__ import annotations

import re
from collections import defaultdict, deque
from typing import Any

from .flow_model import (
    MAX_BLOCKS,
    MAX_PROMPT,
    Flow,
    FlowError,
    FlowMove,
    FlowState,
    field_text,
    mapping,
    names,
    object_field,
    scalar_text,
    shown,
    text_of,
)
from .flow_words import recording_name, speaks_runtime_values, spoken

_BOTS = {"ConnectParticipantWithLexBot"}
_INPUTS = {"GetParticipantInput", "GetUserInput"} | _BOTS
_ENDS = {"DisconnectParticipant", "EndFlowExecution", "EndFlowModuleExecution"}
_ROLES = {"TransferContactToQueue": "queue", "TransferContactToAgent": "queue",
          "TransferParticipantToThirdParty": "transfer", "TransferToPhoneNumber": "transfer",
          "CreateCallbackContact": "callback", "TransferToFlow": "elsewhere"}
_NAMED_PARAMETERS = ("QueueId", "LambdaFunctionARN", "ContactFlowId", "FlowModuleId", "HoursOfOperationId",
                     "AgentId", "LexV2Bot")


def parse_connect(data: dict[str, Any], source: str, resolving: set[str]) -> Flow:
    """The blocks and moves of a Connect flow; `resolving` names the types that hand the caller on."""
    raw = data["Actions"]
    if not isinstance(raw, list) or not raw:
        raise FlowError(source, f"'Actions' is {shown(raw)}, not a non-empty list", "export the Connect flow again")
    if len(raw) > MAX_BLOCKS:
        raise FlowError(source, f"'Actions' holds {len(raw):,} actions, more than any Connect flow (at most "
                        f"{MAX_BLOCKS:,})", "check that the file is one flow's export; split a larger flow into "
                        "modules")
    metadata = mapping(mapping(data.get("Metadata")).get("ActionMetadata"))
    states: dict[str, FlowState] = {}
    for i, item in enumerate(raw):
        state = _state(item, i, source, metadata)
        if state.id in states:
            raise FlowError(source, f"two actions have the Identifier {shown(state.id)}", "make each Identifier unique")
        state.resolves = state.type in resolving
        states[state.id] = state
    start = data.get("StartAction")
    if not isinstance(start, str) or start not in states:
        raise FlowError(source, f"StartAction {shown(start)} is not an action", f"set it to one of: {names(states)}")
    flow = Flow("connect", start, states)
    for item in raw:
        flow.moves.extend(_moves(item, source, states))
    moving = {m.source for m in flow.moves}
    for state in states.values():
        state.terminal = state.id not in moving or state.type in _ENDS
    _name_queues(flow)
    return flow


def _name_queues(flow: Flow) -> None:
    """Name the queue a transfer puts the caller in: the queue set by the nearest block before it."""
    into: dict[str, list[str]] = defaultdict(list)
    for move in flow.moves:
        if move.target is not None:
            into[move.target].append(move.source)
    for state in flow.states.values():
        if state.type != "TransferContactToQueue" or state.detail != state.type:
            continue
        found, seen, queue = [], {state.id}, deque([state.id])
        while queue:
            for source in into[queue.popleft()]:
                if source in seen:
                    continue
                seen.add(source)
                before = flow.states[source]
                if before.type == "UpdateContactTargetQueue":
                    found.append(before.detail[len(before.type):].strip(" ()"))
                else:
                    queue.append(source)
        shown = [name for name in dict.fromkeys(found) if name]
        if shown:
            state.detail = f"{state.type} (queue {', '.join(shown)})"


def _state(item: Any, i: int, source: str, metadata: dict[str, Any]) -> FlowState:
    if not isinstance(item, dict):
        raise FlowError(source, f"action #{i + 1} is {shown(item)}, not an object",
                        "make every action an object with an 'Identifier', a 'Type' and its 'Transitions'")
    if not field_text(f"action #{i + 1}", item, "Identifier", source):
        raise FlowError(source, f"action #{i + 1} has no Identifier", "give every action a non-empty 'Identifier'")
    ident = item["Identifier"]
    owner = f"action {shown(ident)}"
    kind_ = field_text(owner, item, "Type", source)
    if not kind_:
        raise FlowError(source, f"{owner} has no Type", "give it a 'Type' such as 'MessageParticipant'")
    params = object_field(owner, item, "Parameters", source)
    meta = mapping(metadata.get(ident))
    text, recording, dynamic = _prompt(owner, params, meta, source)
    if kind_ in _INPUTS:
        data_entry = str(params.get("StoreInput", "")).lower() == "true" or "InputEncryption" in params
        what = "data" if data_entry else "menu"
    else:
        what = "prompt" if text or recording else "state"
    role = _ROLES.get(kind_, "end" if kind_ in _ENDS else "")
    return FlowState(ident, kind_, text, what, recording=recording, detail=_detail(kind_, params, meta),
                     role=role, dynamic=dynamic, intents=kind_ in _BOTS, elsewhere=role == "elsewhere",
                     name=text_of(meta.get("name")))


def _prompt(owner: str, params: dict[str, Any], meta: dict[str, Any], source: str) -> tuple[str, str, bool]:
    """(words, recording name, speaks run-time values) of an action's prompt."""
    def words(block: dict[str, Any]) -> str:
        return field_text(owner, block, "Text", source, MAX_PROMPT) or field_text(owner, block, "SSML", source,
                                                                                    MAX_PROMPT)

    raw = words(params)
    messages = params.get("Messages")
    if not raw and isinstance(messages, list):
        raw = " ".join(words(m) for m in messages if isinstance(m, dict))
        if len(raw) > MAX_PROMPT:
            raise FlowError(source, f"{owner} has Messages of {len(raw):,} characters, longer than any spoken prompt "
                            f"(at most {MAX_PROMPT:,})", "check that the texts are the prompt")
    if raw.strip():
        return spoken(raw), "", speaks_runtime_values(raw)
    prompt = field_text(owner, params, "PromptId", source) or text_of(mapping(params.get("Media")).get("Uri"))
    if prompt:
        return "", recording_name(prompt, _display(meta, "PromptId") or text_of(meta.get("promptName"))), False
    return "", "", False


def _display(meta: dict[str, Any], parameter: str) -> str:
    """The display name the console keeps for a parameter (a queue's, a prompt's, a Lambda's name)."""
    shown = mapping(mapping(meta.get("parameters")).get(parameter))
    alias = mapping(shown.get("AliasArn"))
    return text_of(shown.get("displayName")) or text_of(alias.get("lexV2BotName")) or text_of(alias.get("displayName"))


def _detail(kind_: str, params: dict[str, Any], meta: dict[str, Any]) -> str:
    """What identifies a block that says nothing: its type and the names it points at."""
    shown = []
    for parameter in _NAMED_PARAMETERS:
        name = _display(meta, parameter)
        if not name and parameter == "LambdaFunctionARN" and text_of(params.get(parameter)):
            name = text_of(params[parameter]).split(":")[-1]
        if name:
            shown.append(name)
    shown += [text_of(mapping(meta.get("queue")).get("text")), text_of(params.get("ThirdPartyPhoneNumber")),
              text_of(params.get("PhoneNumber")), text_of(meta.get("lexV2BotName"))]
    unique = [s for s in dict.fromkeys(shown) if s]
    return kind_ + (f" ({', '.join(unique)})" if unique else "")


def _moves(item: dict[str, Any], source: str, states: dict[str, FlowState]) -> list[FlowMove]:
    ident = item["Identifier"]
    owner = f"action {shown(ident)}"
    state = states[ident]
    trans = object_field(owner, item, "Transitions", source)
    moves = []
    if trans.get("NextAction"):
        moves.append(FlowMove(ident, _target(source, states, ident, "NextAction", trans["NextAction"]), "next"))
    asks = state.type in _INPUTS
    for cond in _list(source, ident, trans, "Conditions"):
        c = object_field(f"a condition of {owner}", cond, "Condition", source)
        operands = c.get("Operands")
        if operands is not None and (not isinstance(operands, list)
                                     or not all(isinstance(o, (str, int, float)) for o in operands)):
            raise FlowError(source, f"a condition of {owner} has Operands that are {shown(operands)}, not a list of "
                            "values", "make Operands a list of texts, such as [\"1\"]")
        operands = [scalar_text(o)[:200] for o in operands or []]
        label = f"Condition: {scalar_text(c.get('Operator'))[:60] or '?'} {' '.join(operands)}".strip()
        keys = tuple(operands) if (asks and not state.intents and operands
                                   and all(re.fullmatch(r"[0-9*#]+", o) for o in operands)) else ()
        moves.append(FlowMove(ident, _target(source, states, ident, label, cond.get("NextAction")), label,
                              "choice" if asks else "normal", keys))
    for err in _list(source, ident, trans, "Errors"):
        etype = scalar_text(err.get("ErrorType"))[:200] or "error"
        kind_ = ("timeout" if etype == "InputTimeLimitExceeded" else
                 ("nomatch" if asks else "else") if etype == "NoMatchingCondition" else "error")
        moves.append(FlowMove(ident, _target(source, states, ident, etype, err.get("NextAction")), etype, kind_))
    return moves


def _list(source: str, ident: str, trans: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = trans.get(key)
    if items is not None and (not isinstance(items, list) or not all(isinstance(x, dict) for x in items)):
        raise FlowError(source, f"action {shown(ident)} has Transitions.{key} that is {shown(items)}, not a list of "
                        "objects", f"make {key} a list of objects with a NextAction")
    return items or []


def _target(source: str, states: dict[str, FlowState], ident: str, label: str, nxt: Any) -> str:
    if not isinstance(nxt, str) or not nxt:
        raise FlowError(source, f"action {shown(ident)} has a {shown(label)} transition whose NextAction is "
                        f"{shown(nxt)}, not an action's name", "set NextAction to an action Identifier")
    if nxt not in states:
        raise FlowError(source, f"action {shown(ident)} has a {shown(label)} transition to {shown(nxt)}, which no "
                        f"action defines", f"add an action with Identifier {shown(nxt)} or point NextAction at one "
                        f"of: {names(states)}")
    return nxt
