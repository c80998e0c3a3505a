"""Sample files for the survey upload: answers to the chosen preset questionnaire and population margins, drawn
by the same synthetic generator the demo and tests use (kesu.domain.survey.synthetic), so their columns are the
questionnaire's own items and the group columns the reader expects. UTF-8 with BOM (Excel opens it)."""

from __future__ import annotations

import codecs
import csv
import io

from kesu.domain.survey.instrument import load_instrument
from kesu.domain.survey.synthetic import make_survey, population_margins

SAMPLE_NAMES = {"responses": "答卷数据示例", "margins": "总体控制数示例"}


def _csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def sample_csv(kind: str, preset: str) -> bytes:
    """kind: "responses" (a small stratified sample answering `preset`) or "margins" (variable, category, total)."""
    if kind == "margins":
        return _csv([("variable", "category", "total"), *population_margins()])
    survey = make_survey(instrument=load_instrument(preset), psus_per_stratum=(2, 2), per_psu=(12, 12))
    names = list(survey.columns)
    return _csv([names, *zip(*(survey.columns[name] for name in names), strict=True)])
