"""report.pdf: the HTML report printed by the Chromium simsuite already uses."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from ..browser import find_browser

MARGIN = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#444">'
          '<span class="title"></span> &middot; page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')
FULL_FRAGMENT = "#print-full"  # the page reads it and prints every journey, the timelines and the maps


def render_pdf(html_path: Path, pdf_path: Path | None = None, *, full: bool = False,
               timeout_ms: float = 300_000) -> Path:
    """Print `html_path` to PDF (A4, backgrounds, every <details> opened); returns the PDF's path.

    By default the PDF holds the executive page, the scenarios and the journeys that matter (friction
    met or not resolved, worst first, a few of them; the report's print stylesheet chooses them);
    `full=True` prints everything the HTML holds. `pdf_path` defaults to the HTML file's name with `.pdf`.
    The page is opened offline: any request that is not the file itself or a data URI is refused, so the
    PDF shows what the file holds.
    """
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise FileNotFoundError(f"{html_path}: no such report; render the HTML report first")
    pdf_path = Path(pdf_path) if pdf_path is not None else html_path.with_suffix(".pdf")
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        _print(html_path, pdf_path, full, timeout_ms)
        return pdf_path
    # Playwright's sync API refuses to run inside an event loop (another sync Playwright, a notebook):
    # print from a thread of its own instead.
    failure: list[BaseException] = []

    def work() -> None:
        try:
            _print(html_path, pdf_path, full, timeout_ms)
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=work, name="simsuite-pdf")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return pdf_path


def _print(html_path: Path, pdf_path: Path, full: bool, timeout_ms: float) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(**find_browser().launch_kwargs())
        try:
            page = browser.new_page()
            page.set_default_timeout(timeout_ms)
            page.route("**/*", lambda route: route.continue_()
                       if route.request.url.startswith(("file:", "data:")) else route.abort())
            page.goto(html_path.as_uri() + (FULL_FRAGMENT if full else ""), wait_until="load")
            page.evaluate("full => { if (full) document.documentElement.classList.add('print-full');"
                          " document.querySelectorAll('details').forEach(d => d.open = true); }", full)
            page.emulate_media(media="print")
            page.pdf(path=str(pdf_path), format="A4", print_background=True, margin=MARGIN,
                     display_header_footer=True, header_template="<span></span>", footer_template=FOOTER)
        finally:
            browser.close()
