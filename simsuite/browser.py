"""Chromium for simsuite: find a usable one (Playwright's own, else the system's; install one if none), and a
pool that gives each journey a fresh context confined to the target's hosts."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from .errors import BrowserNotFound, BrowserUnreachable

CONNECT_TIMEOUT_MS = 15_000
SYSTEM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
QUIET_FLAGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class BrowserSpec:
    """How to launch Chromium: an executable (None means Playwright's own) and the flags."""

    executable_path: str | None
    args: list[str] = field(default_factory=list)
    source: str = "playwright"

    def launch_kwargs(self) -> dict[str, object]:
        """Keyword arguments for `playwright.chromium.launch(...)`."""
        kwargs: dict[str, object] = {"args": list(self.args)}
        if self.executable_path:
            kwargs["executable_path"] = self.executable_path
        return kwargs


def _flags() -> list[str]:
    flags = list(QUIET_FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.insert(0, "--no-sandbox")
    return flags


def playwright_chromium() -> str | None:
    """Path of Playwright's own Chromium if it is installed, else None."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:
        return None
    return path if path and Path(path).exists() else None


def system_chromium() -> str | None:
    """Path of a Chromium or Chrome installed on the system, else None."""
    for name in SYSTEM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def find_browser() -> BrowserSpec:
    """The browser to use: $SIMSUITE_CHROMIUM, Playwright's own, or a system Chromium."""
    override = os.environ.get("SIMSUITE_CHROMIUM")
    if override:
        if not Path(override).exists():
            raise BrowserNotFound(f"SIMSUITE_CHROMIUM={override} does not exist. Fix: point it at a "
                                  "Chromium executable or unset it.")
        return BrowserSpec(override, _flags(), "SIMSUITE_CHROMIUM")
    if playwright_chromium():
        return BrowserSpec(None, _flags(), "playwright")
    system = system_chromium()
    if system:
        return BrowserSpec(system, _flags(), "system")
    raise BrowserNotFound(
        "no Chromium found. Fix: run `python -m playwright install chromium`, or install your "
        "system's chromium package (Debian: `apt-get install -y chromium`), or set SIMSUITE_CHROMIUM."
    )


def ensure_browser(log=print) -> BrowserSpec:
    """Find a browser, installing one the way a user's machine would get one if none is found."""
    try:
        return find_browser()
    except BrowserNotFound:
        pass
    log("simsuite: no Chromium found; trying `playwright install chromium` ...")
    done = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"],
                          capture_output=True, text=True)
    if done.returncode == 0 and playwright_chromium():
        return find_browser()
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        log("simsuite: Playwright could not download its browser; installing Debian's chromium ...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update", "-qq"], env=env, check=False)
        subprocess.run([apt, "install", "-y", "-qq", "chromium"], env=env, check=False)
    return find_browser()


@dataclass(frozen=True)
class RemoteBrowser:
    """A browser that runs elsewhere: a Playwright server (`ws://...`, `playwright run-server`) or a
    Chromium's DevTools endpoint (`http://host:9222`, `--remote-debugging-port`)."""

    url: str
    protocol: str = "playwright"  # or "cdp"

    def connect(self, playwright: Any) -> Any:
        """The remote browser, connected; BrowserUnreachable (with the fix) if it does not answer."""
        try:
            if self.protocol == "cdp":
                return playwright.chromium.connect_over_cdp(self.url, timeout=CONNECT_TIMEOUT_MS)
            return playwright.chromium.connect(self.url, timeout=CONNECT_TIMEOUT_MS, headers=self.launch_headers())
        except Exception as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
            option = "--cdp-endpoint" if self.protocol == "cdp" else "--browser-endpoint"
            how = ("start Chromium with --remote-debugging-port" if self.protocol == "cdp"
                   else "start it with `playwright run-server --port PORT`")
            raise BrowserUnreachable(f"could not reach the browser at {self.url} ({option}): {first[:200]}. "
                                     f"Fix: {how}, or check the address") from None

    def launch_headers(self) -> dict[str, str]:
        """A Playwright server on this machine is told which Chromium to launch: the one simsuite uses."""
        if urlsplit(self.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            return {}
        try:
            spec = find_browser()
        except BrowserNotFound:
            return {}
        options = {"args": spec.args, **({"executablePath": spec.executable_path} if spec.executable_path else {})}
        return {"x-playwright-launch-options": json.dumps(options)}


def check_remote(remote: RemoteBrowser) -> None:
    """Connect once and let go: a browser that cannot be reached is said before any journey runs."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = remote.connect(playwright)
        browser.close()


class BrowserPool:
    """One Chromium for a whole run, a fresh context per journey, started only if a journey needs it.

    Each context sends every host but the target's to a proxy that refuses connections, so the browser
    cannot touch other hosts, at no cost per request (the web channel's own guard is then skipped). A
    browser that runs elsewhere (`remote`) cannot be given a local refusing proxy: there the web
    channel's own guard refuses every request to another host.
    """

    def __init__(self, stack: ExitStack, browser: Any = None, remote: RemoteBrowser | None = None) -> None:
        self._stack = stack
        self._browser = browser
        self._remote = remote
        self._contexts: list[Any] = []
        self._sink: socket.socket | None = None

    def _refusing_proxy(self, hosts: frozenset[str]) -> dict[str, str]:
        if self._sink is None:
            self._sink = socket.socket()
            self._sink.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
            self._stack.callback(self._sink.close)
        port = self._sink.getsockname()[1]
        return {"server": f"http://127.0.0.1:{port}", "bypass": ",".join(["<-loopback>", *sorted(hosts)])}

    def page_factory(self, hosts: frozenset[str] = frozenset()) -> Callable[[], Any]:
        """A function that opens a new page in a fresh context confined to `hosts`."""
        def make() -> Any:
            if self._browser is None:
                from playwright.sync_api import sync_playwright

                playwright = self._stack.enter_context(sync_playwright())
                self._browser = (self._remote.connect(playwright) if self._remote
                                 else playwright.chromium.launch(**find_browser().launch_kwargs()))
                self._stack.callback(self._browser.close)
            options: dict[str, Any] = {"viewport": {"width": 1100, "height": 800}}
            guarded = bool(hosts) and self._remote is None
            if guarded:
                options["proxy"] = self._refusing_proxy(hosts)
            context = self._browser.new_context(**options)
            self._contexts.append(context)
            page = context.new_page()
            page.simsuite_hosts_guarded = guarded
            return page

        return make

    def release(self) -> None:
        """Close the contexts of finished journeys."""
        for context in self._contexts:
            try:
                context.close()
            except Exception:
                pass
        self._contexts.clear()
