"""Shared fixtures: the bundled demo run through the real CLI, once per test session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the installed `simsuite` command the way a user does."""
    return subprocess.run([sys.executable, "-m", "simsuite.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "PYTHONUNBUFFERED": "1"})


@pytest.fixture(scope="session", autouse=True)
def private_history(tmp_path_factory):
    """Runs made by the tests keep their history in a temporary file, never in the repo's reports/."""
    path = tmp_path_factory.mktemp("history") / "history.sqlite"
    old = os.environ.get("SIMSUITE_HISTORY")
    os.environ["SIMSUITE_HISTORY"] = str(path)
    yield path
    if old is None:
        os.environ.pop("SIMSUITE_HISTORY", None)
    else:
        os.environ["SIMSUITE_HISTORY"] = old


@pytest.fixture(scope="session")
def simsuite_cli():
    """A function that runs the `simsuite` command and returns the finished process."""
    return run_cli


@pytest.fixture(scope="session")
def as_is():
    """The demo companies in their as-is mode, on a loopback port, for the whole test session."""
    from simsuite.demo import DemoServer

    with DemoServer("as-is") as server:
        yield server


@pytest.fixture(scope="session")
def recovered():
    """The demo companies after service recovery, on a loopback port, for the whole test session."""
    from simsuite.demo import DemoServer

    with DemoServer("recovered") as server:
        yield server


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """`simsuite demo` run once: its output folder, printed summary and results document."""
    out = tmp_path_factory.mktemp("demo")
    done = run_cli("demo", "--out", str(out), "--seed", "7")
    assert done.returncode == 0, done.stdout + done.stderr
    return out, done.stdout, json.loads((out / "results.json").read_text())
