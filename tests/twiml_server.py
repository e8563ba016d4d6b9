"""A tiny real IVR for tests: serves canned TwiML by path on 127.0.0.1 and logs every request."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Union
from urllib.parse import parse_qs, urlsplit

XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'


def twiml(*verbs: str) -> str:
    """A TwiML document: the verbs inside <Response>."""
    return f"{XML_HEAD}<Response>{''.join(verbs)}</Response>"


@dataclass
class Request:
    """One request the IVR received."""

    method: str
    path: str
    content_type: str
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, str] = field(default_factory=dict)

    @property
    def params(self) -> dict[str, str]:
        """The Twilio parameters, wherever they travelled (query for GET, form body for POST)."""
        return {**self.query, **self.form}


# A route answers with a body (status 200), a (status, body) pair, a (status, body, headers) triple, or a
# callable of the request that returns one of those.
Answer = Union[str, tuple[int, str], tuple[int, str, dict[str, str]]]
Route = Union[Answer, Callable[[Request], Answer]]


class TwimlServer:
    """ThreadingHTTPServer on an ephemeral loopback port. Register documents with `add(path, ...)`."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.host_port = f"127.0.0.1:{self._httpd.server_address[1]}"
        self.url = f"http://{self.host_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                        daemon=True)

    def add(self, path: str, route: Route) -> "TwimlServer":
        self.routes[path] = route
        return self

    def requests_to(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.log if r.path == path]

    @property
    def paths(self) -> list[str]:
        with self._lock:
            return [r.path for r in self.log]

    def start(self) -> "TwimlServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _answer(self, request: Request) -> tuple[int, str, dict[str, str]]:
        route = self.routes.get(request.path)
        if route is None:
            return 404, "not found", {}
        answer = route(request) if callable(route) else route
        if not isinstance(answer, tuple):
            return 200, answer, {}
        return (answer[0], answer[1], answer[2] if len(answer) > 2 else {})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                single = lambda qs: {k: v[0] for k, v in parse_qs(qs, keep_blank_values=True).items()}  # noqa: E731
                request = Request(self.command, parts.path, self.headers.get("Content-Type", ""),
                                  query=single(parts.query), form=single(body))
                with server._lock:
                    server.log.append(request)
                status, text, headers = server._answer(request)
                data = text.encode("utf-8")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Type" not in headers:
                    self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, format: str, *args) -> None:  # keep test output quiet
                pass

        return Handler
