"""Keep the help desk journeys out of a plain `pytest` run.

simsuite's pytest plugin collects every .py file in a folder named `journeys`, and `testpaths = ["tests"]`
reaches this one; without a target each item errors ("simsuite journeys need a target"). They are collected
only when a target is given, as the README runs them:

    .venv/bin/python -m pytest tests/realapps/helpdesk/journeys --base-url URL --sim-smtp-port N
"""

from pathlib import Path

JOURNEYS = Path(__file__).resolve().parent / "journeys"


def pytest_ignore_collect(collection_path, config):
    if JOURNEYS not in (collection_path, *collection_path.parents):
        return None
    if config.getoption("base_url", None) or config.getoption("--sim-demo", None):
        return None
    return True
