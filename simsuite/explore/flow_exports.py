"""Reading IVR flow exports (Twilio Studio, Amazon Connect) into blocks and moves, with clear errors.

`read_flow_file` reads an export's text and says where its JSON breaks and how to mend it; `parse_flow`
takes a parsed export in any shape the consoles and APIs give (a Connect console export or the
`describe-contact-flow` wrapper, a Studio definition or the REST resource with its `definition`) and
returns a `Flow`: its blocks with the words the caller hears there, the moves between them (keys,
timeouts, no-match, else and error branches) and where it starts. A malformed export raises `FlowError`
naming the file, the line where known, and the fix.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

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
)
from .flow_studio import parse_studio

__all__ = ["CONNECT_RESOLVES", "MOVE_KINDS", "RESOLUTION_WORDS", "STUDIO_RESOLVES", "Flow", "FlowError", "FlowMove",
           "FlowState", "json_fix", "parse_flow", "read_flow_file", "unwrap"]


def read_flow_file(path: str | Path) -> Any:
    """The parsed JSON of an export file; a FlowError with the line, column and the fix if it is not JSON."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise FlowError(str(path), f"cannot read the flow export ({exc.strerror or exc})",
                        "pass the path of a Studio or Connect flow JSON file") from None
    except UnicodeDecodeError:
        raise FlowError(str(path), "the file is not UTF-8 text", "export the flow as JSON again") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FlowError(str(path), f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
                        json_fix(text, exc), exc.lineno, exc.colno) from None


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
    keys = ", ".join(sorted(data)[:8]) if isinstance(data, dict) else type(data).__name__
    raise FlowError(source, f"neither a Twilio Studio nor an Amazon Connect flow (found: {keys or 'nothing'})",
                    "export a Studio flow (top-level 'states' and 'initial_state') or a Connect flow "
                    "(top-level 'Actions' and 'StartAction')")


def unwrap(data: Any, source: str) -> Any:
    """The flow inside the wrappers APIs put around it (Studio's REST resource, describe-contact-flow)."""
    if isinstance(data, dict) and isinstance(data.get("definition"), (dict, str)) and "states" not in data:
        data = data["definition"]
    if isinstance(data, dict) and isinstance(data.get("ContactFlow"), dict):
        data = data["ContactFlow"].get("Content", data)
    if isinstance(data, dict) and isinstance(data.get("Content"), str) and "Actions" not in data:
        data = data["Content"]
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise FlowError(source, f"the embedded flow content is not valid JSON ({exc.msg} at its line "
                            f"{exc.lineno}, column {exc.colno})", "export the flow again") from None
    return data
