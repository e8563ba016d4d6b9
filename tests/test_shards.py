"""Shards and merge: a stable share of the suite per machine, and one run made of all the parts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simsuite import RunConfig, TargetConfig, run
from simsuite.app import merge
from simsuite.cli import main
from simsuite.core.shard import Shard, shard_of
from simsuite.errors import SimsuiteError
from simsuite.history import History
from simsuite.merge import MergeError, merge_parts
from simsuite.results import load_results, strip_times

ROOT = Path(__file__).resolve().parent.parent
JOURNEYS = (ROOT / "journeys" / "reschedule_lab_appointment.py", ROOT / "journeys" / "report_outage_in_a_fire.py")


def test_a_shard_is_written_i_of_n_and_anything_else_is_refused_with_the_fix():
    assert Shard.parse("2/4") == Shard(2, 4) and str(Shard.parse(" 1 / 3 ")) == "1/3"
    for bad, said in (("3/2", "between 1 and the number of shards"), ("0/2", "between 1"), ("1/0", "between 1"),
                      ("x", "is not I/N"), ("1-2", "is not I/N")):
        with pytest.raises(SimsuiteError, match=said):
            Shard.parse(bad)


def test_every_run_lands_in_exactly_one_shard_and_the_same_one_in_any_process():
    keys = [f"scenario-{s}/journey-{j}/p{p}-{p * 7919 % 10000:04d}"
            for s in range(5) for j in range(4) for p in range(5)]
    for total in (1, 2, 3, 4, 7):
        owners = [[i for i in range(1, total + 1) if Shard(i, total).takes(k)] for k in keys]
        assert all(len(o) == 1 for o in owners)
        if total > 1:
            assert len({o[0] for o in owners}) == total  # every shard gets a share of 100 runs
    # a fresh interpreter (another hash seed) puts every key in the same shard
    code = ("import json,sys; from simsuite.core.shard import shard_of; "
            "print(json.dumps([shard_of(k, 4) for k in json.loads(sys.stdin.read())]))")
    other = subprocess.run([sys.executable, "-c", code], input=json.dumps(keys), capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": "12345", "PATH": ""}, cwd=ROOT)
    assert json.loads(other.stdout) == [shard_of(k, 4) for k in keys]


def _config(out: Path, *, shard: str | None = None, seed: int = 7, history: Path | None = None) -> RunConfig:
    return RunConfig(target=TargetConfig(demo=("as-is",)), out=out, journeys=JOURNEYS, only_given=True, seed=seed,
                     explore=False,
                     shard=shard, history=str(history) if history else None, keep_history=history is not None,
                     fail_over_budget=False)


@pytest.fixture(scope="module")
def parts(tmp_path_factory):
    """The same small suite run serially, and as two shards."""
    base = tmp_path_factory.mktemp("shards")
    history = base / "history.sqlite"
    serial = run(_config(base / "serial"), log=lambda _: None).doc
    for i in (1, 2):
        run(_config(base / f"part-{i}", shard=f"{i}/2", history=history), log=lambda _: None)
    return base, serial, history


@pytest.mark.e2e
def test_two_shards_merged_are_the_serial_run_apart_from_times(parts):
    base, serial, history = parts
    part_docs = [load_results(base / f"part-{i}") for i in (1, 2)]
    assert all(doc["run"]["shard"] == f"{i}/2" for i, doc in zip((1, 2), part_docs))
    assert sorted(j["id"] for d in part_docs for j in d["journeys"]) == sorted(j["id"] for j in serial["journeys"])
    assert all(d["journeys"] for d in part_docs)  # both shards had work
    assert not history.exists()  # a part is not a run: only the merge is kept

    report = merge(RunConfig(target=TargetConfig(), out=base / "merged", history=str(history)),
                   [base / "part-2", base / "part-1"], log=lambda _: None)
    merged = report.doc
    assert [j["id"] for j in merged["journeys"]] == [j["id"] for j in serial["journeys"]]
    assert strip_times(merged)["journeys"] == strip_times(serial)["journeys"]
    assert merged["summary"] == serial["summary"]
    assert merged["run"]["merged_from"] == ["1/2", "2/2"] and merged["run"]["complete"] is True
    assert load_results(base / "merged") == json.loads(json.dumps(merged))
    html = (base / "merged" / "report.html").read_text(encoding="utf-8")
    assert all(j["id"].split("/")[0] in html for j in serial["journeys"])
    for journey in merged["journeys"]:  # the parts' screenshots came along
        for step in journey["steps"]:
            if step.get("artifact"):
                assert (base / "merged" / step["artifact"]).is_file(), step["artifact"]
    with History(str(history)) as store:
        runs = store.runs()
    assert len(runs) == 1 and runs[0]["journeys"] == len(serial["journeys"]) and runs[0]["target"] == "demo"


@pytest.mark.e2e
def test_parts_of_different_runs_are_refused_with_what_differs(parts, tmp_path):
    base, _, _ = parts
    run(_config(tmp_path / "seed-8", shard="2/2", seed=8), log=lambda _: None)
    with pytest.raises(MergeError, match="seed 8 vs 7"):
        merge_parts([base / "part-1", tmp_path / "seed-8"])
    newer = json.loads((base / "part-2" / "results.json").read_text())
    newer["tool"]["version"] = "99.0.0"
    (tmp_path / "newer").mkdir()
    (tmp_path / "newer" / "results.json").write_text(json.dumps(newer))
    with pytest.raises(MergeError, match="simsuite version '99.0.0'"):
        merge_parts([base / "part-1", tmp_path / "newer"])
    stale = json.loads((base / "part-2" / "results.json").read_text())
    stale["run"]["run_id"] = "ci-41"
    (tmp_path / "stale").mkdir()
    (tmp_path / "stale" / "results.json").write_text(json.dumps(stale))
    with pytest.raises(MergeError, match="run id"):
        merge_parts([base / "part-1", tmp_path / "stale"])
    unfinished = json.loads((base / "part-2" / "results.json").read_text())
    unfinished["run"]["complete"] = False
    (tmp_path / "unfinished").mkdir()
    (tmp_path / "unfinished" / "results.json").write_text(json.dumps(unfinished))
    with pytest.raises(MergeError, match="did not finish.*--partial"):
        merge_parts([base / "part-1", tmp_path / "unfinished"])
    assert merge_parts([base / "part-1", tmp_path / "unfinished"], partial=True)["run"]["complete"] is False
    with pytest.raises(MergeError, match="shard 2 of 2 is missing"):
        merge_parts([base / "part-1"])
    with pytest.raises(MergeError, match="both shard 1/2"):
        merge_parts([base / "part-1", base / "part-1"])


@pytest.mark.e2e
def test_merge_mistakes_on_the_command_line_are_exit_2_with_the_fix(parts, tmp_path, capsys):
    base, _, _ = parts
    assert main(["merge", str(base / "part-1"), "--out", str(tmp_path / "m"), "--no-history"]) == 2
    assert "missing" in capsys.readouterr().err
    assert main(["merge", str(tmp_path / "nowhere"), "--out", str(tmp_path / "m"), "--no-history"]) == 2
    assert "no such results file" in capsys.readouterr().err
    assert main(["demo", "--shard", "3/2", "--out", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert "--shard '3/2'" in err and "Fix:" in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()  # refused before anything ran
