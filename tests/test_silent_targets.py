"""A line that takes the connection and never answers could not run; one that answered and then fails is friction."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from simsuite import RunConfig, TargetConfig, run
from simsuite.channels.chat import conversation
from simsuite.channels.phone import leg
from simsuite.cli import main

JOURNEYS = '''from simsuite import journey


@journey
def calls(customer):
    call = customer.phone.call("/voice")
    if call.listening:
        call.press("1")
    if call.listening:
        customer.resolved("the IVR took the choice")


@journey
def chats(customer):
    chat = customer.chat.connect("/")
    chat.send("hello")
    chat.send("my order")
    customer.resolved("the bot answered")
'''
MENU = (b'<?xml version="1.0"?><Response><Gather numDigits="1" action="/next"><Say>For orders, press 1.</Say>'
        b'</Gather></Response>')
REPLY = b'[{"recipient_id": "x", "text": "Hello, how can I help?"}]'


class Server:
    """A loopback server: `silent` takes connections and never answers; `drip` sends a byte a second;
    `once` answers the first request well and never answers again."""

    def __init__(self, behaviour: str) -> None:
        self.behaviour, self.requests = behaviour, 0
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(20)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        request = conn.recv(65536)
        self.requests += 1
        self.held.append(conn)
        if self.behaviour == "silent" or (self.behaviour == "once" and self.requests > 1):
            return
        body = REPLY if b"/webhooks/" in request.split(b"\r\n")[0] else MENU
        answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        try:
            if self.behaviour == "drip":
                for byte in answer:
                    conn.sendall(bytes([byte]))
                    time.sleep(1)
            else:
                conn.sendall(answer)
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


@pytest.fixture
def short_deadline(monkeypatch):
    monkeypatch.setattr(leg, "REQUEST_DEADLINE_S", 2.0)
    monkeypatch.setattr(conversation, "REQUEST_DEADLINE_S", 2.0)


def _run(tmp_path, url):
    (tmp_path / "journeys").mkdir(exist_ok=True)
    (tmp_path / "journeys" / "lines.py").write_text(JOURNEYS, encoding="utf-8")
    config = RunConfig(target=TargetConfig(base_url=url), out=tmp_path / "out", journeys=(tmp_path / "journeys",),
                       only_given=True, explore=False, keep_history=False)
    return run(config, log=lambda _: None)


@pytest.mark.parametrize("behaviour", ["silent", "drip"])
def test_a_line_that_never_answers_could_not_run(tmp_path, short_deadline, behaviour):
    server = Server(behaviour)
    try:
        began = time.monotonic()
        report = _run(tmp_path, server.url)
    finally:
        server.close()
    assert report.exit_code == 3 and time.monotonic() - began < 30
    for j in report.doc["journeys"]:
        assert j["outcome"] == "error" and j["index"] is None and j["frictions"] == []
        assert "never answered" in j["error"] and "Fix:" in j["error"], j["error"]


def test_a_line_that_answered_and_then_went_silent_is_the_company_s_friction(tmp_path, short_deadline):
    server = Server("once")
    try:
        report = _run(tmp_path, server.url)
    finally:
        server.close()
    call = next(j for j in report.doc["journeys"] if j["journey"] == "calls")
    assert call["outcome"] != "error" and call["index"] > 0, call.get("error")
    assert any(s["action"] == "http_error" and "no answer" in s["detail"] for s in call["steps"])


def test_explore_phone_against_a_silent_line_exits_3(tmp_path, short_deadline, capsys):
    server = Server("silent")
    try:
        code = main(["explore", "phone", "--phone-url", server.url, "--entry", "/voice", "--out", str(tmp_path)])
    finally:
        server.close()
    assert code == 3
    assert "never answered" in capsys.readouterr().err
