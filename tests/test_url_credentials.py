"""Credentials in a target URL are used to sign in (HTTP basic authentication) and are never written down."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from simsuite.cli import main
from simsuite.targets import TargetConfig

pytestmark = pytest.mark.e2e
USER, PASSWORD = "qa-bot", "Wh1sper-Quietly-42"
JOURNEY = '''from simsuite import journey


@journey
def signed_in(customer):
    web = customer.web.goto("/")
    call = customer.phone.call("/voice")
    if "Welcome, staff" in web.text and any("staff line" in s.text for s in customer.journal.steps):
        customer.resolved("the site and the IVR both let the customer in")
'''


class Handler(BaseHTTPRequestHandler):
    expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    seen: list[str] = []

    def _answer(self) -> None:
        self.seen.append(self.headers.get("Authorization") or "")
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="staging"')
            self.end_headers()
            return
        if self.path.startswith("/voice"):
            body, kind = b"<Response><Say>You reached the staff line.</Say><Hangup/></Response>", "text/xml"
        else:
            body, kind = b"<!doctype html><title>Staging</title><main><h1>Welcome, staff</h1></main>", "text/html"
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


def test_credentials_are_taken_out_of_the_url():
    target = TargetConfig(base_url=f"https://{USER}:{PASSWORD}@staging.example.com/app/",
                          phone_url="https://ivr.example.com/")
    assert target.base_url == "https://staging.example.com/app/" and target.basic_auth == (USER, PASSWORD)
    assert PASSWORD not in repr(target) and PASSWORD not in target.label


def test_a_site_behind_basic_auth_is_signed_in_to_and_the_password_is_never_written(tmp_path, capsys):
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "signed_in.py").write_text(JOURNEY, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out, history = tmp_path / "out", tmp_path / "history.sqlite"
    try:
        code = main(["run", str(tmp_path / "journeys"), "--base-url",
                     f"http://{USER}:{PASSWORD}@127.0.0.1:{server.server_port}", "--out", str(out),
                     "--history", str(history), "--pdf"])
    finally:
        server.shutdown()
    printed = capsys.readouterr()
    doc = json.loads((out / "results.json").read_text())
    assert code == 0, printed.out + printed.err
    assert doc["journeys"][0]["outcome"] == "resolved", doc["journeys"][0].get("outcome_detail")
    assert Handler.expected in Handler.seen  # the browser and the phone line sent the credentials
    for path in [*out.rglob("*"), *tmp_path.glob("history.sqlite*")]:
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    assert PASSWORD not in printed.out + printed.err
