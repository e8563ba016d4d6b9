"""The `simsuite` command: demo, serve-demo, run and report."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path

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
        write_reports(doc, path.parent, ["html"])
        print(format_summary(doc, path.parent / "report.html"))
        return 0

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
    paths = write_reports(doc, out, ["html"])
    print()
    print(format_summary(doc, paths[0] if paths else None))
    if args.command == "run" and not args.no_fail:
        over = [j for j in doc["journeys"] if j.get("budget_violations")]
        if over:
            print(f"\n{len(over)} journey(s) exceeded their friction budget:")
            for j in over:
                print(f"  {j['id']}: " + "; ".join(j["budget_violations"]))
            return 1
    return 0


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
