"""The one pipeline, `analyse()`, tells its caller each stage as it begins, and stops where the caller says so
(the background job raises from the callback when the office cancels the run)."""

from __future__ import annotations

import pytest

from kesu.domain.survey import EstimationError, analyse


class Stop(Exception):
    pass


def test_the_stages_come_in_order_with_rising_fractions(fixtures):
    seen: list[tuple[str, float]] = []
    result = analyse(
        fixtures / "demo_responses.csv", "demo", margins=fixtures / "demo_margins.csv", by=["gender"],
        progress=lambda stage, fraction: seen.append((stage, fraction)),
    )
    assert [stage for stage, _ in seen] == [
        "读取文件", "检查 2,636 行答卷", "为 2,636 位受访者计分", "加权（迭代比例拟合）", "估计比例、标准误与置信区间",
    ]
    fractions = [fraction for _, fraction in seen]
    assert fractions == sorted(fractions) and 0 < fractions[0] and fractions[-1] < 1
    assert result.overall.n == 2636


def test_already_read_responses_skip_the_reading_stages(demo_responses, demo_instrument):
    seen: list[str] = []
    analyse(demo_responses, demo_instrument, progress=lambda stage, _: seen.append(stage))
    assert seen == ["读取文件", "为 2,636 位受访者计分", "估计比例、标准误与置信区间"]


def test_an_exception_from_the_callback_stops_the_work_at_that_stage(fixtures):
    seen: list[str] = []

    def cancel_at_raking(stage: str, _fraction: float) -> None:
        seen.append(stage)
        if stage.startswith("加权"):
            raise Stop

    with pytest.raises(Stop):
        analyse(fixtures / "demo_responses.csv", "demo", margins=fixtures / "demo_margins.csv",
                progress=cancel_at_raking)
    assert seen[-1] == "加权（迭代比例拟合）"


@pytest.mark.parametrize(("option", "value", "message"), [
    ("ci_method", "wald", "置信区间方法应为 logit、kg 之一"),
    ("lonely_psu", "drop", "单 PSU 分层的处理规则应为 adjust、average、certainty、remove、fail 之一"),
])
def test_a_wrong_method_is_refused_before_any_file_is_read(fixtures, option, value, message):
    seen: list[str] = []
    with pytest.raises(EstimationError, match=message):
        analyse(fixtures / "missing.csv", "demo", progress=lambda stage, _: seen.append(stage), **{option: value})
    assert seen == []
