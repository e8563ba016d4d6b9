"""The web channel: Playwright drives a real Chromium; every navigation is a recorded step."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ..core.phrases import first_sentence_with
from ..errors import ScriptError, SiteUnreachable
from ..model import Action, FrictionKind
from .menus import best_option

if TYPE_CHECKING:
    from ..core.context import ChannelContext

TEXT_LIMIT = 4000
CLICK_TIMEOUT_MS = 10_000
UNREACHABLE = ("ERR_CONNECTION_REFUSED", "ERR_NAME_NOT_RESOLVED", "ERR_ADDRESS_UNREACHABLE",
               "ERR_CONNECTION_RESET", "ERR_TIMED_OUT", "ERR_CONNECTION_TIMED_OUT")
_OBSERVE_JS = """() => {
  const label = e => ((e.labels && e.labels[0] && e.labels[0].innerText) || e.getAttribute('aria-label')
                      || e.placeholder || e.name || '').trim();
  const shown = Array.from(document.querySelectorAll('input, select, textarea'))
    .filter(e => !['hidden', 'submit', 'button'].includes(e.type) && e.offsetParent !== null);
  const nav = performance.getEntriesByType('navigation')[0];
  return {
    text: document.body ? document.body.innerText : '',
    title: document.title,
    clickables: Array.from(document.querySelectorAll('a, button, input[type=submit], input[type=button]'))
      .map(e => (e.innerText || e.value || e.getAttribute('aria-label') || '').trim()),
    fields: shown.map(label),
    options: Object.fromEntries(shown.filter(e => e.tagName === 'SELECT')
      .map(e => [label(e), Array.from(e.options).map(o => o.label)])),
    document: performance.timeOrigin,
    status: nav && nav.responseStatus ? nav.responseStatus : null,
  };
}"""


class WebChannel:
    """The customer's browser tab on the target site."""

    name = "web"

    def __init__(self, ctx: "ChannelContext") -> None:
        target = ctx.target
        if target.page_factory is None:
            raise ScriptError("no browser page available: run through `simsuite` or pytest-playwright")
        self.ctx = ctx
        self.journal = ctx.journal
        self.base = target.base_url.rstrip("/") + "/"
        self.page = target.page_factory()
        self.contact = self.journal.new_contact("web")
        self._status: int | None = None
        self._navigated = False
        self._document: float | None = None  # the time origin of the page last seen: a new one means a navigation
        self._seen: dict[str, Any] | None = None
        browser = getattr(self.page.context, "browser", None)
        if browser is None or browser.browser_type.name != "chromium":  # no responseStatus in navigation timing
            self.page.on("response", self._on_response)
        if not getattr(self.page, "simsuite_hosts_guarded", False):
            self.page.route("**/*", self._guard)

    # -- hooks ---------------------------------------------------------------------------------
    def _on_response(self, response: Any) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self._status = response.status
            self._navigated = True

    def _guard(self, route: Any) -> None:
        if self.ctx.target.allows(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    # -- what the customer sees ----------------------------------------------------------------
    @property
    def url(self) -> str:
        return self.page.url

    @property
    def text(self) -> str:
        """The visible text of the page (as last seen, unless the customer acted since)."""
        if self._seen is None or self._seen["text"] is None:
            self._seen = self.page.evaluate(_OBSERVE_JS)
        return self._seen["text"]

    def has_text(self, phrase: str) -> bool:
        """Whether the visible text holds the phrase (case-insensitive)."""
        return phrase.lower() in self.text.lower()

    def sentence_with(self, phrase: str) -> str | None:
        """The first visible sentence holding the phrase, in the site's own words."""
        return first_sentence_with(self.text, [phrase])

    def has_field(self, label: str) -> bool:
        """Whether a form field with this label is on the page."""
        if self._seen is not None and any(label.lower() in f.lower() for f in self._seen["fields"]):
            return True
        return self.page.get_by_label(label).count() > 0

    # -- what the customer does ----------------------------------------------------------------
    def goto(self, path: str = "/") -> "WebChannel":
        """Open a page (relative to the base URL)."""
        url = urljoin(self.base, path.lstrip("/"))
        self.ctx.target.check_host(url, "the page")
        self._status, self._navigated, self._seen = None, False, None
        try:
            response = self.page.goto(url, wait_until="domcontentloaded")
        except PlaywrightError as exc:
            if any(code in str(exc) for code in UNREACHABLE):
                raise SiteUnreachable(f"the site at {url} could not be reached "
                                      f"({next(c for c in UNREACHABLE if c in str(exc))}). "
                                      "Fix: check --base-url and that the site is running") from None
            raise
        if response is not None:
            self._status = response.status
        self._observe(f"opened {path}")
        return self

    def click(self, name: str) -> bool:
        """Click the link or button with this name; False (and a step saying so) if there is none."""
        target = self._find_clickable(name)
        if target is None:
            self._record(Action.LOOKED, f"looked for '{name}' and found no such link or button")
            return False
        self._record(Action.CLICK, f"clicked '{name}'")
        self.ctx.clock.advance(3)
        self._status, self._navigated, self._seen = None, False, None
        try:
            target.click(timeout=CLICK_TIMEOUT_MS)
        except PlaywrightTimeoutError:
            self._record(Action.LOOKED, f"'{name}' could not be clicked")
            return False
        self.page.wait_for_load_state("domcontentloaded")
        self._observe(f"after clicking '{name}'")
        return True

    def fill(self, label: str, value: str) -> "WebChannel":
        """Type a value into the field with this label."""
        if not self.has_field(label):
            raise ScriptError(f"no field labelled {label!r} on {self.url}")
        self.page.get_by_label(label).first.fill(str(value))
        self._text_changed()
        self.ctx.clock.advance(2 + len(str(value)) * 0.2)
        step = self._record(Action.FILL, f"{label} = {value}")
        self.journal.note_values_sent(str(value), step)
        return self

    def select(self, label: str, *wants: str, fallback: tuple[str, ...] = ()) -> str | None:
        """Pick the option of a drop-down that fits what the customer wants; none fitting is a missing option."""
        if not self.has_field(label):
            raise ScriptError(f"no drop-down labelled {label!r} on {self.url}")
        field = self.page.get_by_label(label)
        seen = (self._seen or {}).get("options") or {}
        labels = seen[label] if label in seen else \
            field.first.evaluate("e => Array.from(e.options || []).map(o => o.label)")
        options = {str(i): text for i, text in enumerate(labels)}
        key = best_option(options, wants)
        if key is None:
            step = self._record(Action.LOOKED, f"no option in '{label}' fits: {', '.join(wants)}", "; ".join(labels))
            self.journal.friction(FrictionKind.MISSING_OPTION, f"{label}: {'; '.join(labels)}",
                                  detail=f"no option for: {', '.join(wants)}", step=step)
            key = best_option(options, fallback)
            if key is None:
                return None
        choice = options[key]
        field.first.select_option(label=choice)
        self._text_changed()
        self.ctx.clock.advance(3)
        self._record(Action.SELECT, f"{label} = {choice}")
        return choice

    def _text_changed(self) -> None:
        """Typing may change what the page shows (not which fields it has): read the text again next time."""
        if self._seen is not None:
            self._seen = {**self._seen, "text": None}

    # -- recording -----------------------------------------------------------------------------
    def _find_clickable(self, name: str) -> Any:
        if self._seen is not None:
            names = self._seen.get("clickables", [])
            for exact in (True, False):
                if any((n == name) if exact else (name.lower() in n.lower()) for n in names):
                    return self.page.get_by_role("link", name=name, exact=exact).or_(
                        self.page.get_by_role("button", name=name, exact=exact)).first
        for exact in (True, False):
            loc = self.page.get_by_role("link", name=name, exact=exact).or_(
                self.page.get_by_role("button", name=name, exact=exact))
            if loc.count() > 0:
                return loc.first
        return None

    def _observe(self, detail: str) -> None:
        seen = self._seen = self.page.evaluate(_OBSERVE_JS)
        if seen["document"] != self._document:
            self._navigated, self._document = True, seen["document"]
            if self._status is None:
                self._status = seen["status"]
        text = re.sub(r"\n{3,}", "\n\n", seen["text"])[:TEXT_LIMIT]
        step = self._record(Action.PAGE, detail, text, status=self._status,
                            data={"fields": [f for f in seen["fields"] if f], "navigated": self._navigated,
                                  "title": seen["title"]})
        if self.journal.found:
            self._screenshot(step)

    def _record(self, action: Action, detail: str, text: str = "", **fields: Any) -> Any:
        return self.journal.record("web", action, detail, text, url=self.url, contact=self.contact, **fields)

    def _screenshot(self, step: Any) -> None:
        target = self.ctx.target
        if target.artifacts_dir is None:
            return
        target.artifacts_dir.mkdir(parents=True, exist_ok=True)
        path = target.artifacts_dir / f"step-{step.index:03d}.png"
        self.page.screenshot(path=str(path), full_page=True)
        base = target.report_dir or target.artifacts_dir
        step.artifact = path.relative_to(base).as_posix()

    def close(self) -> None:
        """Nothing to release: the page belongs to the run's browser."""
