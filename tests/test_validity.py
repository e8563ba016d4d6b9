"""Right on phone lines, sites and bots nobody here wrote: the explorers, the flow analysis, the web and the
chat channels against the labelled corpus (tests/corpus) keep recall and precision at 0.95 or more.
benchmarks/validity.py and benchmarks/validity_web.py print the full tables."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from validity import Score, explore_case, judge  # noqa: E402
from validity_flows import score_flows  # noqa: E402
from validity_web import CHAT, WEB  # noqa: E402
from validity_web import cases as web_cases  # noqa: E402
from validity_web import score as score_web  # noqa: E402

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


@pytest.mark.parametrize("part, folder, least_labels", [("web", WEB, 25), ("chat", CHAT, 15)])
def test_pages_and_bots_are_judged_as_their_labels_say(part, folder, least_labels):
    result = score_web(part, web_cases(folder))
    t = result["total"]
    recall, precision = t["recalled"] / t["labels"], t["tp"] / max(1, t["tp"] + t["fp"])
    assert t["labels"] >= least_labels
    assert recall >= 0.95 and precision >= 0.95, "\n".join(result["notes"])
    assert t["handled"] == t["mistakes"] > 0, "a script mistake was scored against the company"
    assert result["leaks"] == [], result["leaks"]
