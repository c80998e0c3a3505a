import numpy as np

from kesu.domain.survey import Responses, parse_instrument, score


def test_it_scores_dimensions_levels_and_blank_answers():
    ins = parse_instrument(
        {
            "dimensions": [{"id": "a", "points": 6}, {"id": "b", "points": 4}],
            "items": [
                {"id": "Q1", "dimension": "a", "options": ["A", "B"], "answer": "A", "points": 3.5},
                {
                    "id": "Q2",
                    "dimension": "a",
                    "options": ["A", "B", "C"],
                    "answer": ["A", "B"],
                    "points": 2.5,
                },
                {"id": "Q3", "dimension": "b", "answer": "对", "points": 4},
            ],
            "levels": [{"id": "pass", "min": 6}, {"id": "top", "min": 10}],
            "headline": "pass",
        }
    )
    answers = {"Q1": ["A", "B", "", "a"], "Q2": ["BA", "A,B", "", "AB"], "Q3": ["对", "对", "", "错"]}
    r = Responses.from_columns(
        instrument=ins, stratum=["1"] * 4, psu=["1", "1", "2", "2"], weight=[1, 2, 3, 4], answers=answers
    )
    s = score(ins, r)
    np.testing.assert_allclose(s.total, [10, 6.5, 0, 6])
    np.testing.assert_allclose(s.dimensions, [[6, 2.5, 0, 6], [4, 4, 0, 0]])
    assert s.reached.tolist() == [2, 1, 0, 1]  # 6 points reaches the 6-point level exactly
    assert s.answered.tolist() == [3, 3, 0, 3]
