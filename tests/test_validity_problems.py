"""Fix these first, validated: simsuite's grouping of frictions into problems against the labelled companies
in tests/corpus/problems (benchmarks/validity_problems.py runs them; real Chromium, so e2e)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("validity_problems", ROOT / "benchmarks" / "validity_problems.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("validity_problems", bench)
_spec.loader.exec_module(bench)  # type: ignore[union-attr]


# Floors a little under what was measured (see test_grouping_floors and test_ranking_floors).
PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.75
TOP5_FLOOR = 11          # measured 13/13 designed problems in their company's top 5
WORST_FLOOR = 3          # measured 4/4 companies with the worst problem in the top 3


@pytest.fixture(scope="module")
def result():
    return bench.validity()


@pytest.mark.e2e
def test_every_company_ran(result):
    names = [r["company"] for r in result["companies"]]
    assert names == ["council", "insurer", "parcels", "utility"]
    for r in result["companies"]:
        assert not r["errors"], (r["company"], r["errors"])
        assert r["labelled"] >= 5, r["company"]


@pytest.mark.e2e
def test_grouping_floors(result):
    # Measured on the 4 companies (seed 7): precision 0.92 (179/194 pairs), recall 0.85 (179/210);
    # per company precision/recall: council 0.78/1.00, insurer 0.91/0.91, parcels 1.00/0.97, utility 0.97/0.70.
    o = result["overall"]
    assert o["precision"] >= PRECISION_FLOOR, bench.render(result)
    assert o["recall"] >= RECALL_FLOOR, bench.render(result)


@pytest.mark.e2e
def test_ranking_floors(result):
    o = result["overall"]
    assert o["top5"] >= TOP5_FLOOR, bench.render(result)
    assert o["worst_in_top3"] >= WORST_FLOOR, bench.render(result)


def test_labels_are_well_formed():
    for company in bench.companies():
        labels = bench.load_labels(company)
        ids = [p["id"] for p in labels]
        assert len(ids) == len(set(ids)), company.name
        assert sum(bool(p.get("worst")) for p in labels) == 1, company.name
        assert 3 <= sum(not p.get("distractor") for p in labels) <= 5, company.name
        for p in labels:
            assert p["sentences"] and all(isinstance(s, str) and s.strip() for s in p["sentences"]), p["id"]
