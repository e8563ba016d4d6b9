"""Run journeys: one customer, one journey, one target at a time, and whole suites with results as they finish."""

from __future__ import annotations

import os
import re
import time
import traceback
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import urlsplit

from .browser import BrowserPool, RemoteBrowser
from .core.detectors import Detector
from .core.index import IndexWeights, kafkaesque_index
from .core.journey import JourneySpec
from .core.personas import Persona
from .core.phrases import Phrases
from .core.polite import default_gate
from .core.progress import LineProgress, Progress, journey_label
from .core.scenario import Scenario, default_scenario
from .core.shard import Shard, run_key, suite_id
from .core.target import Target
from .core.timelimit import DEFAULT_SECONDS, TimeLimitExceeded, time_limit
from .core.timelimit import check as check_time_limit
from .customer import Customer
from .errors import ScriptError, SimsuiteError, SiteUnreachable
from .model import JourneyResult, Outcome
from .results import ResultsWriter, now_iso


@dataclass(frozen=True)
class RunTarget:
    """A site to run against: its mode label (e.g. "as-is"), web base URL and phone webhook base URL."""

    mode: str | None
    base_url: str
    phone_url: str | None = None
    chat_url: str | None = None
    chat_config: tuple[tuple[str, Any], ...] = ()
    mailbox: Any = field(default=None, compare=False)
    phone_method: str = "POST"
    phone_number: str = "+18005550100"
    dialled: tuple[tuple[str, str], ...] = ()  # numbers the IVR may dial that the target answers itself
    redact_params: tuple[str, ...] = ()   # query parameters redacted besides the usual secrets
    mask_selectors: tuple[str, ...] = ()  # CSS selectors masked in screenshots
    demo: bool = False                    # one of simsuite's own demo companies
    basic_auth: tuple[str, str] | None = field(default=None, repr=False, compare=False)  # HTTP basic auth
    phone_prompts: tuple[str, ...] = field(default=(), compare=False)  # what a SIP line is expected to say
    sip_credentials: tuple[str, str] | None = field(default=None, repr=False, compare=False)  # a trunk's

    def __post_init__(self) -> None:
        for name, url in (("base URL", self.base_url), ("phone URL", self.phone_url), ("chat URL", self.chat_url)):
            parts = urlsplit(url or "")
            if name == "phone URL" and parts.scheme in ("sip", "sips") and parts.path:
                continue
            if url is not None and (parts.scheme not in ("http", "https") or not parts.netloc):
                raise SimsuiteError(f"the {name} {url!r} is not a web address. Fix: give a full URL such as "
                                    "https://staging.example.com")
        if self.phone_method.upper() not in ("GET", "POST"):
            raise SimsuiteError(f"the phone method {self.phone_method!r} is neither GET nor POST. Fix: give the "
                                "method the number's voice URL is configured with")

    @property
    def hosts(self) -> frozenset[str]:
        """The hosts this run may touch."""
        return frozenset(urlsplit(u).netloc for u in (self.base_url, self.phone_url, self.chat_url)
                         if u and urlsplit(u).netloc)

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "base_url": self.base_url, "phone_url": self.phone_url or self.base_url,
                "chat_url": self.chat_url or self.base_url,
                "mailbox": f"smtp://{self.mailbox.host}:{self.mailbox.port}" if self.mailbox else None,
                **({"demo": True} if self.demo else {})}


def slug(text: str) -> str:
    """A file-name-safe form of a journey id."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


def run_journey(
    spec: JourneySpec,
    scenario: Scenario,
    persona: Persona,
    target: RunTarget,
    *,
    page_factory: Callable[[], Any] | None = None,
    report_dir: Path | None = None,
    phrases: Phrases | None = None,
    weights: IndexWeights | None = None,
    time_limit_s: float | None = DEFAULT_SECONDS,
) -> JourneyResult:
    """Run one journey for one customer against one target and score it.

    The journey is stopped after `time_limit_s` seconds of wall-clock time (the scenario's
    `time_limit_seconds` wins), wherever it is: an error outcome saying where, never friction.
    """
    started, t0 = now_iso(), time.perf_counter()
    journey_id = f"{scenario.name}/{spec.name}/{target.mode or 'target'}/{persona.id}"
    customer = Customer(
        persona, scenario,
        Target(base_url=target.base_url, phone_url=target.phone_url, chat_url=target.chat_url,
               chat_config=dict(target.chat_config), mailbox=target.mailbox, page_factory=page_factory,
               artifacts_dir=(report_dir / "artifacts" / slug(journey_id)) if report_dir else None,
               report_dir=report_dir, allowed_hosts=target.hosts, phone_method=target.phone_method.upper(),
               phone_number=target.phone_number, dialled=dict(target.dialled),
               redact_params=target.redact_params, mask_selectors=target.mask_selectors,
               basic_auth=target.basic_auth, phone_prompts=target.phone_prompts,
               sip_credentials=target.sip_credentials),
        phrases=phrases,
    )
    error: str | None = None
    customer.journal.detectors.append(_Deadline())
    try:
        with time_limit(scenario.time_limit_seconds or time_limit_s), default_gate().contact(target.hosts), \
                _exits_refused():
            spec.function(customer)
    except SystemExit as exc:  # the script tried to end the whole run
        error = (f"ScriptError: the journey script called sys.exit({exc.code!r}){_where(exc, spec)}, which would stop "
                 "the whole run. Fix: return from the journey (after customer.resolved(...) or the like)")
    except TimeLimitExceeded as exc:
        last = customer.journal.steps[-1] if customer.journal.steps else None
        after = f"; its last step was {last.index} ({last.channel}: {last.detail})" if last else "; it recorded no step"
        error = f"stopped at its time limit of {exc.seconds:g} s{_where(exc, spec)}{after}"
    except SiteUnreachable as exc:
        error = f"site unreachable: {exc}"
    except SimsuiteError as exc:  # the script asked for something that cannot be done: say where
        error = f"{exc.__class__.__name__}: {exc}{_where(exc, spec)}"
    except Exception as exc:  # a journey script crashed: keep the steps, report where
        error = f"{exc.__class__.__name__}: {exc}{_where(exc, spec)}"
    finally:
        try:
            customer.close()
        except Exception:
            pass
    journal = customer.journal
    if error is None:
        journal.finish()
        if journal.outcome is None:
            journal.conclude(Outcome.UNRESOLVED, "the journey ran out of ways to reach the goal")
        outcome, detail, frictions = journal.outcome, journal.outcome_detail, journal.frictions
    else:
        outcome, detail, frictions = Outcome.ERROR, error, []
    w = (weights or IndexWeights()).with_overrides(scenario.weights)
    index, components = kafkaesque_index(outcome, frictions, w)
    if outcome is Outcome.ERROR:
        index, components = None, {**components, "band": "error"}
    violations = scenario.budget.violations(index, frictions)
    if outcome is Outcome.ERROR:
        violations = [f"the journey could not run: {error}"]
    return JourneyResult(
        scenario=scenario.name, journey=spec.name, persona=persona.to_dict(), mode=target.mode,
        outcome=outcome, outcome_detail=detail, index=index, components=components, frictions=frictions,
        steps=journal.steps, simulated_minutes=round(journal.clock.spent_minutes, 1),
        budget=scenario.budget.to_dict(), budget_violations=violations, error=error,
        started=started, wall_seconds=round(time.perf_counter() - t0, 3),
    )


@contextmanager
def _exits_refused() -> Iterator[None]:
    """While a journey runs, `os._exit` raises instead of ending the process without a word."""
    real = os._exit

    def refuse(code: int) -> None:
        raise ScriptError(f"the journey script called os._exit({code}), which would stop the whole run without "
                          "a report. Fix: return from the journey instead")

    os._exit = refuse  # type: ignore[assignment]
    try:
        yield
    finally:
        os._exit = real


class _Deadline(Detector):
    """Not a judge: stops a journey at its next step once its time is up (where no timer signal can)."""

    name = "time limit"

    def on_step(self, journal: Any, step: Any) -> tuple[()]:
        check_time_limit()
        return ()


def could_not_run(scenario: Scenario, journey: str, persona: Persona, mode: str | None, error: str = "", *,
                  started: str = "") -> JourneyResult:
    """The result of a journey that never finished (its worker died): an error with no index, never friction.
    Without `error`, a stand-in whose error is filled in later."""
    _, components = kafkaesque_index(Outcome.ERROR, [], IndexWeights().with_overrides(scenario.weights))
    return JourneyResult(
        scenario=scenario.name, journey=journey, persona=persona.to_dict(), mode=mode, outcome=Outcome.ERROR,
        outcome_detail=error, index=None, components={**components, "band": "error"},  # type: ignore[arg-type]
        frictions=[], steps=[], simulated_minutes=0.0, budget=scenario.budget.to_dict(),
        budget_violations=[f"the journey could not run: {error}"] if error else [], error=error or None,
        started=started)


_PACKAGE = Path(__file__).resolve().parent


def _where(exc: BaseException, spec: JourneySpec) -> str:
    """" (at file.py:line)": the last line of the journey's own code (its file or a helper beside it) that
    ran before the error, else the last line that ran at all."""
    frames = traceback.extract_tb(exc.__traceback__)
    own = [f for f in frames if not f.filename.startswith("<") and _PACKAGE not in Path(f.filename).resolve().parents
           and "site-packages" not in f.filename and "/lib/python" not in f.filename]
    in_script = [f for f in own if spec.path and Path(f.filename) == Path(spec.path)]
    frame = (own or in_script or frames or [None])[-1]
    return f" (at {Path(frame.filename).name}:{frame.lineno})" if frame else ""


def plan(scenarios: list[Scenario], journeys: dict[str, JourneySpec], seed: int,
         only: set[str] | None = None) -> Iterator[tuple[Scenario, JourneySpec, Persona]]:
    """Every (scenario, journey, persona) to run; journeys no scenario names get a default scenario."""
    named: set[str] = set()
    for scenario in scenarios:
        for name in scenario.journeys:
            named.add(name)
            if only is not None and name not in only:
                continue
            if name not in journeys:
                raise ScriptError(f"{scenario.path}: scenario {scenario.name!r} names journey {name!r}, which no "
                                  f"file defines. Known journeys: {', '.join(sorted(journeys)) or 'none'}. "
                                  "Fix: correct the name or add the journey to journeys/")
            for persona in scenario.personas(seed):
                yield scenario, journeys[name], persona
    for name, spec in sorted(journeys.items()):
        if name not in named and (only is None or name in only):
            scenario = default_scenario(name)
            for persona in scenario.personas(seed):
                yield scenario, spec, persona


def suite_meta(items: list[tuple[Scenario, JourneySpec, Persona]], targets: list[RunTarget], seed: int,
               shard: Shard | None = None) -> tuple[dict[str, Any], list[str]]:
    """The run's description in results.json (seed, targets, the suite's fingerprint, the share), and each
    planned run's key, which decides its shard."""
    keys = [run_key(scenario.name, spec.name, persona.id) for scenario, spec, persona in items]
    meta = {"seed": seed, "targets": [t.to_dict() for t in targets], "modes": [t.mode for t in targets],
            "suite": suite_id(keys, seed, [t.mode for t in targets]), "planned": len(items) * len(targets)}
    companies = sorted({scenario.company.strip() for scenario, _, _ in items if scenario.company.strip()})
    if companies:  # the scenarios say whom the customers deal with: the report's title
        meta["companies"] = companies
    if shard is not None:
        meta["shard"] = str(shard)
    return meta, keys


def run_suite(
    scenarios: list[Scenario],
    journeys: dict[str, JourneySpec],
    targets: list[RunTarget],
    *,
    seed: int,
    out_dir: Path,
    phrases: Phrases | None = None,
    weights: IndexWeights | None = None,
    only: set[str] | None = None,
    explore: Callable[[RunTarget], list[Any]] | None = None,
    log: Callable[[str], None] = print,
    shard: Shard | None = None,
    remote: RemoteBrowser | None = None,
    progress: Progress | None = None,
    time_limit_s: float | None = DEFAULT_SECONDS,
) -> dict[str, Any]:
    """Run every planned journey against every target, writing results.json after each one.

    `explore(target)`, if given, returns explorer maps for a target; they are added after its journeys.
    With `shard`, only that shard's share runs (explorers with the first shard), and the document says
    which share it holds, so `merge` can make one run of all the shards. `progress` hears of each journey
    (default: a counted line per journey through `log`).
    """
    progress = progress or LineProgress(log)
    items = list(plan(scenarios, journeys, seed, only))
    meta, keys = suite_meta(items, targets, seed, shard)
    taken = [i for i in range(len(items)) if shard is None or shard.takes(keys[i])]
    progress.planned(len(taken) * len(targets))
    writer = ResultsWriter(out_dir, meta)
    complete = False
    with ExitStack() as stack:
        pool = BrowserPool(stack, remote=remote)
        try:
            for t, target in enumerate(targets):
                for i in taken:
                    scenario, spec, persona = items[i]
                    label = journey_label(target.mode, scenario.name, spec.name)
                    progress.started(label)
                    result = run_journey(spec, scenario, persona, target, page_factory=pool.page_factory(target.hosts),
                                         report_dir=out_dir, phrases=phrases, weights=weights,
                                         time_limit_s=time_limit_s)
                    pool.release()
                    writer.add({**result.to_dict(), "order": [t, i]})
                    progress.finished(label, result.index, result.outcome.value)
                for explored in (explore(target) if explore and (shard is None or shard.index == 1) else []):
                    writer.add_map(explored)
                    progress.note(f"{target.mode or 'target'}: explored {explored.kind} {explored.target}"
                                  f"{' goal: ' + explored.goal if explored.goal else ''}: {len(explored.nodes)} "
                                  f"states, {len(explored.findings)} findings")
            complete = True
        finally:
            doc = writer.close(complete=complete)
    return doc
