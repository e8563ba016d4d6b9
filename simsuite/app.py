"""The application: one frozen run configuration and one `run(config)`, used by the CLI, schedule and pytest.

    from simsuite.app import RunConfig, TargetConfig, run

    report = run(RunConfig(target=TargetConfig(demo=("as-is",)), out=Path("reports/demo")))
    report.exit_code, report.paths, report.doc["summary"]

A run loads the scenarios and journeys, starts the targets (the demo companies, or a site with
simsuite's mailbox beside it), runs every journey (and, for the demo, maps its IVRs), then
`conclude`s: keeps the run in history, compares and alerts, writes every reporter's file, and
decides the exit code. The pytest plugin runs journeys as test items and calls `conclude` at the end.
"""

from __future__ import annotations

import inspect
from contextlib import ExitStack
from datetime import datetime
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from .alerts import AlertRules
from .browser import RemoteBrowser, check_remote
from .core.journey import load_journeys
from .core.phrases import load_phrases
from .core.polite import HostGate, Politeness, set_default_gate
from .core.progress import Progress
from .core.scenario import load_scenarios
from .core.shard import Shard
from .core.timelimit import DEFAULT_SECONDS
from .errors import NothingToRun, SimsuiteError
from .reporters import write_reports
from .runner import plan, run_suite
from .targets import TargetConfig, start_targets
from .workers import Job, check_workers, run_with_workers

Log = Callable[[str], None]
REPO = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_OVER_BUDGET, EXIT_USAGE, EXIT_COULD_NOT_RUN = 0, 1, 2, 3


def parse_pairs(values: list[str] | tuple[str, ...], option: str, form: str) -> tuple[tuple[str, str], ...]:
    """`NAME=VALUE` arguments as pairs; a malformed one is a usage error naming the option and the form."""
    pairs = []
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip() or not rest.strip():
            raise SimsuiteError(f"{option} {value!r} is not {form}. Fix: write it as {form}, e.g. "
                                f"{option} {'+18005550142=/ivr/scheduling' if 'NUMBER' in form else 'postcode=60616'}")
        pairs.append((name.strip(), rest.strip()))
    return tuple(pairs)


def bundled(name: str) -> Path:
    """A folder of the project being run (./scenarios, ./journeys), else the one shipped beside simsuite."""
    here = Path.cwd() / name
    return here if here.is_dir() else REPO / name


def beside_journeys(journeys: tuple[Path, ...] | list[Path]) -> Path | None:
    """The `scenarios/` folder next to the journeys given (a journeys folder's sibling), if there is one."""
    for path in journeys:
        folder = path if path.is_dir() else path.parent
        for candidate in (folder / "scenarios", folder.parent / "scenarios"):
            if candidate.is_dir() and candidate.resolve() != (REPO / "scenarios").resolve():
                return candidate
    return None


@dataclass(frozen=True)
class AlertConfig:
    """When to alert, and where to deliver: a JSON webhook and apprise URLs (none: alerts are kept, not sent)."""

    webhook: str | None = None
    index_rise: float = 10.0
    max_index: float | None = None
    new_friction_kinds: bool = True
    to: tuple[str, ...] = ()                   # apprise URLs: slack://, workflows://, mailtos://, pagerduty://, ...
    report_url: str | None = None              # where the report is published; alerts link to it
    attempts: int = 3                          # tries per delivery
    timeout: float = 10.0                      # seconds per try

    def rules(self) -> AlertRules:
        """The alert rules these settings give."""
        return AlertRules(index_rise=self.index_rise, max_index=self.max_index,
                          new_friction_kinds=self.new_friction_kinds)


@dataclass(frozen=True)
class RunConfig:
    """Everything one run needs; frozen, so the CLI, a schedule and pytest describe a run the same way."""

    target: TargetConfig
    out: Path = Path("reports/run")
    scenarios: Path | None = None             # default: ./scenarios, else the bundled ones
    journeys: tuple[Path, ...] = ()            # default: ./journeys, else the bundled ones
    only_given: bool = False                   # run only the journeys the given files define
    seed: int = 7
    phrases: tuple[str, ...] = ()
    history: str | None = None                 # default: $SIMSUITE_HISTORY, else reports/history.sqlite
    keep_history: bool = True
    alerts: AlertConfig = field(default_factory=AlertConfig)
    reporters: tuple[str, ...] | None = None   # None: every registered reporter
    pdf: bool | str = False                   # True or "summary": the journeys that matter; "full": everything
    explore: bool = True                       # map the demo IVRs (demo targets only)
    fail_over_budget: bool = True
    shard: str | None = None                   # "I/N": run only that share, write a partial results.json
    workers: int = 1                           # processes running journeys side by side, each with a browser
    run_id: str | None = None                  # names the run the shards belong to (e.g. the CI run): merge checks it
    politeness: Politeness = Politeness()      # per host, on this machine: journeys in flight, requests a second
    journey_time_limit: float | None = DEFAULT_SECONDS  # wall-clock seconds a journey may take (a scenario may say)
    browser_endpoint: str | None = None        # a Playwright server (ws://...) to run the browser on
    cdp_endpoint: str | None = None            # or a Chromium's DevTools endpoint (http://host:9222)

    @property
    def remote_browser(self) -> RemoteBrowser | None:
        """The browser that runs elsewhere, if the run was pointed at one."""
        if self.browser_endpoint and self.cdp_endpoint:
            raise SimsuiteError("--browser-endpoint and --cdp-endpoint both given. Fix: give one of them")
        if self.browser_endpoint:
            return RemoteBrowser(self.browser_endpoint)
        return RemoteBrowser(self.cdp_endpoint, "cdp") if self.cdp_endpoint else None


@dataclass
class RunReport:
    """What a run produced: the results document, the files written, and the exit code."""

    doc: dict[str, Any]
    paths: list[Path]
    exit_code: int

    @property
    def report(self) -> Path | None:
        """The HTML report, if one was written."""
        return next((p for p in self.paths if p.suffix == ".html"), None)


def run(config: RunConfig, *, log: Log = print, progress: Progress | None = None) -> RunReport:
    """Run every journey of the configuration against its targets, then conclude (history, reports, exit code).

    `progress` hears of each journey as it starts and finishes (default: a counted line each through `log`).
    """
    check_workers(config.workers, config.target)
    set_default_gate(HostGate(config.politeness))
    remote = config.remote_browser
    if remote is not None:
        check_remote(remote)
    scenario_path = config.scenarios or beside_journeys(config.journeys) or bundled("scenarios")
    scenarios = load_scenarios([scenario_path])
    journeys = load_journeys(list(config.journeys) or [bundled("journeys")])
    if not journeys:
        where = ", ".join(str(p) for p in config.journeys) or str(bundled("journeys"))
        raise NothingToRun(f"no journey to run: no file in {where} defines one with @journey (files whose name "
                           "starts with _ are helpers). Fix: give the journey files or folder, or decorate the "
                           "journey functions with @journey")
    _check_named_journeys(config, scenarios, journeys)
    named = {name for s in scenarios for name in s.journeys}
    for name in sorted(n for n in journeys if n not in named and config.journeys):
        log(f"simsuite: no scenario in {scenario_path} names journey {name!r}; it runs as one customer with every "
            "channel and fact (add a scenario to choose who, or pass --scenarios)")
    phrases = load_phrases(*config.phrases)
    only = set(journeys) if config.only_given else None
    shard = Shard.parse(config.shard) if config.shard else None
    try:
        doc = _run_journeys(config, scenario_path, scenarios, journeys, phrases, only, shard, remote, log, progress)
    except KeyboardInterrupt:
        if progress is not None:
            progress.close()
        _report_what_finished(config, log)
        raise
    if progress is not None:
        progress.close()
    if shard is not None:  # a part: history, reports and the verdict belong to the merged run
        from .results import write_json_atomic

        doc["run"]["target"] = config.target.label
        if config.run_id:
            doc["run"]["run_id"] = config.run_id
        write_json_atomic(config.out / "results.json", doc)
        log(f"\nsimsuite: shard {shard}: {len(doc['journeys'])} of {doc['run']['planned']} journeys in "
            f"{config.out / 'results.json'}. Merge the {shard.total} parts with: simsuite merge PART... --out DIR")
        return RunReport(doc, [config.out / "results.json"], EXIT_OK)
    return conclude(config, doc, log=log)


def _run_journeys(config: RunConfig, scenario_path: Path, scenarios: list[Any], journeys: dict[str, Any],
                  phrases: Any, only: set[str] | None, shard: Shard | None, remote: RemoteBrowser | None, log: Log,
                  progress: Progress | None) -> dict[str, Any]:
    """Start the targets and run the journeys, in this process or in workers; the results document."""
    with ExitStack() as stack:
        customers = [persona for *_, persona in plan(scenarios, journeys, config.seed, only)] \
            if config.target.audio else []
        targets = start_targets(config.target, stack, log, customers)
        explore = None
        if config.target.demo and config.explore:
            from .explore.demo import explore_demo as explore
        if config.workers > 1:
            job = Job(config.target, scenario_path, tuple(config.journeys) or (bundled("journeys"),),
                      config.only_given, config.seed, config.phrases, config.out, remote, config.politeness,
                      config.journey_time_limit)
            return run_with_workers(job, config.workers, targets, shard=shard, explore=explore, log=log,
                                    progress=progress)
        return run_suite(scenarios, journeys, targets, seed=config.seed, out_dir=config.out, phrases=phrases,
                         only=only, explore=explore, log=log, shard=shard, remote=remote, progress=progress,
                         time_limit_s=config.journey_time_limit)


def _report_what_finished(config: RunConfig, log: Log) -> None:
    """After Ctrl-C: the reports of the journeys that finished (no history, no alerts: the run is not whole)."""
    from .results import ResultsFileError, load_results

    try:
        doc = load_results(config.out)
    except ResultsFileError:
        return
    paths = write_reports(doc, config.out, config.reporters)
    html = next((p for p in paths if p.suffix == ".html"), None)
    log(f"\nsimsuite: interrupted after {len(doc['journeys'])} journeys; their results and report are in "
        f"{html or config.out} (not kept in the history: the run is not whole)")


def _check_named_journeys(config: RunConfig, scenarios: list[Any], journeys: dict[str, Any]) -> None:
    """With journey files given and the project's own scenarios, a scenario naming a journey that no file in
    those folders defines is a mistake to say, not a scenario to drop."""
    if not config.journeys or not (config.scenarios or beside_journeys(config.journeys)):
        return
    folders = sorted({p if p.is_dir() else p.parent for p in config.journeys})
    known = set(journeys) | set(load_journeys(folders))
    for scenario in scenarios:
        for name in scenario.journeys:
            if name not in known:
                raise SimsuiteError(f"{scenario.path}: scenario {scenario.name!r} names journey {name!r}, which no "
                                    f"file in {', '.join(str(f) for f in folders)} defines. Known journeys: "
                                    f"{', '.join(sorted(known)) or 'none'}. Fix: correct the name, or add the journey")


def merge(config: RunConfig, parts: list[Path], *, partial: bool = False, log: Log = print) -> RunReport:
    """Make one run of the shards' parts (see `simsuite.merge`), then conclude it like any run."""
    from .merge import merge_parts
    from .results import write_json_atomic

    doc = merge_parts(parts, config.out, partial=partial)
    write_json_atomic(config.out / "results.json", doc)
    label = str(doc["run"].get("target") or "")
    if config.target == TargetConfig() and label:  # history files it under the target the parts ran against
        modes = tuple(str(m) for m in doc["run"].get("modes") or () if m)
        config = replace(config, target=TargetConfig(demo=modes) if label == "demo" else TargetConfig(mode=label))
    log(f"simsuite: merged {len(parts)} parts ({', '.join(doc['run']['merged_from'])}): "
        f"{len(doc['journeys'])} of {doc['run'].get('planned', len(doc['journeys']))} journeys")
    return conclude(config, doc, log=log)


def conclude(config: RunConfig, doc: dict[str, Any], *, log: Log = print) -> RunReport:
    """After the journeys: history, comparison and alerts, every reporter's file, the summary, the exit code."""
    from .report import format_summary

    errors = [j for j in doc["journeys"] if j.get("outcome") == "error"]
    if config.keep_history:  # a run where no journey could run keeps its could_not_run alert, not a scored run
        doc = _track(config, doc, log)
    paths = write_reports(doc, config.out, config.reporters)
    html = next((p for p in paths if p.suffix == ".html"), None)
    log("")
    log(format_summary(doc, html))
    if config.pdf and html is not None:
        from .report.pdf import render_pdf

        log(f"PDF: {render_pdf(html, full=config.pdf == 'full')}")
    code = EXIT_OK
    over = [j for j in doc["journeys"] if j.get("budget_violations") and j.get("outcome") != "error"]
    if errors:  # the site was down or a script could not act: no verdict on the company, exit 3
        log(f"\n{len(errors)} journey(s) could not run (an error, not friction):")
        for j in errors:
            log(f"  {j['id']}: {j.get('error') or j.get('outcome_detail')}")
        code = EXIT_COULD_NOT_RUN
    elif config.fail_over_budget and over:
        log(f"\n{len(over)} journey(s) exceeded their friction budget:")
        for j in over:
            log(f"  {j['id']}: " + "; ".join(j["budget_violations"]))
        code = EXIT_OVER_BUDGET
    return RunReport(doc, paths, code)


_DAMAGE = ("malformed", "not a database", "file is encrypted")


def _track(config: RunConfig, doc: dict[str, Any], log: Log) -> dict[str, Any]:
    """Keep the run in history with its comparison and alerts. A damaged history file is set aside and a new
    one started; any other history fault is said and the run goes on to its report."""
    from .history import history_location
    from .tracking import track_run

    a = config.alerts

    def track() -> dict[str, Any]:
        return track_run(doc, config.out, history=config.history, target=config.target.label, webhook=a.webhook,
                         alert_to=a.to, report_url=a.report_url, rules=a.rules(), attempts=a.attempts,
                         timeout=a.timeout, log=log)

    try:
        return track()
    except Exception as exc:  # the history must never cost a run its results and report
        location = history_location(config.history)
        damaged = "://" not in location and Path(location).is_file() and any(w in str(exc) for w in _DAMAGE)
        if damaged:
            aside = Path(f"{location}.damaged-{datetime.now():%Y%m%d-%H%M%S}")
            Path(location).rename(aside)
            for extra in ("-wal", "-shm"):
                Path(location + extra).unlink(missing_ok=True)
            log(f"simsuite: the history {location} is damaged ({exc}); it was set aside as {aside} and a new one "
                "started. Fix: restore it from a backup if you have one")
            try:
                return track()
            except Exception as again:  # noqa: BLE001 - said below, the run goes on
                exc = again
        log(f"simsuite: this run is not kept in the history ({exc.__class__.__name__}: {exc}); its results and "
            "report are kept")
        doc["history"] = {"error": f"{exc.__class__.__name__}: {exc}"}
        return doc


def write_maps(maps: list[Any], out: Path, command: str, *, log: Log = print) -> RunReport:
    """Write explorer maps on their own: results.json (with "maps"), map.json, and every reporter's file."""
    import json

    from .report import format_summary
    from .results import ResultsWriter

    writer = ResultsWriter(out, {"command": command})
    for explored in maps:
        writer.add_map(explored)
    doc = writer.close()
    (Path(out) / "map.json").write_text(json.dumps([m.to_dict() for m in maps], indent=2, ensure_ascii=False),
                                        encoding="utf-8")
    paths = write_reports(doc, out, None)
    log(format_summary(doc, next((p for p in paths if p.suffix == ".html"), None)))
    return RunReport(doc, paths, EXIT_OK)


def registries() -> dict[str, list[tuple[str, str]]]:
    """Every extension point's entries, as (name, the module that provides it), built-ins and plugins alike."""
    from .channels import CHANNELS
    from .channels.phone import DIALECTS
    from .core.detectors import DETECTORS
    from .reporters import REPORTERS

    def source(entry: Any) -> str:
        owner = entry if isinstance(entry, type) or inspect.isfunction(entry) else type(entry)
        return f"{owner.__module__}.{owner.__qualname__}"

    return {"channels": [(n, source(e)) for n, e in CHANNELS.items()],
            "detectors": [(n, source(e)) for n, e in DETECTORS.items()],
            "reporters": [(n, source(e)) for n, e in REPORTERS.items()],
            "phone dialects": [(n, source(e)) for n, e in DIALECTS.items()]}
