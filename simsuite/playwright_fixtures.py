"""Fixtures layered over pytest-playwright's: launch a usable Chromium where Playwright has none, or use a
browser that runs elsewhere (--sim-browser-endpoint, --sim-cdp-endpoint). A project's own fixtures of the
same names still win."""

from __future__ import annotations

from typing import Any, Callable

import pytest


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_name: str | None,
                             pytestconfig: pytest.Config) -> dict:
    """pytest-playwright's launch arguments, plus a usable Chromium where Playwright has none (for every test
    that uses pytest-playwright's browser, the project's own too, unless --sim-keep-browser)."""
    if (browser_name or "chromium") != "chromium" or browser_type_launch_args.get("channel") \
            or pytestconfig.getoption("--sim-keep-browser", False):
        return browser_type_launch_args
    from .browser import find_browser

    spec = find_browser()
    merged = dict(browser_type_launch_args)
    merged["args"] = [*merged.get("args", []), *[a for a in spec.args if a not in merged.get("args", [])]]
    if spec.executable_path and "executable_path" not in merged:
        merged["executable_path"] = spec.executable_path
    return merged


@pytest.fixture(scope="session")
def connect_options(connect_options: dict | None, pytestconfig: pytest.Config) -> dict | None:
    """pytest-playwright's way to a Playwright server: --sim-browser-endpoint, unless a project set its own."""
    endpoint = pytestconfig.getoption("--sim-browser-endpoint", None)
    if connect_options or not endpoint:
        return connect_options
    from .browser import RemoteBrowser

    return {"endpoint": endpoint, "headers": RemoteBrowser(endpoint).launch_headers()}


@pytest.fixture(scope="session")
def launch_browser(launch_browser: Callable[..., Any], browser_type: Any,
                   pytestconfig: pytest.Config) -> Callable[..., Any]:
    """pytest-playwright's launch, or a connection to the Chromium at --sim-cdp-endpoint."""
    cdp = pytestconfig.getoption("--sim-cdp-endpoint", None)
    if not cdp:
        return launch_browser
    return lambda **_: browser_type.connect_over_cdp(cdp)
