"""End to end: the real CLI drives a real Chromium and the TwiML IVRs of the demo companies on loopback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from simsuite.browser import find_browser
from simsuite.core.journey import load_journeys
from simsuite.model import FrictionKind
from simsuite.results import strip_times
from simsuite.runner import run_suite
from simsuite.core.scenario import load_scenarios


pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent


def test_main_job_separates_as_is_from_recovered(demo_run):
    out, stdout, doc = demo_run
    rows = doc["summary"]["by_scenario"]
    assert {r["scenario"] for r in rows} >= {"lab-reschedule", "telecom-fire-outage", "telecom-outage-credit"}
    for journey in doc["journeys"]:
        assert journey["outcome"] != "error", journey["error"]
        if journey["mode"] == "as-is":
            assert journey["index"] >= 60, journey["id"]
        else:
            assert journey["index"] <= 20, (journey["id"], journey["frictions"])
    assert f"Report: {out / 'report.html'}" in stdout
    assert "lab-reschedule" in stdout and "recovered" in stdout


def test_as_is_run_shows_every_friction_kind_with_evidence(demo_run):
    _, _, doc = demo_run
    as_is = [j for j in doc["journeys"] if j["mode"] == "as-is"]
    kinds = {f["kind"] for j in as_is for f in j["frictions"]}
    assert kinds == {k.value for k in FrictionKind}
    for journey in doc["journeys"]:
        for friction in journey["frictions"]:
            assert friction["evidence"].strip()
            step = journey["steps"][friction["step"]]
            assert step["channel"] == friction["channel"]


def test_evidence_quotes_the_companies_own_words(demo_run):
    _, _, doc = demo_run
    fire = next(j for j in doc["journeys"] if j["scenario"] == "telecom-fire-outage" and j["mode"] == "as-is")
    demands = [f for f in fire["frictions"] if f["kind"] == "unavailable_demand"]
    assert any("please visit our website" in f["evidence"] for f in demands)
    assert any("account number" in f["evidence"] for f in demands)
    lab = next(j for j in doc["journeys"] if j["scenario"] == "lab-reschedule" and j["mode"] == "as-is")
    repeated = [f for f in lab["frictions"] if f["kind"] == "repeated_information"]
    assert repeated and "booking reference" in repeated[0]["evidence"]
    assert "(web:" in repeated[0]["detail"]  # first given online, asked again on the phone
    wait = next(f for f in lab["frictions"] if f["kind"] == "wait")
    assert wait["minutes"] >= 30 and wait["explained"] is True


def test_web_friction_has_a_screenshot_and_phone_steps_a_transcript(demo_run):
    out, _, doc = demo_run
    lab = next(j for j in doc["journeys"] if j["scenario"] == "lab-reschedule" and j["mode"] == "as-is")
    switch = next(f for f in lab["frictions"] if f["kind"] == "forced_channel_switch")
    artifact = lab["steps"][switch["step"]]["artifact"]
    assert artifact and (out / artifact).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    actions = [s["action"] for s in lab["steps"] if s["channel"] == "phone"]
    assert {"heard", "gather", "pressed", "queue", "hold", "transfer", "ended"} <= set(actions)


def test_same_seed_gives_the_same_results(demo_run, tmp_path):
    _, _, first = demo_run
    scenarios = load_scenarios([ROOT / "scenarios"])
    journeys = load_journeys([ROOT / "journeys"])
    from contextlib import ExitStack

    from simsuite.app import TargetConfig, start_targets

    with ExitStack() as stack:
        targets = start_targets(TargetConfig(demo=("as-is", "recovered")), stack, log=lambda line: None)
        second = run_suite(scenarios, journeys, targets, seed=7, out_dir=tmp_path, log=lambda line: None)
    a, b = strip_times(first), strip_times(second)
    a["run"].pop("targets"), b["run"].pop("targets")  # loopback ports differ between runs
    assert json.dumps(a["journeys"], sort_keys=True) == json.dumps(b["journeys"], sort_keys=True)
    assert a["summary"] == b["summary"]


def test_report_reads_well_in_a_real_browser(demo_run):
    out, _, doc = demo_run
    with sync_playwright() as p:
        browser = p.chromium.launch(**find_browser().launch_kwargs())
        page = browser.new_page()
        page.goto((out / "report.html").as_uri())
        body = page.inner_text("body")
        as_is_mean = doc["summary"]["by_mode"]["as-is"]["mean_index"]
        assert f"{as_is_mean:.1f}" in body
        assert "Worst moments" in body
        assert "please visit our website" in body
        assert page.locator("img[src^='data:image/png;base64,']").count() >= 1
        # one inline script (the journey filters), nothing fetched
        assert page.locator("script").count() == 1 and page.locator("script[src]").count() == 0
        browser.close()


def test_three_channel_journey_forgets_the_first_contact(demo_run):
    _, _, doc = demo_run
    chat = next(j for j in doc["journeys"] if j["scenario"] == "lab-reschedule-chat" and j["mode"] == "as-is")
    channels = {s["channel"] for s in chat["steps"]}
    assert {"chat", "phone", "email"} <= channels
    repeated = [f for f in chat["frictions"] if f["kind"] == "repeated_information"]
    case = next(f for f in repeated if "case reference" in f["evidence"])
    assert case["channel"] == "phone"
    issued_at = int(case["detail"].split("issued at step ")[1].split(" ")[0])
    assert chat["steps"][issued_at]["channel"] == "chat"
    assert "opened case" in chat["steps"][issued_at]["text"]  # the chat's words, quoted in the phone's friction
    booking = next(f for f in repeated if "booking reference" in f["evidence"])
    given_at = int(booking["detail"].split("already given at step ")[1].split(" ")[0])
    assert chat["steps"][given_at]["channel"] == "chat" and chat["steps"][given_at]["action"] == "said"
    switches = [f["detail"] for f in chat["frictions"] if f["kind"] == "forced_channel_switch"]
    assert "sent from chat to phone" in switches and "sent from phone to email" in switches
    recovered = next(j for j in doc["journeys"] if j["scenario"] == "lab-reschedule-chat" and j["mode"] == "recovered")
    assert recovered["outcome"] == "resolved" and recovered["frictions"] == []


def test_hard_of_hearing_customer_sent_to_the_phone_meets_an_unavailable_demand(demo_run):
    _, _, doc = demo_run
    deaf = next(j for j in doc["journeys"] if j["scenario"] == "telecom-outage-hard-of-hearing" and j["mode"] == "as-is")
    assert "phone" not in deaf["persona"]["channels"]
    demand = next(f for f in deaf["frictions"] if f["kind"] == "unavailable_demand")
    assert demand["channel"] == "chat" and "call technical support" in demand["evidence"]
    assert "hard of hearing" in demand["detail"]


def test_main_job_maps_the_demo_ivrs(demo_run):
    _, stdout, doc = demo_run
    maps = {(m["target"], m["mode"], bool(m.get("goal"))): m for m in doc["maps"]}
    telecom = maps[("/telecom/ivr/voice", "as-is", False)]
    kinds = {f["kind"] for f in telecom["findings"]}
    assert {"loop", "unavailable_demand"} <= kinds
    website = next(f for f in telecom["findings"] if "visit our website" in f["evidence"].lower())
    assert website["path"], "every finding has a path a person can replay"
    goal = maps[("/telecom/ivr/voice", "as-is", True)]
    missing = next(f for f in goal["findings"] if f["kind"] == "missing_option")
    assert "For billing, press 1." in missing["evidence"] and missing["path"] == []
    for (target, mode, _), m in maps.items():
        if mode == "recovered":
            false = [f for f in m["findings"] if f["kind"] in ("loop", "missing_option", "unavailable_demand",
                                                               "dead_end", "failed_option")]
            assert false == [], (target, false)
    assert "Maps: 6" in stdout
