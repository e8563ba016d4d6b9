"""Browsers that run elsewhere: a Playwright server (`playwright run-server`) and a Chromium's DevTools
endpoint, both started on loopback by the tests; the run still touches only its target's hosts."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from simsuite import RunConfig, TargetConfig, run
from simsuite.browser import find_browser
from simsuite.cli import main

pytestmark = pytest.mark.e2e

JOURNEY = '''
from simsuite import journey


@journey
def look_around(customer):
    web = customer.web
    web.goto("/")
    if web.has_text("hello"):
        return customer.resolved(web.sentence_with("hello"))
    customer.gave_up("no greeting")
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(body):
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body().encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, hits


@pytest.fixture(scope="module")
def sites():
    other, other_hits = _serve(lambda: "secret")
    port = other.server_port
    target, target_hits = _serve(lambda: f'<img src="http://127.0.0.1:{port}/leak.png">'
                                         f'<script src="http://localhost:{port}/leak.js"></script><p>hello there.</p>')
    yield f"http://127.0.0.1:{target.server_port}", target_hits, other_hits
    other.shutdown()
    target.shutdown()


def _wait_for_port(port: int, proc: subprocess.Popen, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the browser server stopped: {proc.stdout.read() if proc.stdout else ''}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listened on {port} within {seconds} s")


@pytest.fixture(scope="module")
def playwright_server():
    """`playwright run-server` from the playwright package, on loopback; --unsafe lets simsuite tell it which
    Chromium to launch (Playwright cannot download its own here)."""
    port = _free_port()
    cli = Path(sys.executable).with_name("playwright")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "playwright"]
    proc = subprocess.Popen([*command, "run-server", "--port", str(port), "--host", "127.0.0.1", "--unsafe"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _wait_for_port(port, proc)
    yield f"ws://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def devtools_chromium(tmp_path_factory):
    spec = find_browser()
    executable = spec.executable_path or shutil.which("chromium")
    if not executable:
        pytest.skip("no Chromium executable to start with --remote-debugging-port")
    port = _free_port()
    proc = subprocess.Popen([executable, "--headless", *spec.args, f"--remote-debugging-port={port}",
                             "--remote-debugging-address=127.0.0.1",
                             f"--user-data-dir={tmp_path_factory.mktemp('cdp-profile')}", "about:blank"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _wait_for_port(port, proc)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def _run(tmp_path: Path, base_url: str, **remote) -> dict:
    journeys = tmp_path / "journeys"
    journeys.mkdir(exist_ok=True)
    (journeys / "look.py").write_text(JOURNEY)
    return run(RunConfig(target=TargetConfig(base_url=base_url), out=tmp_path / "out", journeys=(journeys,),
                         only_given=True,
                         keep_history=False, fail_over_budget=False, **remote), log=lambda _: None).doc


@pytest.mark.parametrize("kind", ["browser_endpoint", "cdp_endpoint"])
def test_a_remote_browser_runs_the_journey_and_touches_only_the_target(kind, sites, tmp_path, request):
    base_url, target_hits, other_hits = sites
    endpoint = request.getfixturevalue("playwright_server" if kind == "browser_endpoint" else "devtools_chromium")
    before = len(target_hits)
    doc = _run(tmp_path, base_url, **{kind: endpoint})
    (journey,) = doc["journeys"]
    assert journey["outcome"] == "resolved" and "hello there" in journey["outcome_detail"]
    assert len(target_hits) > before  # the remote browser really fetched the target's page
    assert other_hits == []            # and nothing from any other host


def test_a_browser_that_cannot_be_reached_is_said_before_anything_runs(sites, tmp_path, capsys):
    base_url, target_hits, _ = sites
    before = len(target_hits)
    dead = f"ws://127.0.0.1:{_free_port()}/"
    code = main(["run", "--base-url", base_url, "--browser-endpoint", dead, "--out", str(tmp_path / "o"),
                 "--no-history"])
    err = capsys.readouterr().err
    assert code == 2 and f"could not reach the browser at {dead}" in err and "Fix:" in err
    assert "Traceback" not in err and len(target_hits) == before and not (tmp_path / "o").exists()
    with pytest.raises(SystemExit) as both:  # one or the other, as argparse says
        main(["run", "--base-url", base_url, "--browser-endpoint", dead, "--cdp-endpoint", "http://x:1",
              "--out", str(tmp_path / "o")])
    assert both.value.code == 2 and "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize("option, fixture", [("--sim-browser-endpoint", "playwright_server"),
                                             ("--sim-cdp-endpoint", "devtools_chromium")])
def test_pytest_runs_journeys_on_a_remote_browser(option, fixture, pytester, sites, request):
    base_url, target_hits, other_hits = sites
    endpoint = request.getfixturevalue(fixture)
    pytester.mkdir("journeys")
    (pytester.path / "journeys" / "look.py").write_text(JOURNEY)
    out = pytester.path / "out"
    before = len(target_hits)
    result = pytester.runpytest_subprocess("journeys", "--base-url", base_url, option, endpoint, "--sim-out",
                                           str(out), "--sim-no-history", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    (journey,) = json.loads((out / "results.json").read_text())["journeys"]
    assert journey["outcome"] == "resolved" and len(target_hits) > before and other_hits == []
