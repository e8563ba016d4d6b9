"""A site's words reach the terminal without escape sequences; an explorer's run says how many maps, not 0 journeys."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from simsuite.cli import main
from simsuite.report.summary import format_summary
from simsuite.terminal import terminal_safe

HOSTILE = "Please visit our website\x1b]0;pwned\x07\x1b[2J\x1b[31m now\x9b1m\r\x00."


def test_escape_sequences_and_control_characters_are_removed_new_lines_kept():
    assert terminal_safe(HOSTILE) == "Please visit our website now1m."
    assert terminal_safe("line one\n\tline two") == "line one\n\tline two"
    assert terminal_safe("Café – 10 €") == "Café – 10 €"


def test_an_ivr_that_sends_escape_sequences_cannot_reach_the_terminal(tmp_path, capsys):
    twiml = ('<?xml version="1.0"?><Response><Say>' + HOSTILE.replace("\x00", "") + "</Say><Hangup/></Response>")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = twiml.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code = main(["explore", "phone", "--phone-url", f"http://127.0.0.1:{server.server_port}", "--entry",
                     "/voice", "--out", str(tmp_path)])
    finally:
        server.shutdown()
    out = capsys.readouterr()
    assert code == 0
    assert "\x1b" not in out.out + out.err and "\x07" not in out.out and "\x9b" not in out.out
    assert "Please visit our website" in out.out
    assert out.out.startswith("simsuite: 1 map") and "0 journeys" not in out.out


def test_the_summary_lists_what_to_fix_first():
    doc = {"run": {}, "journeys": [{"id": "a", "scenario": "s", "journey": "j", "mode": None, "outcome": "unresolved",
                                    "index": 65.0, "frictions": [{"kind": "dead_end", "step": 1, "channel": "web",
                                                                  "evidence": "Not online."}], "steps": []}]}
    text = format_summary(doc)
    assert 'Fix these first:\n  1. "Not online." (web site; 1 customer; index -' in text
