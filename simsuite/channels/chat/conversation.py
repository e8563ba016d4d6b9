"""A chat with a company's bot: each message the customer sends, each reply the bot gives, as steps."""

from __future__ import annotations

import secrets

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import httpx

from ...errors import ScriptError, SiteUnreachable
from ...model import Action, FrictionKind, Step
from ..conversation import Conversation
from ..webhooks import fetch, has_answered, webhook_client
from .adapters import MAX_REPLIES_PER_TURN, BadReply, Button, Reply, make_adapter
from .config import validate_chat_config

if TYPE_CHECKING:
    from ...core.context import ChannelContext

MAX_BODY_BYTES = 1_000_000
REQUEST_DEADLINE_S = 15.0
MAX_TURNS = 100
TYPING_SECONDS_PER_CHAR = 0.2
READING_WORDS_PER_SECOND = 4.0
BOT_LATENCY_S = 1.0
PRESS_SECONDS = 2.0
DONT_KNOW = "I don't know it"


class ChatConversation(Conversation):
    """One chat with a bot. Made by `ChatChannel.connect`; drive it with send, press, choose, answer, navigate."""

    channel = "chat"
    company = "bot"
    option_noun = "button"

    def __init__(self, owner: "ChatChannel", bot: str) -> None:
        super().__init__(owner.ctx, owner.ctx.journal.new_contact("chat"))
        self.owner = owner
        # unique to this conversation: a long-running bot must not carry on an earlier run's conversation
        self.sender = f"{self.ctx.persona.id}-{self.contact}-{secrets.token_hex(4)}"
        self.bot = bot
        self.url = owner.adapter.endpoint(bot)
        self._active = True
        self.ended_by: str | None = None
        self.turns = 0
        self.last_replies: list[Reply] = []

    # -- what the customer reads ---------------------------------------------------------------
    @property
    def active(self) -> bool:
        """Whether the chat is still open."""
        return self._active

    @property
    def buttons(self) -> list[str]:
        """The titles of the buttons the bot's last replies offer (none once the chat has ended)."""
        return [title for reply in self.last_replies for title in reply.titles] if self.active else []

    @property
    def last_text(self) -> str:
        """Everything the bot wrote in its last replies, as one text."""
        return " ".join(r.text for r in self.last_replies if r.text)

    @property
    def latest(self) -> str:
        """What the bot wrote since the customer last sent something (its last replies)."""
        return self.last_text

    @property
    def options(self) -> dict[str, str]:
        """The buttons offered now, title -> title."""
        return {title: title for title in self.buttons}

    # -- what the customer does ----------------------------------------------------------------
    def send(self, text: str) -> "ChatConversation":
        """Type a message and send it; the bot's replies are in `last_replies` (and recorded as "heard" steps)."""
        text = str(text)
        self._check_active("send", text)
        if self._bounded():
            return self
        self.ctx.clock.advance(2 + len(text) * TYPING_SECONDS_PER_CHAR)
        step = self._record(Action.SAID, text)
        self.journal.note_values_sent(text, step)
        self.transcript.append(("customer", text))
        self._turn(text)
        return self

    def say(self, words: str) -> "ChatConversation":
        """Type words to the bot (the same as `send`)."""
        return self.send(words)

    def press(self, title: str) -> "ChatConversation":
        """Press the offered button with this title (exact, case-insensitive, first; then a part of it)."""
        self._check_active("press", title)
        button = self._find_button(title)
        if button is None:
            offered = "; ".join(self.buttons) or "none"
            raise ScriptError(f"no button {title!r} in the bot's last replies; offered: {offered}. "
                              "Fix: check conversation.buttons, or use choose() to pick by meaning")
        if self._bounded():
            return self
        self.ctx.clock.advance(PRESS_SECONDS)
        step = self._record(Action.PRESSED, button.title, data={"payload": button.payload})
        self.journal.note_values_sent(button.title, step)
        self.transcript.append(("customer", button.title))
        self._turn(button.payload)
        return self

    def end(self) -> None:
        """The customer closes the chat."""
        if self.active:
            self._end("customer", "the customer closed the chat")

    # -- the conversation's hooks ----------------------------------------------------------------
    def _pick(self, key: str) -> None:
        self.press(key)

    def _options_evidence(self) -> tuple[str, int]:
        """The bot's words that offered the buttons, and the buttons."""
        step = self.journal.last_step(self.contact, Action.HEARD)
        words = self.journal.steps[step].text if self.journal.steps[step].action is Action.HEARD else ""
        return f"{words} (buttons: {'; '.join(self.buttons)})".strip(), step

    def _unknown_fact(self, fact: str) -> "ChatConversation":
        return self.send(DONT_KNOW)

    # -- one turn ------------------------------------------------------------------------------
    def _turn(self, message: str) -> None:
        self.turns += 1
        self.last_replies = []
        replies = self._exchange(message)
        if replies is None:
            return
        if len(replies) > MAX_REPLIES_PER_TURN:
            self._record(Action.NOTE, f"the bot sent {len(replies)} replies; the customer read the first "
                                      f"{MAX_REPLIES_PER_TURN}")
            replies = replies[:MAX_REPLIES_PER_TURN]
        self.ctx.clock.advance(BOT_LATENCY_S)
        if not replies:
            self._record(Action.NO_REPLY, "the bot sent no reply")
        for reply in replies:
            self._hear(reply)
        self.last_replies = replies
        if self.ctx.clock.exhausted and self.active:
            self._end("customer", "the customer ran out of patience")

    def _exchange(self, message: str) -> list[Reply] | None:
        """POST one message and read the replies; None if the conversation ended instead."""
        shown = self.ctx.target.relative(self.url)
        kwargs = self.owner.adapter.request(self.sender, message)
        try:
            answer = fetch(self.owner.http, kwargs["method"], self.url, form=kwargs.get("params"),
                           json=kwargs.get("json"), check_host=lambda url, status: None, max_bytes=MAX_BODY_BYTES,
                           total_seconds=REQUEST_DEADLINE_S, max_redirects=0)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise SiteUnreachable(f"the chat bot at {self.url} could not be reached ({exc.__class__.__name__}). "
                                  "Fix: check the chat URL and that the bot is running") from None
        except (httpx.TimeoutException, httpx.HTTPError) as exc:
            if not has_answered(self.owner.http, self.url):  # a bot that never answered: no verdict on the company
                raise SiteUnreachable(f"the chat bot at {self.url} took the connection but never answered "
                                      f"({exc.__class__.__name__}). Fix: check the chat URL and that the bot is "
                                      "running") from None
            return self._no_answer(exc, shown)
        return self._replies(answer, shown)

    def _no_answer(self, exc: Exception, shown: str) -> None:
        """A bot that answered before and now does not: the company's chat failed the customer."""
        if isinstance(exc, httpx.TimeoutException):
            self._record(Action.HTTP_ERROR, f"no answer from {shown} within {REQUEST_DEADLINE_S:g} s")
            self._end("company", f"the chat bot did not answer within {REQUEST_DEADLINE_S:g} s")
            return None
        self._record(Action.HTTP_ERROR, f"{exc.__class__.__name__} from {shown}", str(exc)[:200])
        self._end("company", f"the chat bot did not answer ({exc.__class__.__name__})")
        return None

    def _replies(self, answer: Any, shown: str) -> list[Reply] | None:
        """The bot's replies in an answer; None if the answer ended the conversation instead."""
        body, too_big = answer.body, answer.truncated
        status = answer.status
        preview = body[:200].decode("utf-8", "replace")
        if status >= 400:
            self._record(Action.HTTP_ERROR, f"HTTP {status} from {shown}", preview, status=status)
            self._end("company", f"the chat bot answered HTTP {status}")
            return None
        problem = None
        if too_big:
            problem = f"a reply larger than {MAX_BODY_BYTES // 1_000_000} MB"
        elif not 200 <= status < 300:
            problem = f"HTTP {status} instead of a reply"
        else:
            try:
                return self.owner.adapter.replies(json.loads(body))
            except (ValueError, RecursionError):
                problem = "a reply that is not JSON"
            except BadReply as exc:
                problem = str(exc)
        self._record(Action.BAD_REPLY, f"{problem} from {shown}", preview, status=status)
        self._end("company", "the chat bot answered with something that is not a chat reply")
        return None

    def _hear(self, reply: Reply) -> None:
        words = len(reply.text.split())
        self.ctx.clock.advance(words / READING_WORDS_PER_SECOND)
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
            self.ctx.clock.advance(2)
            detail = f"bot sent an image: {reply.image}"
        else:
            self._record(Action.NOTE, "the bot sent a reply with nothing to read")
            return
        self._record(Action.HEARD, detail, reply.text, data=data)

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
        self.last_replies = []
        step = self._record(Action.BOUNDED, f"stopped after {MAX_TURNS} turns in one chat")
        self.journal.friction(FrictionKind.LOOP, self.last_text or f"{MAX_TURNS} turns without an end",
                              detail=f"the chat went on for {MAX_TURNS} turns; simulator bound reached", step=step)
        self._end("customer", f"the customer gave up after {MAX_TURNS} turns")
        return True

    def _record(self, action: Action, detail: str, text: str = "", **fields: Any) -> Step:
        fields.setdefault("url", self.url)
        return self.journal.record("chat", action, detail, text, contact=self.contact, **fields)

    def _end(self, by: str, detail: str) -> None:
        if not self.active:
            return
        self._active = False
        self.ended_by = by
        self.journal.record_end("chat", self.contact, by, detail, self.last_text, url=self.url)

    def __repr__(self) -> str:
        state = "active" if self.active else f"ended by {self.ended_by}"
        return f"ChatConversation({self.sender!r}, {self.ctx.target.relative(self.url)!r}, {state})"


class ChatChannel:
    """The customer's chat with a company's bot, over the adapter `target.chat_config` names."""

    name = "chat"

    def __init__(self, ctx: "ChannelContext") -> None:
        self.ctx = ctx
        self.config = validate_chat_config(ctx.target.chat_config)
        self.adapter = make_adapter(self.config)
        self.base = ctx.target.chat_url or ctx.target.base_url
        self.http = webhook_client("simsuite-chat/0.2", {**ctx.target.authorization(), **self.config.headers})
        self.conversations: list[ChatConversation] = []

    def connect(self, path: str = "/") -> ChatConversation:
        """Open a conversation with the bot at `path` (relative to the chat URL, else the base URL)."""
        bot = urljoin(self.base.rstrip("/") + "/", path.lstrip("/") if "://" not in path else path)
        self.ctx.target.check_host(bot, "the chat bot is at")
        self.ctx.target.check_host(self.adapter.endpoint(bot), "the chat bot is at")
        conversation = ChatConversation(self, bot)
        conversation._record(Action.OPEN_CHAT, f"opened a chat at {self.ctx.target.relative(bot)}")
        self.conversations.append(conversation)
        return conversation

    def close(self) -> None:
        """End every open conversation and release the HTTP client."""
        for conversation in self.conversations:
            conversation.end()
        self.http.close()
