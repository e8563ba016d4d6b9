"""Right on phone lines nobody here wrote: the explorers and the flow analysis against the labelled corpus
(tests/corpus) keep recall and precision at 0.95 or more. benchmarks/validity.py prints the full table."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from validity import Score, explore_case, judge  # noqa: E402
from validity_flows import score_flows  # noqa: E402

from tests.corpus.serve import cases  # noqa: E402

pytestmark = pytest.mark.e2e


def test_the_phone_side_finds_the_labelled_friction_and_invents_none():
    total, misses = Score(), []
    for case_dir in cases():
        case, findings, _ = explore_case(case_dir)
        score, _, notes = judge(case, findings)
        total.add(score)
        misses += notes
    assert total.labels >= 60
    assert total.recall >= 0.95 and total.precision >= 0.95, "\n".join(misses)


def test_the_flow_analysis_finds_the_labelled_problems_and_invents_none():
    flows = score_flows()
    overall = flows["overall"]
    assert overall["labels"] >= 60
    assert overall["recall"] >= 0.95 and overall["precision"] >= 0.95, (flows["misses"], flows["false_positives"])
