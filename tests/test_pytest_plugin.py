"""simsuite as a pytest plugin, run inside pytest (pytester): budgets fail and pass, options, fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simsuite.demo import DemoServer

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.e2e


@pytest.fixture
def project(pytester):
    """A user's project: the bundled fire journey and a scenario with a friction budget."""
    pytester.mkdir("journeys")
    pytester.mkdir("scenarios")
    source = (ROOT / "journeys" / "report_outage_in_a_fire.py").read_text()
    (pytester.path / "journeys" / "report_outage_in_a_fire.py").write_text(source)
    (pytester.path / "scenarios" / "fire.yaml").write_text(
        "name: fire\n"
        "goal: Report the outage.\n"
        "persona: {count: 1, channels: [phone], knows: [name, phone]}\n"
        "journeys: [report_outage_in_a_fire]\n"
        "budget: {max_index: 30, forbid: [unavailable_demand]}\n")
    return pytester


def test_budget_exceeded_fails_with_friction_and_evidence(project):
    result = project.runpytest_subprocess("journeys", "--sim-demo", "as-is", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "fire/report_outage_in_a_fire/as-is/p1-*: exceeded its friction budget*",
        "*Kafkaesque index * exceeds the budget of 30*",
        "*forbidden unavailable demand*please visit our website*",
    ])


def test_within_budget_passes_and_writes_results(project):
    out = project.path / "out"
    result = project.runpytest_subprocess("journeys", "--sim-demo", "recovered", "--sim-out", str(out),
                                          "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    doc = json.loads((out / "results.json").read_text())
    assert doc["schema"] == 2 and doc["journeys"][0]["outcome"] == "resolved"
    assert (out / "report.html").exists() and (out / "junit.xml").exists()


def test_a_pytest_run_is_kept_in_history_and_compared_like_a_cli_run(project):
    from simsuite.history import History

    out, history = project.path / "out", project.path / "history.sqlite"
    for _ in range(2):
        result = project.runpytest_subprocess("journeys", "--sim-demo", "as-is", "--sim-out", str(out),
                                              "--sim-history", str(history), "--sim-alert-max-index", "50",
                                              "-p", "no:cacheprovider")
        result.assert_outcomes(failed=1)
    with History(str(history)) as store:
        runs = store.runs()
    assert [r["target"] for r in runs] == ["demo", "demo"]
    doc = json.loads((out / "results.json").read_text())
    assert doc["history"]["comparison"] is not None  # the second run was compared with the first
    assert [a["kind"] for a in doc["history"]["alerts"]] == ["over_max"]


def test_web_journey_uses_pytest_playwright_page_and_base_url(pytester):
    pytester.mkdir("journeys")
    for name in ("reschedule_lab_appointment.py", "_lab_steps.py"):
        (pytester.path / "journeys" / name).write_text((ROOT / "journeys" / name).read_text())
    with DemoServer("recovered") as server:
        result = pytester.runpytest_subprocess("journeys", "--base-url", server.url, "--browser", "chromium",
                                               "-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*reschedule_lab_appointment*reschedule_lab_appointment-default*PASSED*"])


def test_no_target_is_a_clear_usage_error(project):
    result = project.runpytest_subprocess("journeys", "-p", "no:cacheprovider")
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*need a target: pass --base-url URL*"])


def test_options_live_in_their_own_group(pytester):
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["simsuite: synthetic customer journeys:", "*--sim-seed*", "*--sim-demo*"])
    result.stdout.fnmatch_lines(["*--headed*", "*--tracing*", "*--base-url*"])


def test_three_channel_journey_runs_under_pytest_with_the_mailbox(pytester):
    pytester.mkdir("journeys")
    pytester.mkdir("scenarios")
    for name in ("reschedule_via_chat.py", "_lab_steps.py"):
        (pytester.path / "journeys" / name).write_text((ROOT / "journeys" / name).read_text())
    (pytester.path / "scenarios" / "chat.yaml").write_text((ROOT / "scenarios" / "lab_reschedule_chat.yaml").read_text())
    result = pytester.runpytest_subprocess("journeys", "--sim-demo", "as-is", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        # resolved only through the emailed link: the mailbox works under pytest
        "*exceeded its friction budget (index *, outcome resolved: Your appointment has been moved to*",
        "*forbidden repeated information*phone*Do you have a case reference?*",
    ])


def test_base_url_from_the_ini_file_is_the_target(project):
    """pytest-playwright's usual way: `base_url` in pytest.ini, no --base-url on the command line."""
    with DemoServer("recovered") as server:
        project.makeini(f"[pytest]\nbase_url = {server.url}\n")
        out = project.path / "out"
        result = project.runpytest_subprocess("journeys", "--sim-out", str(out), "--sim-no-history",
                                              "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    (journey,) = json.loads((out / "results.json").read_text())["journeys"]
    assert journey["outcome"] == "resolved" and journey["error"] is None


def test_a_browser_that_is_not_installed_is_could_not_run_with_the_fix(project):
    """--browser firefox where Playwright has no Firefox: not 'exceeded its friction budget'."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        if Path(p.firefox.executable_path).exists():
            pytest.skip("Playwright's Firefox is installed on this machine")
    project.path.joinpath("journeys", "look.py").write_text(
        "from simsuite import journey\n\n@journey\ndef look(customer):\n"
        "    customer.web.goto('/lab/')\n    customer.resolved('seen')\n")
    with DemoServer("recovered") as server:
        result = project.runpytest_subprocess("journeys/look.py", "--base-url", server.url, "--browser", "firefox",
                                              "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    text = result.stdout.str()
    assert "could not run (an error, not friction)" in text and "exceeded its friction budget" not in text
    assert "python -m playwright install firefox" in text


def test_the_browser_substitution_for_ordinary_tests_can_be_turned_off(pytester):
    """An ordinary pytest-playwright test gets simsuite's Chromium; with --sim-keep-browser its own settings."""
    pytester.makepyfile(test_ordinary="""
        def test_args(browser_type_launch_args):
            print("EXECUTABLE=" + str(browser_type_launch_args.get("executable_path")))
    """)
    from simsuite.browser import find_browser

    spec = find_browser()
    if spec.executable_path is None:
        pytest.skip("Playwright has its own Chromium here: simsuite substitutes nothing")
    substituted = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider")
    kept = pytester.runpytest_subprocess("-s", "-p", "no:cacheprovider", "--sim-keep-browser")
    substituted.assert_outcomes(passed=1)
    kept.assert_outcomes(passed=1)
    assert f"EXECUTABLE={spec.executable_path}" in substituted.stdout.str()
    assert "EXECUTABLE=None" in kept.stdout.str()


def test_pytest_runs_deliver_alerts_to_apprise_urls_with_the_report_link(project):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    received: list[dict] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}"))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = project.path / "out"
    try:
        result = project.runpytest_subprocess(
            "journeys", "--sim-demo", "as-is", "--sim-out", str(out), "--sim-history", str(project.path / "h.sqlite"),
            "--sim-alert-max-index", "50", "--sim-alert-to", f"json://127.0.0.1:{server.server_port}/hook",
            "--sim-report-url", "https://reports.example.com/cx/", "-p", "no:cacheprovider")
    finally:
        server.shutdown()
    result.assert_outcomes(failed=1)
    assert received, "no alert reached the receiver"
    assert "https://reports.example.com/cx/report.html" in json.dumps(received)
    deliveries = json.loads((out / "results.json").read_text())["history"]["deliveries"]
    assert [d["ok"] for d in deliveries] == [True]
