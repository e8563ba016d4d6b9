"""The `simsuite` command: demo, serve-demo, run and report."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from .errors import SimsuiteError

REPO = Path(__file__).resolve().parent.parent


def _bundled(name: str, given: str | None) -> Path:
    if given:
        return Path(given)
    here = Path.cwd() / name
    return here if here.is_dir() else REPO / name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="simsuite", description="Synthetic customers run real support flows "
                                     "and score the friction they meet with a Kafkaesque index.")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser, out: str) -> None:
        p.add_argument("--out", default=out, help=f"report folder (default {out})")
        p.add_argument("--seed", type=int, default=7, help="persona seed: the same seed gives the same customers")
        p.add_argument("--scenarios", help="scenario file or folder (default ./scenarios)")
        p.add_argument("--phrases", action="append", default=[], help="extra phrase list YAML (repeatable)")
        p.add_argument("--history", help="history database: a file (SQLite) or a URL such as postgresql://... "
                       "(default $SIMSUITE_HISTORY or reports/history.sqlite)")
        p.add_argument("--no-history", action="store_true", help="do not record this run in the history")
        p.add_argument("--alert-webhook", help="POST a JSON alert here when a scenario gets worse")
        p.add_argument("--alert-index-rise", type=float, default=10.0,
                       help="alert when a scenario's index rises by more than this (default 10)")
        p.add_argument("--alert-max-index", type=float, help="alert when a scenario's index exceeds this")
        p.add_argument("--pdf", action="store_true", help="also render the report to PDF")

    demo = sub.add_parser("demo", help="run every bundled journey against the demo companies and write a report")
    demo.add_argument("--mode", choices=("as-is", "recovered", "both"), default="both")
    demo.add_argument("--journeys", help="journey file or folder (default ./journeys)")
    demo.add_argument("--no-explore", action="store_true", help="skip mapping the demo IVRs")
    common(demo, "reports/demo")

    serve = sub.add_parser("serve-demo", help="serve the demo companies so a person can click through them")
    serve.add_argument("--mode", choices=("as-is", "recovered"), default="as-is")
    serve.add_argument("--port", type=int, default=8700)
    serve.add_argument("--host", default="127.0.0.1")

    run = sub.add_parser("run", help="run journeys against any site, such as a staging site")
    run.add_argument("journeys", nargs="*", help="journey files or folders (default ./journeys)")
    run.add_argument("--base-url", required=True, help="the web site's base URL")
    run.add_argument("--phone-url", help="base URL of the IVR webhooks (default: --base-url)")
    run.add_argument("--chat-url", help="base URL of the chat bot (default: --base-url)")
    run.add_argument("--chat-config", help="YAML config of a generic HTTP/JSON chat bot (default: Rasa REST)")
    run.add_argument("--smtp-port", type=int, default=0,
                     help="port of simsuite's SMTP mailbox on 127.0.0.1, for the site to send mail to (default: free)")
    run.add_argument("--mode", default=None, help="a label for this target in the report, e.g. staging")
    run.add_argument("--no-fail", action="store_true", help="exit 0 even when a journey exceeds its budget")
    common(run, "reports/run")

    explore = sub.add_parser("explore", help="walk every path of an IVR, chat bot or help centre, or read a flow "
                             "export, and map where each path ends")
    what = explore.add_subparsers(dest="what", required=True)
    phone = what.add_parser("phone", help="breadth-first over an IVR's menus (TwiML or VoiceXML)")
    phone.add_argument("--phone-url", required=True, help="base URL of the IVR webhooks")
    phone.add_argument("--entry", default="/", help="path of the IVR's first document (default /)")
    phone.add_argument("--goal", help="also send a caller with this goal in plain words, choosing as a caller does")
    phone.add_argument("--max-depth", type=int, default=6)
    phone.add_argument("--max-calls", type=int, default=200)
    chat = what.add_parser("chat", help="breadth-first over a chat bot's buttons")
    chat.add_argument("--chat-url", required=True, help="base URL of the bot")
    chat.add_argument("--path", default="/", help="path of the bot under --chat-url (default /)")
    chat.add_argument("--chat-config", help="YAML config of a generic HTTP/JSON bot (default: Rasa REST)")
    chat.add_argument("--max-depth", type=int, default=5)
    web = what.add_parser("web", help="follow a help centre's links toward a goal, on the start page's host only")
    web.add_argument("--start-url", required=True)
    web.add_argument("--goal", required=True, help="what the customer looks for, in plain words")
    web.add_argument("--max-pages", type=int, default=40)
    flow = what.add_parser("flow", help="read Twilio Studio or Amazon Connect flow exports; no calls made")
    flow.add_argument("files", nargs="+", help="flow export JSON files")
    for p in (phone, chat, web, flow):
        p.add_argument("--out", default="reports/explore", help="report folder (default reports/explore)")
        p.add_argument("--mode", default=None, help="a label for this target in the report")

    report = sub.add_parser("report", help="render the HTML report again from a results.json")
    report.add_argument("results", help="path to results.json")
    report.add_argument("--pdf", action="store_true", help="also render it to PDF with the browser simsuite uses")

    compare = sub.add_parser("compare", help="what got better or worse between two runs")
    compare.add_argument("run_a", help="a run id (or prefix, or 'previous') from the history, or a results.json")
    compare.add_argument("run_b", help="a run id (or prefix, or 'latest') from the history, or a results.json")
    compare.add_argument("--history", help="history database (default $SIMSUITE_HISTORY or reports/history.sqlite)")

    history = sub.add_parser("history", help="list the runs kept in the history")
    history.add_argument("--history", help="history database (default $SIMSUITE_HISTORY or reports/history.sqlite)")
    history.add_argument("--limit", type=int, default=20)

    schedule = sub.add_parser("schedule", help="run a configured suite on a cron expression, keep history, alert")
    schedule.add_argument("config", help="suite YAML (see examples/suite.yaml)")
    schedule.add_argument("--max-runs", type=int, help="stop after this many runs (default: run until stopped)")
    schedule.add_argument("--now", action="store_true", help="run once at start, then on the schedule")
    return parser


def _execute(args: argparse.Namespace) -> int:
    from .journey import load_journeys
    from .phrases import load_phrases
    from .report import format_summary
    from .reporters import write_reports
    from .runner import RunTarget, run_suite
    from .scenario import load_scenarios

    if args.command == "serve-demo":
        from .demo import DemoServer

        with DemoServer(args.mode, host=args.host, port=args.port) as server:
            print(f"Demo companies ({args.mode}) at {server.url}/  -  Ctrl+C to stop")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0

    if args.command == "explore":
        return _explore(args)

    if args.command == "report":
        from .results import load_results

        path = Path(args.results)
        doc = load_results(path)
        folder = path if path.is_dir() else path.parent
        written = write_reports(doc, folder, ["html"])
        print(format_summary(doc, written[0] if written else None))
        if args.pdf:
            from .report.pdf import render_pdf

            print(f"PDF: {render_pdf(folder / 'report.html')}")
        return 0

    if args.command in ("compare", "history", "schedule"):
        return _history_commands(args)

    scenarios = load_scenarios([_bundled("scenarios", args.scenarios)])
    journey_paths = args.journeys if args.command == "run" and args.journeys else \
        [_bundled("journeys", getattr(args, "journeys", None) if args.command == "demo" else None)]
    journeys = load_journeys(journey_paths)
    phrases = load_phrases(*args.phrases)
    out = Path(args.out)
    only = set(journeys) if args.command == "run" and args.journeys else None

    with ExitStack() as stack:
        if args.command == "demo":
            from .demo.targets import start_demo

            targets = start_demo(stack, ("as-is", "recovered") if args.mode == "both" else (args.mode,))
            print(f"simsuite: demo companies on {', '.join(f'{t.mode} {t.base_url}' for t in targets)}")
        else:
            from .channels.chat import chat_config_from_file
            from .mailbox import MailServer

            mailbox = stack.enter_context(MailServer(port=args.smtp_port))
            print(f"simsuite: customers' mailbox at smtp://{mailbox.host}:{mailbox.port}")
            config = chat_config_from_file(args.chat_config) if args.chat_config else {}
            targets = [RunTarget(args.mode, args.base_url.rstrip("/"), (args.phone_url or "").rstrip("/") or None,
                                 (args.chat_url or "").rstrip("/") or None, tuple(config.items()), mailbox)]
        explore = None
        if args.command == "demo" and not args.no_explore:
            from .explore.demo import explore_demo as explore
        doc = run_suite(scenarios, journeys, targets, seed=args.seed, out_dir=out, phrases=phrases, only=only,
                        explore=explore)
    if not args.no_history:
        from .alerts import AlertRules
        from .tracking import track_run

        label = "demo" if args.command == "demo" else (args.mode or args.base_url)
        doc = track_run(doc, out, history=args.history, target=label, webhook=args.alert_webhook,
                        rules=AlertRules(index_rise=args.alert_index_rise, max_index=args.alert_max_index))
    paths = write_reports(doc, out, ["html"])
    print()
    print(format_summary(doc, paths[0] if paths else None))
    if args.pdf and paths:
        from .report.pdf import render_pdf

        print(f"PDF: {render_pdf(paths[0])}")
    if args.command == "run" and not args.no_fail:
        over = [j for j in doc["journeys"] if j.get("budget_violations")]
        if over:
            print(f"\n{len(over)} journey(s) exceeded their friction budget:")
            for j in over:
                print(f"  {j['id']}: " + "; ".join(j["budget_violations"]))
            return 1
    return 0


def _history_commands(args: argparse.Namespace) -> int:
    """compare, history and schedule: the commands that work from the kept runs."""
    from .history import History, history_location

    if args.command == "schedule":
        from .schedule import load_suite_config, run_scheduled

        return run_scheduled(load_suite_config(args.config), _scheduled_run, max_runs=args.max_runs,
                             immediately=args.now)
    location = history_location(args.history)
    if args.command == "history":
        with History(location) as store:
            runs = store.runs(limit=args.limit)
        if not runs:
            print(f"simsuite: no runs in {location} yet")
        for r in runs:
            mean = "-" if r["mean_index"] is None else f"{r['mean_index']:.1f}"
            print(f"{r['id']}  {r['started']}  {mean:>5}  {r['journeys']:>4} journeys  {r['target']}"
                  f"{'  git ' + r['git_revision'] if r.get('git_revision') else ''}")
        return 0
    from .compare import compare, format_comparison
    from .results import load_results

    def load(ref: str) -> dict:
        if ref.endswith(".json") or Path(ref).is_dir():
            return load_results(ref)
        with History(location) as store:
            return store.load(ref)

    print(format_comparison(compare(load(args.run_a), load(args.run_b))))
    return 0


def _scheduled_run(config: Any) -> dict:
    """One run of a scheduled suite: the same job as `simsuite run` or `demo`, recorded in the history."""
    from .results import load_results

    argv = config.argv() + ["--alert-index-rise", str(config.rules.index_rise)]
    if config.rules.max_index is not None:
        argv += ["--alert-max-index", str(config.rules.max_index)]
    code = _execute(_parser().parse_args(argv))
    doc = load_results(Path(config.out) / "results.json")
    hist = doc.get("history") or {}
    return {"doc": doc, "run_id": hist.get("run_id"), "comparison": hist.get("comparison"),
            "alerts": hist.get("alerts"), "report": str(Path(config.out) / "report.html"), "exit_code": code}


def _explore(args: argparse.Namespace) -> int:
    """Map one target and write results.json (maps), map.json and report.html."""
    import json

    from .report import format_summary
    from .reporters import write_reports
    from .results import ResultsWriter

    maps = []
    if args.what == "phone":
        from .explore.ivr import explore_ivr

        maps.append(explore_ivr(args.phone_url.rstrip("/"), args.entry, mode=args.mode,
                                max_depth=args.max_depth, max_calls=args.max_calls))
        if args.goal:
            from .explore.goal import goal_caller
            from .personas import make_persona

            caller = make_persona(7, "explorer", channels=["phone"])
            maps.append(goal_caller(args.phone_url.rstrip("/"), args.entry, args.goal, caller, mode=args.mode))
    elif args.what == "chat":
        from .channels.chat import chat_config_from_file
        from .explore.chat import explore_chat

        config = chat_config_from_file(args.chat_config) if args.chat_config else None
        maps.append(explore_chat(args.chat_url.rstrip("/"), args.path, mode=args.mode, max_depth=args.max_depth,
                                 chat_config=config))
    elif args.what == "web":
        from .explore.web import explore_web

        maps.append(explore_web(args.start_url, args.goal, mode=args.mode, max_pages=args.max_pages))
    else:
        from .explore.flows import analyse_flow

        maps.extend(analyse_flow(path) for path in args.files)
    out = Path(args.out)
    writer = ResultsWriter(out, {"command": f"explore {args.what}"})
    for explored in maps:
        writer.add_map(explored)
    doc = writer.close()
    (out / "map.json").write_text(json.dumps([m.to_dict() for m in maps], indent=2, ensure_ascii=False),
                                  encoding="utf-8")
    paths = write_reports(doc, out, ["html"])
    print(format_summary(doc, paths[0] if paths else None))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `simsuite` command."""
    args = _parser().parse_args(argv)
    try:
        return _execute(args)
    except SimsuiteError as exc:
        print(f"simsuite: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("simsuite: interrupted; results gathered so far are in the report folder", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
