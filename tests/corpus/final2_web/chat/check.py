"""Check the chat corpus: every bot is served, every conversation is replayed, every label is where it says.

    .venv/bin/python tests/corpus/final2_web/chat/check.py             # every case
    .venv/bin/python tests/corpus/final2_web/chat/check.py -k charging  # cases whose name contains "charging"

Each case is served on 127.0.0.1 by tests/corpus/serve.py (loaded by path; nothing here imports
simsuite) and spoken to with plain httpx: Rasa's REST channel (`protocol: rasa`: POST {"sender",
"message"}, a list of {"recipient_id", "text", "buttons"} back; a button is pressed by sending its
payload) or the generic HTTP/JSON shape its `chat.yaml` describes (`protocol: http-json`). It checks
that the YAML is well formed, that every `press` names a button the previous reply offered, that
every label's evidence is in the bot's words after its turn (and was not already said the turn
before), that every turn is labelled or clean, that the `mistakes` name no button offered at that
turn, and that the bot keeps its state per sender id: two more senders replaying the script in
lockstep (turn 1 for each, then turn 2, ...) get the same answers as the first, turn for turn.

This is a copy of tests/corpus/chat/check.py pointed at the held-out set in
tests/corpus/final2_web/chat/ (serve.py is still tests/corpus/serve.py); the checks are unchanged.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
import traceback
from pathlib import Path

import httpx
import yaml

HERE = Path(__file__).resolve().parent
KINDS = {"dead_end", "forced_channel_switch", "unavailable_demand", "repeated_information", "transfer", "loop",
         "wait", "missing_option"}


def load_serve():
    spec = importlib.util.spec_from_file_location("corpus_serve", HERE.parent.parent / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


serve = load_serve()


def chat_cases(pattern: str | None = None) -> list[Path]:
    found = sorted(p for p in HERE.iterdir() if (p / "app.py").is_file() and (p / "case.yaml").is_file())
    return [p for p in found if not pattern or pattern in p.name]


def norm(text: str) -> str:
    text = (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


def validate_case(case_dir: Path, case: dict) -> list[str]:
    errors = []
    for key in ("name", "written_like", "framework", "interface", "protocol", "entry", "caller", "goal", "steps",
                "friction", "clean"):
        if key not in case:
            errors.append(f"case.yaml lacks {key!r}")
    if errors:
        return errors
    if case["name"] != case_dir.name:
        errors.append("name is not the directory name")
    if case["protocol"] not in ("rasa", "http-json"):
        errors.append(f"unknown protocol {case['protocol']!r}")
    if case["protocol"] == "http-json" and not (case_dir / case.get("chat_config", "chat.yaml")).is_file():
        errors.append("an http-json bot needs its chat.yaml")
    if "chat" not in (case["caller"].get("channels") or []):
        errors.append("the caller cannot use chat")
    turns = len(case["steps"])
    for i, step in enumerate(case["steps"], 1):
        if not isinstance(step, dict) or len(step) != 1 or next(iter(step)) not in ("say", "press"):
            errors.append(f"step {i} is neither say nor press: {step!r}")
            continue
        arg = step.get("say")
        if isinstance(arg, dict) and arg.get("fact") not in (case["caller"].get("facts") or {}):
            errors.append(f"step {i}: unknown fact {arg!r}")
    seen = set()
    for label in case["friction"] or []:
        if label.get("kind") not in KINDS:
            errors.append(f"unknown kind {label.get('kind')!r}")
        for key in ("turn", "evidence", "why"):
            if key not in label:
                errors.append(f"label lacks {key!r}: {label}")
        if not 1 <= int(label.get("turn", 0)) <= turns:
            errors.append(f"label turn out of range: {label}")
        if (label.get("kind"), label.get("turn")) in seen:
            errors.append(f"{label['kind']} labelled twice at turn {label['turn']}")
        seen.add((label.get("kind"), label.get("turn")))
    labelled = {x["turn"] for x in case["friction"] or []}
    clean = {x["turn"] for x in case["clean"] or []}
    if labelled & clean:
        errors.append(f"turns both clean and labelled: {sorted(labelled & clean)}")
    if set(range(1, turns + 1)) - labelled - clean:
        errors.append(f"turns neither labelled nor clean: {sorted(set(range(1, turns + 1)) - labelled - clean)}")
    for mistake in case.get("mistakes") or []:
        if "at_turn" not in mistake or "press" not in mistake:
            errors.append(f"a mistake needs at_turn and press: {mistake}")
    return errors


class Speaker:
    """One protocol: send a message from a sender, get back [(text, [(title, payload)])]."""

    def __init__(self, case_dir: Path, case: dict, client: httpx.Client):
        self.case, self.client = case, client
        self.config = None
        if case["protocol"] == "http-json":
            self.config = yaml.safe_load((case_dir / case.get("chat_config", "chat.yaml")).read_text(encoding="utf-8"))

    def send(self, sender: str, message: str) -> list[tuple[str, list[tuple[str, str]]]]:
        if self.config is None:
            r = self.client.post(self.case["entry"], json={"sender": sender, "message": message})
            r.raise_for_status()
            return [(m.get("text") or "", [(b["title"], b["payload"]) for b in m.get("buttons") or []]) for m in r.json()]
        c = self.config

        def fill(template):
            if isinstance(template, dict):
                return {k: fill(v) for k, v in template.items()}
            if isinstance(template, list):
                return [fill(v) for v in template]
            if isinstance(template, str):
                return template.replace("{sender}", sender).replace("{message}", message)
            return template

        r = self.client.post(c["url"], json=fill(c["request"]))
        r.raise_for_status()
        data = r.json()
        if c["replies"] != "$":
            for key in c["replies"].split("."):
                data = data[key]
        return [(m.get(c["text"]) or "", [(b[c["title"]], b[c["payload"]]) for b in m.get(c["buttons"]) or []])
                for m in data]


def press_payload(buttons: list[tuple[str, str]], title: str) -> str | None:
    exact = [p for t, p in buttons if norm(t) == norm(title)]
    if exact:
        return exact[0]
    partial = [p for t, p in buttons if norm(title) in norm(t)]
    return partial[0] if len(partial) == 1 else None


def converse(speaker: Speaker, case: dict, senders: list[str]) -> dict[str, list[dict]]:
    """Replay the steps as each sender, in lockstep: turn 1 for every sender, then turn 2, ..."""
    facts = case["caller"].get("facts") or {}
    turns = {s: [] for s in senders}
    buttons = {s: [] for s in senders}
    for i, step in enumerate(case["steps"], 1):
        kind, arg = next(iter(step.items()))
        for sender in senders:
            if kind == "say":
                message = str(facts[arg["fact"]]) if isinstance(arg, dict) else str(arg)
            else:
                message = press_payload(buttons[sender], arg)
                if message is None:
                    raise RuntimeError(f"turn {i}: no button {arg!r} among {[t for t, _ in buttons[sender]]}")
            replies = speaker.send(sender, message)
            buttons[sender] = [b for _, bs in replies for b in bs]
            turns[sender].append({"turn": i, "sent": message, "texts": [t for t, _ in replies],
                                  "buttons": buttons[sender]})
    return turns


def run_case(case_dir: Path) -> tuple[list[str], int]:
    case = serve.load_case(case_dir)
    problems = validate_case(case_dir, case)
    if problems:
        return problems, 0
    stamp = str(int(time.time() * 1000))
    with serve.serve_case(case_dir) as base_url, httpx.Client(base_url=base_url, timeout=15) as client:
        speaker = Speaker(case_dir, case, client)
        try:
            turns = converse(speaker, case, [f"corpus-a-{stamp}"])[f"corpus-a-{stamp}"]
        except RuntimeError as exc:
            return [str(exc)], 0
        for label in case["friction"] or []:
            said = norm(" ".join(turns[label["turn"] - 1]["texts"]))
            before = norm(" ".join(turns[label["turn"] - 2]["texts"])) if label["turn"] > 1 else ""
            if norm(label["evidence"]) not in said:
                problems.append(f"{label['kind']} evidence {label['evidence']!r} not said after turn {label['turn']} "
                                f"(said: {said[:160]!r})")
            elif label["kind"] != "loop" and norm(label["evidence"]) in before:
                problems.append(f"{label['kind']} evidence {label['evidence']!r} was already said the turn before")
        for mistake in case.get("mistakes") or []:
            offered = turns[mistake["at_turn"] - 1]["buttons"]
            if press_payload(offered, mistake["press"]) is not None:
                problems.append(f"mistake {mistake} names a button offered at turn {mistake['at_turn']}")
        # State per sender: two more customers run the same script in lockstep, turn by turn; each must
        # get the answers the first one got alone.
        twins = [f"corpus-b-{stamp}", f"corpus-c-{stamp}"]
        try:
            together = converse(speaker, case, twins)
        except RuntimeError as exc:
            return problems + [f"two senders in lockstep: {exc}"], len(turns)
        for twin in twins:
            for a, b in zip(turns, together[twin]):
                if a["texts"] != b["texts"]:
                    problems.append(f"turn {a['turn']} answers differently with another sender in between: "
                                    f"{a['texts']} vs {b['texts']}")
                    break
        for secret in (case["caller"].get("secrets") or {}).values():
            if any(str(secret) in " ".join(t["texts"]) for t in turns):
                problems.append("a secret appears in the bot's words")
    return problems, len(turns)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", dest="pattern", help="only cases whose name contains this")
    args = parser.parse_args(argv)
    chosen = chat_cases(args.pattern)
    if not chosen:
        print("no cases")
        return 1
    failures = 0
    for case_dir in chosen:
        started = time.monotonic()
        try:
            problems, turns = run_case(case_dir)
        except Exception:
            problems, turns = [traceback.format_exc(limit=-3)], 0
        took = time.monotonic() - started
        if problems:
            failures += 1
            print(f"FAIL {case_dir.name} ({took:.1f}s)")
            for p in problems:
                print(f"     - {p}")
        else:
            print(f"ok   {case_dir.name} ({turns} turns; {took:.1f}s)")
    print(f"{len(chosen) - failures} of {len(chosen)} chat cases pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
