"""Merge: the partial results of a suite's shards made into one run, as if it had run on one machine.

Each part is a shard's `results.json` (or the folder holding it, whose `artifacts/` are copied). The
parts must come from the same suite, seed and simsuite version, and hold every shard exactly once;
anything else is refused with what differs and the fix. Journeys come back in the order one serial
run would have written them, so N shards merged equal one serial run apart from times.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from .errors import SimsuiteError
from .results import RESULTS_FILE, load_results, now_iso
from .suite import summarize


class MergeError(SimsuiteError):
    """Parts that do not make one run."""


def merge_parts(parts: list[Path | str], out_dir: Path | None = None, *, partial: bool = False) -> dict[str, Any]:
    """One results document from the shards' parts; their artifacts copied into `out_dir` if given. A part
    whose run did not finish is refused unless `partial` (then the merged run says it is incomplete)."""
    if not parts:
        raise MergeError("no parts to merge. Fix: give each shard's results folder, e.g. "
                         "simsuite merge parts/shard-1 parts/shard-2 --out reports/merged")
    docs = [(Path(p), load_results(p)) for p in parts]
    _check_same(docs)
    shards = _check_complete(docs)
    unfinished = [str(path) for path, doc in docs if not doc["run"].get("complete")]
    if unfinished and not partial:
        raise MergeError(f"{', '.join(unfinished)}: that shard's run did not finish, so some of its journeys are "
                         "missing. Fix: run the shard again, or merge what it gathered with --partial")
    first = docs[0][1]["run"]
    journeys = sorted((j for _, doc in docs for j in doc["journeys"]), key=_order)
    maps = [m for _, doc in sorted(docs, key=lambda d: _shard(d)[0]) for m in doc.get("maps") or ()]
    runs = [doc["run"] for _, doc in docs]
    run = {key: value for key, value in first.items() if key not in ("shard", "started", "finished", "complete")}
    run.update(started=min((r.get("started") or now_iso()) for r in runs), finished=now_iso(),
               complete=all(r.get("complete") for r in runs), merged_from=[str(s) for s in shards])
    if out_dir is not None:
        for path, _ in docs:
            _copy_artifacts(path, Path(out_dir))
    return {"schema": docs[0][1]["schema"], "tool": docs[0][1]["tool"], "run": run, "journeys": journeys,
            "maps": maps, "summary": summarize(journeys)}


def _shard(item: tuple[Path, dict[str, Any]]) -> tuple[int, int]:
    path, doc = item
    text = str(doc["run"].get("shard") or "")
    index, _, total = text.partition("/")
    if not (index.isdigit() and total.isdigit()):
        raise MergeError(f"{path}: not a shard's results (no run.shard). Fix: run each part with --shard I/N")
    return int(index), int(total)


def _check_same(docs: list[tuple[Path, dict[str, Any]]]) -> None:
    """The same simsuite version, seed and suite in every part, or a message naming the part that differs."""
    base_path, base = docs[0]
    for what, get in (("simsuite version", lambda d: (d.get("tool") or {}).get("version")),
                      ("seed", lambda d: d["run"].get("seed")),
                      ("run id (--run-id)", lambda d: d["run"].get("run_id")),
                      ("suite (scenarios, journeys, customers and modes)", lambda d: d["run"].get("suite"))):
        for path, doc in docs[1:]:
            if get(doc) != get(base):
                raise MergeError(f"{path} and {base_path} come from different runs: {what} {get(doc)!r} vs "
                                 f"{get(base)!r}. Fix: merge the parts of one run, made with the same simsuite, "
                                 "--seed, scenarios and journeys")


def _check_complete(docs: list[tuple[Path, dict[str, Any]]]) -> list[str]:
    """Every shard once: refuses a shard given twice, different shard counts and missing shards."""
    seen: dict[int, Path] = {}
    totals = set()
    for item in docs:
        index, total = _shard(item)
        totals.add(total)
        if index in seen:
            raise MergeError(f"{item[0]} and {seen[index]} are both shard {index}/{total}. Fix: give each shard once")
        seen[index] = item[0]
    if len(totals) > 1:
        raise MergeError(f"the parts were cut into different numbers of shards ({', '.join(map(str, sorted(totals)))})."
                         " Fix: merge the parts of one run")
    total = totals.pop()
    missing = [str(i) for i in range(1, total + 1) if i not in seen]
    if missing:
        raise MergeError(f"shard {', '.join(missing)} of {total} is missing, so the merged run would lose its "
                         f"journeys. Fix: add its part (run it with --shard {missing[0]}/{total})")
    return [f"{i}/{total}" for i in sorted(seen)]


def _order(journey: dict[str, Any]) -> tuple[int, int, str]:
    order = journey.get("order") or [0, 0]
    return int(order[0]), int(order[1]), str(journey.get("id", ""))


def _copy_artifacts(part: Path, out_dir: Path) -> None:
    folder = part.parent if part.name == RESULTS_FILE else part
    source = folder / "artifacts"
    if source.is_dir() and source.resolve() != (out_dir / "artifacts").resolve():
        shutil.copytree(source, out_dir / "artifacts", dirs_exist_ok=True)
