"""Benchmark part: simsuite's friction on the labelled web and chat corpus (tests/corpus/web, tests/corpus/chat).

Each case is served on loopback and its customer (the case's channels, facts and secrets) takes the
case's steps through simsuite's own channels: a real Chromium for the web (`customer.web`), the chat
adapter for bots (`customer.chat`). Then what simsuite recorded is matched against the labels:

- a label is recalled when a friction of its kind was recorded on its page (web: the path of the page,
  no query) or in its turn (chat: during the customer's message of that number), whose evidence holds
  the label's evidence (case and spacing ignored);
- a friction is a true positive when it recalls a label, a false positive when it sits on a page and
  step (or a turn) the case calls clean, or on a labelled one whose labels it does not match;
  anything else is out of scope;
- each `mistakes:` entry (a control or field that does not exist) must come back as the script's error:
  `click` answering False with no friction, `fill`/`select`/`check` raising ScriptError;
- nothing listed under `privacy.never_in_outputs` may appear in the results, and the addresses under
  `privacy.personal_in_urls` may not appear in any URL simsuite recorded.

A customer offered a new set of buttons looks among them for one that fits the case's goal (simsuite's
`choose`, pressing nothing): none fitting is a missing option. Not once the bot has said the goal is met,
and not among generic ways on only ("talk to an agent", "that's all"). Then the case's next step is taken.

    .venv/bin/python benchmarks/validity_web.py [--case NAME] [--quiet]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sys
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simsuite.browser import BrowserPool  # noqa: E402
from simsuite.channels.chat import chat_config_from_file  # noqa: E402
from simsuite.channels.menus import best_option  # noqa: E402
from simsuite.core.personas import make_persona  # noqa: E402
from simsuite.core.phrases import sentences  # noqa: E402
from simsuite.core.target import Target  # noqa: E402
from simsuite.customer import Customer  # noqa: E402
from simsuite.errors import ScriptError  # noqa: E402

WEB = ROOT / "tests" / "corpus" / "web"
CHAT = ROOT / "tests" / "corpus" / "chat"
_spec = importlib.util.spec_from_file_location("corpus_serve", ROOT / "tests" / "corpus" / "serve.py")
serve = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("corpus_serve", serve)
_spec.loader.exec_module(serve)  # type: ignore[union-attr]


def cases(folder: Path) -> list[Path]:
    """The case folders of a corpus part."""
    return sorted(p.parent for p in folder.glob("*/case.yaml"))


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u2019", "'")).strip().lower()


def persona_for(case: dict[str, Any]) -> Any:
    """The case's customer: only its channels, facts and secrets (secret facts are never written down)."""
    caller = case["caller"]
    situation = [caller["situation"]] if caller.get("situation") else []
    persona = make_persona(1, case["name"], channels=list(caller["channels"]), knows=[], situation=situation)
    facts = {k: str(v) for k, v in (caller.get("facts") or {}).items()}
    secrets = {k: str(v) for k, v in (caller.get("secrets") or {}).items()}
    return persona.with_facts(facts).with_facts(secrets, secret=True)


def _value(spec: dict[str, Any], customer: Customer) -> str:
    if "fact" in spec:
        return customer.fact(spec["fact"])
    if "secret" in spec:
        return customer.fact(spec["secret"])
    return str(spec.get("text", ""))


def _web_step(web: Any, customer: Customer, step: dict[str, Any]) -> None:
    verb, arg = next(iter(step.items()))
    if verb == "goto":
        web.goto(arg)
    elif verb == "click":
        name, where = (arg, {}) if isinstance(arg, str) else (arg["name"], {"form": arg.get("form")})
        web.click(name, **where)
    elif verb == "fill":
        web.fill(arg["field"], _value(arg, customer), form=arg.get("form"))
    elif verb == "select":
        web.select(arg["field"], arg["option"], form=arg.get("form"))
    elif verb == "check":
        name, form = (arg, None) if isinstance(arg, str) else (arg["field"], arg.get("form"))
        web.check(name, form=form)
    elif verb == "later":
        customer.later(**{k: float(v) for k, v in arg.items()})
    else:
        raise ValueError(f"unknown step {verb!r}")


def _mistake(web: Any, mistake: dict[str, Any]) -> tuple[bool, str]:
    """Try a step naming something that does not exist; True if simsuite treats it as the script's error."""
    verb = next(k for k in mistake if k not in ("at_step", "at_turn"))
    name = mistake[verb] if isinstance(mistake[verb], str) else (mistake[verb].get("field") or mistake[verb].get("name"))
    before = len(web.journal.frictions)
    try:
        if verb == "click":
            ok = web.click(name) is False and len(web.journal.frictions) == before
            return ok, "" if ok else "click did not answer False, or recorded friction"
        if verb == "fill":
            web.fill(name, "x")
        elif verb == "select":
            web.select(name, "x")
        elif verb == "check":
            web.check(name)
    except ScriptError as exc:
        return True, str(exc)
    return False, f"{verb} '{name}' went through"


def run_web_case(case_dir: Path, pool: BrowserPool) -> dict[str, Any]:
    """Take the case's steps in a real browser; what was recorded, step by step."""
    case = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    persona = persona_for(case)
    mistakes = defaultdict(list)
    for m in case.get("mistakes") or []:
        mistakes[m.get("at_step", 0)].append(m)
    handled, notes = [], []
    with serve.serve_case(case_dir) as base:
        hosts = frozenset({urlsplit(base).netloc})
        customer = Customer(persona, None, Target(base_url=base, page_factory=pool.page_factory(hosts),
                                                  allowed_hosts=hosts), patience_minutes=24 * 60)
        step_of: list[int] = []  # the case step (1-based) during which each recorded step happened
        error = None
        try:
            for number, step in enumerate(case["steps"], 1):
                try:
                    _web_step(customer.web, customer, step)
                except ScriptError as exc:
                    error = f"step {number} {step}: {exc}"
                    notes.append(f"  SCRIPT ERROR at step {number}: {exc}")
                    break
                finally:
                    step_of.extend([number] * (len(customer.steps) - len(step_of)))
                for m in mistakes.get(number, []):
                    ok, why = _mistake(customer.web, m)
                    handled.append(ok)
                    if not ok:
                        notes.append(f"  MISTAKE NOT CAUGHT at step {number} {m}: {why}")
                    step_of.extend([number] * (len(customer.steps) - len(step_of)))
            customer.finish()
        finally:
            customer.close()
    frictions = [(f, _page(customer.steps[f.step].url), step_of[f.step] if f.step < len(step_of) else 0)
                 for f in customer.frictions]
    doc = json.dumps({"steps": [s.to_dict() for s in customer.steps],
                      "frictions": [f.to_dict() for f in customer.frictions],
                      "persona": persona.to_dict()}, default=str)
    return {"case": case, "frictions": frictions, "handled": handled, "notes": notes, "error": error,
            "doc": doc, "urls": [s.url or "" for s in customer.steps]}


def _page(url: str | None) -> str:
    path = urlsplit(url or "").path or "/"
    return path


def judge(case: dict[str, Any], frictions: list[tuple[Any, str, int]], where: str) -> dict[str, Any]:
    """Recall and precision of one case's frictions against its labels; `where` is "page" or "turn"."""
    labels = case.get("friction") or []

    def place(label: dict[str, Any]) -> Any:
        return label.get(where)

    def recalls(f: Any, at: Any, label: dict[str, Any]) -> bool:
        return (f.kind.value == label["kind"] and at == place(label)
                and _norm(label["evidence"]) in _norm(f.evidence))

    clean = {(c.get("page"), c.get("step")) if where == "page" else c.get("turn") for c in case.get("clean") or []}
    labelled = {place(label) for label in labels}
    out = {"labels": len(labels), "recalled": 0, "tp": 0, "fp": 0, "kinds": defaultdict(lambda: [0, 0, 0, 0]),
           "misses": [], "false": []}
    seen: set[tuple[str, Any, str]] = set()
    reported = []
    for f, page, step in frictions:
        at = page if where == "page" else step
        key = (f.kind.value, at, f.evidence)
        if key not in seen:
            seen.add(key)
            reported.append((f, at, step))
    for label in labels:
        hit = any(recalls(f, at, label) for f, at, _ in reported)
        out["recalled"] += hit
        row = out["kinds"][label["kind"]]
        row[0] += 1
        row[1] += hit
        if not hit:
            out["misses"].append(f"  MISS {label['kind']} at {where} {place(label)}: \"{label['evidence']}\"")
    for f, at, step in reported:
        row = out["kinds"][f.kind.value]
        if any(recalls(f, at, label) for label in labels):
            out["tp"] += 1
            row[2] += 1
        elif ((at, step) in clean if where == "page" else at in clean) or at in labelled:
            out["fp"] += 1
            row[3] += 1
            out["false"].append(f"  FALSE {f.kind.value} at {where} {at}: \"{f.evidence[:160]}\"")
    return out


def privacy_leaks(case: dict[str, Any], doc: str, urls: list[str]) -> list[str]:
    """Secrets found in the results, and personal data found in recorded URLs."""
    privacy = case.get("privacy") or {}
    leaks = [f"  LEAK secret {s[:6]}... in the results" for s in privacy.get("never_in_outputs") or [] if s in doc]
    leaks += [f"  LEAK {p} in a URL" for p in privacy.get("personal_in_urls") or [] if any(p in u for u in urls)]
    leaks += [f"  LEAK secret fact {k} in the results" for k, v in (case["caller"].get("secrets") or {}).items()
              if str(v) in doc]
    return leaks


def run_chat_case(case_dir: Path) -> dict[str, Any]:
    """Send the case's messages to the bot through simsuite's chat channel; what was recorded, turn by turn."""
    case = yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8"))
    persona = persona_for(case)
    config = chat_config_from_file(case_dir / case["chat_config"]) if case.get("chat_config") else {}
    mistakes = defaultdict(list)
    for m in case.get("mistakes") or []:
        mistakes[m.get("at_turn", 0)].append(m)
    handled, notes, turn_of, judged = [], [], [], set()
    goal_words = tuple(w for w in re.findall(r"[a-z']+", case["goal"].lower()) if len(w) > 3)
    with serve.serve_case(case_dir) as base:
        customer = Customer(persona, None, Target(base_url=base, chat_url=base, chat_config=config),
                            patience_minutes=24 * 60)
        try:
            chat = customer.chat.connect("/" if config else "/")
            turn_of.extend([0] * len(customer.steps))
            for turn, step in enumerate(case["steps"], 1):
                verb, arg = next(iter(step.items()))
                if verb == "say":
                    chat.send(customer.fact(arg["fact"]) if isinstance(arg, dict) else str(arg))
                else:
                    chat.press(arg)
                if _looks_for_goal(chat, customer, judged) and best_option(chat.options, goal_words) is None:
                    chat.choose(*goal_words)  # none fits: a missing option, and nothing pressed
                turn_of.extend([turn] * (len(customer.steps) - len(turn_of)))
                for m in mistakes.get(turn, []):
                    try:
                        chat.press(m["press"]) if "press" in m else chat.send(m.get("say", ""))
                        handled.append(False)
                        notes.append(f"  MISTAKE NOT CAUGHT at turn {turn} {m}")
                    except ScriptError:
                        handled.append(True)
                    turn_of.extend([turn] * (len(customer.steps) - len(turn_of)))
            customer.finish()
        finally:
            customer.close()
    frictions = [(f, "", turn_of[f.step] if f.step < len(turn_of) else 0) for f in customer.frictions]
    return {"case": case, "frictions": frictions, "handled": handled, "notes": notes}


_GENERIC = re.compile(r"\b(?:agent|human|person|someone|advisor|adviser|all|no thanks|nothing else|main menu|start "
                      r"over|back|done|that's it|goodbye|bye)\b", re.I)


def _looks_for_goal(chat: Any, customer: Customer, judged: set) -> bool:
    """Whether the customer, newly offered these buttons, looks among them for one that fits the goal: not
    once the bot has said the goal is met, not among generic ways on only ("talk to an agent", "that's
    all"), and once per set of buttons."""
    options = chat.options
    offered = frozenset(options.values())
    if not options or offered in judged or all(_GENERIC.search(o) for o in offered):
        return False
    judged.add(offered)
    said = " ".join(t for who, t in chat.transcript if who == chat.company)
    return not any(customer.phrases.resolves(s) for s in sentences(said))


def score(kind: str, case_dirs: list[Path]) -> dict[str, Any]:
    """Run every case of a corpus part ("web" or "chat") and total its recall and precision."""
    total = {"labels": 0, "recalled": 0, "tp": 0, "fp": 0, "handled": 0, "mistakes": 0}
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    rows, notes, leaks = [], [], []
    with ExitStack() as stack:
        pool = BrowserPool(stack) if kind == "web" else None
        for case_dir in case_dirs:
            run = run_web_case(case_dir, pool) if kind == "web" else run_chat_case(case_dir)
            judged = judge(run["case"], run["frictions"], "page" if kind == "web" else "turn")
            for key in ("labels", "recalled", "tp", "fp"):
                total[key] += judged[key]
            total["handled"] += sum(run["handled"])
            total["mistakes"] += len(run["handled"])
            for k, row in judged["kinds"].items():
                kinds[k] = [a + b for a, b in zip(kinds[k], row)]
            case_leaks = privacy_leaks(run["case"], run["doc"], run["urls"]) if kind == "web" else []
            leaks += case_leaks
            rows.append((case_dir.name, judged, run.get("error")))
            if judged["misses"] or judged["false"] or run["notes"] or case_leaks:
                notes.append(f"{case_dir.name}:")
                notes += judged["misses"] + judged["false"] + run["notes"] + case_leaks
    return {"total": total, "kinds": dict(kinds), "rows": rows, "notes": notes, "leaks": leaks}


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def print_part(name: str, result: dict[str, Any]) -> None:
    """One part's cases, totals and kinds, as the phone benchmark prints them."""
    for case, judged, error in result["rows"]:
        print(f"{case:<34}{judged['labels']:>7}{_ratio(judged['recalled'], judged['labels']):>8.2f}"
              f"{_ratio(judged['tp'], judged['tp'] + judged['fp']):>10.2f}" + (f"   stopped: {error}" if error else ""))
    t = result["total"]
    print(f"\n{name:<18}{'labels':>7}{'recall':>8}{'TP':>5}{'FP':>5}{'precision':>10}{'mistakes caught':>17}")
    print(f"{'':<18}{t['labels']:>7}{_ratio(t['recalled'], t['labels']):>8.2f}{t['tp']:>5}{t['fp']:>5}"
          f"{_ratio(t['tp'], t['tp'] + t['fp']):>10.2f}{t['handled']:>9}/{t['mistakes']}")
    for k, (labels, recalled, tp, fp) in sorted(result["kinds"].items()):
        print(f"  {k:<22}{labels:>7}{_ratio(recalled, labels):>8.2f}{tp:>5}{fp:>5}{_ratio(tp, tp + fp):>10.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Recall and precision of simsuite's friction on web and chat cases.")
    parser.add_argument("--case", action="append", help="only this case (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="no list of misses and false positives")
    args = parser.parse_args(argv)
    corpus = ROOT / "tests" / "corpus"
    sets = [("web", WEB), ("chat", CHAT)] + [(f"{part}, {held}", corpus / f"{held}_web" / part)
                                             for held in ("final", "final2") for part in ("web", "chat")]
    verdicts = []
    for name, folder in sets:
        dirs = [d for d in cases(folder) if not args.case or d.name in args.case] if folder.is_dir() else []
        if not dirs:
            continue
        result = score(name.split(",")[0], dirs)
        print(f"\n{name + ' case':<34}{'labels':>7}{'recall':>8}{'precision':>10}")
        print_part(name, result)
        if result["notes"] and not args.quiet:
            print("\n".join(result["notes"]))
        if name.startswith("web"):
            print(f"privacy: {len(result['leaks'])} leak(s)")
        t = result["total"]
        verdicts.append((name, _ratio(t["recalled"], t["labels"]), _ratio(t["tp"], t["tp"] + t["fp"])))
    print("\nverdict (target: recall and precision of 0.95 or more):")
    for name, recall, precision in verdicts:
        ok = recall >= 0.95 and precision >= 0.95
        print(f"  {name:<18}{'meets' if ok else 'below'} ({recall:.2f} / {precision:.2f})"
              f"{'  [held out: never tuned on]' if name.endswith('final2') else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
