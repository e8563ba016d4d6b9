"""Run the demo app on a loopback port in a background thread."""

from __future__ import annotations

import threading
from types import TracebackType

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import create_app


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class DemoServer:
    """The demo companies served over HTTP on a loopback port (0 picks a free one).

    Use it as a context manager: `with DemoServer("recovered") as server: httpx.get(server.url + "/lab/")`.
    `mail_relay` is the (host, port) of the SMTP relay the companies send mail through (None: no mail).
    """

    def __init__(self, mode: str = "as-is", host: str = "127.0.0.1", port: int = 0,
                 mail_relay: tuple[str, int] | None = None) -> None:
        self.mode, self.host, self.port = mode, host, port
        self.mail_relay = mail_relay
        self.app = create_app(mode, mail_relay=mail_relay)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. "http://127.0.0.1:53121"."""
        if self._server is None:
            raise RuntimeError("DemoServer is not running: call start() or use it in a `with` block")
        host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self._server.server_port}"

    def start(self) -> DemoServer:
        """Bind the port and serve in a daemon thread; returns self."""
        if self._server is not None:
            raise RuntimeError("DemoServer is already running")
        self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=_QuietHandler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"simsuite-demo-{self.mode}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down and release the port; safe to call twice."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "stopped"
        return f"DemoServer(mode={self.mode!r}, {where})"
