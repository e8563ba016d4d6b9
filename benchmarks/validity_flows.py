"""Validity of the flow-export analysis: recall and precision against the labelled corpus.

    .venv/bin/python benchmarks/validity_flows.py [--corpus tests/corpus/flows] [--phrases extra.yaml]

The corpus is tests/corpus/flows/*.json with labels.yaml (format in tests/corpus/README.md). Matching:
- a label (kind, at, evidence) is recalled when a finding of that kind sits at that block (its id, or its
  name as the export gives it) and its evidence holds the label's evidence (case and spacing ignored);
  branch counts are reported apart (recalled findings whose count equals the label's `branches`);
- a finding of a friction kind or `unreachable` is a true positive if it recalls a label, a false positive
  if its block is listed clean, or carries labels none of which it recalls; otherwise out of scope;
- the broken file is recalled when analyse_flows names it with the labelled line.
`--phrases` extends simsuite's phrase lists (as --sim-phrases does), to measure proposed entries.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from simsuite.core.phrases import load_phrases
from simsuite.explore.flow_judge import FlowCaller
from simsuite.explore.flow_words import spoken
from simsuite.explore.flows import analyse_flows

CORPUS = ROOT / "tests" / "corpus" / "flows"
KINDS = ("dead_end", "forced_channel_switch", "unavailable_demand", "repeated_information", "transfer", "loop",
         "wait", "missing_option", "unreachable")
BROKEN = "broken_file"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u2019", "'")).strip().lower()


def _at(finding: Any, label: dict[str, Any], names: dict[str, str]) -> bool:
    return finding.node == label["at"] or names.get(finding.node or "") == label["at"]


def _recalls(finding: Any, label: dict[str, Any], names: dict[str, str]) -> bool:
    # a label quotes the export's text; simsuite shows run-time values readably ("${portal_url}" as "[portal url]")
    return (finding.kind == label["kind"] and _at(finding, label, names)
            and any(_norm(e) in _norm(finding.evidence) for e in (label["evidence"], spoken(label["evidence"]))))


class _Tally:
    """Counts for one slice (overall, a platform, a kind)."""

    def __init__(self) -> None:
        self.labels = self.recalled = self.branches = self.tp = self.fp = 0

    def row(self) -> dict[str, Any]:
        reported = self.tp + self.fp
        return {"labels": self.labels, "recalled": self.recalled,
                "recall": self.recalled / self.labels if self.labels else 1.0,
                "tp": self.tp, "fp": self.fp, "precision": self.tp / reported if reported else 1.0,
                "branches_right": self.branches}


def score_flows(corpus: Path = CORPUS, phrase_files: tuple[str | Path, ...] = ()) -> dict[str, Any]:
    """Run analyse_flows over the corpus and score it against labels.yaml."""
    corpus = Path(corpus)
    labels = yaml.safe_load((corpus / "labels.yaml").read_text(encoding="utf-8"))
    phrases = load_phrases(*phrase_files)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    misses: list[dict[str, Any]] = []
    false_positives: list[dict[str, Any]] = []
    for name, truth in sorted(labels.items()):
        caller = FlowCaller(frozenset(truth.get("caller_channels") or ["phone"]))
        maps, errors = analyse_flows([corpus / name], caller=caller, phrases=phrases)
        slices = ("overall", truth["platform"])
        if truth.get("broken"):
            hit = any(e.line == truth["line"] for e in errors)
            for key in slices + (BROKEN,):
                tallies[key].labels += 1
                tallies[key].recalled += hit
                tallies[key].branches += hit
                tallies[key].tp += hit
                tallies[key].fp += bool(errors) and not hit
            if not hit:
                misses.append({"file": name, "kind": BROKEN, "at": f"line {truth['line']}",
                               "evidence": str(errors[0]) if errors else "not reported as broken"})
            continue
        if errors:
            for key in slices + (BROKEN,):
                tallies[key].fp += 1
            false_positives.append({"file": name, "kind": BROKEN, "at": "", "evidence": str(errors[0])})
        findings = maps[0].findings if maps else []
        names = maps[0].stats.get("names", {}) if maps else {}
        _score_file(name, truth, findings, names, tallies, misses, false_positives)
    return {"overall": tallies["overall"].row(),
            "platforms": {p: tallies[p].row() for p in ("connect", "studio")},
            "kinds": {k: tallies[k].row() for k in KINDS + (BROKEN,) if tallies[k].labels or tallies[k].tp
                      or tallies[k].fp},
            "misses": misses, "false_positives": false_positives}


def _score_file(name: str, truth: dict[str, Any], findings: list[Any], names: dict[str, str],
                tallies: dict[str, _Tally], misses: list[dict[str, Any]], fps: list[dict[str, Any]]) -> None:
    labelled = truth.get("findings") or []
    clean = set(truth.get("clean") or [])
    for label in labelled:
        found = [f for f in findings if _recalls(f, label, names)]
        for key in ("overall", truth["platform"], label["kind"]):
            tallies[key].labels += 1
            tallies[key].recalled += bool(found)
            tallies[key].branches += any(f.count == label["branches"] for f in found)
        if not found:
            near = [f for f in findings if _at(f, label, names)]
            misses.append({"file": name, "kind": label["kind"], "at": label["at"], "evidence": label["evidence"],
                           "reported_there": [(f.kind, f.evidence[:80]) for f in near]})
    for finding in findings:
        if finding.kind not in KINDS:
            continue
        at_labels = [lab for lab in labelled if _at(finding, lab, names)]
        node_name = names.get(finding.node or "", finding.node)
        if any(_recalls(finding, lab, names) for lab in labelled):
            verdict = "tp"
        elif finding.node in clean or node_name in clean or at_labels:
            verdict = "fp"
        else:
            continue
        for key in ("overall", truth["platform"], finding.kind):
            setattr(tallies[key], verdict, getattr(tallies[key], verdict) + 1)
        if verdict == "fp":
            fps.append({"file": name, "kind": finding.kind, "at": finding.node, "evidence": finding.evidence[:160],
                        "why": "clean block" if not at_labels else "block labelled otherwise"})


def _table(title: str, rows: dict[str, dict[str, Any]]) -> list[str]:
    out = [f"{title:<24} {'recall':>16} {'precision':>16} {'branches':>10}"]
    for key, r in rows.items():
        out.append(f"{key:<24} {r['recall']:>6.2f} ({r['recalled']:>2}/{r['labels']:<2})    "
                   f"{r['precision']:>6.2f} ({r['tp']:>2}/{r['tp'] + r['fp']:<2})    "
                   f"{r['branches_right']:>3}/{r['recalled']:<3}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the scores, the misses and the false positives; exit 1 below the 0.95 target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--phrases", action="append", default=[], help="extra phrase list (YAML), repeatable")
    args = parser.parse_args(argv)
    result = score_flows(Path(args.corpus), tuple(args.phrases))
    lines = _table("flows", {"overall": result["overall"]}) + [""]
    lines += _table("platform", result["platforms"]) + [""] + _table("kind", result["kinds"])
    lines.append("\nbranches: recalled findings whose count equals the label's branches")
    lines.append(f"\nmisses ({len(result['misses'])}):")
    for m in result["misses"]:
        there = "; ".join(f"{k}: {e!r}" for k, e in m.get("reported_there", [])) or "nothing"
        lines.append(f"  {m['file']}  {m['kind']} at {m['at']}: {m['evidence']!r}  (reported there: {there})")
    lines.append(f"\nfalse positives ({len(result['false_positives'])}):")
    for f in result["false_positives"]:
        lines.append(f"  {f['file']}  {f['kind']} at {f['at']} ({f.get('why', '')}): {f['evidence']!r}")
    print("\n".join(lines))
    overall = result["overall"]
    return 0 if overall["recall"] >= 0.95 and overall["precision"] >= 0.95 else 1


if __name__ == "__main__":
    raise SystemExit(main())
