"""Delivering an alert body: JSON webhooks (httpx) and apprise URLs, each retried, each outcome kept.

`deliver(body, webhooks=[...], apprise_urls=[...])` tries every destination up to `attempts` times
(waits of 0.5 s, then 1.5 s between attempts; never past `budget` seconds for one destination) and
returns one record per destination::

    {"to": "slack://***", "ok": false, "attempts": 3, "detail": "...", "at": "2024-05-06T06:01:00+00:00"}

`to` is a safe description (`describe`): the scheme, and the host only where the host is a server's
name (http(s), json(s), xml(s), form(s), mailto(s), workflow(s), ntfy(s), ...); where an apprise URL keeps
a token in its host (slack://, pagerduty://, opsgenie://, discord://, ...) the host is shown as ``***``.
Paths, users, passwords and query strings never appear, and `detail` has every part of the URL that could
be secret taken out (`scrub`).

A webhook gets the documented JSON body (`simsuite.alerts`) and is retried on a network error, a 5xx,
408 or 429, not on another 4xx; an apprise URL (Slack, Teams Workflows, e-mail, PagerDuty, Opsgenie,
json:// ...) gets a title and the body's ``text`` (which ends with the report's link).
"""

from __future__ import annotations

import logging
import re
import time
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote, urlsplit

ATTEMPTS = 3
BACKOFF = (0.5, 1.5)
BUDGET = 30.0
TIMEOUT = 10.0
_HOST_SCHEMES = frozenset({"http", "https", "json", "jsons", "xml", "xmls", "form", "forms", "mailto", "mailtos",
                           "workflow", "workflows", "ntfy", "ntfys", "gotify", "gotifys", "matrix", "matrixs",
                           "mmost", "mmosts", "rocket", "rockets", "apprise", "apprises"})
_RETRY_STATUS = frozenset({408, 429})
_STATUS = re.compile(r"HTTP (\d{3})")

Sender = Callable[[float], "tuple[bool, str, bool]"]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def describe(url: str) -> str:
    """Scheme and host of a destination, with nothing that could be a secret (see the module docstring)."""
    try:
        parts = urlsplit(str(url).strip())
        scheme = parts.scheme.lower() or "unknown"
        host, port = parts.hostname, parts.port
    except ValueError:
        return "unreadable URL"
    if scheme not in _HOST_SCHEMES or not host:
        return f"{scheme}://***"
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}{f':{port}' if port else ''}"


def _secrets(url: str) -> list[str]:
    """Every part of `url` that may be a secret, longest first (so a part inside another goes after it)."""
    text = str(url).strip()
    found = {text, text.split("?", 1)[0]}
    try:
        parts = urlsplit(text)
        if parts.scheme.lower() not in _HOST_SCHEMES:  # the host is a token: as written, not lower-cased
            host = parts.netloc.rsplit("@", 1)[-1]
            found.update({host, host.split(":", 1)[0]})
        found.update(x for x in (parts.username, parts.password) if x)
        found.update(seg for seg in parts.path.split("/") if seg)
        found.update(v for _, v in parse_qsl(parts.query, keep_blank_values=False))
        found.add(parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else "")
    except ValueError:
        pass
    found |= {unquote(x) for x in found}
    return sorted((x for x in found if len(x) >= 4), key=len, reverse=True)


def scrub(text: str, url: str) -> str:
    """`text` (an error message) with the URL and every part of it that could be secret replaced."""
    out = str(text)
    shown = describe(url)
    for secret in _secrets(url):
        out = out.replace(secret, shown if secret.startswith(shown.split("://")[0] + "://") else "***")
    return " ".join(out.split())[:500]


def post_json(url: str, body: dict[str, Any], timeout: float = TIMEOUT) -> tuple[bool, str, int | None]:
    """POST `body` as JSON; (ok, reason, HTTP status or None). Never raises for network trouble, bad URLs or
    error statuses; the whole request is bounded by `timeout` seconds."""
    import httpx

    try:
        response = httpx.post(url, json=body, timeout=httpx.Timeout(timeout), follow_redirects=False,
                              headers={"User-Agent": "simsuite-alert/1"})
    except httpx.TimeoutException as exc:
        return False, f"no answer from {url} within {timeout:g} s ({exc.__class__.__name__})", None
    except (httpx.HTTPError, httpx.InvalidURL, ValueError, OSError) as exc:
        return False, f"could not post to {url}: {exc.__class__.__name__}: {exc}", None
    if 200 <= response.status_code < 300:
        return True, f"HTTP {response.status_code}", response.status_code
    snippet = " ".join(response.text.split())[:200]
    return False, f"{url} answered HTTP {response.status_code}{': ' + snippet if snippet else ''}", \
        response.status_code


def _webhook(url: str, body: dict[str, Any]) -> Sender:
    def send(timeout: float) -> tuple[bool, str, bool]:
        ok, reason, status = post_json(url, body, timeout)
        again = status is None or status >= 500 or status in _RETRY_STATUS
        return ok, reason, again
    return send


def _apprise(url: str, title: str, text: str, kind: str) -> Sender:
    def send(timeout: float) -> tuple[bool, str, bool]:
        import apprise

        try:
            plugin = apprise.Apprise.instantiate(url)
        except Exception as exc:  # apprise's URL parsers raise many kinds of errors
            return False, f"apprise cannot read this URL ({exc.__class__.__name__})", False
        if plugin is None:
            scheme = str(url).split("://", 1)[0] if "://" in str(url) else "none"
            return False, f"apprise does not know or cannot read this URL (scheme {scheme}://)", False
        for name in ("socket_connect_timeout", "socket_read_timeout"):
            if hasattr(plugin, name):
                setattr(plugin, name, timeout)
        sender = apprise.Apprise()
        sender.add(plugin)
        with apprise.LogCapture(level=logging.WARNING) as said:
            try:
                ok = bool(sender.notify(body=text, title=title, notify_type=kind))
            except Exception as exc:
                return False, f"apprise failed: {exc.__class__.__name__}: {exc}", True
        words = " ".join(line.split(" - ", 2)[-1] for line in said.getvalue().splitlines() if line.strip())
        return ok, "sent" if ok else (words or "apprise could not send it"), True
    return send


def _try(send: Sender, attempts: int, budget: float, timeout: float, sleep: Callable[[float], Any]
         ) -> tuple[bool, str, int]:
    start = time.monotonic()
    tries, ok, detail = 0, False, ""
    while True:
        tries += 1
        left = budget - (time.monotonic() - start)
        ok, detail, again = send(max(0.5, min(timeout, left)))
        if ok or not again or tries >= attempts:
            return ok, detail, tries
        wait = BACKOFF[min(tries - 1, len(BACKOFF) - 1)]
        if time.monotonic() - start + wait + 0.5 > budget:
            return ok, f"{detail} (no time left for another attempt within {budget:g} s)", tries
        sleep(wait)


def deliver(body: dict[str, Any], *, webhooks: list[str] | tuple[str, ...] = (),
            apprise_urls: list[str] | tuple[str, ...] = (), attempts: int = ATTEMPTS, budget: float = BUDGET,
            timeout: float = TIMEOUT, sleep: Callable[[float], Any] = time.sleep,
            log: Callable[[str], Any] = print) -> list[dict[str, Any]]:
    """Deliver `body` to every webhook and apprise URL; one record each (see the module docstring), and one
    line each in `log`."""
    alerts = [a for a in body.get("alerts") or () if isinstance(a, dict)]
    closing = bool(alerts) and all(a.get("kind") == "back_to_normal" for a in alerts)
    title = (f"simsuite: {len(alerts)} alert{'s' if len(alerts) != 1 else ''} for "
             f"{(body.get('run') or {}).get('target') or 'a run'}")
    senders = [(url, _webhook(url, body)) for url in webhooks if url] + \
        [(url, _apprise(url, title, str(body.get("text") or title), "success" if closing else "failure"))
         for url in apprise_urls if url]
    records = []
    for url, send in senders:
        ok, detail, tries = _try(send, max(1, attempts), budget, timeout, sleep)
        record = {"to": describe(url), "ok": ok, "attempts": tries, "detail": scrub(detail, url), "at": _now()}
        records.append(record)
        log(f"simsuite: alert delivery to {record['to']}: {'delivered' if ok else 'NOT delivered'} after "
            f"{tries} attempt{'s' if tries != 1 else ''} ({record['detail']})")
    return records
