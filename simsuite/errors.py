"""Errors a user can act on: each says what is wrong and how to fix it."""

from __future__ import annotations


class SimsuiteError(Exception):
    """Base of every error simsuite reports to a user without a traceback."""


class ScenarioError(SimsuiteError):
    """A scenario file is broken: the message names the file, the line and the fix."""

    def __init__(self, path: str, line: int | None, problem: str, fix: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {problem}. Fix: {fix}")
        self.path, self.line, self.problem, self.fix = path, line, problem, fix


class JourneyNotFound(SimsuiteError):
    """A scenario names a journey that no file in journeys/ defines."""


class SiteUnreachable(SimsuiteError):
    """The site or IVR could not be reached at all: an error outcome, never friction."""


class NothingToRun(SimsuiteError):
    """A run found no journey to run: it says why, and ends as "could not run" (exit 3), never as a pass."""


class HostNotAllowed(SimsuiteError):
    """A channel was asked to touch a host the run was not pointed at."""


class ScriptError(SimsuiteError):
    """A journey script used the API wrongly."""


class BrowserNotFound(SimsuiteError):
    """No usable Chromium was found."""


class MissingFact(ScriptError, KeyError):
    """A journey asked for a fact this customer does not know: check `customer.knows(name)` first."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class BrowserUnreachable(SimsuiteError):
    """The browser a run was pointed at (--browser-endpoint, --cdp-endpoint) does not answer."""
