"""Reading IVR flow exports (Twilio Studio, Amazon Connect) into blocks and moves, with clear errors.

`read_flow_file` reads an export's text and says where its JSON breaks and how to mend it; `parse_flow`
takes a parsed export in any shape the consoles and APIs give (a Connect console export or the
`describe-contact-flow` wrapper, a Studio definition or the REST resource with its `definition`) and
returns a `Flow`: its blocks with the words the caller hears there, the moves between them (keys,
timeouts, no-match, else and error branches) and where it starts. A malformed export raises `FlowError`
naming the file, the line where known, and the fix.

Reading is bounded, so a broken or hostile file gets a message, never a traceback, a hang or a memory
blow-up: at most MAX_BYTES are read, objects and lists are counted and nesting measured before parsing, NaN,
Infinity and numbers of more than MAX_DIGITS digits are refused where they stand, and the readers check each
block's fields by type, showing values cut short (`flow_model.shown`).
"""

from __future__ import annotations

import codecs
import json
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NoReturn

from .flow_connect import parse_connect
from .flow_model import (
    CONNECT_RESOLVES,
    MOVE_KINDS,
    RESOLUTION_WORDS,
    STUDIO_RESOLVES,
    Flow,
    FlowError,
    FlowMove,
    FlowState,
    shown,
)
from .flow_studio import parse_studio

__all__ = ["CONNECT_RESOLVES", "MAX_BYTES", "MAX_CONTAINERS", "MAX_DEPTH", "MOVE_KINDS", "RESOLUTION_WORDS",
           "STUDIO_RESOLVES", "Flow", "FlowError", "FlowMove", "FlowState", "decode", "json_fix", "load_json",
           "parse_flow", "read_flow_file", "unwrap"]


MAX_BYTES = 5_000_000
"""The largest export read: a Connect flow's content is at most 256,000 characters and a Studio flow holds at
most 2,000 widgets (a MB or two); a larger file is something else, and parsing it could take hundreds of MB."""

MAX_CONTAINERS = 250_000
"""JSON objects and lists an export may hold (a few dozen a block): millions of empty ones fit in a few MB and
would take more memory than any flow."""

MAX_DEPTH = 100
"""Levels of nesting an export may have: real exports nest about ten; deeper is refused before parsing, so
nothing recurses through it."""

MAX_DIGITS = 100
"""Digits a number may have: a timeout or a digit count has a few; Python refuses to convert over 4,300."""

_STRING = re.compile(r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"?')   # a JSON string (or the rest of its line, if unclosed)
_BRACKET = re.compile(r"[][{}]")


class _NotJson(ValueError):
    """A literal Python's json reads but no export holds (NaN, Infinity, numbers too large)."""

    def __init__(self, literal: str, problem: str) -> None:
        super().__init__(problem)
        self.literal, self.problem = literal, problem


def read_flow_file(path: str | Path) -> Any:
    """The parsed JSON of an export file; a FlowError with the line, column and the fix if it is not JSON."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)   # never more: a device or a file that grows is cut off here
    except OSError as exc:
        raise FlowError(source, f"cannot read the flow export ({exc.strerror or exc})",
                        "pass the path of a Studio or Connect flow JSON file") from None
    if size > MAX_BYTES or len(raw) > MAX_BYTES:
        said = f"{size:,} bytes ({size / 1e6:,.1f} MB)" if size > MAX_BYTES else f"more than {MAX_BYTES:,} bytes"
        raise FlowError(source, f"the file is {said}, larger than any flow export (at most {MAX_BYTES / 1e6:g} MB)",
                        "check that it is one flow's export; a Studio flow holds at most 2,000 widgets and a "
                        "Connect flow 256,000 characters")
    text = decode(raw, source)
    del raw   # the bytes and the text need not both stay while the JSON is parsed
    return load_json(text, source)


def decode(raw: bytes, source: str) -> str:
    """The text of an export: UTF-8 (a byte-order mark allowed); a FlowError naming the line of a byte that is not."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        bits = "32" if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else "16"
        raise FlowError(source, f"the file is UTF-{bits} text, not UTF-8", "save it as UTF-8 (in PowerShell: "
                        "Out-File -Encoding utf8), or export the flow again", 1, 1)
    raw = raw.removeprefix(codecs.BOM_UTF8)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _place(raw, nul)
        raise FlowError(source, f"the file holds a NUL byte at line {line}, column {column}: it is UTF-16 or binary, "
                        "not UTF-8 JSON", "save it as UTF-8, or export the flow again", line, column)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _place(raw, exc.start)
        raise FlowError(source, f"byte 0x{raw[exc.start]:02x} at line {line}, column {column} is not UTF-8 "
                        "(the file is in another encoding, or not text)",
                        "save it as UTF-8, or export the flow again", line, column) from None


def _place(raw: bytes | str, offset: int) -> tuple[int, int]:
    """(line, column) of an offset, both from 1."""
    newline = b"\n" if isinstance(raw, bytes) else "\n"
    return raw.count(newline, 0, offset) + 1, offset - raw.rfind(newline, 0, offset)  # type: ignore[arg-type]


def load_json(text: str, source: str, embedded: str = "") -> Any:
    """Parse an export's JSON within bounds (objects and lists, nesting, numbers JSON itself allows); a FlowError
    with the line, column and fix when it breaks. `embedded` names a flow held as text inside the file (its
    place is then said in the message: it is not a line of the file)."""
    where = f"{embedded} is not valid JSON" if embedded else "not valid JSON"
    what = embedded or "the file"
    if text.count("{") + text.count("[") > min(MAX_CONTAINERS, MAX_DEPTH):
        bare = _STRING.sub('""', text)   # strings stop at a line's end: the lines stay where they were
        count = bare.count("{") + bare.count("[")
        if count > MAX_CONTAINERS:
            raise FlowError(source, f"{what} holds {count:,} JSON objects and lists, more than "
                            f"any flow export (at most {MAX_CONTAINERS:,})",
                            "check that it is one flow's export, or export the flow again")
        depth = 0
        for bracket in _BRACKET.finditer(bare):
            depth += 1 if bracket.group() in "[{" else -1
            if depth > MAX_DEPTH:
                line = bare.count("\n", 0, bracket.start()) + 1
                _refuse(source, embedded, f"{what} is nested more than {MAX_DEPTH} levels deep", line, None,
                        "no flow export nests that deep: export the flow again")
    try:
        return json.loads(text, parse_constant=_constant, parse_int=_integer, parse_float=_decimal)
    except json.JSONDecodeError as exc:
        at = ("" if exc.msg.endswith(" at") else " at") + (" its" if embedded else "")
        problem = f"{where} ({exc.msg}{at} line {exc.lineno}, column {exc.colno})"
        _refuse(source, embedded, problem, None if embedded else exc.lineno, exc.colno,
                "export the flow again" if embedded else json_fix(text, exc))
    except _NotJson as exc:
        line, column = _literal_place(text, exc.literal)
        _refuse(source, embedded, f"{where}: {exc.problem}", line, column,
                "write a plain number (or quote it as text), or export the flow again")
    except RecursionError:   # only when the stack is already deep: the nesting was checked above
        _refuse(source, embedded, f"{where}: nested too deeply", None, None, "export the flow again")


def _refuse(source: str, embedded: str, problem: str, line: int | None, column: int | None, fix: str) -> NoReturn:
    if embedded:   # a place in the embedded text is no line of the file
        place = "" if line is None else f" (at its line {line}" + (f", column {column})" if column else ")")
        raise FlowError(source, problem + place, fix) from None
    raise FlowError(source, problem, fix, line, column) from None


def _constant(name: str) -> Any:
    raise _NotJson(name, f"{name} is not a JSON value")


def _integer(digits: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise _NotJson(digits, f"a number of {len(digits.lstrip('-')):,} digits is more than any flow holds "
                       f"(at most {MAX_DIGITS} digits)")
    return int(digits)


def _decimal(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value) or len(literal) > MAX_DIGITS:
        shown = literal if len(literal) <= 20 else literal[:17] + "..."
        raise _NotJson(literal, f"the number {shown} is too large for a flow")
    return value


def _literal_place(text: str, literal: str) -> tuple[int | None, int | None]:
    """(line, column) of the first place a bare literal (not inside a string) stands."""
    pattern = re.compile(_STRING.pattern + "|(?<![\\w.+-])(" + re.escape(literal) + ")(?![\\w.])")
    for found in pattern.finditer(text):
        if found.group(1):
            return _place(text, found.start(1))
    return None, None


def json_fix(text: str, exc: json.JSONDecodeError) -> str:
    """How to mend the JSON where it broke, said as precisely as the break allows."""
    lines = text.splitlines()
    line = lines[exc.lineno - 1] if 0 < exc.lineno <= len(lines) else ""
    at_start = not line[:exc.colno - 1].strip()
    before = next((n for n in range(exc.lineno - 1, 0, -1) if lines[n - 1].strip()), None)
    near = line[max(0, exc.colno - 31):exc.colno + 30].strip()
    if "Expecting ',' delimiter" in exc.msg and at_start and before:
        return (f"add the missing comma at the end of line {before} "
                f"(after {lines[before - 1].strip()[-40:]!r}), or export the flow again")
    if "Expecting ',' delimiter" in exc.msg:
        return f"add a comma between the two values near {near!r}, or export the flow again"
    if "Expecting property name" in exc.msg:
        return f"remove the trailing comma or quote the key with double quotes near {near!r}"
    if "Expecting value" in exc.msg and not text.strip():
        return "the file is empty: export the flow again"
    if "Expecting value" in exc.msg:
        return f"remove the trailing comma or the stray text near {near!r}"
    if "Extra data" in exc.msg:
        return "the file holds more than one JSON document: keep only the flow"
    return "repair the JSON syntax there, or export the flow again"


def parse_flow(data: Any, source: str, resolution_types: Iterable[str] | None = None) -> Flow:
    """A Flow from a parsed export in any of the shapes the consoles and APIs give."""
    data = unwrap(data, source)
    types = set(resolution_types) if resolution_types is not None else None
    if isinstance(data, dict) and "states" in data and ("initial_state" in data or "flags" in data):
        return parse_studio(data, source, types if types is not None else set(STUDIO_RESOLVES))
    if isinstance(data, dict) and "Actions" in data and "StartAction" in data:
        return parse_connect(data, source, types if types is not None else set(CONNECT_RESOLVES))
    if isinstance(data, dict):
        keys = ", ".join(key if len(key) <= 30 else key[:27] + "..." for key in sorted(data)[:8])
        keys += ", ..." if len(data) > 8 else ""
    else:
        keys = ("the text " if isinstance(data, str) else "") + shown(data)
    raise FlowError(source, f"neither a Twilio Studio nor an Amazon Connect flow (found: {keys or 'nothing'})",
                    "export a Studio flow (top-level 'states' and 'initial_state') or a Connect flow "
                    "(top-level 'Actions' and 'StartAction')")


def unwrap(data: Any, source: str) -> Any:
    """The flow inside the wrappers APIs put around it (Studio's REST resource, describe-contact-flow)."""
    embedded, wrapped = "", isinstance(data, dict)
    if isinstance(data, dict) and "definition" in data and "states" not in data:
        if not isinstance(data["definition"], (dict, str)):
            raise FlowError(source, f"the Studio flow's 'definition' is {shown(data['definition'])}, not the flow",
                            "export the flow again, or pass the definition itself")
        data, embedded = data["definition"], "the 'definition' text"
    if isinstance(data, dict) and "ContactFlow" in data and "Actions" not in data:
        if not isinstance(data["ContactFlow"], dict):
            raise FlowError(source, f"'ContactFlow' is {shown(data['ContactFlow'])}, not an object with the flow's "
                            "Content", "pass the output of describe-contact-flow as it is, or the Content itself")
        data = data["ContactFlow"].get("Content", data)
    if isinstance(data, dict) and isinstance(data.get("Content"), str) and "Actions" not in data:
        data = data["Content"]
    if isinstance(data, str):
        embedded = embedded or ("the embedded flow content" if wrapped else "the text the file holds")
        data = load_json(data, source, embedded)
    return data
