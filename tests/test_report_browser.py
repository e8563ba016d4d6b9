"""The HTML report opened in a real Chromium: what a reader sees, keyboard access, offline, and the PDF."""

from __future__ import annotations

import base64
import shutil
import subprocess
from pathlib import Path

import pytest

from simsuite.core.index import kafkaesque_index
from simsuite.model import Friction, FrictionKind, JourneyResult, Outcome, Step
from simsuite.report import render_html
from simsuite.suite import summarize

pytestmark = pytest.mark.e2e

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
NEW_EVIDENCE = "Our lines are closed due to the fire; please write to us."


def lab_journey(persona: str, mode: str = "as-is", outcome: Outcome = Outcome.UNRESOLVED,
                with_friction: bool = True, extra_steps: int = 0) -> dict:
    """A web-then-phone journey: the site sends the customer to the phone, the IVR asks again."""
    steps = [
        Step(0, "web", "page", "loaded", text="Book or manage your test", at=0.0, status=200, url="/lab/",
             contact="web-1"),
        Step(1, "web", "fill", "Booking reference = 79044421", at=6.0, url="/lab/manage", contact="web-1",
             data={"gave": ["booking_reference"]}),
        Step(2, "web", "click", "Reschedule appointment", at=12.0, status=200, url="/lab/reschedule",
             text="Rescheduling is not available online. Please call 1-800-LAB.", contact="web-1",
             artifact="artifacts/lab/step-2.png"),
        Step(3, "phone", "call", "called /lab/ivr/voice", at=60.0, contact="call-1"),
        Step(4, "phone", "heard", "Say", text="For results press 1. For appointments press 2.", at=66.0,
             contact="call-1"),
        Step(5, "phone", "pressed", "2", at=70.0, contact="call-1"),
        Step(6, "phone", "heard", "Say", text="Please enter your booking reference followed by the hash key.",
             at=75.0, contact="call-1"),
        Step(7, "phone", "pressed", "79044421#", at=90.0, contact="call-1", data={"gave": ["booking_reference"]}),
    ]
    for k in range(extra_steps):
        steps.append(Step(8 + k, "phone", "heard", "Say (on hold)", text=f"Your call is important to us ({k}).",
                          at=100.0 + 30 * k, contact="call-1"))
    frictions = [
        Friction(FrictionKind.DEAD_END, 2, "web", "Rescheduling is not available online."),
        Friction(FrictionKind.FORCED_SWITCH, 2, "web", "Please call 1-800-LAB."),
        Friction(FrictionKind.REPEATED_INFORMATION, 6, "phone",
                 "Please enter your booking reference followed by the hash key.", detail="booking_reference"),
    ] if with_friction else []
    index, components = kafkaesque_index(outcome, frictions)
    return JourneyResult(
        scenario="lab-reschedule", journey="reschedule_lab_appointment", mode=mode,
        persona={"id": persona, "name": f"Ada {persona}", "channels": ["web", "phone"], "knows": ["name"],
                 "situation": [], "records": {}},
        outcome=outcome, outcome_detail="the IVR could not move it", index=index, components=components,
        frictions=frictions, steps=steps, simulated_minutes=round(steps[-1].at / 60, 1),
        started="2024-03-01T06:00:00+00:00", wall_seconds=1.0,
    ).to_dict()


def history(mean_now: float) -> dict:
    runs = [{"id": "r1", "started": "2024-02-01T06:00:00+00:00", "mean_index": 35.0},
            {"id": "r2", "started": "2024-02-15T06:00:00+00:00", "mean_index": 41.5},
            {"id": "r3", "started": "2024-03-01T06:00:00+00:00", "mean_index": mean_now}]
    return {
        "trend": {"runs": runs, "scenarios": {"lab-reschedule (as-is)": runs}},
        "previous": runs[1],
        "comparison": {
            "before": runs[1], "after": runs[2],
            "scenarios": [{"scenario": "lab-reschedule", "mode": "as-is", "before": 41.5, "after": mean_now,
                           "change": round(mean_now - 41.5, 1)}],
            "suite": {"before": 41.5, "after": mean_now, "change": round(mean_now - 41.5, 1)},
            "new_frictions": [{"scenario": "lab-reschedule", "mode": "as-is", "kind": "unavailable_demand",
                               "channel": "phone", "evidence": NEW_EVIDENCE, "journey_id": "lab/x/as-is/p1",
                               "step": 6}],
            "gone_frictions": [], "new_kinds": ["unavailable_demand"], "worse": [], "better": [],
        },
        "alerts": [{"kind": "new_friction_kind", "scenario": "lab-reschedule", "mode": "as-is",
                    "message": "a new kind of friction appeared: unavailable demand"}],
    }


def make_doc(tmp_path: Path, many: int = 0, with_history: bool = True) -> dict:
    shot = tmp_path / "artifacts" / "lab" / "step-2.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    shot.write_bytes(PNG)
    journeys = [lab_journey("p1"), lab_journey("p2", mode="recovered", outcome=Outcome.RESOLVED,
                                                 with_friction=False)]
    journeys += [lab_journey(f"x{n}", extra_steps=n % 20) for n in range(many)]
    doc = {"schema": 1, "tool": {"name": "simsuite", "version": "test"},
           "run": {"id": "r3", "started": "2024-03-01T06:00:00+00:00", "complete": True, "seed": 7,
                   "targets": ["demo"]},
           "journeys": journeys, "maps": []}
    if with_history:
        doc["history"] = history(summarize(journeys)["by_mode"]["as-is"]["mean_index"])
    return doc


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from simsuite.browser import find_browser

    with sync_playwright() as p:
        b = p.chromium.launch(**find_browser().launch_kwargs())
        yield b
        b.close()


def open_report(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
    page.goto(path.as_uri())
    return page, outside


def _luminance(rgb: tuple[int, int, int]) -> float:
    def ch(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (ch(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_reader_sees_index_trend_moments_map_and_changes(tmp_path: Path, browser) -> None:
    doc = make_doc(tmp_path)
    as_is = summarize(doc["journeys"])["by_mode"]["as-is"]["mean_index"]
    page, outside = open_report(browser, render_html(doc, tmp_path))
    try:
        exec_page = page.locator("#exec")
        card = exec_page.locator('.mode-card[data-mode="as-is"]')
        assert card.locator(".index-value").inner_text() == str(as_is)
        assert card.locator(".band").inner_text() == "Kafkaesque"
        assert exec_page.locator('.mode-card[data-mode="recovered"] .band').inner_text() == "effortless"

        trend = exec_page.locator("svg.trend").first
        # one line per mode: as-is has its three runs, recovered only this run (no earlier recovered runs)
        assert trend.get_attribute("role") == "img" and "as-is: 3 runs" in trend.get_attribute("aria-label")
        assert trend.locator('circle.pt[data-mode="as-is"]').count() == 3
        assert trend.locator('circle.pt[data-mode="recovered"]').count() == 1
        assert trend.locator("line.threshold").count() == 3
        assert page.locator(".scenario-table svg.spark").count() == 1

        moments = exec_page.locator(".moment")
        assert moments.count() == 3
        assert "Rescheduling is not available online." in moments.nth(0).locator("blockquote").inner_text()
        alt = moments.locator("img.thumb").first.get_attribute("alt")
        assert alt and "Screenshot of step 2" in alt
        assert moments.locator("img.thumb").first.evaluate("i => i.naturalWidth") == 1
        phone = moments.filter(has_text="repeated information")
        lines = phone.locator(".transcript-line").inner_text()
        assert "pressed 2" in lines and "Please enter your booking reference" in lines

        changed = exec_page.locator(".changed")
        assert NEW_EVIDENCE in changed.inner_text()
        change = doc["history"]["comparison"]["scenarios"][0]["change"]
        assert change != 0
        assert f"{'up' if change > 0 else 'down'} {abs(change):g}" in changed.locator(".change-row").inner_text()
        assert "new kind of friction appeared" in exec_page.locator(".alert").inner_text()
        assert NEW_EVIDENCE in page.locator("#changes").inner_text()

        journey = page.locator("details.journey").first
        assert journey.get_attribute("open") is None  # details are collapsed until the reader opens one
        journey.locator("summary").click()
        assert journey.get_attribute("open") is not None
        lanes = journey.locator("svg.lanes")
        assert lanes.get_attribute("role") == "img"
        assert sorted(lanes.locator("rect.lane").evaluate_all("rs => rs.map(r => r.dataset.channel)")) == \
            ["phone", "web"]
        assert lanes.locator("line.switch").count() == 1
        markers = lanes.locator("g.fr")
        assert markers.count() == 2  # step 2 (dead end + switch) and step 6 (repeated)
        assert "dead end" in markers.first.locator("title").text_content()
        effort = journey.locator(".effort-facts").inner_text()
        assert "1.5 simulated min" in effort and "8" in effort and "facts asked for" in effort
        assert "gave booking_reference" in effort

        # accessibility: one h1, no skipped heading levels, th with scope, alt on every img, lang
        levels = page.eval_on_selector_all("h1,h2,h3,h4,h5,h6", "hs => hs.map(h => +h.tagName[1])")
        assert levels[0] == 1 and levels.count(1) == 1
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))
        assert page.locator("th:not([scope])").count() == 0
        assert page.locator("img:not([alt])").count() == 0
        assert page.locator("svg:not([role='img'])").count() == 0
        assert page.get_attribute("html", "lang") == "en"
        for sel in (".band", ".badge"):
            for fg, bg in page.eval_on_selector_all(sel, """es => es.map(e => {
                    const s = getComputedStyle(e); return [s.color, s.backgroundColor]; })"""):
                rgb = [tuple(int(v) for v in c[c.index("(") + 1:c.index(")")].split(",")[:3]) for c in (fg, bg)]
                assert _contrast(*rgb) >= 4.5, (sel, fg, bg)

        # keyboard: the first Tab lands on the skip link, and following it moves to the journeys
        page.reload()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to journeys"
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#journeys"
        assert outside == []
    finally:
        page.close()


def test_first_run_degrades_gracefully(tmp_path: Path, browser) -> None:
    page, outside = open_report(browser, render_html(make_doc(tmp_path, with_history=False), tmp_path))
    try:
        text = page.locator("#exec").inner_text()
        assert "First run" in text and "nothing to compare" in text
        assert page.locator("svg.trend").count() == 0 and page.locator("#changes").count() == 0
        assert page.locator("svg.lanes").count() == 2 and outside == []
    finally:
        page.close()


def test_render_pdf_of_a_big_report(tmp_path: Path) -> None:
    from simsuite.report.pdf import render_pdf

    html = render_html(make_doc(tmp_path, many=60), tmp_path)
    pdf = render_pdf(html)
    assert pdf == tmp_path / "report.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages > 1
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                       check=True)
        assert list(tmp_path.glob("p*.png"))
