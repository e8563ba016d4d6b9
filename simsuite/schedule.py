"""`simsuite schedule`: run a configured suite on a cron expression, keep history, alert on a webhook.

The suite file (see examples/suite.yaml)::

    cron: "0 6 * * 1"                 # five fields: minute hour day-of-month month day-of-week
    timezone: UTC                     # optional: "local" (default) or an IANA name such as Europe/Berlin
    target: {demo: as-is}             # or {base_url: ..., phone_url: ..., chat_url: ..., chat_config: ..., mode: ...}
    scenarios: scenarios/             # paths are relative to the current folder, as on the command line
    journeys: journeys/
    out: reports/scheduled
    history: reports/history.sqlite   # a file path or a database URL
    seed: 7
    alert:                            # optional
      webhook: https://hooks.example.com/simsuite   # the JSON body; ${VAR} is read from the environment (unset: none)
      to:                                # apprise URLs (one, or a list), ${VAR} read from the environment
        - ${SLACK_ALERT_URL}             # e.g. slack://TokenA/TokenB/TokenC
        - mailtos://user:${SMTP_PASSWORD}@example.com?to=cx-team@example.com
      report_url: https://reports.example.com/weekly/   # alerts link to report.html there
      index_rise: 10
      max_index: 60
      new_friction_kinds: true

`run_scheduled(config, run_once)` sleeps until each fire time and calls `run_once(config)`, which runs
the suite; the run itself keeps history, raises the alerts and delivers them (`simsuite.tracking`), and
a run that stops before any journey delivers one could_not_run alert. The schedule logs one line per
run, writes `alerts.json` beside the report, and, when it ends after `max_runs`, exits 3 if any of its
runs could not run (every journey an error, or no journey started), else 0.
"""

from __future__ import annotations

import math
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, Callable

import yaml

from .alerts import AlertRules, alert_body, evaluate, post_alert
from .app import EXIT_COULD_NOT_RUN, AlertConfig, RunConfig, TargetConfig, run
from .core.files import BadYaml, NotUtf8, compose_yaml, read_text
from .errors import SimsuiteError
from .results import write_json_atomic

DEMO_MODES = ("as-is", "recovered", "both")
DEMO_TARGETS = ("as-is", "recovered")
TOP_KEYS = {"cron", "timezone", "target", "scenarios", "journeys", "out", "history", "seed", "alert"}
TARGET_KEYS = {"demo", "base_url", "phone_url", "chat_url", "chat_config", "mode", "smtp_port"}
ALERT_KEYS = {"webhook", "to", "report_url", "index_rise", "max_index", "new_friction_kinds", "timeout"}
EXAMPLE_CRON = '"0 6 * * 1" (06:00 every Monday)'
MAX_SLEEP = 60.0  # sleep in slices, so a suspended machine or a clock change is noticed within a minute


class ScheduleError(SimsuiteError):
    """A suite file or cron expression is wrong: the message names the file, the key and the fix."""


@dataclass(frozen=True)
class SuiteConfig:
    """A scheduled suite, as read from its YAML file."""

    path: Path
    cron: str
    target: dict[str, Any]
    scenarios: Path = Path("scenarios")
    journeys: Path = Path("journeys")
    out: Path = Path("reports/scheduled")
    history: str = "reports/history.sqlite"
    seed: int = 7
    timezone: str = "local"
    webhook: str | None = None
    webhook_unset: str | None = None  # the environment variable alert.webhook names, when it is not set
    rules: AlertRules = field(default_factory=AlertRules)
    alert_timeout: float = 10.0
    alert_to: tuple[str, ...] = ()         # apprise URLs
    alert_to_unset: tuple[str, ...] = ()   # environment variables alert.to names that are not set
    report_url: str | None = None

    @property
    def demo(self) -> str | None:
        """The demo mode ("as-is", "recovered" or "both") when the target is the demo companies."""
        return self.target.get("demo")

    def run_config(self) -> RunConfig:
        """The run this suite describes; the run raises its alerts and delivers them."""
        if self.demo:
            target = TargetConfig(demo=DEMO_TARGETS if self.demo == "both" else (self.demo,))
        else:
            t = self.target
            target = TargetConfig(base_url=t["base_url"], phone_url=t.get("phone_url"), chat_url=t.get("chat_url"),
                                  chat_config=t.get("chat_config"), smtp_port=int(t.get("smtp_port") or 0),
                                  mode=t.get("mode"))
        alerts = AlertConfig(webhook=self.webhook, to=self.alert_to, report_url=self.report_url,
                             timeout=self.alert_timeout, index_rise=self.rules.index_rise,
                             max_index=self.rules.max_index, new_friction_kinds=self.rules.new_friction_kinds)
        return RunConfig(target=target, out=self.out, scenarios=self.scenarios, journeys=(self.journeys,),
                         only_given=not self.demo, seed=self.seed, history=self.history, alerts=alerts,
                         fail_over_budget=False)


def run_once(config: SuiteConfig, *, log: Callable[[str], Any] = print) -> dict[str, Any]:
    """One run of a scheduled suite, recorded in the history with its alerts delivered; what `run_scheduled`
    logs. A run that stops before any journey (a broken file, a crash) delivers one could_not_run alert
    and raises again."""
    run_config = config.run_config()
    try:
        report = run(run_config, log=log)
    except Exception as exc:
        from .tracking import track_failure

        a = run_config.alerts
        try:
            track_failure(f"{exc.__class__.__name__}: {exc}", config.out, history=config.history,
                          target=run_config.target.label, webhook=a.webhook, alert_to=a.to, report_url=a.report_url,
                          rules=a.rules(), timeout=a.timeout, log=log)
        except Exception as again:  # the history itself may be what broke
            log(f"simsuite schedule: could not keep or deliver the could_not_run alert: {again}")
        raise
    hist = report.doc.get("history") or {}
    return {"doc": report.doc, "run_id": hist.get("run_id"), "comparison": hist.get("comparison"),
            "alerts": hist.get("alerts"), "deliveries": hist.get("deliveries"),
            "report": str(report.report or Path(config.out) / "report.html"), "exit_code": report.exit_code}


def _tz(name: str) -> tzinfo | None:
    if name in ("", "local"):
        return None
    if name.upper() in ("UTC", "Z"):
        return timezone.utc
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _check_cron(cron: Any) -> str | None:
    """None if `cron` is a valid five-field expression, else what is wrong with it."""
    from croniter import croniter

    if not isinstance(cron, str) or not cron.strip():
        return "it is empty or not text"
    if len(cron.split()) != 5:
        return f"it has {len(cron.split())} field(s), not 5"
    if not croniter.is_valid(cron):
        return "croniter cannot read it"
    from croniter import CroniterBadDateError

    try:  # "0 0 30 2 *" reads well and never fires (there is no 30 February)
        croniter(cron, datetime(2000, 1, 1)).get_next(datetime)
    except (CroniterBadDateError, ValueError):
        return "no date ever matches it"
    return None


def next_runs(cron: str, after: datetime, n: int = 1) -> list[datetime]:
    """The next `n` fire times of `cron` strictly after `after` (in `after`'s time zone; naive stays naive)."""
    from croniter import croniter

    problem = _check_cron(cron)
    if problem:
        raise ScheduleError(f"cron expression {cron!r} is not valid: {problem}. Fix: use five fields "
                            f"(minute hour day-of-month month day-of-week), e.g. {EXAMPLE_CRON}")
    it = croniter(cron, after)
    return [it.get_next(datetime) for _ in range(max(0, n))]


class _Mapping:
    """A YAML mapping with the line of every key, so errors can point at it."""

    def __init__(self, path: Path, node: yaml.Node, where: str, allowed: set[str]) -> None:
        self.path, self.where = path, where
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{where} must be a mapping of keys to values",
                            f"write {where} as `key: value` lines")
        self.nodes: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, f"a key in {where} is a list or mapping", "write plain `key: value` lines")
            key = str(key_node.value)
            if key not in allowed:
                raise self.fail(key_node, f"unknown key {self.qual(key)!r}",
                                f"use one of {', '.join(sorted(allowed))} (check the spelling)")
            if key in self.nodes:
                raise self.fail(key_node, f"key {self.qual(key)!r} appears twice", "keep one of them")
            self.nodes[key] = (key_node, value_node)
        self.node = node

    def qual(self, key: str) -> str:
        return key if self.where == "the file" else f"{self.where}.{key}"

    def fail(self, node: yaml.Node | None, problem: str, fix: str) -> ScheduleError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return ScheduleError(f"{self.path}{line}: {problem}. Fix: {fix}")

    def has(self, key: str) -> bool:
        return key in self.nodes

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self.nodes:
            return default
        try:
            return yaml.safe_load(yaml.serialize(self.nodes[key][1]))
        except (yaml.YAMLError, ValueError, TypeError) as exc:  # an explicit tag that does not fit: !!int abc
            raise self.fail(self.nodes[key][1], f"key {self.qual(key)!r} holds a value YAML cannot read ({exc})",
                            "remove the !!tag or fix the value") from None

    def node_of(self, key: str) -> yaml.Node | None:
        return self.nodes[key][1] if key in self.nodes else None

    def require(self, key: str, fix: str) -> Any:
        if key not in self.nodes:
            raise self.fail(self.node, f"missing key {self.qual(key)!r}", fix)
        return self.get(key)

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.get(key, default)
        if value is None:
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool) or not str(value).strip():
            raise self.fail(self.node_of(key), f"{self.qual(key)!r} must be text", f"write {key}: followed by a value")
        return str(value).strip()

    def number(self, key: str, default: float | None, *, minimum: float = 0.0) -> float | None:
        value = self.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or \
                value < minimum:
            raise self.fail(self.node_of(key), f"{self.qual(key)!r} must be a number of at least {minimum:g}, "
                            f"not {value!r}", f"write e.g. {key}: 10")
        return float(value)


def _url(m: _Mapping, key: str, required: bool = False) -> str | None:
    if required and not m.has(key):
        raise m.fail(m.node, f"missing key {m.qual(key)!r}",
                     "give the site's URL, e.g. base_url: https://staging.example.com, or use demo: as-is")
    value = m.text(key)
    if value is None and required:
        raise m.fail(m.node_of(key), f"key {m.qual(key)!r} is empty",
                     "give the site's URL, e.g. base_url: https://staging.example.com, or use demo: as-is")
    if value is None:
        return None
    if not re.match(r"^https?://[^/\s]+", value):
        raise m.fail(m.node_of(key), f"{m.qual(key)!r} is not an http(s) URL: {value!r}",
                     "write the full URL, e.g. https://staging.example.com")
    return value.rstrip("/")


def _expand(m: _Mapping, key: str, value: str) -> tuple[str | None, str | None]:
    """`value` with ${VAR} read from the environment; (None, VAR) when a variable it names is not set."""
    expanded = os.path.expandvars(value)
    missing = re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", expanded)
    if missing:
        return None, missing[0]
    if not expanded.strip():
        return None, value.strip("${}") or key
    return expanded, None


def _read_target(path: Path, top: _Mapping) -> dict[str, Any]:
    """The suite's `target:`: the demo in a mode, or a site's URLs."""
    top.require("target", "add target: {demo: as-is} or target: {base_url: https://staging.example.com}")
    target_node = _Mapping(path, top.node_of("target"), "target", TARGET_KEYS)
    target: dict[str, Any] = {}
    if target_node.has("demo"):
        demo = target_node.text("demo")
        if demo not in DEMO_MODES:
            raise target_node.fail(target_node.node_of("demo"), f"key 'target.demo' is {demo!r}",
                                   f"write one of {', '.join(DEMO_MODES)}")
        others = sorted(set(target_node.nodes) - {"demo"})
        if others:
            raise target_node.fail(target_node.node_of(others[0]), f"key 'target.{others[0]}' cannot go with "
                                   "target.demo", "use either demo: MODE or the URLs of a site, not both")
        target["demo"] = demo
    else:
        target["base_url"] = _url(target_node, "base_url", required=True)
        for key in ("phone_url", "chat_url"):
            if (url := _url(target_node, key)) is not None:
                target[key] = url
        for key in ("chat_config", "mode"):
            if (value := target_node.text(key)) is not None:
                target[key] = value
        if target_node.has("smtp_port"):
            port = target_node.get("smtp_port")
            if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
                raise target_node.fail(target_node.node_of("smtp_port"), "key 'target.smtp_port' must be a whole "
                                       f"number from 0 to 65535, not {str(port)[:40]!r}", "write e.g. smtp_port: 2525")
            target["smtp_port"] = port
    return target


def _read_to(alert: _Mapping) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`alert.to`: one apprise URL or a list of them, ${VAR} read from the environment; (URLs, unset variables)."""
    value = alert.get("to")
    if value is None:
        return (), ()
    items = value if isinstance(value, list) else [value]
    urls, unset = [], []
    for item in items:
        if not isinstance(item, str) or not re.match(r"^\s*(\$\{?[A-Za-z_]|[A-Za-z][A-Za-z0-9+.\-]*://)", item):
            raise alert.fail(alert.node_of("to"), f"'alert.to' holds {str(item)[:60]!r}, not an apprise URL",
                             "write URLs such as slack://TokenA/TokenB/TokenC or mailtos://user:pass@example.com, "
                             "or ${VARIABLE} naming one in the environment")
        url, missing = _expand(alert, "to", item.strip())
        if url is None:
            unset.append(missing or "to")
        else:
            urls.append(url)
    return tuple(urls), tuple(unset)


def _read_alert(path: Path, top: _Mapping) -> dict[str, Any]:
    """The suite's `alert:`: webhook (or the unset variable it names), apprise URLs, report URL, rules, timeout."""
    found: dict[str, Any] = {"webhook": None, "webhook_unset": None, "rules": AlertRules(), "alert_timeout": 10.0}
    if top.has("alert") and top.get("alert") is not None:
        alert = _Mapping(path, top.node_of("alert"), "alert", ALERT_KEYS)
        if (hook := alert.text("webhook")) is not None:
            hook, found["webhook_unset"] = _expand(alert, "webhook", hook)
        if hook is not None:
            if not re.match(r"^https?://[^/\s]+", hook):
                raise alert.fail(alert.node_of("webhook"), f"key 'alert.webhook' is not an http(s) URL: {hook!r}",
                                 "write the webhook's full URL, e.g. https://hooks.slack.com/services/...")
            found["webhook"] = hook
        found["alert_to"], found["alert_to_unset"] = _read_to(alert)
        if (link := alert.text("report_url")) is not None:
            found["report_url"] = _expand(alert, "report_url", link)[0]
        kinds = alert.get("new_friction_kinds", True)
        if not isinstance(kinds, bool):
            raise alert.fail(alert.node_of("new_friction_kinds"), "key 'alert.new_friction_kinds' must be true "
                             f"or false, not {kinds!r}", "write new_friction_kinds: true")
        found["rules"] = AlertRules(index_rise=alert.number("index_rise", 10.0) or 0.0,
                                    max_index=alert.number("max_index", None), new_friction_kinds=kinds)
        found["alert_timeout"] = alert.number("timeout", 10.0, minimum=0.1) or 10.0
    return found


def load_suite_config(path: str | Path) -> SuiteConfig:
    """Read and check a suite file; any mistake raises ScheduleError naming the file, line, key and fix."""
    path = Path(path)
    try:
        source = read_text(path)
    except FileNotFoundError:
        raise ScheduleError(f"{path}: no such suite file. Fix: check the path, or copy examples/suite.yaml") from None
    except NotUtf8 as exc:
        raise ScheduleError(f"{path}:{exc.line}: not UTF-8 text (byte 0x{exc.byte:02x}). Fix: {exc.fix}") from None
    except OSError as exc:
        raise ScheduleError(f"{path}: cannot read the suite file ({exc}). Fix: give a readable UTF-8 YAML file") \
            from None
    try:
        root = compose_yaml(source)
    except BadYaml as exc:
        raise ScheduleError(f"{path}{f':{exc.line}' if exc.line else ''}: {exc.problem}. Fix: {exc.fix}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScheduleError(f"{where}: not valid YAML ({problem}). Fix: check the indentation and quote values "
                            "containing ':' or '*', e.g. cron: \"0 6 * * 1\"") from None
    if root is None:
        raise ScheduleError(f"{path}: the suite file is empty. Fix: start from examples/suite.yaml")
    top = _Mapping(path, root, "the file", TOP_KEYS)

    cron = top.require("cron", f"add a cron expression, e.g. cron: {EXAMPLE_CRON}")
    problem = _check_cron(cron)
    if problem:
        raise top.fail(top.node_of("cron"), f"key 'cron': {cron!r} is not a valid cron expression ({problem})",
                       f"use five fields (minute hour day-of-month month day-of-week) in quotes, e.g. "
                       f"cron: {EXAMPLE_CRON}")
    tz_name = top.text("timezone", "local") or "local"
    try:
        _tz(tz_name)
    except Exception:
        raise top.fail(top.node_of("timezone"), f"key 'timezone': unknown time zone {tz_name!r}",
                       "write local, UTC or an IANA name such as Europe/Berlin") from None

    target = _read_target(path, top)

    seed = top.get("seed", 7)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise top.fail(top.node_of("seed"), f"key 'seed' must be a whole number, not {seed!r}", "write e.g. seed: 7")

    alert = _read_alert(path, top)

    return SuiteConfig(
        path=path, cron=" ".join(str(cron).split()), target=target,
        scenarios=Path(top.text("scenarios", "scenarios") or "scenarios"),
        journeys=Path(top.text("journeys", "journeys") or "journeys"),
        out=Path(top.text("out", "reports/scheduled") or "reports/scheduled"),
        history=top.text("history", "reports/history.sqlite") or "reports/history.sqlite",
        seed=seed, timezone=tz_name, **alert,
    )


def handle_result(config: SuiteConfig, result: dict[str, Any], *, post: Callable[..., tuple[bool, str]] = post_alert
                  ) -> tuple[dict[str, Any], str]:
    """Write one run's alert body to `alerts.json` beside the report and say what happened to its alerts.

    Returns the alert body and a few words on it. `result` is what run_once returns ({"doc", "run_id",
    "comparison", "report", "alerts", "deliveries"}), or a bare doc. When it carries "deliveries" the run
    delivered its alerts itself; otherwise (a result made some other way) the alerts are evaluated here if
    missing and posted once to the webhook with `post`.
    """
    doc = result["doc"] if isinstance(result.get("doc"), dict) else result
    alerts = result.get("alerts")
    if alerts is None:
        alerts = evaluate(result.get("comparison") or {}, doc, config.rules)
    report = (doc.get("history") or {}).get("report_link") or result.get("report")
    body = alert_body(alerts, doc, result.get("run_id"), report)
    folder = Path(report).parent if report and not re.match(r"^https?://", str(report)) else config.out
    try:
        write_json_atomic(Path(folder) / "alerts.json", body)
    except OSError:
        pass
    if not alerts:
        return body, "no alerts"
    deliveries = result.get("deliveries")
    if deliveries is not None:
        if not deliveries:
            unset = [v for v in (config.webhook_unset, *config.alert_to_unset) if v]
            why = f" ({', '.join(unset)} not set)" if unset else ""
            return body, f"{len(alerts)} alert(s), no webhook or alert.to configured{why}"
        good = sum(1 for d in deliveries if d.get("ok"))
        said = "; ".join(f"{d.get('to')} {'ok' if d.get('ok') else 'FAILED: ' + str(d.get('detail'))}"
                         for d in deliveries)
        return body, f"{len(alerts)} alert(s) delivered to {good} of {len(deliveries)} destination(s): {said}"
    if not config.webhook:
        why = f" ({config.webhook_unset} is not set)" if config.webhook_unset else ""
        return body, f"{len(alerts)} alert(s), no webhook configured{why}"
    ok, reason = post(config.webhook, body, timeout=config.alert_timeout)
    if ok:
        return body, f"{len(alerts)} alert(s) posted ({reason})"
    return body, f"{len(alerts)} alert(s) NOT posted: {reason}"


def run_scheduled(
    config: SuiteConfig,
    run_once: Callable[[SuiteConfig], dict[str, Any]],
    *,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], Any] = time.sleep,
    max_runs: int | None = None,
    log: Callable[[str], Any] = print,
    post: Callable[..., tuple[bool, str]] = post_alert,
    immediately: bool = False,
) -> int:
    """Run `run_once(config)` at every fire time of `config.cron`, until `max_runs` runs or Ctrl+C.

    A run that fails is logged and the schedule goes on; fire times missed while a run was still going
    are skipped, not caught up. `immediately` runs once at start, before the first fire time. Returns 0,
    or 3 (could not run) when the schedule ends after `max_runs` and one of its runs could not run (every
    journey an error, or the run raised); Ctrl+C returns 0.
    """
    zone = _tz(config.timezone)
    runs = 0
    blind = False

    def now() -> datetime:
        moment = datetime.fromtimestamp(clock(), tz=zone or timezone.utc)
        return moment if zone else moment.astimezone()

    try:
        if max_runs is not None and max_runs <= 0:
            return 0
        fire = now() if immediately else next_runs(config.cron, now(), 1)[0]
        log(f"simsuite schedule: {config.path}: first run at {fire.isoformat(timespec='seconds')} ({config.cron})")
        while True:
            while (left := fire.timestamp() - clock()) > 0:
                sleep(min(left, MAX_SLEEP))
            runs += 1
            started = now()
            try:
                result = run_once(config)
                blind = blind or (isinstance(result, dict) and result.get("exit_code") == EXIT_COULD_NOT_RUN)
                body, what = handle_result(config, result if isinstance(result, dict) else {}, post=post)
                summary = body["summary"]
                shown = "no score" if summary["mean_index"] is None else \
                    f"{summary['mean_index']:.1f} ({summary['band']})"
                line = (f"simsuite schedule: run {body['run']['id'] or runs} at "
                        f"{started.isoformat(timespec='seconds')}: mean index {shown}; {what}")
            except (KeyboardInterrupt, SystemExit):
                raise
            except Exception as exc:  # a flaky target must not end the schedule
                blind = True
                line = (f"simsuite schedule: run {runs} at {started.isoformat(timespec='seconds')} failed: "
                        f"{exc.__class__.__name__}: {exc}")
            if max_runs is not None and runs >= max_runs:
                log(line)
                return EXIT_COULD_NOT_RUN if blind else 0
            fire = next_runs(config.cron, now(), 1)[0]
            log(f"{line}; next run at {fire.isoformat(timespec='seconds')}")
    except KeyboardInterrupt:
        log(f"simsuite schedule: stopped after {runs} run(s)")
        return 0
