"""Benchmark: is simsuite right on phone lines, sites and bots nobody here wrote? Recall and precision on the
labelled corpus (the web and chat part is benchmarks/validity_web.py, run at the end).

The corpus (tests/corpus, see its README) holds IVR applications written the way real ones are (Flask,
Django, FastAPI, Starlette, the standard library) and Amazon Connect and Twilio Studio flow exports,
each with the friction a caller truly meets there, by kind and place, and paths that carry none.

For every IVR case this serves the application on loopback and runs simsuite as a user would: the
breadth-first explorer and the goal-directed caller, as the case's caller (the channels they can use,
the facts they can type, where they call from). For the flow exports it runs the static analysis
(benchmarks/validity_flows.py). Then it matches what simsuite found against the labels:

- a label is recalled when a finding of its kind was reported at its place (one of the finding's paths
  is the label's moves) with its words (the labelled evidence is in the finding's evidence);
- a finding is a true positive when it recalls a label; a false positive when it is reported at a place
  along a clean path (missing options excepted: they depend on the goal) or at a labelled place whose
  labels it does not match; anything else is out of scope.

It prints recall and precision per channel and per kind, every miss and false positive with its words,
and each case's goal-caller index beside the band its labels give the same path.

    .venv/bin/python benchmarks/validity.py [--case NAME] [--quiet]
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.corpus.serve import cases, load_case, serve_case  # noqa: E402

from simsuite.core.index import band, kafkaesque_index  # noqa: E402
from simsuite.core.personas import make_persona  # noqa: E402
from simsuite.explore.goal import goal_caller  # noqa: E402
from simsuite.explore.ivr import NO_INPUT, explore_ivr  # noqa: E402
from simsuite.model import Friction, FrictionKind, Outcome  # noqa: E402

KINDS = tuple(k.value for k in FrictionKind)
TARGET = 0.95


@dataclasses.dataclass
class Score:
    """Counts for one slice (a channel, a kind, or all)."""

    labels: int = 0
    recalled: int = 0
    reported: int = 0
    true_positive: int = 0
    false_positive: int = 0

    def add(self, other: "Score") -> None:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def recall(self) -> float:
        return self.recalled / self.labels if self.labels else 1.0

    @property
    def precision(self) -> float:
        judged = self.true_positive + self.false_positive
        return self.true_positive / judged if judged else 1.0


def move_token(move: str) -> str:
    """A move as the labels write it: a key, "<no input>", or "<fact:NAME>"."""
    if move == NO_INPUT or move.startswith(NO_INPUT):
        return "<no input>"
    found = re.fullmatch(r"<(?:fact:)?([a-z_]+)(?:=.*)?>", move)
    return f"<fact:{found.group(1)}>" if found else move


def normal(text: str) -> str:
    return " ".join(str(text).lower().replace("\u2019", "'").split())


def evidence_matches(label: str, finding: str) -> bool:
    """Whether a finding's words show the labelled evidence."""
    label, finding = normal(label), normal(finding)
    if label == "<hangup>":
        return "hung up" in finding or "call ended" in finding or "ended" in finding
    return label in finding


def persona_for(case: dict[str, Any]) -> Any:
    """The case's caller: its channels, the facts it can type, where it calls from."""
    caller = case.get("caller") or {}
    facts = {k: str(v) for k, v in (caller.get("facts") or {}).items()}
    place = caller.get("from") or {}
    persona = make_persona(0, case["name"], channels=list(caller.get("channels") or ["phone"]), knows=list(facts))
    records = {**persona.records, **facts, "city": place.get("city", ""), "state": place.get("state", ""),
               "postcode": str(place.get("zip", persona.records["postcode"])), "country": place.get("country", "")}
    if "phone" not in facts and caller.get("from_number"):
        records["phone"] = caller["from_number"]
    return dataclasses.replace(persona, records=records, knows=frozenset(facts))


def explore_case(case_dir: Path) -> tuple[dict[str, Any], list[Any], Any]:
    """Serve the case and run the explorer and the goal caller against it."""
    case = load_case(case_dir)
    persona = persona_for(case)
    with serve_case(case_dir) as url:
        options = {"method": case.get("entry_method", "POST"), "persona": persona}
        mapped = explore_ivr(url, case["entry"], max_depth=8, max_calls=400, **options)
        goal = goal_caller(url, case["entry"], case["goal"], **options)
    return case, mapped.findings + goal.findings, goal


def judge(case: dict[str, Any], findings: list[Any]) -> tuple[Score, dict[str, Score], list[str]]:
    """Score one case's findings against its labels; returns the totals, per kind, and notes on each miss."""
    labels = [{**f, "path": [move_token(m) for m in f["path"]]} for f in case.get("friction") or ()]
    clean = [[move_token(m) for m in c["path"]] for c in case.get("clean") or ()]
    places = {tuple(lab["path"]) for lab in labels}
    along_clean = {tuple(c[:i]) for c in clean for i in range(len(c) + 1)}
    total, by_kind, notes = Score(), defaultdict(Score), []
    reported = [f for f in findings if f.kind in KINDS]
    paths_of = {id(f): [tuple(move_token(m) for m in p) for p in [f.path, *f.more_paths]] for f in reported}
    def matches(f: Any, lab: dict[str, Any]) -> bool:
        return f.kind == lab["kind"] and tuple(lab["path"]) in paths_of[id(f)] and \
            evidence_matches(lab["evidence"], f.evidence)

    for lab in labels:
        by_kind[lab["kind"]].labels += 1
        if any(matches(f, lab) for f in reported):
            by_kind[lab["kind"]].recalled += 1
        else:
            notes.append(f"  MISS {lab['kind']} at {lab['path']}: \"{lab['evidence']}\"")
    for f in reported:
        score = by_kind[f.kind]
        score.reported += 1
        if any(matches(f, lab) for lab in labels):
            score.true_positive += 1
        elif any((p in along_clean and f.kind != "missing_option") or p in places for p in paths_of[id(f)]):
            score.false_positive += 1
            notes.append(f"  FALSE {f.kind} at {[list(p) for p in paths_of[id(f)]][:3]}: \"{f.evidence[:150]}\"")
    for score in by_kind.values():
        total.add(score)
    return total, by_kind, notes


def expected_band(case: dict[str, Any], goal: Any) -> str:
    """The band the labels give the path the goal caller took, with its end."""
    path = [move_token(m) for m in goal.stats["paths"][0]["keys"]]
    along = [lab for lab in case.get("friction") or () if [move_token(m) for m in lab["path"]] == path[:len(lab["path"])]]
    frictions = [Friction(kind=FrictionKind(lab["kind"]), step=0, channel="phone", evidence=lab["evidence"],
                          minutes=30.0 if lab["kind"] == "wait" else None, explained=True) for lab in along]
    end = goal.stats["end"]
    outcome = Outcome.RESOLVED if end == "resolved" else Outcome.PROMISED if end == "human" else Outcome.UNRESOLVED
    return band(kafkaesque_index(outcome, frictions)[0])


def score_phone(case_dirs: list[Path]) -> tuple[Score, dict[str, Score], list[tuple], list[str]]:
    """Explore every case and score it: the totals, per kind, a row per case, and the misses."""
    phone, kinds, rows, notes = Score(), defaultdict(Score), [], []
    for case_dir in case_dirs:
        case, findings, goal = explore_case(case_dir)
        total, by_kind, case_notes = judge(case, findings)
        phone.add(total)
        for kind, score in by_kind.items():
            kinds[kind].add(score)
        index = goal.stats["index"]
        rows.append((case_dir.name, total, "-" if index is None else f"{index:5.1f}",
                     band(index) if index is not None else "-", expected_band(case, goal)))
        notes += [f"{case_dir.name}:"] + case_notes if case_notes else []
    return phone, kinds, rows, notes


def _flow_score(row: dict[str, Any]) -> Score:
    return Score(labels=row["labels"], recalled=row["recalled"], reported=row["tp"] + row["fp"],
                 true_positive=row["tp"], false_positive=row["fp"])


def _kinds_table(title: str, kinds: dict[str, Score]) -> None:
    print(f"\n{title:<24}{'labels':>7}{'recall':>8}{'TP':>5}{'FP':>5}{'precision':>10}")
    for kind, s in kinds.items():
        print(f"{kind:<24}{s.labels:>7}{s.recall:>8.2f}{s.true_positive:>5}{s.false_positive:>5}{s.precision:>10.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Recall and precision of simsuite's friction on the labelled corpus.")
    parser.add_argument("--case", action="append", help="only this IVR case (repeatable)")
    parser.add_argument("--quiet", action="store_true", help="no list of misses and false positives")
    parser.add_argument("--no-flows", action="store_true", help="skip the flow exports")
    parser.add_argument("--no-web", action="store_true", help="skip the web and chat cases (validity_web.py)")
    parser.add_argument("--no-problems", action="store_true", help="skip the fix-first grouping corpus "
                        "(validity_problems.py)")
    args = parser.parse_args(argv)
    corpus = ROOT / "tests" / "corpus"
    sets = [("phone", cases())] + [(f"phone, {name}", [p.parent for p in sorted((corpus / name / "ivr").glob("*/case.yaml"))])
                                   for name in ("holdout", "final", "final2")]
    slices, notes = [], []
    print(f"{'IVR case':<34}{'labels':>7}{'recall':>8}{'precision':>10}   goal index  band (labels' band)")
    for name, case_dirs in sets:
        case_dirs = [c for c in case_dirs if not args.case or c.name in args.case]
        if not case_dirs:
            continue
        score, kinds, rows, case_notes = score_phone(case_dirs)
        for case, total, index, got, want in rows:
            print(f"{case:<34}{total.labels:>7}{total.recall:>8.2f}{total.precision:>10.2f}   {index:>10}  {got}"
                  f" ({want})")
        slices.append((name, score, {k: kinds.get(k, Score()) for k in KINDS}))
        notes += case_notes
    if not args.no_flows and not args.case:
        from validity_flows import score_flows

        for name, folder in (("flow", corpus / "flows"), ("flow, final", corpus / "final" / "flows"),
                             ("flow, final2", corpus / "final2" / "flows")):
            if not (folder / "labels.yaml").is_file():
                continue
            flows = score_flows(folder)
            kinds = {k: _flow_score(r) for k, r in flows["kinds"].items()}
            slices.append((name, _flow_score(flows["overall"]), kinds))
            notes += [f"  MISS {m['file']} {m['kind']} at {m['at']}: \"{m['evidence']}\"" for m in flows["misses"]]
            notes += [f"  FALSE {f['file']} {f['kind']} at {f['at']}: \"{f['evidence']}\""
                      for f in flows["false_positives"]]
    print(f"\n{'channel':<18}{'labels':>7}{'recalled':>9}{'recall':>8}{'reported':>9}{'TP':>5}{'FP':>5}{'precision':>10}")
    for name, s, _ in slices:
        print(f"{name:<18}{s.labels:>7}{s.recalled:>9}{s.recall:>8.2f}{s.reported:>9}{s.true_positive:>5}"
              f"{s.false_positive:>5}{s.precision:>10.2f}")
    for name, _, kinds in slices:
        _kinds_table(f"{name}, by kind", kinds)
    if notes and not args.quiet:
        print("\nMisses and false positives:\n" + "\n".join(notes))
    print(f"\nverdict (target: recall and precision of {TARGET} or more):")
    for name, s, _ in slices:
        ok = s.recall >= TARGET and s.precision >= TARGET
        print(f"  {name:<18}{'meets' if ok else 'below'} ({s.recall:.2f} / {s.precision:.2f})"
              f"{'  [held out: never tuned on]' if name.endswith('final2') else ''}")
    if not args.no_web and not args.case:
        from validity_web import main as web_main

        print("\nWeb and chat (benchmarks/validity_web.py):")
        web_main(["--quiet"] if args.quiet else [])
    if not args.no_problems and not args.case:
        from validity_problems import main as problems_main

        print("\nFix these first: problems grouped (benchmarks/validity_problems.py):")
        problems_main(["--quiet"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
