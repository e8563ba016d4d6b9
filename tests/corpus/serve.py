"""Serve one corpus IVR case on a loopback port: `with serve_case(path) as base_url: ...`.

Each case directory holds `app.py` (with `make_app()` returning a WSGI or ASGI callable) and
`case.yaml` (whose `interface` says which). WSGI apps, Django's handler included, are served by
werkzeug's `make_server`; ASGI apps by uvicorn with a clean shutdown. Both listen on 127.0.0.1, port 0.

Django keeps one settings object per process, so a Django case is served from a child process of its
own (the same code, run as `python serve.py CASE_DIR`); every other case runs in a background thread of
this process. Pass `isolate=True` or `False` to choose for any case.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
IVR_DIR = HERE / "ivr"
FLOW_DIR = HERE / "flows"
HOST = "127.0.0.1"


def cases() -> list[Path]:
    """Every IVR case directory (one with an app.py and a case.yaml), sorted by name."""
    return sorted(p for p in IVR_DIR.iterdir() if (p / "app.py").is_file() and (p / "case.yaml").is_file())


def load_case(case_dir: str | Path) -> dict[str, Any]:
    """The case's labels (case.yaml) as a dict."""
    return yaml.safe_load((Path(case_dir) / "case.yaml").read_text(encoding="utf-8"))


def load_app(case_dir: str | Path) -> Any:
    """Import the case's app.py under a name of its own and return make_app()."""
    case_dir = Path(case_dir).resolve()
    name = "corpus_case_" + case_dir.name.replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, case_dir / "app.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {case_dir / 'app.py'}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module.make_app()


@contextlib.contextmanager
def serve_wsgi(app: Any) -> Iterator[str]:
    """Serve a WSGI app on 127.0.0.1 (an ephemeral port) and yield its base URL; stop it on exit."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:   # no access log on stderr
            pass

    server = make_server(HOST, 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def _serve_asgi(app: Any) -> Iterator[str]:
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted connections inherit it (Linux)
    sock.bind((HOST, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="auto", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextlib.contextmanager
def _serve_in_child(case_dir: Path) -> Iterator[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(case_dir)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
    try:
        line = child.stdout.readline().strip() if child.stdout else ""
        if not line.startswith("http://"):
            child.kill()
            _, err = child.communicate(timeout=10)
            raise RuntimeError(f"{case_dir.name} did not start: {line} {err[-2000:]}")
        yield line
    finally:
        if child.poll() is None:
            if child.stdin:
                child.stdin.close()          # the child stops when its stdin closes
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.terminate()
                child.wait(timeout=10)
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()


@contextlib.contextmanager
def serve_case(case_dir: str | Path, *, isolate: bool | None = None) -> Iterator[str]:
    """Serve the case's app on 127.0.0.1 (an ephemeral port) and yield its base URL; stop it on exit."""
    case_dir = Path(case_dir).resolve()
    meta = load_case(case_dir)
    if isolate is None:
        isolate = meta.get("framework") == "django"
    if isolate:
        with _serve_in_child(case_dir) as url:
            yield url
        return
    app = load_app(case_dir)
    serve = _serve_asgi if meta.get("interface") == "asgi" else serve_wsgi
    with serve(app) as url:
        yield url


def _main(argv: list[str]) -> int:
    """Child-process mode: serve one case in this process, print its URL, stop when stdin closes."""
    if len(argv) != 1:
        print("usage: python serve.py CASE_DIR", file=sys.stderr)
        return 2
    with serve_case(argv[0], isolate=False) as url:
        print(url, flush=True)
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
