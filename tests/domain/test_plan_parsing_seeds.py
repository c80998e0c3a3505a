"""The parser against the gold annotations of the seed plans, scored by the official scorer."""

from __future__ import annotations

import time

import pytest
from plan_parsing_helpers import load_scorer, shared_dir

from kesu.domain.plan_parsing import parse_file

THRESHOLDS = {"tasks_f1": 0.97, "lead_f1": 0.95, "support_f1": 0.95, "targets_f1": 0.90}
SEEDS = sorted((shared_dir() / "seeds").glob("*.txt")) if (shared_dir() / "seeds").is_dir() else []


def _gold(seed):
    import json

    gold = shared_dir() / "seeds-gold" / f"{seed.stem}.json"
    if not gold.is_file():
        pytest.skip(f"no gold file for {seed.name}")
    return json.loads(gold.read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_it_matches_the_gold_annotation_of_each_seed(seed):
    scorer = load_scorer()
    metrics = scorer.compare(_gold(seed), parse_file(seed))
    assert scorer.summary(metrics) >= 0.95, metrics
    for key, floor in THRESHOLDS.items():
        assert metrics[key] >= floor, (key, metrics[key], metrics["_missed_tasks"], metrics["_extra_tasks"])


def test_it_scores_the_whole_seed_set_above_the_bar():
    scorer = load_scorer()
    if not SEEDS:
        pytest.skip(f"no seeds under {shared_dir() / 'seeds'}")
    results = [scorer.compare(_gold(seed), parse_file(seed)) for seed in SEEDS]
    overall = sum(scorer.summary(m) for m in results) / len(results)
    assert overall >= 0.95
    for key, floor in THRESHOLDS.items():
        assert sum(m[key] for m in results) / len(results) >= floor, key
    for key in ("metadata", "headline", "sections_f1", "phases_f1"):
        assert sum(m[key] for m in results) / len(results) >= 0.95, key


def test_it_parses_all_seeds_well_under_a_second():
    if not SEEDS:
        pytest.skip(f"no seeds under {shared_dir() / 'seeds'}")
    parse_file(SEEDS[0])  # warm-up: imports and the Traditional→Simplified dictionary
    started = time.perf_counter()
    for seed in SEEDS:
        parse_file(seed)
    assert time.perf_counter() - started < 1.0
