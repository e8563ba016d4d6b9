"""A report people read (issue 12): the report of real demo journeys, opened in a real Chromium.

The demo runs once per module (both modes, the IVR maps included); history, alerts, deliveries and,
until the ranking lands in the run itself, the "fix these first" list are added by hand the way the
tracking code fills them in. Every page is opened offline: any request that is not the file is refused.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from pypdf import PdfReader

from simsuite.app import RunConfig, run
from simsuite.browser import find_browser
from simsuite.report import render_html
from simsuite.report.pdf import render_pdf
from simsuite.suite import summarize
from simsuite.targets import DEMO_MODES, TargetConfig

pytestmark = pytest.mark.e2e

HOSTILE = "<b>call 1-800</b><script>alert(1)</script>"
SECRET = "T000/B000/XXXXSECRETXXXX"
WIDTHS = (390, 1440)


@pytest.fixture(scope="module")
def browser():
    """A Chromium of this module's own, closed when the module ends (a session-wide one would keep Playwright's
    loop running under later tests that start their own)."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(**find_browser().launch_kwargs())
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def demo_doc(tmp_path_factory) -> tuple[dict, Path]:
    """The results document of the real demo (both modes), and the folder its artifacts are in."""
    out = tmp_path_factory.mktemp("demo-report")
    report = run(RunConfig(target=TargetConfig(demo=DEMO_MODES), out=out, history=str(out / "history.sqlite"),
                           workers=2, reporters=("json",), fail_over_budget=False), log=lambda *_: None)
    doc = json.loads((out / "results.json").read_text())
    assert report.doc["journeys"] and all(j["outcome"] != "error" for j in doc["journeys"])
    return doc, out


def _ids(doc: dict, scenario: str, mode: str = "as-is") -> list[str]:
    return [j["id"] for j in doc["journeys"] if j["scenario"] == scenario and j["mode"] == mode]


def enrich(doc: dict) -> dict:
    """The demo's document with what history, alerts and the ranking add: three earlier runs per mode,
    alerts, deliveries, and one more "fix these first" item whose words are hostile markup."""
    doc = copy.deepcopy(doc)
    ranking = doc.setdefault("summary", {}).setdefault("fix_first", summarize(doc["journeys"])["fix_first"])
    ranking.append({"rank": len(ranking) + 1, "kind": "dead_end", "kind_label": "dead end", "words": HOSTILE,
                    "where": "web, reschedule page", "customers": 2, "journeys": _ids(doc, "lab-reschedule"),
                    "modes": ["as-is"], "drop": 0.25, "drop_by_mode": {"as-is": 0.25},
                    "remedy": "Let customers reschedule online where they booked."})
    run_id, started = doc["run"]["id"], doc["run"]["started"]
    earlier = [("r1", "2026-01-05T03:00:00+00:00", 93.0, 12.0), ("r2", "2026-01-12T03:00:00+00:00", 91.0, 6.0),
               ("r3", "2026-01-19T03:00:00+00:00", 92.2, 1.5)]
    history = doc.setdefault("history", {})
    trend = history.setdefault("trend", {})
    trend["modes"] = {
        mode: [{"id": r, "started": s, "mean_index": (a if mode == "as-is" else b)} for r, s, a, b in earlier]
        + [{"id": run_id, "started": started, "mean_index": summarize(doc["journeys"])["by_mode"][mode]["mean_index"]}]
        for mode in DEMO_MODES}
    history["alerts"] = [
        {"kind": "over_limit", "scenario": "telecom-fire-outage", "mode": "as-is",
         "message": "index 97.7 is above the limit 60", "evidence": ["please visit our website"]},
        {"kind": "back_to_normal", "scenario": "lab-reschedule", "mode": None, "message": HOSTILE, "evidence": None}]
    history["deliveries"] = [
        {"to": f"https://hooks.example.com/services/{SECRET}", "ok": True, "attempts": 1, "detail": "200",
         "at": "2026-01-26T03:00:05+00:00"},
        {"to": "mailto:cx@example.com", "ok": False, "attempts": 3, "detail": "connection refused",
         "at": "2026-01-26T03:00:09+00:00"}]
    return doc


@pytest.fixture(scope="module")
def report(demo_doc) -> tuple[dict, Path]:
    doc, out = demo_doc
    doc = enrich(doc)
    return doc, render_html(doc, out)


def open_offline(browser, path: Path, width: int = 1280, **context):
    """The report in a new page with every request that is not the file (or a data URI) refused."""
    ctx = browser.new_context(viewport={"width": width, "height": 900}, **context)
    page = ctx.new_page()
    refused: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()
    page.route("**/*", route)
    page.goto(path.as_uri())
    return page, refused


def test_title_and_heading_name_the_company(report, browser) -> None:
    _, path = report
    page, refused = open_offline(browser, path)
    try:
        for text in (page.title(), page.locator("h1").inner_text()):
            assert "Northside Diagnostics" in text and "Metro Telecom" in text
        assert "simsuite report" not in page.title()
        assert refused == []
    finally:
        page.context.close()


def test_fix_these_first_opens_the_executive_page(report, browser) -> None:
    doc, path = report
    page, _ = open_offline(browser, path)
    try:
        order = page.eval_on_selector_all("#exec > *", "es => es.map(e => e.id || e.className)")
        assert order.index("fix-first") == order.index("cards") + 1
        ranking = doc["summary"]["fix_first"]
        items = page.locator("#fix-first ol.fix-first > li")
        assert items.count() == len(ranking) >= 3
        # the demo's outage website demand and reschedule-only-by-phone rule are among the top three
        top = " ".join(items.nth(k).inner_text() for k in range(3))
        assert "visit our website" in top and "rescheduled online" in top
        first, ranked = items.first, ranking[0]
        assert first.get_attribute("value") == str(ranked["rank"])
        text = first.inner_text()
        assert ranked["words"] in text and ranked["where"] in text and ranked["remedy"] in text
        assert f"{ranked['customers']} customer" in text and f"fall by {ranked['drop']:.1f} points" in text
        # the links lead to the journeys, and following one opens it
        links = first.locator("a")
        assert links.count() == len(ranked["journeys"])
        target = links.first.get_attribute("href")[1:]
        links.first.click()
        opened = page.locator(f"#{target}")
        assert opened.get_attribute("open") is not None
        assert opened.get_attribute("data-scenario") == ranked["journeys"][0].split("/")[0]
        # the company's words stay text
        assert HOSTILE in items.last.inner_text()
        assert "<b>call" not in path.read_text() and "<script>alert" not in path.read_text()
    finally:
        page.context.close()


def test_without_a_ranking_there_is_no_empty_section(report, tmp_path) -> None:
    doc = copy.deepcopy(report[0])
    doc["summary"]["fix_first"] = []
    assert "Fix these first" not in render_html(doc, tmp_path).read_text()
    # a document from before the ranking: ranked from its journeys; nothing to fix: no section
    del doc["summary"]["fix_first"]
    assert 'id="fix-first"' in render_html(doc, tmp_path).read_text()
    doc["journeys"] = [j for j in doc["journeys"] if j["mode"] == "recovered"]
    doc.pop("summary")
    assert 'id="fix-first"' not in render_html(doc, tmp_path).read_text()


def test_trend_has_one_line_per_mode(report, browser, tmp_path) -> None:
    doc, path = report
    page, _ = open_offline(browser, path)
    try:
        trend = page.locator("#exec svg.trend")
        lines = trend.locator("polyline.mode-line")
        assert sorted(lines.evaluate_all("ls => ls.map(l => l.dataset.mode)")) == ["as-is", "recovered"]
        label = trend.get_attribute("aria-label")
        assert "as-is: 4 runs, from 93 to" in label and "recovered: 4 runs, from 12 to 0" in label
        assert trend.locator("title").count() >= 1 and trend.locator("desc").count() == 1
        legend = page.locator(".trend-legend").inner_text()
        assert "as-is" in legend and "recovered" in legend
    finally:
        page.context.close()
    # without trend.modes, the per-scenario series are grouped by mode
    doc = copy.deepcopy(doc)
    del doc["history"]["trend"]["modes"]
    doc["history"]["trend"]["scenarios"] = {
        "lab-reschedule (as-is)": [{"id": "r1", "started": "2026-01-05", "mean_index": 80.0},
                                   {"id": "r2", "started": "2026-01-12", "mean_index": 90.0}],
        "telecom-fire-outage (as-is)": [{"id": "r1", "started": "2026-01-05", "mean_index": 100.0},
                                        {"id": "r2", "started": "2026-01-12", "mean_index": 96.0}],
        "lab-reschedule (recovered)": [{"id": "r1", "started": "2026-01-05", "mean_index": 4.0},
                                       {"id": "r2", "started": "2026-01-12", "mean_index": 0.0}]}
    html = render_html(doc, tmp_path).read_text()
    svg = html[html.index('<svg class="trend"'):]
    svg = svg[:svg.index("</svg>")]
    assert svg.count('class="mode-line"') == 2
    assert "as-is: 3 runs, from 90 to" in svg  # (80 + 100) / 2, then (90 + 96) / 2, then this run
    assert "recovered: 3 runs, from 4 to 0" in svg


def test_alerts_and_deliveries_are_shown_without_secrets(report, browser) -> None:
    _, path = report
    page, _ = open_offline(browser, path)
    try:
        section = page.locator("#alerts")
        text = section.inner_text()
        assert "over limit" in text and "index 97.7 is above the limit 60" in text and "please visit our website" in text
        assert "back to normal" in text and HOSTILE in text and "None" not in text
        rows = section.locator("table.deliveries tbody tr")
        assert rows.count() == 2
        assert "not delivered" in rows.nth(1).inner_text() and "3" in rows.nth(1).inner_text()
        assert SECRET not in path.read_text()
    finally:
        page.context.close()


def _visible_header_text(page) -> str:
    return page.evaluate("""() => { const h = document.querySelector('header').cloneNode(true);
        h.querySelectorAll('details.run-details > :not(summary)').forEach(e => e.remove()); return h.textContent; }""")


def test_no_noise(report, browser) -> None:
    doc, path = report
    html = path.read_text()
    assert "mode=None" not in html and "mode None" not in html
    page, _ = open_offline(browser, path)
    try:
        recovered = page.locator('.mode-card[data-mode="recovered"]').inner_text()
        assert "Worst" not in recovered  # every recovered journey is effortless: nothing to point at
        assert "Worst" in page.locator('.mode-card[data-mode="as-is"]').inner_text()
        header = _visible_header_text(page)
        assert "127.0.0.1" not in header and "smtp://" not in header and "demo companies" in header
        details = page.locator("details.run-details")
        assert details.get_attribute("open") is None
        details.locator("summary").click()
        assert "smtp://127.0.0.1" in details.inner_text()  # the technical details are one click away
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        # IVR prompts once: no line follows an identical line of the same speaker, and no Gather repeats its prompt
        for lines in page.eval_on_selector_all("ol.transcript", """os => os.map(o =>
                [...o.querySelectorAll('li')].map(li => li.querySelector('.who').textContent + '|' +
                 li.textContent.replace(/^\\s*\\S+\\s+\\S+\\s*/, '').trim()))"""):
            assert all(a != b for a, b in zip(lines, lines[1:])), lines
        fire = page.locator('details.journey[data-scenario="telecom-fire-outage"][data-mode="as-is"]').first
        transcript = fire.locator("ol.transcript").first.inner_text()
        prompt = "Please enter your 10 digit account number"
        assert transcript.count(prompt) == 2  # asked twice by the IVR (attempt 1 and 2), each said once
        assert "listening for dtmf" in transcript
    finally:
        page.context.close()


def test_url_column_does_not_wrap_one_letter_per_line(report, browser) -> None:
    _, path = report
    page, _ = open_offline(browser, path, width=390)
    try:
        page.evaluate("document.querySelectorAll('details.journey').forEach(d => d.open = true)")
        sizes = page.eval_on_selector_all("table.timeline td.url code", """cs => cs.map(c => {
            const r = c.getBoundingClientRect(); return [r.width, r.height, c.textContent.length]; })""")
        assert sizes
        line = 20  # px: one line of code text
        for width, height, chars in sizes:
            assert width >= min(chars * 5, 100) and height <= 2 * line, (width, height, chars)
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_overflow(report, browser, tmp_path, width) -> None:
    _, path = report
    page, _ = open_offline(browser, path, width=width)
    try:
        for state in ("closed", "open"):
            if state == "open":
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            page.screenshot(path=str(tmp_path / f"report-{width}-{state}.png"), full_page=state == "closed")
            scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert scroll <= inner, (width, state, scroll)
        # wide things scroll inside their own box, and the trend scales to the column
        trend = page.locator("#exec svg.trend").bounding_box()
        assert trend["x"] + trend["width"] <= width
    finally:
        page.context.close()


def _overlaps(boxes: list[dict]) -> list[tuple]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a["x"] < b["x"] + b["w"] - 0.5 and b["x"] < a["x"] + a["w"] - 0.5 and \
                    a["y"] < b["y"] + b["h"] - 0.5 and b["y"] < a["y"] + a["h"] - 0.5:
                out.append((a["t"], b["t"]))
    return out


def test_journey_maps_labels_never_overlap_and_lengths_show_time(report, browser) -> None:
    doc, path = report
    page, _ = open_offline(browser, path, width=1440)
    try:
        page.evaluate("document.querySelectorAll('details.journey').forEach(d => d.open = true)")
        maps = page.locator("svg.lanes")
        assert maps.count() == len(doc["journeys"])
        for k in range(maps.count()):
            boxes = maps.nth(k).evaluate("""svg => [...svg.querySelectorAll('text')].map(t => {
                const r = t.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height, t: t.textContent}; })""")
            assert _overlaps(boxes) == [], k
        # the fire journey's 41-minute hold is visibly longer than a key press, and says how long it was
        fire = next(j for j in doc["journeys"] if j["scenario"] == "telecom-fire-outage" and j["mode"] == "as-is")
        anchor = page.locator(f'details.journey[data-scenario="telecom-fire-outage"][data-mode="as-is"]').first
        svg = anchor.locator("svg.lanes")
        xs = svg.evaluate("""svg => [...svg.querySelectorAll('circle, rect:not(.lane)')].filter(e => e.querySelector('title'))
            .map(e => [e.querySelector('title').textContent.split(' ')[0], +(e.getAttribute('cx') ?? (+e.getAttribute('x') + 3))])""")
        x_of = {int(t[1:]): x for t, x in xs}
        steps = fire["steps"]
        gaps = [(steps[k]["at"] - steps[k - 1]["at"], x_of[steps[k]["index"]] - x_of[steps[k - 1]["index"]])
                for k in range(1, len(steps))]
        hold = max(gaps)
        press = next(g for g in gaps if 3 <= g[0] <= 6)
        assert hold[0] > 30 * 60 and hold[1] >= 8 * press[1], (hold, press)
        assert any("min" in t for t in svg.locator("text.clock").all_text_contents())
    finally:
        page.context.close()


def test_filter_search_and_collapse_offline(report, browser) -> None:
    doc, path = report
    page, refused = open_offline(browser, path)
    try:
        journeys = page.locator("details.journey")
        total = journeys.count()
        assert total == len(doc["journeys"])
        assert journeys.evaluate_all("ds => ds.filter(d => d.open).length") == 0
        form = page.locator("#journey-filters")
        assert form.is_visible()

        def visible() -> list[dict]:
            return journeys.evaluate_all("ds => ds.filter(d => !d.hidden).map(d => ({...d.dataset, id: d.id}))")

        form.get_by_label("Mode").select_option("recovered")
        shown = visible()
        assert shown and {j["mode"] for j in shown} == {"recovered"}
        assert page.locator("#filter-count").inner_text() == f"Showing {len(shown)} of {total} journeys."
        form.get_by_label("Mode").select_option("")
        form.get_by_label("Friction kind").select_option("wait")
        assert visible() and all("wait" in j["kinds"].split() for j in visible())
        form.get_by_label("Friction kind").select_option("")
        form.get_by_label("Outcome").select_option("unresolved")
        assert {j["outcome"] for j in visible()} == {"unresolved"}
        form.get_by_label("Scenario").select_option("lab-reschedule")
        assert visible() == []
        form.get_by_role("button", name="Clear filters").click()
        assert len(visible()) == total

        form.get_by_label("Search").fill("account number")
        found = visible()
        expected = [j for j in doc["journeys"] if any("account number" in (s.get("text") or "").lower()
                                                      for s in j["steps"])]
        assert found and len(found) <= total and len(found) >= len(expected)
        form.get_by_label("Search").fill("zzz-no-such-words")
        assert visible() == [] and "Showing 0 of" in page.locator("#filter-count").inner_text()
        form.get_by_label("Search").fill("")
        form.get_by_role("button", name="Expand all").click()
        assert journeys.evaluate_all("ds => ds.every(d => d.open)")
        form.get_by_role("button", name="Collapse all").click()
        assert journeys.evaluate_all("ds => ds.every(d => !d.open)")
        assert refused == []
    finally:
        page.context.close()


def test_page_reads_without_javascript(report, browser) -> None:
    _, path = report
    page, refused = open_offline(browser, path, java_script_enabled=False)
    try:
        assert not page.locator("#journey-filters").is_visible()  # no controls that cannot work
        journey = page.locator("details.journey").first
        journey.locator("summary").click()
        assert journey.locator("svg.lanes").is_visible()
        assert page.locator("#fix-first").is_visible() and refused == []
    finally:
        page.context.close()


def test_axe_finds_no_serious_or_critical_violations(report, browser) -> None:
    from axe_playwright_python.sync_playwright import Axe

    _, path = report
    # at a phone's width as it opens; on a wide screen with the worst journeys, a map and the run details open
    for width, opened in ((390, ""), (1440, "#journey-0, #journey-1, #journey-7, details.map-details, details.run-details")):
        page, _ = open_offline(browser, path, width=width)
        try:
            if opened:
                page.evaluate("s => document.querySelectorAll(s).forEach(d => d.open = true)", opened)
            results = Axe().run(page)
            bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
                   for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
            assert bad == [], (width, bad)
        finally:
            page.context.close()


def test_default_pdf_holds_what_matters_and_full_holds_everything(report, tmp_path) -> None:
    doc, path = report
    brief = render_pdf(path, tmp_path / "brief.pdf")
    full = render_pdf(path, tmp_path / "full.pdf", full=True)
    brief_pages, full_pages = len(PdfReader(brief).pages), len(PdfReader(full).pages)
    assert brief_pages <= 8 < full_pages, (brief_pages, full_pages)
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in PdfReader(brief).pages))
    assert "Fix these first" in text and "Executive summary" in text
    # effortless journeys are left out of the default PDF; the full one has them all
    effortless = [j for j in doc["journeys"] if not j["frictions"] and j["outcome"] == "resolved"]
    assert effortless and all(j["mode"] == "recovered" for j in effortless)
    compact = lambda t: re.sub(r"\s+", "", t)  # noqa: E731 (PDF text breaks lines anywhere)
    full_text = compact(" ".join(p.extract_text() for p in PdfReader(full).pages))
    assert full_text.count("/recovered/") >= len(effortless) and compact(text).count("/recovered/") == 0
