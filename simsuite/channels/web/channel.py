"""The web channel: Playwright drives a real Chromium; every page the customer sees is a recorded step.

The customer finds links, buttons and fields by the names a person reads (see `find`), waits a few
seconds at most for them (a person does not stare at a page for 30 s), and a form they send is judged as
they would judge it: sent, blocked by the browser, refused with a message, or handed back unchanged.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urljoin

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from ...core.phrases import first_sentence_with, sentences
from ...core.polite import default_gate
from ...errors import ScriptError, SiteUnreachable
from ...model import Action, FrictionKind
from ..menus import best_option
from .find import Candidate, choose, headed, in_form, listing, matches
from .page_js import CALL_JS, INSTALL_JS, SCRIPTS
from .size_guard import PageSizeGuard

if TYPE_CHECKING:
    from ...core.context import ChannelContext

TEXT_LIMIT = 4000
FIND_WAIT_S = 3.0        # how long a person looks for a control that is not there (yet)
ACT_TIMEOUT_MS = 5_000   # how long a click or a keystroke may take before the control counts as unusable
CACHED_ACT_TIMEOUT_MS = 1_000  # the same, for one found as the page was last seen (then it is looked for again)
SETTLE_MAX_S = 5.0       # how long to let a page that changes without loading (a widget typing) finish
LOAD_MAX_S = 30.0        # how long a page may take to be read (Playwright's own navigation timeout)
UNREACHABLE = ("ERR_CONNECTION_REFUSED", "ERR_NAME_NOT_RESOLVED", "ERR_ADDRESS_UNREACHABLE",
               "ERR_CONNECTION_RESET", "ERR_TIMED_OUT", "ERR_CONNECTION_TIMED_OUT")
_HIDDEN_TYPES = ("password",)


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
        self._scanned: dict[str, list[dict[str, Any]]] | None = None  # controls and fields as last observed
        self._filling: int | None = None     # the form the customer is filling on this page
        self._path: str | None = None        # the path of the page last seen (a single-page app changes it alone)
        self.refused: str | None = None      # why the last form sent came back: the site's or browser's words
        browser = getattr(self.page.context, "browser", None)
        if browser is None or browser.browser_type.name != "chromium":  # no responseStatus in navigation timing
            self.page.on("response", self._on_response)
        if target.basic_auth:  # the site's own credentials, sent with every request (the host guard keeps them home)
            self.page.set_extra_http_headers(target.authorization())
        if not getattr(self.page, "simsuite_page_js", False):
            self.page.add_init_script(INSTALL_JS)
            self.page.simsuite_page_js = True
        if not getattr(self.page, "simsuite_hosts_guarded", False):
            self.page.route("**/*", self._guard)
        self._size = PageSizeGuard.of(self.page)

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
        return self._look()["text"]

    def has_text(self, phrase: str) -> bool:
        """Whether the visible text holds the phrase (case-insensitive)."""
        return phrase.lower() in self.text.lower()

    def sentence_with(self, phrase: str) -> str | None:
        """The first visible sentence holding the phrase, in the site's own words."""
        return first_sentence_with(self.text, [phrase])

    def has_field(self, label: str, *, form: str | None = None) -> bool:
        """Whether a field a person would call `label` is on the page (in the form headed `form`, if given)."""
        found = matches(self._candidates("field"), label)
        return bool(found if not form else in_form(found, form))

    @property
    def fields(self) -> list[str]:
        """The names of the fields on the page, with their form when the page has several."""
        return [c.shown() for c in self._candidates("field")]

    # -- what the customer does ----------------------------------------------------------------
    def goto(self, path: str = "/") -> "WebChannel":
        """Open a page (relative to the base URL). A page the script chose to open is never a loop."""
        url = urljoin(self.base, path.lstrip("/"))
        self.ctx.target.check_host(url, "the page")
        self._status, self._navigated, self._seen, self._scanned = None, False, None, None
        default_gate().request(url)
        try:
            response = self.page.goto(url, wait_until="commit")
            self._loaded()
        except PlaywrightError as exc:
            if any(code in str(exc) for code in UNREACHABLE):
                raise SiteUnreachable(f"the site at {url} could not be reached "
                                      f"({next(c for c in UNREACHABLE if c in str(exc))}). "
                                      "Fix: check --base-url and that the site is running") from None
            raise
        if response is not None:
            self._status = response.status
        self._observe(f"opened {self.journal.rewrite_url(path)}", opened=True)
        return self

    def click(self, name: str, *, form: str | None = None, under: str | None = None) -> bool:
        """Click the link or button a person would call `name` (in the form headed `form`, or under the
        heading `under`, when the page has several). False (and a step saying what the page offers
        instead) if there is none, or if it cannot be clicked; a form the browser will not send is
        recorded with the browser's own words (see `refused`). Raises ScriptError if `name` could mean
        several."""
        found = self._find("control", name)
        if not found:
            self._record(Action.LOOKED, f"looked for '{name}' and found no such link or button; the page "
                         f"offers: {listing(self._candidates('control'))}")
            return False
        target = choose(found, name, form=form, under=under, filling=self._filling, what="link or button",
                        url=self._here())
        assert target is not None
        blocked = self._blocked(target) if target.submits else None
        by_heading = not matches([target], name)
        said = target.shown() if by_heading else f"'{target.name}'"
        self._record(Action.CLICK, f"clicked {said}", data={"form": target.form} if target.submits else {})
        self.ctx.clock.advance(3)
        self.refused = None
        if blocked:
            self._record(Action.REFUSED, f"the browser would not send the form '{target.form or 'on this page'}'",
                         f"{blocked['label']}: {blocked['message']}".strip(": "),
                         data={"by": "browser", "form": target.form, "field": blocked["label"]})
            self.refused = f"{blocked['label']}: {blocked['message']}".strip(": ")
            return False
        # what the form was sent from: the page as last seen will do (typing adds no sentences to compare)
        before = (self._seen or self._look()) if target.submits else {"document": self._document}
        self._status, self._navigated, self._seen = None, False, None
        default_gate().request(self.url)  # what a click sends goes to this page's host
        try:
            self._act(target, lambda loc, ms: loc.click(timeout=ms),
                      lambda: choose(self._find("control", name, fresh=True) or [target], name, form=form, under=under,
                                     filling=self._filling, what="link or button", url=self._here()))
            self._scanned = None
        except PlaywrightTimeoutError:
            self._scanned = None
            self._record(Action.LOOKED, f"'{target.name}' could not be clicked{self._covered(target)}")
            return False
        seen = self._after_action(before)
        refusal = self._refusal(target, before, seen) if target.submits else None
        self._observe(f"after clicking '{target.name}'", seen=seen)
        if refusal is not None:
            self.refused = refusal.get("text", "")
            self._record(Action.REFUSED, refusal["detail"], refusal.get("text", ""), status=self._status,
                         data=refusal["data"])
        return True

    def fill(self, label: str, value: str, *, form: str | None = None, under: str | None = None) -> "WebChannel":
        """Type a value into the field a person would call `label` (in the form headed `form`, if given).
        Raises ScriptError, listing the fields that exist, if there is no such field."""
        field = self._field(label, form, under)
        try:
            self._act(field, lambda loc, ms: loc.fill(str(value), timeout=ms),
                      lambda: self._field(label, form, under, fresh=True))
        except PlaywrightTimeoutError:
            raise ScriptError(f"the field '{field.name}' on {self._here()} does not take typing") from None
        self._filling = field.form_index
        self._text_changed()
        self.ctx.clock.advance(2 + len(str(value)) * 0.2)
        hidden = field.type in _HIDDEN_TYPES
        step = self._record(Action.FILL, f"{field.name} = {'[hidden]' if hidden else value}",
                            data={"form": field.form} if field.form else {})
        if not hidden:
            self.journal.note_values_sent(str(value), step)
        return self

    def check(self, label: str, *, on: bool = True, form: str | None = None,
              under: str | None = None) -> "WebChannel":
        """Tick (or untick) the checkbox or radio button a person would call `label`."""
        field = self._field(label, form, under)
        try:
            self._act(field, lambda loc, ms: loc.set_checked(on, timeout=ms),
                      lambda: self._field(label, form, under, fresh=True))
        except (PlaywrightTimeoutError, PlaywrightError) as exc:
            raise ScriptError(f"'{field.name}' on {self._here()} cannot be ticked ({str(exc).splitlines()[0]})") \
                from None
        self._filling = field.form_index
        self._text_changed()
        self.ctx.clock.advance(1)
        self._record(Action.FILL, f"{field.name} = {'ticked' if on else 'not ticked'}")
        return self

    def select(self, label: str, *wants: str, fallback: tuple[str, ...] = (), form: str | None = None,
               under: str | None = None) -> str | None:
        """Pick the option of a drop-down that fits what the customer wants; none fitting is a missing option."""
        field = self._field(label, form, under)
        options = {str(i): text for i, text in enumerate(field.options)}
        key = best_option(options, wants)
        if key is None:
            step = self._record(Action.LOOKED, f"no option in '{field.name}' fits: {', '.join(wants)}",
                                "; ".join(field.options))
            self.journal.friction(FrictionKind.MISSING_OPTION, f"{field.name}: {'; '.join(field.options)}",
                                  detail=f"no option for: {', '.join(wants)}", step=step)
            key = best_option(options, fallback)
            if key is None:
                return None
        choice = options[key]
        self._act(field, lambda loc, ms: loc.select_option(label=choice, timeout=ms),
                  lambda: self._field(label, form, under, fresh=True))
        self._filling = field.form_index
        self._text_changed()
        self.ctx.clock.advance(3)
        self._record(Action.SELECT, f"{field.name} = {choice}")
        return choice

    def wait_for(self, phrase: str, seconds: float = 10.0) -> bool:
        """Wait (at most `seconds`, real time) for words to appear without a page load, as a reply in a chat
        widget does; the page as it then is becomes a step. False if they never came."""
        deadline = time.monotonic() + min(seconds, 30.0)
        while True:
            self._seen = None
            if phrase.lower() in self.text.lower():
                self._observe(f"'{phrase}' appeared")
                return True
            if time.monotonic() >= deadline:
                self._observe(f"waited {seconds:g} s for '{phrase}', which never appeared")
                return False
            self.page.wait_for_timeout(200)

    # -- finding -------------------------------------------------------------------------------
    def _blocked(self, button: Candidate) -> dict[str, str] | None:
        """What the browser would refuse in the button's form now. A button found in a page seen before
        typing is judged on a fresh look, which is also what the form is compared with once sent."""
        if not button.cached:
            return button.blocked
        seen = self._look()  # after typing, the look is stale: this one is needed anyway (see `click`)
        again = next((c for c in (seen.get("candidates") or {}).get("control") or () if c["ref"] == button.ref), None)
        if again is not None and Candidate.from_page(again).names == button.names:
            return again.get("blocked") or None
        return self._js("blocked", button.ref)

    def _js(self, name: str, arg: Any = None) -> Any:
        """Run one of page_js's functions: the copy installed in the page if it has one, else the script."""
        installed, result = self.page.evaluate(CALL_JS, [name, arg])
        return result if installed else self.page.evaluate(SCRIPTS[name], arg)

    def _candidates(self, kind: str) -> list[Candidate]:
        return [Candidate.from_page(raw) for raw in self._js("candidates", kind)]

    def _find(self, kind: str, name: str, *, fresh: bool = False) -> list[Candidate]:
        """Matches for a name: among what the page showed when last observed (no extra look at the page),
        else looking again for a few seconds while the page may still be drawing it."""
        if self._scanned is not None and not fresh:
            cached = [replace(Candidate.from_page(raw), cached=True) for raw in self._scanned.get(kind) or ()]
            found = matches(cached, name) or (headed(cached, name) if kind == "control" else [])
            if found:
                return found
        self._scanned = None
        deadline = time.monotonic() + FIND_WAIT_S
        while True:
            candidates = self._candidates(kind)
            found = matches(candidates, name) or (headed(candidates, name) if kind == "control" else [])
            if found or time.monotonic() >= deadline:
                return found
            self.page.wait_for_timeout(250)

    def _field(self, label: str, form: str | None, under: str | None = None, *, fresh: bool = False) -> Candidate:
        found = self._find("field", label, fresh=fresh)
        if not found:
            raise ScriptError(f"no field '{label}' on {self._here()}; the fields here are: "
                              f"{listing(self._candidates('field'))}")
        field = choose(found, label, form=form, under=under, filling=self._filling, what="field", url=self._here())
        assert field is not None
        return field

    def _locator(self, candidate: Candidate) -> Any:
        kind = "field" if candidate.ref.startswith("f") else "control"
        return self.page.locator(f'[data-simsuite-{kind}="{candidate.ref}"]').first

    def _act(self, candidate: Candidate, act: Callable[[Any, float], Any], again: Callable[[], Candidate]) -> Any:
        """Act on a control or field. One found in the page as last observed gets a short while; if the page
        has redrawn it since, it is looked for afresh (`again`) and given the usual time."""
        if candidate.cached:
            try:
                return act(self._locator(candidate), CACHED_ACT_TIMEOUT_MS)
            except PlaywrightTimeoutError:
                self._scanned = None
                candidate = again()
        return act(self._locator(candidate), ACT_TIMEOUT_MS)

    def _covered(self, target: Candidate) -> str:
        """What covers a control a click could not reach, in the page's words (a cookie banner, a dialog)."""
        try:
            words = self._locator(target).evaluate(
                "e => { const r = e.getBoundingClientRect(); const top = document.elementFromPoint("
                "r.x + r.width / 2, r.y + r.height / 2); return top && !e.contains(top) ? "
                "(top.closest('[role=dialog], dialog, div, section, aside') || top).innerText : ''; }")
        except PlaywrightError:
            words = ""
        words = " ".join(str(words or "").split())[:160]
        return f": something covers it: \"{words}\"" if words else ""

    def _here(self) -> str:
        return self.ctx.target.relative(self.url) or self.url

    # -- after an action -------------------------------------------------------------------------
    def _after_action(self, before: dict[str, Any]) -> dict[str, Any]:
        """Let the page load, or, when it changes without loading (a single-page app, a widget), settle;
        then what it shows."""
        self._loaded()
        try:
            seen = self._js("observe")
        except PlaywrightError:  # the page is navigating right now
            self._loaded()
            return self._js("observe")
        if seen["document"] != before.get("document"):
            return seen
        deadline, last, stable = time.monotonic() + SETTLE_MAX_S, None, 0
        while time.monotonic() < deadline and stable < 3:  # the same for 300 ms, and nothing says it is busy
            mark = self._js("settled")
            stable = stable + 1 if mark == last and not mark.startswith("busy:") else 0
            last = mark
            self.page.wait_for_timeout(100)
        return self._js("observe")

    def _loaded(self) -> None:
        """Wait until the page's document has been read, or until the size guard stopped one too large."""
        deadline = time.monotonic() + LOAD_MAX_S
        while True:
            try:
                self.page.wait_for_load_state("domcontentloaded", timeout=250)
                return
            except PlaywrightTimeoutError:
                if self._size.oversized is not None:
                    return
                if time.monotonic() >= deadline:
                    raise PlaywrightTimeoutError(f"the page at {self.url} was not read within {LOAD_MAX_S:g} s") \
                        from None

    def _refusal(self, button: Candidate, before: dict[str, Any], seen: dict[str, Any]) -> dict[str, Any] | None:
        """A form sent and handed back: refused with the site's message, or the same form again with
        nothing new said (on the same page or another), which is a silent dead end. None if it went on."""
        form = button.form or "on this page"
        if seen["errors"]:
            return {"detail": f"the site refused the form '{form}'", "text": " ".join(seen["errors"])[:1000],
                    "data": {"by": "site", "form": button.form}}
        sent = next((f for f in before.get("forms", []) if f["name"] == button.form), None)
        again = sent is not None and any(f["name"] == sent["name"] or _labels(f) == _labels(sent)
                                         for f in seen["forms"])
        if again and not _new_sentences(before.get("text", ""), seen["text"]):
            return {"detail": f"the form '{form}' came back with nothing done and nothing said",
                    "text": seen.get("heading") or seen["title"],
                    "data": {"by": "site", "form": button.form, "silent": True}}
        return None

    # -- recording -------------------------------------------------------------------------------
    def _look(self) -> dict[str, Any]:
        if self._seen is None or self._seen.get("stale"):
            self._seen = self._js("observe")
        return self._seen

    def _text_changed(self) -> None:
        """Typing may change what the page shows (not which fields it has): read the text again next time."""
        if self._seen is not None:
            self._seen = {**self._seen, "stale": True}

    def _observe(self, detail: str, *, opened: bool = False, seen: dict[str, Any] | None = None) -> None:
        """Record the page as it is now: what it says, and what its main form asks that is still empty."""
        seen = self._seen = seen or self._js("observe")
        self._scanned = seen.get("candidates")
        if seen["document"] != self._document:
            self._navigated, self._document, self._filling = True, seen["document"], None
            if self._status is None:
                self._status = seen["status"]
        elif seen["path"] != self._path:  # a single-page app moving to another route is a navigation too
            self._navigated, self._filling = True, None
        self._path = seen["path"]
        # what the page itself says: the site's header, navigation and footer are the same on every page and
        # say nothing about this step ("Call us on ..." in a footer sends nobody anywhere)
        text = re.sub(r"\n{3,}", "\n\n", seen.get("content") or seen["text"])[:TEXT_LIMIT]
        data = {"fields": _asked(seen["forms"]), "navigated": self._navigated, "title": seen["title"],
                "opened": opened}
        oversized = self._size.take()
        if oversized is not None:
            detail, data["oversized"] = f"{detail} ({oversized.said()})", oversized.size
        step = self._record(Action.PAGE, detail, text, status=self._status, data=data)
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
        masks = [self.page.locator(s) for s in ("input[type=password]", *target.mask_selectors)]
        self.page.screenshot(path=str(path), full_page=True, mask=masks)
        base = target.report_dir or target.artifacts_dir
        step.artifact = path.relative_to(base).as_posix()

    def close(self) -> None:
        """Nothing to release: the page belongs to the run's browser."""


def _asked(forms: list[dict[str, Any]]) -> list[str]:
    """The fields a page asks the customer to fill: those of its main form, the first after the page's
    heading (the required ones, if it marks any), choices aside. A search box, a newsletter in the footer
    or a login in the header asks nothing of a customer who came for something else."""
    main = next((f for f in forms if f.get("primary")), None)
    if main is None:
        return []
    fields = [f for f in main["fields"] if f.get("type") not in ("radio", "checkbox", "submit", "button", "hidden")]
    required = [f for f in fields if f["required"]]
    return [f["label"] for f in (required or fields) if f["label"] and not f.get("filled")]


def _labels(form: dict[str, Any]) -> set[str]:
    return {f["label"].casefold() for f in form["fields"] if f["label"]}


def _new_sentences(before: str, after: str) -> list[str]:
    """Sentences of four words or more on the page now that were not on the page before."""
    seen = {" ".join(s.split()) for s in sentences(before or "")}
    return [s for s in sentences(after or "") if len(s.split()) >= 4 and " ".join(s.split()) not in seen]
