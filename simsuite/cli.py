"""The `simsuite` command: turns its arguments into a `RunConfig` (or an explorer's call) and reports the result."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

from .app import EXIT_COULD_NOT_RUN, EXIT_USAGE, AlertConfig, RunConfig, TargetConfig, merge, parse_pairs, run
from .core.polite import HostGate, Politeness, set_default_gate
from .core.shard import Shard
from .core.timelimit import DEFAULT_SECONDS
from .explore.learn import read_prompts
from .targets import DEMO_MODES
from .terminal import choose_progress, print_verdict, say
from .version import __version__
from .errors import NothingToRun, SimsuiteError, SiteUnreachable


def _run_options(p: argparse.ArgumentParser, out: str) -> None:
    p.add_argument("--seed", type=int, default=7, help="persona seed: the same seed gives the same customers")
    p.add_argument("--scenarios", help="scenario file or folder (default: scenarios/ beside the journeys given, "
                   "else ./scenarios)")
    p.add_argument("--phrases", action="append", default=[], help="extra phrase list YAML (repeatable)")
    p.add_argument("--max-rate", type=float, default=Politeness.rate, metavar="R",
                   help=f"at most R requests a second to one host, shared by every simsuite process on this machine "
                        f"(default {Politeness.rate:g}; loopback hosts are not limited)")
    p.add_argument("--max-contacts", type=int, default=Politeness.max_contacts, metavar="N",
                   help=f"at most N journeys in flight against one host (default {Politeness.max_contacts})")
    p.add_argument("--journey-time-limit", type=float, default=DEFAULT_SECONDS, metavar="SECONDS",
                   help=f"stop a journey after this many seconds of wall-clock time, wherever it is stuck, and record "
                        f"it as an error (default {DEFAULT_SECONDS:g}; a scenario's time_limit_seconds wins)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="run journeys in N processes side by side, each with its own browser (default 1)")
    remote = p.add_mutually_exclusive_group()
    remote.add_argument("--browser-endpoint", metavar="WS_URL", help="run the browser on a Playwright server "
                        "(`playwright run-server`), e.g. ws://browsers.internal:3000/")
    remote.add_argument("--cdp-endpoint", metavar="URL", help="run the browser on a Chromium started with "
                        "--remote-debugging-port, e.g. http://127.0.0.1:9222")
    p.add_argument("--run-id", default=os.environ.get("SIMSUITE_RUN_ID") or None, metavar="ID",
                   help="with --shard: the run the parts belong to (default $SIMSUITE_RUN_ID, e.g. the CI run's id); "
                        "merge refuses parts of different runs")
    p.add_argument("--shard", metavar="I/N", help="run only shard I of N (a stable share of the suite, the same on "
                   "every machine) and write a partial results.json; join the parts with `simsuite merge`")
    shown = p.add_mutually_exclusive_group()
    shown.add_argument("--quiet", action="store_true", help="no progress and no summary: one line at the end with "
                       "the means, what went wrong and the report's path")
    shown.add_argument("--json", action="store_true", help="print the verdict as one JSON object on stdout (exit "
                       "code, means per mode, journeys over budget or not run, fix-first list, alerts, report); "
                       "everything else goes to stderr")
    _conclude_options(p, out)


def _conclude_options(p: argparse.ArgumentParser, out: str) -> None:
    p.add_argument("--out", default=out, help=f"report folder (default {out})")
    p.add_argument("--history", help="history database: a file (SQLite) or a URL such as postgresql://... "
                   "(default $SIMSUITE_HISTORY or reports/history.sqlite)")
    p.add_argument("--no-history", action="store_true", help="do not record this run in the history")
    p.add_argument("--alert-webhook", metavar="URL", help="POST the JSON alert body here (retried) when a run raises "
                   "alerts: worse, over the limit, could not run, back to normal")
    p.add_argument("--alert-to", action="append", default=[], metavar="URL",
                   help="also send alerts to this apprise URL (repeatable), e.g. slack://TokenA/TokenB/TokenC, "
                        "workflows://HOST/WORKFLOW/SIGNATURE (Teams), "
                        "mailtos://USER:PASSWORD@example.com?to=cx@example.com, "
                        "pagerduty://INTEGRATION_KEY@API_KEY, json://HOST/PATH")
    p.add_argument("--report-url", metavar="URL", help="where the report will be published (a folder URL or the "
                   ".html itself), so alerts link to it; default: the report's absolute file path")
    p.add_argument("--alert-index-rise", type=float, default=10.0,
                   help="alert when a scenario's index rises by more than this (default 10)")
    p.add_argument("--alert-max-index", type=float, help="alert when a scenario's index exceeds this")
    p.add_argument("--reporter", action="append", dest="reporters", metavar="NAME",
                   help="write only this report (repeatable; default: every registered reporter, e.g. json, "
                        "html, junit)")
    p.add_argument("--pdf", nargs="?", const="summary", choices=("summary", "full"), default=None,
                   help="also render the report to PDF: the executive page and the journeys that matter (--pdf), or "
                        "every journey with its timeline and maps (--pdf full)")


def _explore_parser(sub: argparse._SubParsersAction) -> None:
    explore = sub.add_parser("explore", help="walk every path of an IVR, chat bot or help centre, or read a flow "
                             "export, and map where each path ends")
    what = explore.add_subparsers(dest="what", required=True)
    phone = what.add_parser("phone", help="breadth-first over an IVR's menus (TwiML or VoiceXML)")
    phone.add_argument("--phone-url", required=True, help="base URL of the IVR webhooks")
    phone.add_argument("--entry", default="/", help="path of the IVR's first document (default /)")
    phone.add_argument("--goal", help="also send a caller with this goal in plain words, choosing as a caller does")
    phone.add_argument("--max-depth", type=int, default=6, help="menus deep to go from the first (default 6)")
    phone.add_argument("--max-calls", type=int, default=200, help="calls to place at most (default 200)")
    phone.add_argument("--phone-method", choices=("GET", "POST"), default="POST",
                       help="how the number's voice URL is requested (default POST)")
    phone.add_argument("--dialled", action="append", default=[], metavar="NUMBER=PATH",
                       help="a number the IVR may transfer to that the site answers itself (repeatable)")
    phone.add_argument("--fact", action="append", default=[], metavar="NAME=VALUE",
                       help="a value the caller types when asked, e.g. --fact postcode=60616 (repeatable)")
    chat = what.add_parser("chat", help="breadth-first over a chat bot's buttons")
    chat.add_argument("--chat-url", required=True, help="base URL of the bot")
    chat.add_argument("--path", default="/", help="path of the bot under --chat-url (default /)")
    chat.add_argument("--chat-config", help="YAML config of a generic HTTP/JSON bot (default: Rasa REST)")
    chat.add_argument("--max-depth", type=int, default=5, help="buttons deep to press from the start (default 5)")
    web = what.add_parser("web", help="follow a help centre's links toward a goal, on the start page's host only")
    web.add_argument("--start-url", required=True, help="the help centre's first page; only its host and folder "
                     "are walked")
    web.add_argument("--goal", required=True, help="what the customer looks for, in plain words")
    web.add_argument("--max-pages", type=int, default=40, help="pages to open at most (default 40)")
    web.add_argument("--forms", choices=("none", "get", "all"), default="get",
                     help="which forms to fill with the persona's facts and send: GET forms (searches, lookups; the "
                          "default), none, or all (POST forms too: they create real records, so only on staging)")
    flow = what.add_parser("flow", help="read Twilio Studio or Amazon Connect flow exports; no calls made")
    flow.add_argument("files", nargs="+", help="flow export JSON files")
    for p in (phone, chat, web):
        p.add_argument("--max-rate", type=float, default=Politeness.rate, metavar="R",
                       help=f"at most R requests a second to the host (default {Politeness.rate:g}; loopback hosts "
                            "are not limited)")
    for p in (phone, chat, web, flow):
        p.add_argument("--out", default="reports/explore", help="report folder (default reports/explore)")
        p.add_argument("--mode", default=None, help="a label for this target in the report")


def _history_parsers(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="render the reports again from a results.json")
    report.add_argument("results", help="path to results.json")
    report.add_argument("--reporter", action="append", dest="reporters", metavar="NAME",
                        help="write only this report (repeatable; default: every registered reporter)")
    report.add_argument("--pdf", nargs="?", const="summary", choices=("summary", "full"), default=None,
                        help="also render it to PDF with the browser simsuite uses (--pdf full: every journey)")
    compare = sub.add_parser("compare", help="what got better or worse between two runs")
    compare.add_argument("run_a", help="a run id (or prefix, or 'previous') from the history, or a results.json")
    compare.add_argument("run_b", help="a run id (or prefix, or 'latest') from the history, or a results.json")
    compare.add_argument("--history", help="history database (default $SIMSUITE_HISTORY or reports/history.sqlite)")
    history = sub.add_parser("history", help="list the runs kept in the history")
    history.add_argument("--history", help="history database (default $SIMSUITE_HISTORY or reports/history.sqlite)")
    history.add_argument("--limit", type=int, default=20, help="runs to list, newest first (default 20)")
    sub.add_parser("plugins", help="list the channels, detectors, reporters and phone dialects, with their source")
    schedule = sub.add_parser("schedule", help="run a configured suite on a cron expression, keep history, alert")
    schedule.add_argument("config", help="suite YAML (see examples/suite.yaml)")
    schedule.add_argument("--max-runs", type=int, help="stop after this many runs (default: run until stopped)")
    schedule.add_argument("--now", action="store_true", help="run once at start, then on the schedule")


EXAMPLES = {
    "demo": "simsuite demo --mode as-is --out reports/demo --workers 2",
    "serve-demo": "simsuite serve-demo --mode recovered --port 8700",
    "run": "simsuite run journeys/ --base-url https://staging.example.com --phone-url https://ivr.example.com "
           "--out reports/staging",
    "merge": "simsuite merge parts/shard-1 parts/shard-2 --out reports/merged",
    "explore": "simsuite explore phone --phone-url http://127.0.0.1:8700 --entry /telecom/ivr/voice",
    "explore phone": "simsuite explore phone --phone-url http://127.0.0.1:8700 --entry /telecom/ivr/voice "
                     "--goal \"report an outage\"",
    "explore chat": "simsuite explore chat --chat-url http://127.0.0.1:8700 --path /lab/chat",
    "explore web": "simsuite explore web --start-url http://127.0.0.1:8700/lab/ --goal \"reschedule my test\"",
    "explore flow": "simsuite explore flow studio-flow.json connect-flow.json --out reports/flows",
    "report": "simsuite report reports/demo/results.json --pdf",
    "compare": "simsuite compare previous latest",
    "history": "simsuite history --limit 10",
    "plugins": "simsuite plugins",
    "schedule": "simsuite schedule examples/suite.yaml --now",
}


class _Parser(argparse.ArgumentParser):
    """An argument parser that takes no abbreviations (`--base` is a mistake, not `--base-url`) and shows an
    example under each subcommand's help."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        name = str(kwargs.get("prog") or "").removeprefix("simsuite").strip()
        if name in EXAMPLES and not kwargs.get("epilog"):
            kwargs["epilog"] = f"example:\n  {EXAMPLES[name]}"
        super().__init__(*args, **kwargs)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="simsuite", description="Synthetic customers run real support flows "
                                     "and score the friction they meet with a Kafkaesque index.")
    parser.add_argument("--version", action="version", version=f"simsuite {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run every bundled journey against the demo companies and write a report")
    demo.add_argument("--mode", choices=("as-is", "recovered", "both"), default="both",
                      help="the companies as they are, after the fixes, or both side by side (default both)")
    demo.add_argument("--journeys", help="journey file or folder (default ./journeys)")
    demo.add_argument("--no-explore", action="store_true", help="skip mapping the demo IVRs")
    demo.add_argument("--audio", action="store_true", help="call the demo IVRs over SIP with real audio (espeak-ng): "
                      "the same journeys, heard in real time")
    _run_options(demo, "reports/demo")
    serve = sub.add_parser("serve-demo", help="serve the demo companies so a person can click through them")
    serve.add_argument("--mode", choices=DEMO_MODES, default="as-is", help="which version to serve (default as-is)")
    serve.add_argument("--port", type=int, default=8700, help="port to listen on (default 8700)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine "
                       "only)")
    site = sub.add_parser("run", help="run journeys against any site, such as a staging site")
    site.add_argument("journeys", nargs="*", help="journey files or folders (default ./journeys)")
    site.add_argument("--base-url", required=True, help="the web site's base URL")
    site.add_argument("--phone-url", help="base URL of the IVR webhooks (default: --base-url), or a SIP address "
                      "(sip:support@pbx.example.com) to call with real audio")
    site.add_argument("--phone-prompts", metavar="FILE", help="what a SIP line is expected to say, heard against: "
                      "a results.json or explore map from its webhooks, or text with one prompt a line")
    site.add_argument("--chat-url", help="base URL of the chat bot (default: --base-url)")
    site.add_argument("--chat-config", help="YAML config of a generic HTTP/JSON chat bot (default: Rasa REST)")
    site.add_argument("--smtp-port", type=int, default=0,
                      help="port of simsuite's SMTP mailbox on 127.0.0.1, for the site to send mail to (default: free)")
    site.add_argument("--phone-method", choices=("GET", "POST"), default="POST",
                      help="how the number's voice URL is requested (default POST)")
    site.add_argument("--phone-number", default="+18005550100", help="the number the customers dial (Twilio's To)")
    site.add_argument("--dialled", action="append", default=[], metavar="NUMBER=PATH",
                      help="a number the IVR may transfer to that the site answers with its own voice webhook, "
                           "and that webhook's path (repeatable)")
    site.add_argument("--mode", default=None, help="a label for this target in the report, e.g. staging")
    _privacy_options(site)
    site.add_argument("--no-fail", action="store_true", help="exit 0 even when a journey exceeds its budget")
    _run_options(site, "reports/run")
    merge = sub.add_parser("merge", help="make one run (results, report, history entry) of the parts that "
                           "`--shard I/N` runs wrote")
    merge.add_argument("parts", nargs="+", help="each shard's results folder (or its results.json)")
    merge.add_argument("--no-fail", action="store_true", help="exit 0 even when a journey exceeds its budget")
    merge.add_argument("--partial", action="store_true", help="also merge parts whose run did not finish (the "
                       "merged run is marked incomplete)")
    _conclude_options(merge, "reports/merged")
    _explore_parser(sub)
    _history_parsers(sub)
    return parser


def _privacy_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--redact-param", action="append", default=[], metavar="NAME",
                        help="a query parameter whose value never appears in results or reports, besides key, "
                             "token, secret, password, code, session, email and their kin (repeatable)")
    parser.add_argument("--mask", action="append", default=[], metavar="SELECTOR",
                        help="a CSS selector masked in screenshots, besides password fields (repeatable)")


def run_config(args: argparse.Namespace) -> RunConfig:
    """The run configuration that `simsuite demo` or `simsuite run` arguments describe."""
    if args.command == "demo":
        target = TargetConfig(demo=DEMO_MODES if args.mode == "both" else (args.mode,), audio=args.audio)
        journeys = (Path(args.journeys),) if args.journeys else ()
    else:
        target = TargetConfig(base_url=args.base_url, phone_url=args.phone_url, chat_url=args.chat_url,
                              chat_config=args.chat_config, smtp_port=args.smtp_port, mode=args.mode,
                              phone_method=args.phone_method, phone_number=args.phone_number,
                              dialled=parse_pairs(args.dialled, "--dialled", "NUMBER=PATH"),
                              redact_params=tuple(args.redact_param), mask_selectors=tuple(args.mask),
                              phone_prompts=read_prompts(args.phone_prompts) if args.phone_prompts else ())
        journeys = tuple(Path(j) for j in args.journeys)
    return RunConfig(
        target=target, out=Path(args.out), scenarios=Path(args.scenarios) if args.scenarios else None,
        journeys=journeys, only_given=args.command == "run" and bool(args.journeys), seed=args.seed,
        phrases=tuple(args.phrases), history=args.history, keep_history=not args.no_history,
        alerts=AlertConfig(webhook=args.alert_webhook, index_rise=args.alert_index_rise,
                           max_index=args.alert_max_index, to=tuple(args.alert_to), report_url=args.report_url),
        reporters=tuple(args.reporters) if args.reporters else None, pdf=args.pdf,
        explore=not getattr(args, "no_explore", False),
        fail_over_budget=args.command == "run" and not args.no_fail,
        shard=str(Shard.parse(args.shard)) if args.shard else None, workers=args.workers,
        browser_endpoint=args.browser_endpoint, cdp_endpoint=args.cdp_endpoint,
        politeness=politeness(args.max_rate, args.max_contacts), run_id=args.run_id,
        journey_time_limit=args.journey_time_limit if args.journey_time_limit > 0 else None)


def politeness(rate: float, contacts: int) -> Politeness:
    """The limits given on the command line, or a usage error with the fix."""
    if rate <= 0 or contacts < 1:
        raise SimsuiteError(f"--max-rate {rate:g} --max-contacts {contacts}: both must be positive. Fix: e.g. "
                            f"--max-rate {Politeness.rate:g} --max-contacts {Politeness.max_contacts}")
    return Politeness(max_contacts=contacts, rate=rate)


def _merge(args: argparse.Namespace) -> int:
    config = RunConfig(target=TargetConfig(), out=Path(args.out), history=args.history,
                       keep_history=not args.no_history,
                       alerts=AlertConfig(webhook=args.alert_webhook, index_rise=args.alert_index_rise,
                                          max_index=args.alert_max_index, to=tuple(args.alert_to),
                                          report_url=args.report_url),
                       reporters=tuple(args.reporters) if args.reporters else None, pdf=args.pdf,
                       fail_over_budget=not args.no_fail)
    return merge(config, [Path(p) for p in args.parts], partial=args.partial).exit_code


def _serve_demo(args: argparse.Namespace) -> int:
    from .demo import DemoServer

    with DemoServer(args.mode, host=args.host, port=args.port) as server:
        print(f"Demo companies ({args.mode}) at {server.url}/  -  Ctrl+C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


def _report(args: argparse.Namespace) -> int:
    from .report import format_summary
    from .reporters import write_reports
    from .results import load_results

    path = Path(args.results)
    doc = load_results(path)
    folder = path if path.is_dir() else path.parent
    written = write_reports(doc, folder, args.reporters)
    html = next((p for p in written if p.suffix == ".html"), None)
    say(format_summary(doc, html))
    if args.pdf and html is not None:
        from .report.pdf import render_pdf

        say(f"PDF: {render_pdf(html, full=args.pdf == 'full')}")
    return 0


def _history(args: argparse.Namespace) -> int:
    from .history import History, history_location

    location = history_location(args.history)
    with History(location) as store:
        runs = store.runs(limit=args.limit)
    if not runs:
        say(f"simsuite: no runs in {location} yet")
    for r in runs:
        mean = "-" if r["mean_index"] is None else f"{r['mean_index']:.1f}"
        say(f"{r['id']}  {r['started']}  {mean:>5}  {r['journeys']:>4} journeys  {r['target']}"
              f"{'  git ' + r['git_revision'] if r.get('git_revision') else ''}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from .compare import compare, format_comparison
    from .history import History, history_location
    from .results import load_results

    location = history_location(args.history)

    def load(ref: str) -> dict:
        if ref.endswith(".json") or Path(ref).is_dir():
            return load_results(ref)
        with History(location) as store:
            return store.load(ref)

    say(format_comparison(compare(load(args.run_a), load(args.run_b))))
    return 0


def _plugins(args: argparse.Namespace) -> int:
    from .app import registries

    for kind, entries in registries().items():
        say(f"{kind}:")
        for name, source in entries:
            say(f"  {name:<24} {source}")
    return 0


def _schedule(args: argparse.Namespace) -> int:
    from .schedule import load_suite_config, run_once, run_scheduled

    return run_scheduled(load_suite_config(args.config), lambda config: run_once(config, log=say),
                         max_runs=args.max_runs, immediately=args.now)


def _explore(args: argparse.Namespace) -> int:
    """Map one target; write results.json (with the maps), map.json and the reports."""
    from .app import write_maps

    maps = []
    if args.what != "flow":
        set_default_gate(HostGate(politeness(args.max_rate, Politeness.max_contacts)))
    if args.what == "phone":
        from .explore.ivr import explore_ivr

        line = {"method": args.phone_method, "dialled": dict(parse_pairs(args.dialled, "--dialled", "NUMBER=PATH")),
                "facts": dict(parse_pairs(args.fact, "--fact", "NAME=VALUE"))}
        maps.append(explore_ivr(args.phone_url.rstrip("/"), args.entry, mode=args.mode,
                                max_depth=args.max_depth, max_calls=args.max_calls, **line))
        if args.goal:
            from .core.personas import make_persona
            from .explore.goal import goal_caller

            caller = make_persona(7, "explorer", channels=["phone"])
            maps.append(goal_caller(args.phone_url.rstrip("/"), args.entry, args.goal, caller, mode=args.mode,
                                    **line))
    elif args.what == "chat":
        from .channels.chat import chat_config_from_file
        from .explore.chat import explore_chat

        config = chat_config_from_file(args.chat_config) if args.chat_config else None
        maps.append(explore_chat(args.chat_url.rstrip("/"), args.path, mode=args.mode, max_depth=args.max_depth,
                                 chat_config=config))
    elif args.what == "web":
        from .explore.web import explore_web

        maps.append(explore_web(args.start_url, args.goal, mode=args.mode, max_pages=args.max_pages,
                                forms=args.forms))
    else:
        from .explore.flows import analyse_flows

        found, broken = analyse_flows(args.files)
        maps.extend(found)
        for error in broken:  # named with line and fix; the other files are still analysed
            say(f"simsuite: {error}", err=True)
        if broken and not found:
            return EXIT_USAGE
        write_maps(maps, Path(args.out), f"explore {args.what}", log=say)
        return EXIT_USAGE if broken else 0
    write_maps(maps, Path(args.out), f"explore {args.what}", log=say)
    return 0


def _run(args: argparse.Namespace) -> int:
    """`simsuite demo` or `simsuite run`: live progress on a terminal, counted lines in a log, or a verdict only."""
    config = run_config(args)
    quiet = args.quiet or args.json
    progress = choose_progress(quiet)
    log = (lambda line: None) if quiet else say
    try:
        with contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext():
            report = run(config, log=log, progress=progress)
    finally:
        progress.close()
    if quiet:
        print_verdict(report.doc, report.exit_code, report.report, as_json=args.json)
    return report.exit_code


COMMANDS = {"serve-demo": _serve_demo, "report": _report, "history": _history, "compare": _compare,
            "schedule": _schedule, "explore": _explore, "plugins": _plugins, "merge": _merge}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `simsuite` command."""
    args = _parser().parse_args(argv)
    try:
        if args.command in COMMANDS:
            return COMMANDS[args.command](args)
        return _run(args)
    except (SiteUnreachable, NothingToRun) as exc:  # nothing answered, or nothing ran: no verdict, exit 3
        say(f"simsuite: {exc}", err=True)
        return EXIT_COULD_NOT_RUN
    except SimsuiteError as exc:
        say(f"simsuite: {exc}", err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        say("simsuite: interrupted; results gathered so far are in the report folder", err=True)
        return 130


if __name__ == "__main__":
    sys.exit(main())
