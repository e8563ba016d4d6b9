"""How one kind of chat bot is asked and how its answer is read: Rasa REST, or any HTTP/JSON bot."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from .config import ChatConfig, fill_template, resolve_path

MAX_REPLIES_PER_TURN = 50
TEXT_LIMIT = 4000
_MISSING = object()


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


def _clean(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:TEXT_LIMIT]


def _get(item: dict[str, Any], path: str) -> Any:
    try:
        return resolve_path(item, path)
    except KeyError:
        return _MISSING


class Adapter:
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


class _RasaAdapter(Adapter):
    def request(self, sender: str, message: str) -> dict[str, Any]:
        return {"method": "POST", "json": {"sender": sender, "message": message}}

    def replies(self, document: Any) -> list[Reply]:
        if not isinstance(document, list):
            raise BadReply(f"the Rasa webhook answered {type(document).__name__}, not a list of messages")
        return [self._reply(item, "text", "buttons", "title", "payload") for item in document]


class _HttpJsonAdapter(Adapter):
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


def make_adapter(config: ChatConfig) -> Adapter:
    return _RasaAdapter(config) if config.adapter == "rasa" else _HttpJsonAdapter(config)


