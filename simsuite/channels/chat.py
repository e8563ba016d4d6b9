"""The chat channel: the customer talks to a company's real chat bot over its HTTP API.

Two adapters, chosen by `target.chat_config["adapter"]`:

- "rasa" (default): Rasa's REST channel, `POST {bot}/webhooks/rest/webhook` with `{"sender", "message"}`,
  answered by a list of `{"recipient_id", "text"?, "buttons"?: [{"title", "payload"}], "image"?}`.
- "http-json": any bot that takes a JSON request and answers JSON. A request template (where "{sender}"
  and "{message}" are replaced) and a dotted path to the list of replies describe it:

      adapter: http-json
      url: /api/messages          # relative to the bot's base URL, or absolute
      method: POST                # POST, PUT, or GET (the template becomes the query string)
      request: {"user": "{sender}", "text": "{message}"}
      replies: data.replies       # "$" or "" for the root; integers index lists: "results.0.messages"
      text: body                  # then the fields of one reply (defaults: text, buttons, title, payload)
      buttons: options
      title: label
      payload: value
      headers: {"Authorization": "Bearer test-token"}

Everything the customer types or presses is a step; each reply is a "heard" step, so the detectors judge
the bot's words. Typing and reading advance the simulated clock. An HTTP error or a reply that is not
what the adapter expects ends the conversation (a dead end); a bot that cannot be reached at all raises
`SiteUnreachable`.

    chat = customer.chat.connect("/lab/chat")
    chat.send("Hi")
    if chat.asked_for:
        chat.answer(chat.asked_for[0])
    chat.choose("tuesday", fallback=("wednesday",))
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import HostNotAllowed, ScriptError, SimsuiteError, SiteUnreachable
from ..model import FrictionKind, Step
from . import register_channel
from .menus import best_option

if TYPE_CHECKING:
    from ..customer import Customer

TIMEOUT_S = 10.0
MAX_BODY_BYTES = 1_000_000
MAX_REPLIES_PER_TURN = 50
MAX_TURNS = 100
TEXT_LIMIT = 4000
TYPING_SECONDS_PER_CHAR = 0.2
READING_WORDS_PER_SECOND = 4.0
BOT_LATENCY_S = 1.0
PRESS_SECONDS = 2.0
DONT_KNOW = "I don't know it"
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
class Button:
    """A quick-reply button a bot offers: what the customer sees and what pressing it sends."""

    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One message from the bot: its text, the buttons it offers, an image URL if it sent one."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    image: str | None = None

    @property
    def titles(self) -> list[str]:
        """The titles of the buttons this reply offers."""
        return [b.title for b in self.buttons]


class BadReply(Exception):
    """The bot answered something the adapter cannot read (internal: becomes a bad_reply step)."""


# -- configuration ------------------------------------------------------------------------------
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
    unknown = sorted(set(config) - _KEYS[adapter])
    if unknown:
        raise ChatConfigError(f"{source}: unknown key {unknown[0]!r} for the {adapter} chat adapter. "
                              f"Fix: use only {', '.join(sorted(_KEYS[adapter]))}")
    for key in ("url", "text", "buttons", "title", "payload"):
        if key in config and (not isinstance(config[key], str) or not config[key].strip()):
            raise ChatConfigError(f"{source}: {key!r} must be a non-empty string, not {config[key]!r}")
    replies = config.get("replies", "$")
    if not isinstance(replies, str):
        raise ChatConfigError(f"{source}: 'replies' must be a dotted path such as 'data.replies' or '$', "
                              f"not {replies!r}")
    method = str(config.get("method", "POST")).upper()
    if method not in _METHODS:
        raise ChatConfigError(f"{source}: method {config.get('method')!r} is not supported. "
                              f"Fix: use one of {', '.join(_METHODS)}")
    headers = config.get("headers") or {}
    if not isinstance(headers, dict) or not all(isinstance(k, str) and isinstance(v, (str, int))
                                                for k, v in headers.items()):
        raise ChatConfigError(f"{source}: 'headers' must be a mapping of header names to strings")
    request = config.get("request")
    if isinstance(request, str):
        try:
            request = json.loads(request)
        except ValueError as exc:
            raise ChatConfigError(f"{source}: 'request' is not valid JSON ({exc}). Fix: give a JSON object "
                                  'such as {"user": "{sender}", "text": "{message}"}') from None
    if adapter == "http-json":
        if not isinstance(request, (dict, list)):
            raise ChatConfigError(f"{source}: 'request' must be a JSON object or list template, not {request!r}")
        if method == "GET" and not (isinstance(request, dict) and
                                    all(isinstance(v, (str, int, float)) for v in request.values())):
            raise ChatConfigError(f"{source}: with method GET, 'request' must be a flat mapping "
                                  "(it becomes the query string)")
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
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{p}:{mark.line + 1}" if mark is not None else str(p)
        raise ChatConfigError(f"{where}: not valid YAML ({getattr(exc, 'problem', None) or exc}). "
                              "Fix: a mapping of chat adapter keys") from None
    if not isinstance(data, dict):
        raise ChatConfigError(f"{p}: must be a mapping of chat adapter keys (adapter, url, request, replies, ...)")
    data.setdefault("adapter", "http-json")
    validate_chat_config(data, str(p))
    return data


# -- JSON helpers -------------------------------------------------------------------------------
_MISSING = object()


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


def _clean(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:TEXT_LIMIT]


def _get(item: dict[str, Any], path: str) -> Any:
    try:
        return resolve_path(item, path)
    except KeyError:
        return _MISSING


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


# -- adapters -----------------------------------------------------------------------------------
class _Adapter:
    """How one kind of bot is asked and how its answer is read."""

    def __init__(self, config: ChatConfig) -> None:
        self.config = config

    def endpoint(self, bot: str) -> str:
        return urljoin(bot.rstrip("/") + "/", self.config.url.lstrip("/") if "://" not in self.config.url
                       else self.config.url)

    def request(self, sender: str, message: str) -> dict[str, Any]:
        raise NotImplementedError

    def replies(self, document: Any) -> list[Reply]:
        raise NotImplementedError

    def _reply(self, item: Any, text_key: str, buttons_key: str, title_key: str, payload_key: str) -> Reply:
        if isinstance(item, str):
            return Reply(text=_clean(item))
        if not isinstance(item, dict):
            raise BadReply(f"a reply is {type(item).__name__}, not an object")
        text = _get(item, text_key)
        if text is _MISSING or text is None:
            text = ""
        if not isinstance(text, str):
            raise BadReply(f"the reply's {text_key!r} is {type(text).__name__}, not text")
        raw_buttons = _get(item, buttons_key)
        if raw_buttons is _MISSING or raw_buttons is None:
            raw_buttons = []
        if not isinstance(raw_buttons, list):
            raise BadReply(f"the reply's {buttons_key!r} is {type(raw_buttons).__name__}, not a list")
        buttons = []
        for raw in raw_buttons[:MAX_REPLIES_PER_TURN]:
            if isinstance(raw, str):
                buttons.append(Button(raw, raw))
                continue
            title = _get(raw, title_key) if isinstance(raw, dict) else _MISSING
            if not isinstance(title, str) or not title.strip():
                raise BadReply(f"a button has no text {title_key!r}")
            payload = _get(raw, payload_key)
            buttons.append(Button(" ".join(title.split()),
                                  title if payload is _MISSING or payload is None else str(payload)))
        image = item.get("image")
        image = image if isinstance(image, str) and image else None
        return Reply(text=_clean(text), buttons=tuple(buttons), image=image)


class _RasaAdapter(_Adapter):
    def request(self, sender: str, message: str) -> dict[str, Any]:
        return {"method": "POST", "json": {"sender": sender, "message": message}}

    def replies(self, document: Any) -> list[Reply]:
        if not isinstance(document, list):
            raise BadReply(f"the Rasa webhook answered {type(document).__name__}, not a list of messages")
        return [self._reply(item, "text", "buttons", "title", "payload") for item in document]


class _HttpJsonAdapter(_Adapter):
    def request(self, sender: str, message: str) -> dict[str, Any]:
        body = fill_template(self.config.request, {"sender": sender, "message": message})
        if self.config.method == "GET":
            return {"method": "GET", "params": body}
        return {"method": self.config.method, "json": body}

    def replies(self, document: Any) -> list[Reply]:
        try:
            found = resolve_path(document, self.config.replies)
        except KeyError as exc:
            raise BadReply(f"no {self.config.replies!r} in the reply (missing {exc.args[0]!r})") from None
        if isinstance(found, (dict, str)):
            found = [found]
        if not isinstance(found, list):
            raise BadReply(f"{self.config.replies!r} is {type(found).__name__}, not a list of messages")
        c = self.config
        return [self._reply(item, c.text, c.buttons, c.title, c.payload) for item in found]


def _adapter(config: ChatConfig) -> _Adapter:
    return _RasaAdapter(config) if config.adapter == "rasa" else _HttpJsonAdapter(config)


# -- the conversation ---------------------------------------------------------------------------
class Conversation:
    """One chat with a bot. Made by `ChatChannel.connect`; drive it with send, press, choose, answer."""

    def __init__(self, channel: "ChatChannel", bot: str) -> None:
        self.channel = channel
        self.customer = channel.customer
        self.contact = self.customer.new_contact("chat")
        self.sender = f"{self.customer.persona.id}-{self.contact}"
        self.bot = bot
        self.url = channel.adapter.endpoint(bot)
        self.active = True
        self.ended_by: str | None = None
        self.turns = 0
        self.transcript: list[tuple[str, str]] = []
        self.last_replies: list[Reply] = []

    # -- what the customer reads ---------------------------------------------------------------
    @property
    def buttons(self) -> list[str]:
        """The titles of the buttons the bot's last replies offer (none once the chat has ended)."""
        return [title for reply in self.last_replies for title in reply.titles] if self.active else []

    @property
    def last_text(self) -> str:
        """Everything the bot wrote in its last replies, as one text."""
        return " ".join(r.text for r in self.last_replies if r.text)

    @property
    def asked_for(self) -> list[str]:
        """Facts the bot's last replies ask for."""
        return [fact for fact, _ in self.customer.phrases.fact_asks_in(self.last_text)]

    def heard_any(self, *phrases: str, whole_chat: bool = True) -> str | None:
        """The first sentence the bot wrote (in this chat, or in its last replies) holding one of the phrases."""
        from ..phrases import first_sentence_with

        text = " ".join(t for who, t in self.transcript if who == "bot") if whole_chat else self.last_text
        return first_sentence_with(text, phrases)

    # -- what the customer does ----------------------------------------------------------------
    def send(self, text: str) -> list[Reply]:
        """Type a message and send it; returns the bot's replies (also recorded as "heard" steps)."""
        text = str(text)
        self._check_active("send", text)
        if self._bounded():
            return []
        self.customer.clock.advance(2 + len(text) * TYPING_SECONDS_PER_CHAR)
        step, _ = self._record("said", text)
        self.customer.note_values_sent(text, step)
        self.transcript.append(("customer", text))
        return self._turn(text)

    def press(self, title: str) -> list[Reply]:
        """Press the offered button with this title (exact, case-insensitive, first; then a part of it)."""
        self._check_active("press", title)
        button = self._find_button(title)
        if button is None:
            offered = "; ".join(self.buttons) or "none"
            raise ScriptError(f"no button {title!r} in the bot's last replies; offered: {offered}. "
                              "Fix: check conversation.buttons, or use choose() to pick by meaning")
        if self._bounded():
            return []
        self.customer.clock.advance(PRESS_SECONDS)
        step, _ = self._record("pressed", button.title, data={"payload": button.payload})
        self.customer.note_values_sent(button.title, step)
        self.transcript.append(("customer", button.title))
        return self._turn(button.payload)

    def choose(self, *wants: str, fallback: tuple[str, ...] = ()) -> str | None:
        """Press the button that fits what the customer wants; returns its title, or None.

        If buttons are offered and none fits, that is a missing option (the offered titles are the
        evidence); then the customer tries the `fallback` descriptions.
        """
        titles = self.buttons
        options = {t: t for t in titles}
        key = best_option(options, wants)
        if key is None and titles:
            missing = self.customer.friction(
                FrictionKind.MISSING_OPTION, "; ".join(titles),
                detail=f"no button for: {', '.join(wants)}; offered: {'; '.join(titles)}",
                step=self.customer.last_step(self.contact, "heard"))
            missing.source = "menu"
            key = best_option(options, fallback)
        if key is not None and self.active:
            self.press(key)
        return key

    def answer(self, fact: str) -> list[Reply]:
        """Give a fact the bot asked for, or say the customer does not know it."""
        return self.send(self.customer.fact(fact) if self.customer.knows(fact) else DONT_KNOW)

    def end(self) -> None:
        """The customer closes the chat."""
        if self.active:
            self._end("customer", "the customer closed the chat")

    # -- one turn ------------------------------------------------------------------------------
    def _turn(self, message: str) -> list[Reply]:
        self.turns += 1
        self.last_replies = []
        replies = self._exchange(message)
        if replies is None:
            return []
        if len(replies) > MAX_REPLIES_PER_TURN:
            self._record("note", f"the bot sent {len(replies)} replies; the customer read the first "
                                 f"{MAX_REPLIES_PER_TURN}")
            replies = replies[:MAX_REPLIES_PER_TURN]
        self.customer.clock.advance(BOT_LATENCY_S)
        if not replies:
            self._record("no_reply", "the bot sent no reply")
        for reply in replies:
            self._hear(reply)
        self.last_replies = replies
        if self.customer.clock.exhausted and self.active:
            self._end("customer", "the customer ran out of patience")
        return replies

    def _exchange(self, message: str) -> list[Reply] | None:
        """POST one message and read the replies; None if the conversation ended instead."""
        shown = self.customer.target.relative(self.url)
        kwargs = self.channel.adapter.request(self.sender, message)
        method = kwargs.pop("method")
        try:
            with self.channel.http.stream(method, self.url, **kwargs) as response:
                body, too_big = bytearray(), False
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > MAX_BODY_BYTES:
                        too_big = True
                        break
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise SiteUnreachable(f"the chat bot at {self.url} could not be reached ({exc.__class__.__name__}). "
                                  "Fix: check the chat URL and that the bot is running") from None
        except httpx.HTTPError as exc:
            self._record("http_error", f"{exc.__class__.__name__} from {shown}", str(exc)[:200])
            self._end("company", f"the chat bot did not answer ({exc.__class__.__name__})")
            return None
        status = response.status_code
        preview = bytes(body[:200]).decode("utf-8", "replace")
        if status >= 400:
            self._record("http_error", f"HTTP {status} from {shown}", preview, status=status)
            self._end("company", f"the chat bot answered HTTP {status}")
            return None
        problem = None
        if too_big:
            problem = f"a reply larger than {MAX_BODY_BYTES // 1_000_000} MB"
        elif not 200 <= status < 300:
            problem = f"HTTP {status} instead of a reply"
        else:
            try:
                return self.channel.adapter.replies(json.loads(bytes(body)))
            except (ValueError, RecursionError):
                problem = "a reply that is not JSON"
            except BadReply as exc:
                problem = str(exc)
        self._record("bad_reply", f"{problem} from {shown}", preview, status=status)
        self._end("company", "the chat bot answered with something that is not a chat reply")
        return None

    def _hear(self, reply: Reply) -> None:
        words = len(reply.text.split())
        self.customer.clock.advance(words / READING_WORDS_PER_SECOND)
        data: dict[str, Any] = {"buttons": reply.titles}
        if reply.image:
            data["image"] = reply.image
        if reply.text:
            extra = [f"buttons: {'; '.join(reply.titles)}"] if reply.buttons else []
            extra += ["an image"] if reply.image else []
            detail = "bot" + (f" ({', '.join(extra)})" if extra else "")
            self.transcript.append(("bot", reply.text))
        elif reply.buttons:
            detail = f"bot offered buttons: {'; '.join(reply.titles)}"
        elif reply.image:
            self.customer.clock.advance(2)
            detail = f"bot sent an image: {reply.image}"
        else:
            self._record("note", "the bot sent a reply with nothing to read")
            return
        self._record("heard", detail, reply.text, data=data)

    # -- bookkeeping ---------------------------------------------------------------------------
    def _find_button(self, title: str) -> Button | None:
        buttons = [b for r in self.last_replies for b in r.buttons]
        want = " ".join(str(title).split()).lower()
        for exact in (True, False):
            for b in buttons:
                if (b.title.lower() == want) if exact else (want and want in b.title.lower()):
                    return b
        return None

    def _check_active(self, action: str, what: str) -> None:
        if not self.active:
            raise ScriptError(f"{action} {what!r} in a chat that has ended; check conversation.active first")

    def _bounded(self) -> bool:
        if self.turns < MAX_TURNS:
            return False
        step, _ = self._record("bounded", f"stopped after {MAX_TURNS} turns in one chat")
        self.customer.friction(FrictionKind.LOOP, self.last_text or f"{MAX_TURNS} turns without an end",
                               detail=f"the chat went on for {MAX_TURNS} turns; simulator bound reached", step=step)
        self._end("customer", f"the customer gave up after {MAX_TURNS} turns")
        return True

    def _record(self, action: str, detail: str, text: str = "", **fields: Any) -> tuple[Step, list]:
        fields.setdefault("url", self.url)
        return self.customer.record("chat", action, detail, text, contact=self.contact, **fields)

    def _end(self, by: str, detail: str) -> None:
        if not self.active:
            return
        self.active = False
        self.ended_by = by
        self.customer.record_end("chat", self.contact, by, detail, self.last_text, url=self.url)

    def __repr__(self) -> str:
        state = "active" if self.active else f"ended by {self.ended_by}"
        return f"Conversation({self.sender!r}, {self.customer.target.relative(self.url)!r}, {state})"


class ChatChannel:
    """The customer's chat with a company's bot, over the adapter `target.chat_config` names."""

    name = "chat"

    def __init__(self, customer: "Customer") -> None:
        self.customer = customer
        self.config = validate_chat_config(customer.target.chat_config)
        self.adapter = _adapter(self.config)
        self.base = customer.target.chat_url or customer.target.base_url
        self.http = httpx.Client(timeout=httpx.Timeout(TIMEOUT_S), follow_redirects=False,
                                 headers={"User-Agent": "simsuite-chat/0.1", **self.config.headers})
        self.conversations: list[Conversation] = []

    def check_host(self, url: str) -> None:
        """Refuse a bot outside the hosts this run may touch."""
        host = urlsplit(url).netloc
        allowed = self.customer.target.allowed_hosts
        if allowed and host not in allowed:
            raise HostNotAllowed(f"the chat bot at {url} is outside the hosts this run may touch "
                                 f"({', '.join(sorted(allowed))})")

    def connect(self, path: str = "/") -> Conversation:
        """Open a conversation with the bot at `path` (relative to the chat URL, else the base URL)."""
        bot = urljoin(self.base.rstrip("/") + "/", path.lstrip("/") if "://" not in path else path)
        self.check_host(bot)
        self.check_host(self.adapter.endpoint(bot))
        conversation = Conversation(self, bot)
        conversation._record("chat", f"opened a chat at {self.customer.target.relative(bot)}")
        self.conversations.append(conversation)
        return conversation

    def close(self) -> None:
        """End every open conversation and release the HTTP client."""
        for conversation in self.conversations:
            conversation.end()
        self.http.close()


register_channel("chat")(ChatChannel)
