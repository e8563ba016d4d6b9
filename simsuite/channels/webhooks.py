"""HTTP for the channels that call a company's webhooks (phone IVRs, chat bots), bounded like a real caller.

- Every request has a total deadline, not only a timeout per read: a server that drips its answer one
  byte a second is cut off when the deadline passes (the client's connections check it on every read).
- An answer is read up to a size limit and no further: a 100 MB answer costs the limit, not 100 MB.
- Redirects (301, 302, 303, 307, 308) are followed as Twilio does (303 becomes a GET; the others keep the
  method and the form), only to hosts the run may touch, at most `max_redirects` times, never in a loop.
"""

from __future__ import annotations

import ssl
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, Callable, Iterator
from urllib.parse import urlencode, urljoin, urlsplit
from weakref import WeakKeyDictionary

import httpcore
import httpx

from ..core.polite import default_gate


REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 10
TIMEOUT_S = 10.0
_deadline: ContextVar[float | None] = ContextVar("simsuite_http_deadline", default=None)


def _remaining(timeout: float | None) -> float | None:
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the total deadline for this request passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write also respects the request's total deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _remaining(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _remaining(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Any = None) -> httpcore.NetworkStream:
        return _DeadlineStream(super().connect_tcp(host, port, _remaining(timeout), local_address, socket_options))


@lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # made once: each one costs tens of milliseconds


class _DeadlineTransport(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__(verify=_ssl_context())
        self._pool = httpcore.ConnectionPool(ssl_context=_ssl_context(), max_connections=20,
                                             max_keepalive_connections=10, keepalive_expiry=5.0,
                                             network_backend=_DeadlineBackend())


def webhook_client(user_agent: str, headers: dict[str, str] | None = None) -> httpx.Client:
    """A client that calls webhooks as simsuite does: no automatic redirects, deadlines enforced."""
    return httpx.Client(transport=_DeadlineTransport(), timeout=httpx.Timeout(TIMEOUT_S), follow_redirects=False,
                        headers={"User-Agent": user_agent, **(headers or {})})


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Requests made inside must finish within `seconds` in all (with a client from `webhook_client`)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


@dataclass
class Answer:
    """What a webhook answered, after any redirects: the status, the final URL, and the body up to the limit."""

    status: int
    url: str
    method: str
    headers: httpx.Headers
    body: bytes
    truncated: bool = False
    redirects: list[tuple[int, str]] = field(default_factory=list)  # (status, location) of each hop followed
    problem: str | None = None  # a redirect loop or too many redirects: nothing usable came back

    @property
    def text(self) -> str:
        """The body as text (undecodable bytes replaced)."""
        charset = httpx.Response(self.status, headers=self.headers).charset_encoding
        try:
            return self.body.decode(charset or "utf-8", "replace")
        except LookupError:  # a charset Python does not know
            return self.body.decode("utf-8", "replace")


_answered: "WeakKeyDictionary[httpx.Client, set[str]]" = WeakKeyDictionary()


def has_answered(client: httpx.Client, url: str) -> bool:
    """Whether the host of `url` has ever sent this client an answer (a status line and headers).

    A host that took the connection and never answered is not reachable, not a company being unhelpful:
    the channels make that "could not run" and keep friction for a line that answered and then failed.
    """
    return urlsplit(url).netloc in _answered.get(client, ())


def fetch(client: httpx.Client, method: str, url: str, *, form: dict[str, str] | str | None = None, json: Any = None,
          check_host: Callable[[str, int], None], max_bytes: int, total_seconds: float,
          max_redirects: int = MAX_REDIRECTS) -> Answer:
    """One webhook request: GET sends `form` as the query string, other methods as the body (`form` may
    come already url-encoded).

    `check_host(url, status)` must raise for a redirect to a host the run may not touch. Raises
    httpx.ConnectError (and its kin) when nothing answers, httpx.TimeoutException past the deadline.
    """
    method, hops, seen = method.upper(), [], {(method.upper(), url)}
    default_gate().request(url)  # the host's turn first (politeness), outside this request's deadline
    with deadline(total_seconds):
        while True:
            answer = _one(client, method, url, form, json, max_bytes)
            location = answer.headers.get("location")
            if answer.status not in REDIRECTS or not location or max_redirects == 0:
                answer.redirects = hops
                return answer
            target = urljoin(url, location)
            check_host(target, answer.status)
            hops.append((answer.status, target))
            if answer.status == 303 and method != "GET":
                method, json = "GET", None
            if (method, target) in seen or len(hops) > max_redirects:
                why = "in a loop" if (method, target) in seen else f"more than {max_redirects} times"
                answer.redirects, answer.problem = hops, f"redirected {why} ({' -> '.join(u for _, u in hops)})"
                return answer
            seen.add((method, target))
            url = target


def _check_deadline(request: httpx.Request) -> None:
    deadline_at = _deadline.get()
    if deadline_at is not None and time.monotonic() > deadline_at:
        raise httpx.ReadTimeout("the total deadline for this request passed", request=request)


def _one(client: httpx.Client, method: str, url: str, form: dict[str, str] | str | None, json: Any,
         max_bytes: int) -> Answer:
    encoded = form if isinstance(form, str) else urlencode(form or {})
    if method == "GET":
        target = httpx.URL(url)
        query = "&".join(q for q in (target.query.decode("ascii", "replace"), encoded) if q)
        request = client.build_request("GET", target.copy_with(query=query.encode("ascii")))
    elif json is not None:
        request = client.build_request(method, url, json=json)
    else:
        request = client.build_request(method, url, content=encoded.encode("ascii"),
                                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    response = client.send(request, stream=True)
    _answered.setdefault(client, set()).add(urlsplit(url).netloc)
    body, truncated = bytearray(), False
    try:
        for chunk in response.iter_bytes():
            _check_deadline(request)
            body.extend(chunk)
            if len(body) > max_bytes:
                truncated = True
                del body[max_bytes:]
                break
    finally:
        response.close()
    return Answer(response.status_code, url, method, response.headers, bytes(body), truncated)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.lines: list[str] = []
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("script", "style")
        self._in_title = self._in_title or tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style") and self._skip > 0
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data: str) -> None:
        words = " ".join(data.split())
        if words and not self._skip:
            (self.title if self._in_title else self.lines).append(words)


def plain_text(body: str, limit: int = 200) -> str:
    """What a person reads first on a page a server sent: its title, else its first line of text.

    HTML is reduced to its words (tags dropped, entities decoded); other text is taken as it is.
    """
    if "<" in body and ">" in body:
        parser = _Text()
        try:
            parser.feed(body[:200_000])
            parser.close()
        except Exception:  # a page too broken to parse: fall back to its raw first line
            parser.lines = [body]
        text = " ".join(parser.title) or next(iter(parser.lines), "")
    else:
        text = next((line.strip() for line in body.splitlines() if line.strip()), "")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"
