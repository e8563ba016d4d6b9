"""How a chat bot is reached: the adapter configuration (Rasa REST or any HTTP/JSON bot) and its checks.

See `simsuite.channels.chat` for the keys. A wrong configuration raises ChatConfigError naming the key.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.files import BadYaml, NotUtf8, compose_yaml, read_text
from ...errors import SimsuiteError

RASA_WEBHOOK = "webhooks/rest/webhook"
ADAPTERS = ("rasa", "http-json")
_KEYS = {
    "rasa": {"adapter", "url", "headers"},
    "http-json": {"adapter", "url", "method", "request", "replies", "text", "buttons", "title", "payload",
                  "headers"},
}
_REQUIRED = {"rasa": (), "http-json": ("url", "request", "replies")}
_METHODS = ("POST", "PUT", "GET")
_INDEX = re.compile(r"\[(\d+)\]")


class ChatConfigError(SimsuiteError):
    """The chat adapter's configuration is missing a key or holds a wrong value."""


@dataclass(frozen=True)
class ChatConfig:
    """A validated adapter configuration (see the module docstring for the keys)."""

    adapter: str = "rasa"
    url: str = RASA_WEBHOOK
    method: str = "POST"
    request: Any = None
    replies: str = "$"
    text: str = "text"
    buttons: str = "buttons"
    title: str = "title"
    payload: str = "payload"
    headers: dict[str, str] = field(default_factory=dict)


def validate_chat_config(config: dict[str, Any] | None, source: str = "chat_config") -> ChatConfig:
    """Check an adapter configuration and return it with defaults; ChatConfigError names what is wrong."""
    config = dict(config or {})
    adapter = config.get("adapter", "rasa")
    if adapter not in ADAPTERS:
        raise ChatConfigError(f"{source}: unknown chat adapter {adapter!r}. Fix: set adapter to one of "
                              f"{', '.join(ADAPTERS)}")
    missing = [k for k in _REQUIRED[adapter] if k not in config]
    if missing:
        raise ChatConfigError(f"{source}: the {adapter} chat adapter needs the key {missing[0]!r} "
                              f"(missing: {', '.join(missing)}). Fix: add it; see simsuite.channels.chat")
    unknown = sorted(set(config) - _KEYS[adapter], key=str)
    if unknown:
        raise ChatConfigError(f"{source}: unknown key {unknown[0]!r} for the {adapter} chat adapter. "
                              f"Fix: use only {', '.join(sorted(_KEYS[adapter]))}")
    for key in ("url", "text", "buttons", "title", "payload"):
        if key in config and (not isinstance(config[key], str) or not config[key].strip()):
            raise ChatConfigError(f"{source}: {key!r} must be a non-empty string, not {config[key]!r}. "
                                  f"Fix: write {key}: followed by text")
    replies = config.get("replies", "$")
    if not isinstance(replies, str):
        raise ChatConfigError(f"{source}: 'replies' must be a dotted path such as 'data.replies' or '$', "
                              f"not {replies!r}. Fix: write replies: data.replies (where the bot's replies are)")
    method = str(config.get("method", "POST")).upper()
    if method not in _METHODS:
        raise ChatConfigError(f"{source}: method {config.get('method')!r} is not supported. "
                              f"Fix: use one of {', '.join(_METHODS)}")
    headers = config.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, (str, int))
                                                for k, v in headers.items()):
        raise ChatConfigError(f"{source}: 'headers' must be a mapping of header names to strings. "
                              "Fix: write headers: {Authorization: Bearer ...}")
    request = config.get("request")
    if isinstance(request, str):
        try:
            request = json.loads(request)
        except ValueError as exc:
            raise ChatConfigError(f"{source}: 'request' is not valid JSON ({exc}). Fix: give a JSON object "
                                  'such as {"user": "{sender}", "text": "{message}"}') from None
    if adapter == "http-json":
        if not isinstance(request, (dict, list)):
            raise ChatConfigError(f"{source}: 'request' must be a JSON object or list template, not {request!r}. "
                                  'Fix: give a JSON object such as {"user": "{sender}", "text": "{message}"}')
        if method == "GET" and not (isinstance(request, dict) and
                                    all(isinstance(v, (str, int, float)) for v in request.values())):
            raise ChatConfigError(f"{source}: with method GET, 'request' must be a flat mapping "
                                  "(it becomes the query string). Fix: use text values only, or method: POST")
        if "{message}" not in json.dumps(request):
            raise ChatConfigError(f"{source}: 'request' never uses \"{{message}}\", so the bot would not "
                                  "hear the customer. Fix: put \"{message}\" where the bot expects the text")
    defaults = ChatConfig()
    return ChatConfig(
        adapter=adapter,
        url=config.get("url", defaults.url),
        method=method,
        request=request,
        replies=replies,
        text=config.get("text", defaults.text),
        buttons=config.get("buttons", defaults.buttons),
        title=config.get("title", defaults.title),
        payload=config.get("payload", defaults.payload),
        headers={k: str(v) for k, v in headers.items()},
    )


def chat_config_from_file(path: str | Path) -> dict[str, Any]:
    """Load and check an adapter configuration from a YAML file (a mapping; see the module docstring)."""
    import yaml

    p = Path(path)
    if not p.is_file():
        raise ChatConfigError(f"{p}: chat config file not found. Fix: check the path")
    try:
        source = read_text(p)
        root = compose_yaml(source)  # refuses alias bombs, deep nesting and !!python tags before building values
        data = yaml.safe_load(source)
    except NotUtf8 as exc:
        raise ChatConfigError(f"{p}:{exc.line}: not UTF-8 text (byte 0x{exc.byte:02x}). Fix: {exc.fix}") from None
    except BadYaml as exc:
        raise ChatConfigError(f"{p}{f':{exc.line}' if exc.line else ''}: {exc.problem}. Fix: {exc.fix}") from None
    except OSError as exc:
        raise ChatConfigError(f"{p}: cannot be read ({exc.strerror}). Fix: check the file's permissions") from None
    except (ValueError, TypeError) as exc:  # an explicit tag that does not fit, such as !!int abc
        raise ChatConfigError(f"{p}: holds a value YAML cannot read ({exc}). Fix: remove the !!tag or fix the value") \
            from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}:{mark.line + 1}" if mark is not None else str(p)
        raise ChatConfigError(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc}). "
                              "Fix: a mapping of chat adapter keys") from None
    if not isinstance(data, dict):
        where = f"{p}:{root.start_mark.line + 1}" if root is not None else str(p)
        raise ChatConfigError(f"{where}: must be a mapping of chat adapter keys (adapter, url, request, replies, ...). "
                              "Fix: write `key: value` lines, e.g. adapter: http-json")
    data.setdefault("adapter", "http-json")
    validate_chat_config(data, str(p))
    return data


# -- JSON helpers -------------------------------------------------------------------------------
def resolve_path(document: Any, path: str) -> Any:
    """The value at a dotted path ("data.replies", "results.0.text", "items[0]"; "$" or "" is the root).

    Raises KeyError naming the part that is missing.
    """
    path = _INDEX.sub(r".\1", path.strip())
    if path.startswith("$"):
        path = path[1:]
    value = document
    for part in (p for p in path.split(".") if p):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.lstrip("-").isdigit() and -len(value) <= int(part) < len(value):
            value = value[int(part)]
        else:
            raise KeyError(part)
    return value


def fill_template(template: Any, values: dict[str, str]) -> Any:
    """A copy of a JSON template with "{name}" replaced by values in every string, keys included."""
    def fill(node: Any) -> Any:
        if isinstance(node, str):
            for name, value in values.items():
                node = node.replace("{" + name + "}", value)
            return node
        if isinstance(node, dict):
            return {fill(k): fill(v) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v) for v in node]
        return node

    return fill(copy.deepcopy(template))


