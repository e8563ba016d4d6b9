"""simsuite as a pytest plugin: every (scenario, journey, persona) is a test item.

`pytest journeys/ --base-url URL` runs the journey scripts in journeys/ against a site. pytest-playwright's
fixtures and options (--browser, --headed, --tracing, --base-url) work as usual; simsuite's own options
are in the "simsuite" group with a --sim- prefix. A journey fails when it exceeds its scenario's budget.
Under pytest-xdist (`pytest -n N`) the controller gathers every worker's journeys (see xdist_support).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from .app import AlertConfig, RunConfig, TargetConfig, conclude
from .core.journey import JourneySpec, journeys_in_module
from .core.personas import Persona
from .core.scenario import Scenario, default_scenario, load_scenarios
from .errors import SimsuiteError
from .runner import RunTarget, run_journey
from .xdist_support import (
    KEY,
    STASH_JOURNEY,
    STASH_STAND_IN,
    gatherer,
    is_worker,
    junit_properties,
    plain,
    stand_in,
)


def _base_url(config: pytest.Config) -> str | None:
    """The site's URL: --base-url, else the `base_url` ini value (pytest-playwright's usual way), else None."""
    given = config.getoption("base_url", None)
    if given:
        return given
    try:
        return config.getini("base_url") or None
    except ValueError:  # no plugin registered the ini value
        return None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("simsuite", "simsuite: synthetic customer journeys")
    group.addoption("--sim-scenarios", metavar="PATH", help="scenario file or folder (default: scenarios/ "
                    "beside the journeys folder, else in the rootdir)")
    group.addoption("--sim-seed", type=int, default=7, metavar="N", help="persona seed (default 7)")
    group.addoption("--sim-phone-url", metavar="URL", help="base URL of the IVR webhooks (default: --base-url)")
    group.addoption("--sim-phone-method", default="POST", choices=("GET", "POST"),
                    help="how the number's voice URL is requested (default POST)")
    group.addoption("--sim-dialled", action="append", default=[], metavar="NUMBER=PATH",
                    help="a number the IVR may transfer to that the site answers itself, and the path of its "
                         "voice webhook (repeatable)")
    group.addoption("--sim-chat-url", metavar="URL", help="base URL of the chat bot (default: --base-url)")
    group.addoption("--sim-chat-config", metavar="FILE", help="YAML config of a generic HTTP/JSON chat bot")
    group.addoption("--sim-smtp-port", type=int, default=0, metavar="N",
                    help="port of simsuite's SMTP mailbox on 127.0.0.1 (default: a free one)")
    group.addoption("--sim-mode", metavar="LABEL", help="a label for the target in results, e.g. staging")
    group.addoption("--sim-redact-param", action="append", default=[], metavar="NAME",
                    help="a query parameter whose value never appears in results, besides the usual secrets")
    group.addoption("--sim-mask", action="append", default=[], metavar="SELECTOR",
                    help="a CSS selector masked in screenshots, besides password fields")
    group.addoption("--sim-browser-endpoint", metavar="WS_URL", help="run the browser on a Playwright server "
                    "(`playwright run-server`), through pytest-playwright's connect_options")
    group.addoption("--sim-cdp-endpoint", metavar="URL", help="run the browser on a Chromium started with "
                    "--remote-debugging-port, e.g. http://127.0.0.1:9222")
    group.addoption("--sim-keep-browser", action="store_true", help="leave pytest-playwright's browser as it "
                    "is configured (by default simsuite points it at a Chromium it finds when Playwright has none)")
    group.addoption("--sim-demo", choices=("as-is", "recovered"), help="start the bundled demo companies in "
                    "this mode and run against them (no --base-url needed)")
    group.addoption("--sim-out", metavar="DIR", help="write results.json and report.html here at the end")
    group.addoption("--sim-phrases", action="append", default=[], metavar="FILE", help="extra phrase lists")
    group.addoption("--sim-history", metavar="PATH_OR_URL", help="history database for runs with --sim-out "
                    "(default $SIMSUITE_HISTORY or reports/history.sqlite)")
    group.addoption("--sim-no-history", action="store_true", help="do not record a --sim-out run in the history")
    group.addoption("--sim-alert-webhook", metavar="URL", help="POST a JSON alert here when a scenario gets worse")
    group.addoption("--sim-alert-max-index", type=float, metavar="N", help="alert when a scenario's index exceeds N")
    group.addoption("--sim-alert-to", action="append", default=[], metavar="URL", help="deliver alerts to this "
                    "apprise URL too, e.g. slack://..., workflows://..., mailtos://..., pagerduty://... (repeatable)")
    group.addoption("--sim-report-url", metavar="URL", help="where the report is published; alerts link to it")
    group.addoption("--sim-reporter", action="append", metavar="NAME", help="write only this report with --sim-out "
                    "(repeatable; default: every registered reporter)")
    parser.addini("simsuite_journey_dirs", "folder names whose .py files are journey scripts",
                  type="args", default=["journeys"])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "simsuite_journey: a simsuite journey run as a test")
    # Registered now, after every entry-point plugin, so this override wraps pytest-playwright's fixture.
    from . import playwright_fixtures

    if not config.pluginmanager.is_registered(playwright_fixtures):
        config.pluginmanager.register(playwright_fixtures, "simsuite-playwright-fixtures")
    # One results document from every process of the session, serial or pytest-xdist (`pytest -n N`).
    config.pluginmanager.register(gatherer(config), "simsuite-gatherer")


def _is_journey_file(path: Path, config: pytest.Config) -> bool:
    return (path.suffix == ".py" and path.parent.name in config.getini("simsuite_journey_dirs")
            and not path.name.startswith(("_", "test_", "conftest")))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if _is_journey_file(file_path, parent.config):
        return JourneyModule.from_parent(parent, path=file_path)
    return None


def _scenarios_for(config: pytest.Config, journey_dir: Path) -> list[Scenario]:
    cache_key = "_simsuite_scenarios"
    if not hasattr(config, cache_key):
        given = config.getoption("--sim-scenarios")
        candidates = [Path(given)] if given else [journey_dir.parent / "scenarios", config.rootpath / "scenarios"]
        path = next((p for p in candidates if p.exists()), None)
        setattr(config, cache_key, load_scenarios([path]) if path else [])
    return getattr(config, cache_key)


class JourneyModule(pytest.Module):
    """A journey script: one test per (scenario naming the journey, journey, persona)."""

    def collect(self) -> list[pytest.Item]:
        try:
            specs = journeys_in_module(self.obj)
            scenarios = _scenarios_for(self.config, self.path.parent)
        except SimsuiteError as exc:
            raise self.CollectError(str(exc)) from None
        seed, mode = self.config.getoption("--sim-seed"), _target_mode(self.config)
        items: list[pytest.Item] = []
        for spec in specs:
            chosen = [s for s in scenarios if spec.name in s.journeys] or [default_scenario(spec.name)]
            for scenario in chosen:
                for persona in scenario.personas(seed):
                    item = pytest.Function.from_parent(
                        self, name=f"{spec.name}[{scenario.name}-{persona.id}]",
                        callobj=_journey_test(spec, scenario, persona))
                    item.add_marker("simsuite_journey")
                    item.stash[STASH_STAND_IN] = stand_in(spec.name, scenario, persona, mode)
                    items.append(item)
        return items

    def _register_setup_module_fixture(self) -> None:  # journey scripts have no setup_module
        pass

    def _register_setup_function_fixture(self) -> None:
        pass


def _journey_test(spec: JourneySpec, scenario: Scenario, persona: Persona) -> Callable[..., None]:
    def journey_test(request: pytest.FixtureRequest, simsuite_target: RunTarget) -> None:
        config = request.config
        out = config.getoption("--sim-out")
        result = run_journey(
            spec, scenario, persona, simsuite_target,
            page_factory=lambda: request.getfixturevalue("page"),
            report_dir=Path(out) if out else None,
            phrases=_phrases(config),
        )
        data = plain(result.to_dict())
        request.node.user_properties.extend(junit_properties(data))  # on the reports, so they cross from workers
        request.node.stash[STASH_JOURNEY] = data  # the gatherer takes it from the item's report
        if result.error:
            pytest.fail(_could_not_run_message(data, request.config), pytrace=False)
        if result.budget_violations:
            pytest.fail(_failure_message(data), pytrace=False)

    journey_test.__doc__ = spec.description
    journey_test.__module__ = Path(spec.path).stem
    return journey_test


def _target_mode(config: pytest.Config) -> str | None:
    """The mode label the journeys' results carry, as `simsuite_target` gives it."""
    demo = config.getoption("--sim-demo")
    mode = config.getoption("--sim-mode")
    return (mode or demo) if demo and not _base_url(config) else mode


def _phrases(config: pytest.Config) -> Any:
    from .core.phrases import load_phrases

    if not hasattr(config, "_simsuite_phrases"):
        config._simsuite_phrases = load_phrases(*config.getoption("--sim-phrases"))  # type: ignore[attr-defined]
    return config._simsuite_phrases  # type: ignore[attr-defined]


def _could_not_run_message(j: dict[str, Any], config: pytest.Config) -> str:
    """A journey that could not run is no verdict on the company: say why, and the fix for a missing browser."""
    message = f"{j['id']}: could not run (an error, not friction): {j['error']}"
    if "Executable doesn't exist" in j["error"] or "playwright install" in j["error"]:
        browsers = config.getoption("browser", None) or ["chromium"]
        message += (f"\n  Fix: install the browser (python -m playwright install {' '.join(browsers)}), or run "
                    "with --browser chromium: simsuite finds a Chromium on this machine")
    return message


def _failure_message(j: dict[str, Any]) -> str:
    lines = [f"{j['id']}: exceeded its friction budget (index {j['index']}, outcome {j['outcome']}: "
             f"{j['outcome_detail']})"]
    lines += [f"  - {v}" for v in j["budget_violations"]]
    if j["frictions"]:
        lines.append("  friction met:")
        lines += [f"    step {f['step']:>3} {f['channel']:<6} {f['kind']:<22} \"{f['evidence'][:160]}\""
                  for f in j["frictions"]]
    return "\n".join(lines)


@pytest.fixture(scope="session")
def simsuite_mailbox(pytestconfig: pytest.Config) -> Any:
    """simsuite's SMTP mailbox on 127.0.0.1: where the customers' mail arrives."""
    from .mailbox import MailServer

    with MailServer(port=pytestconfig.getoption("--sim-smtp-port")) as mailbox:
        yield mailbox


@pytest.fixture(scope="session")
def simsuite_target(pytestconfig: pytest.Config, simsuite_mailbox: Any) -> Any:
    """The site the journeys run against: --base-url (and --sim-phone-url), or the demo with --sim-demo."""
    from .channels.chat import chat_config_from_file

    demo = pytestconfig.getoption("--sim-demo")
    base_url = _base_url(pytestconfig)
    phone_url = pytestconfig.getoption("--sim-phone-url")
    chat_url = (pytestconfig.getoption("--sim-chat-url") or "").rstrip("/") or None
    chat_file = pytestconfig.getoption("--sim-chat-config")
    chat_config = tuple(chat_config_from_file(chat_file).items()) if chat_file else ()
    mode = pytestconfig.getoption("--sim-mode")
    privacy = {"redact_params": tuple(pytestconfig.getoption("--sim-redact-param")),
               "mask_selectors": tuple(pytestconfig.getoption("--sim-mask"))}
    if demo and not base_url:
        from .demo import DEPARTMENTS, DemoServer

        with DemoServer(demo, mail_relay=(simsuite_mailbox.host, simsuite_mailbox.port)) as server:
            yield RunTarget(mode or demo, server.url, phone_url, chat_url, chat_config, simsuite_mailbox,
                            dialled=tuple(DEPARTMENTS.items()), **privacy)
        return
    if not base_url:
        raise pytest.UsageError("simsuite journeys need a target: pass --base-url URL (and --sim-phone-url URL "
                                "for an IVR elsewhere), or --sim-demo as-is|recovered")
    try:
        target = RunTarget(mode, base_url.rstrip("/"), (phone_url or "").rstrip("/") or None, chat_url, chat_config,
                           simsuite_mailbox, phone_method=pytestconfig.getoption("--sim-phone-method"),
                           dialled=_dialled(pytestconfig.getoption("--sim-dialled")), **privacy)
    except SimsuiteError as exc:
        raise pytest.UsageError(str(exc)) from None
    yield target


def _dialled(values: list[str]) -> tuple[tuple[str, str], ...]:
    from .app import parse_pairs

    try:
        return parse_pairs(values, "--sim-dialled", "NUMBER=PATH")
    except SimsuiteError as exc:
        raise pytest.UsageError(str(exc)) from None


class Explorer:
    """The explorers bound to the run's target; every map is also written to --sim-out when given."""

    def __init__(self, config: pytest.Config, target: RunTarget) -> None:
        self.config, self.target = config, target

    def _keep(self, explored: Any) -> Any:
        if self.config.getoption("--sim-out"):
            gatherer(self.config).made_map(explored)  # leaves with the item's report
        return explored

    def phone(self, entry: str = "/", **bounds: Any) -> Any:
        """Map the IVR breadth-first from `entry` (see simsuite.explore.ivr.explore_ivr)."""
        from .explore.ivr import explore_ivr

        return self._keep(explore_ivr(self.target.phone_url or self.target.base_url, entry,
                                      mode=self.target.mode, **bounds))

    def goal(self, entry: str, goal: str, persona: Persona | None = None, **options: Any) -> Any:
        """Send a caller with a goal in plain words through the IVR (see simsuite.explore.goal)."""
        from .core.personas import make_persona
        from .explore.goal import goal_caller

        options.setdefault("mode", self.target.mode)
        return self._keep(goal_caller(self.target.phone_url or self.target.base_url, entry, goal,
                                      persona or make_persona(7, "explorer", channels=["phone"]), **options))

    def chat(self, path: str = "/", **bounds: Any) -> Any:
        """Map a chat bot's buttons breadth-first (see simsuite.explore.chat.explore_chat)."""
        from .explore.chat import explore_chat

        return self._keep(explore_chat(self.target.chat_url or self.target.base_url, path, mode=self.target.mode,
                                       chat_config=dict(self.target.chat_config) or None, **bounds))

    def web(self, start_path: str, goal: str, **bounds: Any) -> Any:
        """Follow a help centre's links toward a goal (see simsuite.explore.web.explore_web)."""
        from .explore.web import explore_web

        return self._keep(explore_web(self.target.base_url + start_path, goal, mode=self.target.mode, **bounds))

    def flow(self, path: str | Path) -> Any:
        """Read a Twilio Studio or Amazon Connect flow export (see simsuite.explore.flows.analyse_flow)."""
        from .explore.flows import analyse_flow

        return self._keep(analyse_flow(path))


@pytest.fixture(scope="session")
def simsuite_explorer(pytestconfig: pytest.Config, simsuite_target: RunTarget) -> Explorer:
    """Explorers for the target: `simsuite_explorer.phone("/ivr")` returns the IVR's map."""
    return Explorer(pytestconfig, simsuite_target)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """With --sim-out: history, comparison, alerts and every reporter's file, as `simsuite run` does.

    Under pytest-xdist a worker only hands its ledger to the controller, which concludes once for all.
    """
    config = session.config
    gathered = gatherer(config)
    if is_worker(config):
        config.workeroutput[KEY] = gathered.worker_output()  # type: ignore[attr-defined]
        return
    gathered.session_ended()
    writer = gathered.writer
    if writer is None:
        return
    doc = writer.close(complete=gathered.complete(bool(session.shouldstop)))
    reporters = config.getoption("--sim-reporter")
    mode = config.getoption("--sim-mode") or config.getoption("--sim-demo")
    label = "demo" if config.getoption("--sim-demo") and not _base_url(config) else \
        (mode or _base_url(config) or "pytest")
    run_config = RunConfig(
        target=TargetConfig(mode=label), out=writer.out_dir, seed=config.getoption("--sim-seed"),
        history=config.getoption("--sim-history"), keep_history=not config.getoption("--sim-no-history"),
        alerts=AlertConfig(webhook=config.getoption("--sim-alert-webhook"),
                           max_index=config.getoption("--sim-alert-max-index"),
                           to=tuple(config.getoption("--sim-alert-to")),
                           report_url=config.getoption("--sim-report-url")),
        reporters=tuple(reporters) if reporters else None, fail_over_budget=False)
    conclude(run_config, doc, log=lambda line: None)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    results = gatherer(config).ordered()
    if not results:
        return
    terminalreporter.section("simsuite")
    for j in results:
        shown = "error" if j["index"] is None else f"{j['index']:5.1f}"
        terminalreporter.write_line(f"{shown}  {j['id']}  ({j['outcome']})")
    out = config.getoption("--sim-out", None)
    if out:
        terminalreporter.write_line(f"Report: {Path(out) / 'report.html'}")
