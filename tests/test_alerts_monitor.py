"""A monitor that alerts when it should, once (issue 12), shown with real receivers on loopback.

A tiny chat journey runs against a small Rasa-style bot on 127.0.0.1 (no browser): the bot's reply decides
the index. Webhooks are real HTTP servers in threads; apprise's json:// and mailto:// reach a loopback HTTP
server and simsuite's aiosmtpd mailbox. Nothing is mocked except the wait between delivery attempts.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from simsuite.alerts import notify
from simsuite.app import EXIT_COULD_NOT_RUN, AlertConfig, RunConfig, TargetConfig, run
from simsuite.history import History

BAD = "Rescheduling is only possible by phone. Please call us on 0800 555 0100."
GOOD = "Done: your appointment is moved to Tuesday at 9:00."
JOURNEY = '''from simsuite import journey


@journey
def move_appointment_by_chat(customer):
    """Ask the chat to move an appointment; take its word for the outcome."""
    chat = customer.chat.connect("/")
    chat.send("I need to move my appointment to another day.")
    words = chat.last_text
    chat.end()
    if "moved" in words:
        return customer.resolved(words)
    customer.gave_up(words or "The chat said nothing.")
'''
SCENARIO = """name: chat-move
goal: Move the appointment to another day.
persona:
  count: 2
  channels: [chat]
journeys: [move_appointment_by_chat]
"""


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A real HTTP server on 127.0.0.1 in a thread: a Rasa REST bot answering `reply`, and a receiver that keeps
    every body POSTed anywhere else (answering `status`)."""

    def __init__(self, reply: str = BAD, status: int = 200) -> None:
        self.reply, self.status = reply, status
        self.bodies: list[tuple[str, dict]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                if self.path.rstrip("/").endswith("webhooks/rest/webhook"):
                    data, code = json.dumps([{"recipient_id": body.get("sender"), "text": outer.reply}]).encode(), 200
                else:
                    outer.bodies.append((self.path, body))
                    data, code = b"{}", outer.status
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posted(self, prefix: str) -> list[dict]:
        return [body for path, body in self.bodies if path.startswith(prefix)]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "journeys").mkdir()
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "journeys" / "chat_move.py").write_text(JOURNEY, encoding="utf-8")
    (tmp_path / "scenarios" / "chat_move.yaml").write_text(SCENARIO, encoding="utf-8")
    return tmp_path


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(notify, "BACKOFF", (0.05, 0.05))  # the waits between attempts, not what is claimed


def run_against(project: Path, base_url: str, out: str, *, max_index: float | None = 60, **alerts) -> tuple:
    lines: list[str] = []
    config = RunConfig(target=TargetConfig(base_url=base_url, mode="staging"), out=project / out,
                       scenarios=project / "scenarios", journeys=(project / "journeys",), only_given=True,
                       history=str(project / "history.sqlite"), alerts=AlertConfig(max_index=max_index, **alerts),
                       fail_over_budget=False)
    report = run(config, log=lines.append)
    assert json.loads((project / out / "results.json").read_text())["history"] == \
        json.loads(json.dumps(report.doc["history"], default=str))  # what the report renders is what was kept
    return report, lines


def kinds(alerts) -> list[tuple[str, str | None]]:
    return [(a["kind"], a.get("closes")) for a in alerts]


# ---------------------------------------------------------------- what must show


def test_a_first_run_over_the_limit_alerts_and_the_alert_is_delivered(project, server):
    report, lines = run_against(project, server.url, "first", webhook=f"{server.url}/hook")
    assert report.doc["history"]["previous"] is None and report.doc["history"]["comparison"] is None
    assert kinds(report.doc["history"]["alerts"]) == [("over_max", None)]
    [body] = server.posted("/hook")
    assert [a["kind"] for a in body["alerts"]] == ["over_max"] and body["alerts"][0]["after"] > 60
    assert "Please call us" in body["alerts"][0]["evidence"]
    assert body["report"] == str((project / "first" / "report.html").resolve())  # absolute, not relative
    [delivery] = report.doc["history"]["deliveries"]
    assert delivery["ok"] and delivery["attempts"] == 1 and delivery["to"] == f"http://127.0.0.1:{server.port}"
    said = f"simsuite: alert delivery to http://127.0.0.1:{server.port}: delivered after 1 attempt (HTTP 200)"
    assert said in lines
    with History(project / "history.sqlite") as store:
        assert [d["ok"] for d in store.deliveries()] == [True]
        assert [a["kind"] for a in store.alerts()] == ["over_max"]


def test_an_outage_alerts_once_is_not_scored_and_recovery_sends_only_what_changed(project, server):
    hook = f"{server.url}/hook"
    first, _ = run_against(project, server.url, "r1", webhook=hook)
    assert kinds(first.doc["history"]["alerts"]) == [("over_max", None)]

    down, lines = run_against(project, f"http://127.0.0.1:{closed_port()}", "r2", webhook=hook)
    assert down.exit_code == EXIT_COULD_NOT_RUN == 3
    hist = down.doc["history"]
    assert hist["run_id"] is None and hist["judged"] is False and hist["comparison"] is None
    [alert] = hist["alerts"]
    assert alert["kind"] == "could_not_run" and alert["errors"] == alert["journeys"] == 2
    assert "could not be reached" in alert["evidence"] and "could not be reached" in alert["message"]
    assert "not kept in the history as a scored run: no journey could run" in "\n".join(lines)
    posted = server.posted("/hook")
    assert len(posted) == 2 and [a["kind"] for a in posted[1]["alerts"]] == ["could_not_run"]
    assert hist["deliveries"][0]["ok"] is True
    with History(project / "history.sqlite") as store:
        assert [r["id"] for r in store.runs()] == [first.doc["history"]["run_id"]]  # no scored row for the outage
        kept = store.alerts()
        assert kept[0]["kind"] == "could_not_run" and kept[0]["run_id"] is None
        assert len(store.deliveries()) == 2

    # the target is back, still over the limit: compared with the last judged run, not the outage
    again, _ = run_against(project, server.url, "r3", webhook=hook)
    hist = again.doc["history"]
    assert hist["previous"]["id"] == first.doc["history"]["run_id"]
    assert kinds(hist["alerts"]) == [("over_max", None), ("back_to_normal", "could_not_run")]
    assert hist["alerts"][0]["repeat"] is True and hist["alerts"][0]["since"]
    assert len(server.posted("/hook")) == 3
    assert [a["kind"] for a in server.posted("/hook")[2]["alerts"]] == ["over_max", "back_to_normal"]

    # the bot is fixed: the limit alert is closed, once
    server.reply = GOOD
    fixed, _ = run_against(project, server.url, "r4", webhook=hook)
    [closing] = fixed.doc["history"]["alerts"]
    assert (closing["kind"], closing["closes"], closing["scenario"], closing["mode"]) == \
        ("back_to_normal", "over_max", "chat-move", "staging")
    assert closing["after"] < 60 and "within the limit of 60" in closing["message"]
    assert fixed.doc["history"]["open_alerts"] == []
    quiet, _ = run_against(project, server.url, "r5", webhook=hook)
    assert quiet.doc["history"]["alerts"] == [] and quiet.doc["history"]["deliveries"] == []
    assert len(server.posted("/hook")) == 4  # nothing new to say, nothing sent


def test_a_failed_delivery_is_retried_and_recorded_as_not_ok(project, server):
    broken = Server(status=500)
    try:
        report, lines = run_against(project, server.url, "out", webhook=f"{broken.url}/hook",
                                    to=(f"json://127.0.0.1:{closed_port()}/hook",))
    finally:
        broken.close()
    assert len(broken.posted("/hook")) == 3  # three attempts reached the receiver
    webhook, apprise_json = report.doc["history"]["deliveries"]
    assert (webhook["ok"], webhook["attempts"]) == (False, 3) and "HTTP 500" in webhook["detail"]
    assert (apprise_json["ok"], apprise_json["attempts"]) == (False, 3) and apprise_json["to"].startswith("json://")
    assert set(webhook) == {"to", "ok", "attempts", "detail", "at"}
    on_disk = json.loads((project / "out" / "results.json").read_text())["history"]["deliveries"]
    assert [(d["ok"], d["attempts"]) for d in on_disk] == [(False, 3), (False, 3)]
    with History(project / "history.sqlite") as store:
        assert [(d["ok"], d["attempts"]) for d in store.deliveries()] in ([(False, 3)] * 2,)
    assert sum("NOT delivered after 3 attempts" in line for line in lines) == 2


def test_apprise_json_reaches_the_receiver_with_an_absolute_link_and_no_secret_is_kept(project, server):
    secret_path, password = "T0PS3CR3T-hook-token", "hunter2-s3cret"
    to = f"json://alerts:{password}@127.0.0.1:{server.port}/{secret_path}"
    report, lines = run_against(project, server.url, "out", to=(to,), report_url="https://reports.example.com/weekly/")
    [got] = server.posted(f"/{secret_path}")
    assert "simsuite" in got["title"] and "over the limit" not in got["title"]
    assert "https://reports.example.com/weekly/report.html" in got["message"]
    assert "chat-move (staging)" in got["message"]
    [delivery] = report.doc["history"]["deliveries"]
    assert delivery == {**delivery, "to": f"json://127.0.0.1:{server.port}", "ok": True, "attempts": 1}
    kept = (project / "out" / "results.json").read_text() + "\n".join(lines)
    db = sqlite3.connect(project / "history.sqlite")
    kept += json.dumps([db.execute(f"SELECT * FROM {t}").fetchall()
                        for t in ("runs", "alerts", "deliveries", "open_alerts")], default=str)
    db.close()
    assert secret_path not in kept and password not in kept and "alerts:" not in kept


def test_email_through_apprise_reaches_a_loopback_mailbox(project, server):
    from simsuite.mailbox import MailServer

    with MailServer() as mail:
        to = f"mailto://127.0.0.1:{mail.port}?to=cx-team@example.com&from=simsuite@example.com"
        report, _ = run_against(project, server.url, "out", to=(to,), report_url="https://reports.example.com/w.html")
        message = mail.wait_for("cx-team@example.com", lambda m: "simsuite" in m.subject, timeout_s=10)
        port = mail.port
    assert "https://reports.example.com/w.html" in message.text and "over_max" not in message.subject
    assert "above the limit of 60" in message.text
    assert report.doc["history"]["deliveries"][0]["ok"] is True
    assert report.doc["history"]["deliveries"][0]["to"] == f"mailto://127.0.0.1:{port}"


def test_the_command_line_exits_3_for_a_target_that_is_down_and_delivers_one_alert(simsuite_cli, project, server):
    history = project / "history.sqlite"
    done = simsuite_cli("run", str(project / "journeys"), "--base-url", f"http://127.0.0.1:{closed_port()}",
                        "--out", str(project / "out"), "--history", str(history),
                        "--alert-webhook", f"{server.url}/hook",
                        "--alert-to", f"json://127.0.0.1:{server.port}/apprise",
                        "--report-url", "https://reports.example.com/monitor")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    [body] = server.posted("/hook")
    assert [a["kind"] for a in body["alerts"]] == ["could_not_run"]
    assert body["report"] == "https://reports.example.com/monitor/report.html"
    [note] = server.posted("/apprise")
    assert "No journey could run" in note["message"] and "could not be reached" in note["message"]
    assert note["message"].endswith("Report: https://reports.example.com/monitor/report.html")
    assert done.stdout.count("simsuite: alert delivery to ") == 2
    with History(history) as store:
        assert store.runs() == [] and [a["kind"] for a in store.alerts()] == ["could_not_run"]
        assert [d["ok"] for d in store.deliveries()] == [True, True]


def test_a_scheduled_run_that_could_not_run_exits_3_and_alerts(project, server, monkeypatch):
    from simsuite.schedule import load_suite_config, run_once, run_scheduled

    monkeypatch.setenv("ALERT_URL", f"json://127.0.0.1:{server.port}/scheduled")
    suite = project / "suite.yaml"
    suite.write_text(f"""cron: "0 6 * * 1"
target: {{base_url: "http://127.0.0.1:{closed_port()}", mode: staging}}
scenarios: {project / "scenarios"}
journeys: {project / "journeys"}
out: {project / "scheduled"}
history: {project / "history.sqlite"}
alert:
  webhook: {server.url}/hook
  to: ["${{ALERT_URL}}", "${{NOT_SET_ANYWHERE}}"]
  max_index: 60
""", encoding="utf-8")
    config = load_suite_config(suite)
    assert config.alert_to == (f"json://127.0.0.1:{server.port}/scheduled",)
    assert config.alert_to_unset == ("NOT_SET_ANYWHERE",)
    lines: list[str] = []
    code = run_scheduled(config, run_once, max_runs=1, immediately=True, log=lines.append)
    assert code == 3
    assert [a["kind"] for a in server.posted("/hook")[0]["alerts"]] == ["could_not_run"]
    assert len(server.posted("/scheduled")) == 1
    assert "1 alert(s) delivered to 2 of 2 destination(s)" in lines[-1]
