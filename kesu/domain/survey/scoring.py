"""Scoring: each respondent's total, score per dimension and the number of (cumulative) levels reached.

Vectorised: for every item the distinct answers are compared once with the key (as sets), then a lookup
table maps the answer codes of all respondents to points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .instrument import Instrument
from .responses import Responses

# Scores are sums of item points; a tolerance keeps 69.99999999 from missing a 70-point level.
LEVEL_TOLERANCE = 1e-9


@dataclass
class Scores:
    total: np.ndarray  # (n,) float64
    dimensions: np.ndarray  # (D, n) float64, in instrument.dimensions order
    reached: np.ndarray  # (n,) int8: how many levels the respondent reached (levels sorted by min ascending)
    level_mins: np.ndarray  # (L,) ascending
    answered: np.ndarray  # (n,) int: items answered (non-blank)

    def reaches(self, level_position: int) -> np.ndarray:
        """Boolean: at or above the level at `level_position` in ascending order (0 = lowest)."""
        return self.reached > level_position


def score(instrument: Instrument, responses: Responses) -> Scores:
    if tuple(responses.item_ids) != instrument.item_ids:
        raise ValueError("答卷的题目与问卷不一致")
    n = responses.n
    dims = {d.id: k for k, d in enumerate(instrument.dimensions)}
    integral = all(float(it.points).is_integer() for it in instrument.items)
    acc_dtype = np.int32 if integral else np.float64
    per_dim = np.zeros((len(dims), n), dtype=acc_dtype)
    answered = np.zeros(n, dtype=np.int32)
    for j, item in enumerate(instrument.items):
        sets = responses.answer_sets[j]
        table = np.array([item.points if s == item.answer else 0 for s in sets], dtype=acc_dtype)
        blank = np.array([len(s) > 0 for s in sets], dtype=np.int32)
        codes = responses.answer_codes[j]
        per_dim[dims[item.dimension]] += table[codes]
        if not blank.all():
            answered += blank[codes]
        else:
            answered += 1
    dimensions = per_dim.astype(np.float64)
    total = dimensions.sum(axis=0)
    mins = np.array(sorted(lv.min for lv in instrument.levels), dtype=np.float64)
    reached = np.searchsorted(mins - LEVEL_TOLERANCE, total, side="right").astype(np.int8)
    return Scores(total, dimensions, reached, mins, answered)
