"""A real SMTP server on loopback that receives the mail a company sends to synthetic customers.

`MailServer` runs aiosmtpd in a background thread. Point the company's (staging) mail relay at
`server.host:server.port`; every message it accepts is parsed with the standard library's `email`
package and filed under each envelope recipient (lower-case). Journeys read mail through
`simsuite.channels.email.EmailChannel`, which waits on the server in real time, boundedly.

    with MailServer() as mail:
        smtplib.SMTP(mail.host, mail.port).sendmail("a@b.example", ["c@d.example"], raw)
        message = mail.wait_for("c@d.example", lambda m: "Booking" in m.subject, timeout_s=5)
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from html.parser import HTMLParser
from types import TracebackType
from typing import Any, Callable

from aiosmtpd.controller import Controller

MAX_MESSAGE_BYTES = 1_000_000
MAX_MESSAGES = 10_000
MAX_RECIPIENTS = 100
_URL = re.compile(r"https?://[^\s<>\"'\]\[)(]+", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "section", "article", "header", "footer", "hr", "pre", "title"})
_HIDDEN_TAGS = frozenset({"script", "style", "head", "template", "noscript"})


@dataclass
class Message:
    """One message the server received, parsed.

    `text` is the text/plain part, or the text of the text/html part with its tags stripped. `links`
    are (link text, href) pairs from the HTML's `<a>` tags, else the URLs found in the text.
    `index` is the order of arrival at the server (0, 1, 2, ...).
    """

    sender: str
    to: str
    subject: str
    text: str
    html: str | None
    links: list[tuple[str, str]]
    index: int
    recipients: tuple[str, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)


# -- parsing -------------------------------------------------------------------------------------------
class _HtmlText(HTMLParser):
    """Visible text and `<a>` links of an HTML document; never executes or fetches anything."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._hidden = 0
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "a":
            self._close_link()
            found = dict(attrs)
            href = (found.get("href") or "").strip()
            if href:
                self._link = (href, [found.get("aria-label") or found.get("title") or ""])
        elif tag == "img" and self._link is not None:
            self._link[1].append(dict(attrs).get("alt") or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag == "a":
            self._close_link()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        self.parts.append(data)
        if self._link is not None:
            self._link[1].append(data)

    def _close_link(self) -> None:
        if self._link is not None:
            href, texts = self._link
            label, rest = texts[0], texts[1:]
            text = " ".join(" ".join(rest).split()) or " ".join(label.split()) or href
            self.links.append((text, href))
            self._link = None

    def close(self) -> None:
        super().close()
        self._close_link()

    @property
    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> tuple[str, list[tuple[str, str]]]:
    """The visible text of an HTML document and its (link text, href) pairs, tags stripped safely."""
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; anything it still chokes on leaves what was read so far
        pass
    links = [(text, href) for text, href in parser.links if not href.lower().startswith("javascript:")]
    return parser.text, links


def links_in_text(text: str) -> list[tuple[str, str]]:
    """The http(s) URLs in plain text, each as (url, url), in order, without repeats."""
    seen: list[tuple[str, str]] = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(".,;:!?'\"")
        if (url, url) not in seen:
            seen.append((url, url))
    return seen


def _content(part: Any) -> str:
    """A text part's content as str, surviving unknown or wrong charsets."""
    try:
        content = part.get_content()
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, KeyError, ValueError, AssertionError):
        pass
    payload = part.get_payload(decode=True)
    if isinstance(payload, str):
        return payload
    if not payload:
        return ""
    for charset in (part.get_content_charset(), "utf-8"):
        if not charset:
            continue
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeError):
            continue
    return payload.decode("latin-1")


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header the policy cannot parse: fall back to its raw value
        value = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
    return " ".join(str(value).split()) if value is not None else ""


def parse_message(raw: bytes, *, index: int = 0, mail_from: str = "",
                  recipients: tuple[str, ...] = ()) -> Message:
    """Parse raw RFC 5322 bytes into a `Message` (lenient: odd or malformed mail still gives a Message)."""
    msg: EmailMessage = BytesParser(policy=policy.default).parsebytes(raw)  # type: ignore[assignment]
    plain = html = None
    try:
        body = msg.get_body(preferencelist=("plain",))
        plain = _content(body) if body is not None else None
        body = msg.get_body(preferencelist=("html",))
        html = _content(body).replace("\r\n", "\n") if body is not None else None
    except Exception:
        plain = _content(msg) if msg.get_content_maintype() == "text" else None
    links: list[tuple[str, str]] = []
    if html is not None:
        html_text, links = html_to_text(html)
        text = plain if plain is not None and plain.strip() else html_text
    else:
        text = plain or ""
    text = text.replace("\r\n", "\n").strip()
    if not links:
        links = links_in_text(text)
    return Message(
        sender=_header(msg, "from") or mail_from,
        to=_header(msg, "to") or ", ".join(recipients),
        subject=_header(msg, "subject"),
        text=text,
        html=html,
        links=links,
        index=index,
        recipients=recipients,
        headers={k: " ".join(str(v).split()) for k, v in _safe_items(msg)},
    )


def _safe_items(msg: EmailMessage) -> list[tuple[str, str]]:
    try:
        return list(msg.items())
    except Exception:
        return list(msg.raw_items())


# -- the server ----------------------------------------------------------------------------------------
class _Handler:
    """aiosmtpd handler: refuses what is too big or too much, files the rest with the MailServer."""

    def __init__(self, server: "MailServer") -> None:
        self.server = server

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return "452 4.5.3 Too many recipients"
        if self.server.full:
            return "452 4.3.1 Mailbox storage full"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if len(raw) > self.server.max_bytes:
            return "552 5.3.4 Message too big"
        return self.server._deliver(raw, envelope.mail_from or "", tuple(envelope.rcpt_tos))


class _Controller(Controller):
    """aiosmtpd's Controller, able to bind port 0 (it otherwise pokes the port it was given)."""

    def _trigger_server(self) -> None:
        if self.server is not None and self.port == 0:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class MailServer:
    """A real SMTP server on loopback that stores every message it receives, by recipient.

    `port=0` picks a free port; give a fixed port when a staging system must be configured to relay to
    it. Use as a context manager or call `start()`/`stop()`. Thread-safe: mail arrives on the server's
    thread and readers wait on a condition (`wait_for`), never in a busy loop.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, max_bytes: int = MAX_MESSAGE_BYTES,
                 max_messages: int = MAX_MESSAGES) -> None:
        self._host, self._port = host, port
        self.max_bytes = max_bytes
        self.max_messages = max_messages
        self._cond = threading.Condition()
        self._by_rcpt: dict[str, list[Message]] = {}
        self._count = 0
        self._controller: _Controller | None = None

    # -- life cycle ------------------------------------------------------------------------------------
    def start(self) -> "MailServer":
        """Bind the port and serve in a daemon thread; returns self."""
        if self._controller is not None:
            raise RuntimeError("MailServer is already running")
        controller = _Controller(_Handler(self), hostname=self._host, port=self._port,
                                 data_size_limit=self.max_bytes, ready_timeout=10.0, timeout=30)
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> "MailServer":
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def host(self) -> str:
        """The address the server listens on, e.g. "127.0.0.1"."""
        return self._host

    @property
    def port(self) -> int:
        """The port the server listens on (the one chosen, when started with port 0)."""
        if self._controller is None:
            if self._port:
                return self._port
            raise RuntimeError("MailServer is not running: call start() or use it in a `with` block")
        return self._controller.port

    @property
    def relay(self) -> tuple[str, int]:
        """(host, port): what a company's mail relay setting should point at."""
        return self.host, self.port

    @property
    def full(self) -> bool:
        """Whether the server holds as many messages as it may (further mail is refused, 452)."""
        with self._cond:
            return self._count >= self.max_messages

    # -- storing and reading ---------------------------------------------------------------------------
    def _deliver(self, raw: bytes, mail_from: str, rcpt_tos: tuple[str, ...]) -> str:
        recipients = tuple(dict.fromkeys(r.strip().lower() for r in rcpt_tos if r.strip()))
        if not recipients:
            return "554 5.5.1 No valid recipients"
        with self._cond:
            if self._count >= self.max_messages:
                return "452 4.3.1 Mailbox storage full"
            index = self._count
            self._count += 1
        try:
            message = parse_message(raw, index=index, mail_from=mail_from, recipients=recipients)
        except Exception:  # the stdlib parser is lenient; keep the mail rather than drop it
            text = raw.decode("utf-8", "replace")
            message = Message(sender=mail_from, to=", ".join(recipients), subject="", text=text, html=None,
                              links=links_in_text(text), index=index, recipients=recipients)
        with self._cond:
            for rcpt in recipients:
                self._by_rcpt.setdefault(rcpt, []).append(message)
            self._cond.notify_all()
        return "250 Message accepted for delivery"

    def messages_for(self, address: str) -> list[Message]:
        """Every message received for this address (case-insensitive), in order of arrival."""
        with self._cond:
            return list(self._by_rcpt.get(address.strip().lower(), ()))

    def all_messages(self) -> list[Message]:
        """Every message received, for any recipient, in order of arrival."""
        with self._cond:
            unique = {m.index: m for msgs in self._by_rcpt.values() for m in msgs}
        return [unique[i] for i in sorted(unique)]

    def wait_for(self, address: str, predicate: Callable[[Message], bool] | None = None,
                 timeout_s: float = 5.0) -> Message | None:
        """The first message for `address` that satisfies `predicate`, waiting at most `timeout_s` seconds.

        Returns at once if one is already there; None if none arrives in time.
        """
        key = address.strip().lower()
        deadline = time.monotonic() + max(0.0, float(timeout_s))
        with self._cond:
            while True:
                for message in self._by_rcpt.get(key, ()):
                    if predicate is None or predicate(message):
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)

    def __repr__(self) -> str:
        where = f"{self.host}:{self._controller.port}" if self._controller is not None else "stopped"
        return f"MailServer({where})"
