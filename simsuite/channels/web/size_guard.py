"""A bound on the size of the pages the browser reads: a document over the limit is stopped, not buffered.

Chromium lays out every byte of a page it is sent: a 50 MB page took it 32 s and 3 GB. Through Chromium's
DevTools protocol the guard sees each page document's headers before its body: one whose Content-Length is
over `PAGE_LIMIT_BYTES` is never read (the tab gets an empty page with the same status). One sent without a
Content-Length is counted as it arrives and stopped when it passes the limit; the customer then has what was
read so far, as a person whose browser gave up would. Other browsers have no such protocol: there only a
declared Content-Length over the limit is stopped, once it has arrived.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

PAGE_LIMIT_BYTES = 10_000_000   # a real page's HTML is rarely 2 MB; search engines stop reading at about 15 MB


@dataclass
class Oversized:
    """A page document that passed the limit: where, and how many bytes had arrived when it was stopped."""

    url: str
    size: int            # bytes: those received when it was stopped, or the size its server declared
    limit: int
    declared: bool = False

    def said(self) -> str:
        """In plain words, for the step that shows the page."""
        limit = f"the page is larger than {self.limit / 1_000_000:g} MB"
        if self.declared:
            return f"{limit} (its server said {self.size / 1_000_000:.1f} MB); it was not loaded"
        return f"{limit}; loading it was stopped after {self.size / 1_000_000:.1f} MB"


class PageSizeGuard:
    """Watches one page's documents and stops one that grows past the limit (see the module's docstring)."""

    def __init__(self, page: Any, limit: int | None = None) -> None:
        self.page, self.limit = page, limit or PAGE_LIMIT_BYTES
        self.oversized: Oversized | None = None
        self._documents: dict[str, list[Any]] = {}   # request id -> [url, bytes so far]
        self._cdp = None
        browser = getattr(page.context, "browser", None)
        if browser is not None and browser.browser_type.name == "chromium":
            self._cdp = page.context.new_cdp_session(page)
            self._cdp.on("Network.responseReceived", self._on_response)
            self._cdp.on("Network.dataReceived", self._on_data)
            self._cdp.on("Fetch.requestPaused", self._on_headers)
            self._cdp.send("Network.enable", {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0})
            self._cdp.send("Fetch.enable", {"patterns": [{"resourceType": "Document", "requestStage": "Response"}]})
        else:
            page.on("response", self._on_playwright_response)

    @classmethod
    def of(cls, page: Any) -> "PageSizeGuard":
        """The page's guard, made the first time a channel asks for it."""
        guard = getattr(page, "simsuite_size_guard", None)
        if guard is None:
            guard = cls(page)
            page.simsuite_size_guard = guard
        return guard

    def take(self) -> Oversized | None:
        """The page stopped since the last call, if any (and forget it)."""
        found, self.oversized = self.oversized, None
        return found

    def _on_headers(self, event: dict[str, Any]) -> None:
        assert self._cdp is not None
        headers = {h["name"]: h["value"] for h in event.get("responseHeaders") or ()}
        declared = _declared_length(headers)
        if declared is None or declared <= self.limit:
            self._cdp.send("Fetch.continueResponse", {"requestId": event["requestId"]})
            return
        self.oversized = Oversized(event["request"]["url"], declared, self.limit, declared=True)
        self._cdp.send("Fetch.fulfillRequest", {
            "requestId": event["requestId"], "responseCode": event.get("responseStatusCode") or 200,
            "responseHeaders": [{"name": "Content-Type", "value": "text/html; charset=utf-8"}],
            "body": base64.b64encode(b"<!doctype html><title></title>").decode()})

    def _on_response(self, event: dict[str, Any]) -> None:
        if event.get("type") != "Document":
            return
        response = event.get("response") or {}
        self._documents[event["requestId"]] = [response.get("url", ""), 0]
        declared = _declared_length(response.get("headers") or {})
        if declared is not None and declared > self.limit:
            self._stop(event["requestId"], declared, declared=True)

    def _on_data(self, event: dict[str, Any]) -> None:
        document = self._documents.get(event.get("requestId", ""))
        if document is None:
            return
        document[1] += int(event.get("dataLength") or 0)
        if document[1] > self.limit:
            self._stop(event["requestId"], document[1])

    def _stop(self, request_id: str, size: int, declared: bool = False) -> None:
        url, _ = self._documents.pop(request_id)
        self.oversized = Oversized(url, size, self.limit, declared)
        assert self._cdp is not None
        self._cdp.send("Page.stopLoading")

    def _on_playwright_response(self, response: Any) -> None:
        if response.request.resource_type != "document":
            return
        declared = _declared_length(response.headers)
        if declared is not None and declared > self.limit:
            self.oversized = Oversized(response.url, declared, self.limit, declared=True)
            self.page.evaluate("window.stop()")


def _declared_length(headers: dict[str, str]) -> int | None:
    value = next((v for k, v in headers.items() if k.lower() == "content-length"), None)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
