"""Validity of "fix these first": does simsuite group a run's frictions into the problems a company really has?

    .venv/bin/python benchmarks/validity_problems.py [--company NAME] [--quiet]

The corpus is tests/corpus/problems/<company>/: a small company (app.py with make_app(), a Flask app serving
its web pages and, for some, a chat bot and a TwiML IVR), company.yaml (its name and which channels it has),
journeys/ and scenarios/ (the customers sent there), and labels.yaml, the ground truth written from the
design: each problem (one company rule or defect) with the exact sentences it is worded with in each place.

Each company is served on loopback and its journeys are run through simsuite's own Python API
(`simsuite.app.run`), out in a temporary folder. Then:

- every friction in results.json is given the labelled problem whose sentence its evidence holds (case,
  spacing and apostrophes ignored); a friction whose evidence holds none is *unlabelled* and left out;
- every friction is given the simsuite problem it belongs to: the problems come from
  `simsuite.priorities.fix_first(journeys, limit=1000)`, called as a black box. A problem lists its journeys
  and one sentence (`words`), not its frictions, so a friction's problem is the one listing its journey
  (the one whose words are the friction's evidence if several do, else the closest in kind and words);
  the count of frictions placed that way, not exactly, is reported as `guessed`;
- **pairwise precision**: of the pairs of labelled frictions simsuite put in one problem, the share the
  labels put in one problem too; **pairwise recall**: of the pairs the labels put together, the share
  simsuite put together;
- **top 5**: how many of the designed problems (labels not marked `distractor`) have a friction in one of
  the five problems `summary.fix_first` ranks first; **worst in top 3**: whether the problem labelled
  `worst: true` has a friction in one of the first three.

Nothing here tunes simsuite; the labels were written before simsuite's grouping was looked at.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORPUS = ROOT / "tests" / "corpus" / "problems"
BLOCKING = ("dead_end", "forced_channel_switch", "unavailable_demand")


def companies(corpus: Path = CORPUS) -> list[Path]:
    """The company folders of the corpus (each with app.py, company.yaml and labels.yaml), sorted."""
    return sorted(p.parent for p in Path(corpus).glob("*/labels.yaml")
                  if (p.parent / "app.py").is_file() and (p.parent / "company.yaml").is_file())


_spec = importlib.util.spec_from_file_location("corpus_serve", ROOT / "tests" / "corpus" / "serve.py")
corpus_serve = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("corpus_serve", corpus_serve)
_spec.loader.exec_module(corpus_serve)  # type: ignore[union-attr]


def serve(company: Path) -> Any:
    """Serve the company's app on 127.0.0.1 (an ephemeral port); a context yielding its base URL."""
    return corpus_serve.serve_wsgi(corpus_serve.load_app(company))


def run_company(company: Path, out: Path, *, seed: int = 7, workers: int = 2) -> dict[str, Any]:
    """Serve the company and run its journeys and scenarios through simsuite; return results.json as a dict."""
    from simsuite import RunConfig, TargetConfig
    from simsuite.app import run

    meta = yaml.safe_load((company / "company.yaml").read_text(encoding="utf-8")) or {}
    with serve(company) as url:
        chat = meta.get("chat") or {}
        target = TargetConfig(base_url=url, mode=company.name,
                              phone_url=url if meta.get("phone") else None,
                              chat_url=url if chat else None,
                              chat_config=str(company / chat["config"]) if chat.get("config") else None)
        config = RunConfig(target=target, out=out, journeys=(company / "journeys",), scenarios=company / "scenarios",
                           only_given=True, seed=seed, keep_history=False, explore=False, fail_over_budget=False, workers=workers,
                           reporters=("json",))
        run(config, log=lambda _msg: None)
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------- matching

def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text).replace("\u2019", "'").replace("\u2018", "'")).strip().lower()


def _words(text: Any) -> set[str]:
    return set(re.findall(r"[a-z]+", _norm(text)))


def load_labels(company: Path) -> list[dict[str, Any]]:
    """labels.yaml's problems."""
    return (yaml.safe_load((company / "labels.yaml").read_text(encoding="utf-8")) or {}).get("problems") or []


def label_of(evidence: str, labels: list[dict[str, Any]]) -> str | None:
    """The labelled problem one of whose sentences the evidence holds (the first such, in file order)."""
    ev = _norm(evidence)
    for problem in labels:
        if any(_norm(s) in ev for s in problem.get("sentences") or []):
            return problem["id"]
    return None


def _same_words(a: str, b: str) -> bool:
    return re.sub(r"\d", "", _norm(a)) == re.sub(r"\d", "", _norm(b))


def assign(problems: list[dict[str, Any]], journey_id: str, friction: dict[str, Any]) -> tuple[int | None, bool]:
    """(the index in `problems` of the simsuite problem this friction belongs to, whether that was exact).

    Exact when a problem lists its frictions (a `frictions` list of {journey, step, kind}), or only one problem
    lists the journey, or only one of those quotes the friction's evidence as its words. Otherwise the closest
    by kind, then by shared words."""
    for i, p in enumerate(problems):
        members = p.get("frictions")
        if members:
            if any(m.get("journey") == journey_id and m.get("step") == friction["step"]
                   and m.get("kind") == friction["kind"] for m in members):
                return i, True
    candidates = [i for i, p in enumerate(problems) if journey_id in (p.get("journeys") or [])]
    if not candidates:
        return None, True
    if len(candidates) == 1:
        return candidates[0], True
    same = [i for i in candidates if _same_words(problems[i].get("words", ""), friction["evidence"])]
    if len(same) == 1:
        return same[0], True
    pool = same or candidates
    ev = _words(friction["evidence"])

    def closeness(i: int) -> tuple[bool, bool, float]:
        w = _words(problems[i].get("words", ""))
        kind = problems[i].get("kind")
        return (kind == friction["kind"], (kind in BLOCKING) == (friction["kind"] in BLOCKING),
                len(ev & w) / (len(ev | w) or 1))

    return max(pool, key=closeness), False


def score_company(company: Path, doc: dict[str, Any]) -> dict[str, Any]:
    """Pairwise precision and recall of simsuite's grouping against the labels, and the top-5 / top-3 checks."""
    from simsuite.priorities import fix_first

    labels = load_labels(company)
    designed = [p["id"] for p in labels if not p.get("distractor")]
    worst = next((p["id"] for p in labels if p.get("worst")), None)
    journeys = [j for j in doc.get("journeys", []) if not j.get("error")]
    problems = fix_first(journeys, limit=1000)
    rows: list[dict[str, Any]] = []
    guessed = 0
    for j in journeys:
        for f in j.get("frictions") or []:
            group, exact = assign(problems, j["id"], f)
            guessed += not exact
            rows.append({"journey": j["id"], "step": f["step"], "kind": f["kind"], "channel": f.get("channel"),
                         "evidence": f["evidence"], "label": label_of(f["evidence"], labels), "group": group})
    labelled = [r for r in rows if r["label"]]
    tp = fp = fn = 0
    merged: Counter[tuple[str, str]] = Counter()
    split: Counter[str] = Counter()
    for a, b in itertools.combinations(labelled, 2):
        together = a["group"] is not None and a["group"] == b["group"]
        truth = a["label"] == b["label"]
        tp += together and truth
        fp += together and not truth
        fn += truth and not together
        if together and not truth:
            merged[tuple(sorted((a["label"], b["label"])))] += 1
        if truth and not together:
            split[a["label"]] += 1
    ranked = doc.get("summary", {}).get("fix_first") or problems[:5]
    by_rank = _labels_by_problem(ranked, problems, labelled)
    top5 = set().union(*by_rank[:5]) if by_rank else set()
    top3 = set().union(*by_rank[:3]) if by_rank else set()
    return {"company": company.name, "frictions": len(rows), "labelled": len(labelled), "guessed": guessed,
            "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
            "designed": len(designed), "top5": len(top5 & set(designed)), "top5_labels": sorted(top5),
            "worst": worst, "worst_in_top3": worst in top3 if worst else None,
            "problems": len(problems), "ranked": [_describe(p, by_rank[i] if i < len(by_rank) else set())
                                                  for i, p in enumerate(ranked[:5])],
            "merged": merged, "split": split, "rows": rows, "groups": problems,
            "missing_labels": sorted({p["id"] for p in labels} - {r["label"] for r in labelled})}


def _labels_by_problem(ranked: list[dict[str, Any]], problems: list[dict[str, Any]],
                       labelled: list[dict[str, Any]]) -> list[set[str]]:
    """For each ranked problem (from summary.fix_first), the labels of the frictions it holds."""
    out = []
    for p in ranked:
        idx = next((i for i, q in enumerate(problems) if q.get("rank") == p.get("rank")
                    and q.get("words") == p.get("words")), None)
        if idx is None:   # summary and the black-box call disagree: match by words and journeys
            idx = next((i for i, q in enumerate(problems) if q.get("words") == p.get("words")
                        and q.get("journeys") == p.get("journeys")), None)
        out.append({r["label"] for r in labelled if idx is not None and r["group"] == idx})
    return out


def _describe(p: dict[str, Any], labels: set[str]) -> dict[str, Any]:
    return {"rank": p.get("rank"), "kind": p.get("kind"), "drop": p.get("drop"), "words": p.get("words"),
            "customers": p.get("customers"), "labels": sorted(labels)}


def validity(corpus: Path = CORPUS, only: str | None = None) -> dict[str, Any]:
    """Run every company (or `only` the one named) and score it; overall figures sum the pair counts."""
    results = []
    with tempfile.TemporaryDirectory(prefix="simsuite-problems-") as tmp:
        for company in companies(corpus):
            if only and company.name != only:
                continue
            started = time.monotonic()
            doc = run_company(company, Path(tmp) / company.name)
            result = score_company(company, doc)
            result["seconds"] = time.monotonic() - started
            result["errors"] = [j.get("error") for j in doc.get("journeys", []) if j.get("error")]
            results.append(result)
    tp, fp, fn = (sum(r[k] for r in results) for k in ("tp", "fp", "fn"))
    overall = {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
               "tp": tp, "fp": fp, "fn": fn, "top5": sum(r["top5"] for r in results),
               "designed": sum(r["designed"] for r in results),
               "worst_in_top3": sum(bool(r["worst_in_top3"]) for r in results),
               "companies": len(results)}
    return {"companies": results, "overall": overall}


def render(result: dict[str, Any], *, details: bool = True) -> str:
    """The table, the wrong groupings and the verdict line."""
    lines = [f"{'company':<12} {'frictions':>9} {'labelled':>8} {'guessed':>7} {'precision':>16} {'recall':>16} "
             f"{'top 5':>6} {'worst top 3':>11} {'secs':>5}"]
    for r in result["companies"]:
        lines.append(f"{r['company']:<12} {r['frictions']:>9} {r['labelled']:>8} {r['guessed']:>7} "
                     f"{r['precision']:>6.2f} ({r['tp']:>3}/{r['tp'] + r['fp']:<3})  "
                     f"{r['recall']:>6.2f} ({r['tp']:>3}/{r['tp'] + r['fn']:<3})  "
                     f"{r['top5']:>2}/{r['designed']:<3} {str(r['worst_in_top3']):>11} {r['seconds']:>5.0f}")
    o = result["overall"]
    lines.append(f"{'overall':<12} {'':>9} {'':>8} {'':>7} {o['precision']:>6.2f} ({o['tp']:>3}/{o['tp'] + o['fp']:<3})  "
                 f"{o['recall']:>6.2f} ({o['tp']:>3}/{o['tp'] + o['fn']:<3})  {o['top5']:>2}/{o['designed']:<3} "
                 f"{o['worst_in_top3']:>5}/{o['companies']:<5}")
    if details:
        for r in result["companies"]:
            lines.append(f"\n{r['company']}: {r['problems']} simsuite problems; top 5:")
            for p in r["ranked"]:
                lines.append(f"  #{p['rank']} {p['kind']} drop {p['drop']} ({p['customers']} customers) "
                             f"labels {p['labels'] or '-'}: {str(p['words'])[:110]!r}")
            for (a, b), n in r["merged"].most_common():
                lines.append(f"  merged {a} + {b}: {n} pairs")
            for label, n in r["split"].most_common():
                lines.append(f"  split {label}: {n} pairs apart")
            if r["missing_labels"]:
                lines.append(f"  labels never quoted: {', '.join(r['missing_labels'])}")
            if r["errors"]:
                lines.append(f"  journeys in error: {len(r['errors'])}: {r['errors'][0][:200]}")
    lines.append("")
    lines.append(f"verdict: grouping precision {o['precision']:.2f}, recall {o['recall']:.2f} over {o['companies']} "
                 f"companies; {o['top5']}/{o['designed']} designed problems in the top 5; worst problem in the top 3 "
                 f"for {o['worst_in_top3']}/{o['companies']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the corpus and print the table (or, with --quiet, only the verdict line); always exit 0."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--company", help="run only this company (its folder name)")
    parser.add_argument("--quiet", action="store_true", help="print only the verdict line")
    parser.add_argument("--frictions", action="store_true", help="list every friction with its label and group")
    args = parser.parse_args(argv)
    result = validity(Path(args.corpus), args.company)
    text = render(result, details=not args.quiet)
    print(text.splitlines()[-1] if args.quiet else text)
    if args.frictions:
        for r in result["companies"]:
            for row in r["rows"]:
                print(f"{r['company']} g{row['group']} {row['label'] or '-':<24} {row['kind']:<22} {row['channel']:<6} "
                      f"{row['journey'].split('/')[1][:28]:<28} {row['evidence'][:120]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
