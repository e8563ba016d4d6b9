"""History through the real CLI: two runs of the demo, what changed, an alert to a real webhook, PDF."""

from __future__ import annotations

import http.server
import json
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from simsuite.browser import find_browser

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def webhook():
    received: list[dict] = []

    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", received
    server.shutdown()


def test_a_scenario_getting_worse_is_compared_alerted_and_reported(simsuite_cli, tmp_path, webhook):
    url, received = webhook
    history = tmp_path / "history.sqlite"
    common = ["--no-explore", "--history", str(history), "--journeys", str(ROOT / "journeys")]
    # the same scenario, first against the recovered demo, then against the as-is demo: it gets worse
    scenario = ["--scenarios", str(ROOT / "scenarios" / "telecom_fire_outage.yaml")]
    first = simsuite_cli("demo", "--mode", "recovered", "--out", str(tmp_path / "a"), *scenario, *common)
    assert first.returncode == 0, first.stderr
    # relabel: a run of a staging site whose release broke the outage flow
    doc = json.loads((tmp_path / "a" / "results.json").read_text())
    assert doc["history"]["comparison"] is None and doc["history"]["run_id"]
    for j in doc["journeys"]:
        j["mode"] = "as-is"
    from simsuite.history import History

    with History(str(history)) as store:
        store.record(doc, target="demo")
    second = simsuite_cli("demo", "--mode", "as-is", "--out", str(tmp_path / "b"), *scenario, *common,
                          "--alert-webhook", url, "--pdf")
    assert second.returncode == 0, second.stderr
    after = json.loads((tmp_path / "b" / "results.json").read_text())
    comparison = after["history"]["comparison"]
    row = next(r for r in comparison["scenarios"] if r["scenario"] == "telecom-fire-outage")
    assert row["before"] == 0.0 and row["after"] > 60 and row["change"] > 60
    assert any("visit our website" in f["evidence"] for f in comparison["new_frictions"])
    kinds = {a["kind"] for a in after["history"]["alerts"]}
    assert {"index_rise", "new_friction_kind"} <= kinds
    assert received and received[0]["source"] == "simsuite" and received[0]["alerts"]
    assert "telecom-fire-outage" in received[0]["text"]
    pdf = tmp_path / "b" / "report.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    listed = simsuite_cli("history", "--history", str(history))
    assert listed.returncode == 0 and len(listed.stdout.strip().splitlines()) == 3
    compared = simsuite_cli("compare", "previous", "latest", "--history", str(history))
    assert compared.returncode == 0 and "telecom-fire-outage" in compared.stdout
    assert "visit our website" in compared.stdout
    with sync_playwright() as p:
        browser = p.chromium.launch(**find_browser().launch_kwargs())
        page = browser.new_page()
        page.goto((tmp_path / "b" / "report.html").as_uri())
        text = page.inner_text("body")
        assert "visit our website" in text and "telecom-fire-outage" in text
        assert page.locator("svg[role=img]").count() >= 2  # the trend and the journey maps
        browser.close()


def test_schedule_runs_the_configured_suite_and_keeps_history(simsuite_cli, tmp_path):
    config = tmp_path / "suite.yaml"
    config.write_text(
        "cron: '0 6 * * 1'\n"
        "target: {demo: recovered}\n"
        f"scenarios: {ROOT / 'scenarios' / 'telecom_fire_outage.yaml'}\n"
        f"journeys: {ROOT / 'journeys'}\n"
        f"out: {tmp_path / 'out'}\n"
        f"history: {tmp_path / 'history.sqlite'}\n")
    done = simsuite_cli("schedule", str(config), "--now", "--max-runs", "1")
    assert done.returncode == 0, done.stderr
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert doc["history"]["run_id"] and doc["journeys"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("cron: 'every monday'\ntarget: {demo: as-is}\n")
    done = simsuite_cli("schedule", str(broken), "--max-runs", "1")
    assert done.returncode == 2 and str(broken) in done.stderr and "cron" in done.stderr
    assert "Traceback" not in done.stderr
