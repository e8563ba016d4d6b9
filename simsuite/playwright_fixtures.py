"""Fixtures layered over pytest-playwright's: launch a usable Chromium where Playwright has none."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_name: str | None) -> dict:
    """pytest-playwright's launch arguments, plus a usable Chromium where Playwright has none."""
    if (browser_name or "chromium") != "chromium" or browser_type_launch_args.get("channel"):
        return browser_type_launch_args
    from .browser import find_browser

    spec = find_browser()
    merged = dict(browser_type_launch_args)
    merged["args"] = [*merged.get("args", []), *[a for a in spec.args if a not in merged.get("args", [])]]
    if spec.executable_path and "executable_path" not in merged:
        merged["executable_path"] = spec.executable_path
    return merged
