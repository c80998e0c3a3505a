"""Write the seeded synthetic survey fixtures into tests/fixtures/survey/ (then run make_fixtures.R).

    .venv/bin/python tools/r/make_synthetic.py
    Rscript tools/r/make_fixtures.R          # needs Debian's r-cran-survey and r-cran-jsonlite

Files: demo_responses.csv (stratified cluster sample, demo questionnaire), demo_margins.csv (population
totals for raking), demo_covariates.csv (county covariates for small-area estimation), demo_key.json (the
scoring key, so R scores independently), and the edge case edge_responses.csv / edge_margins.csv (a stratum
with a single PSU, a small occupation group whose rates are all 0).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kesu.domain.survey.instrument import load_instrument  # noqa: E402
from kesu.domain.survey.synthetic import (  # noqa: E402
    area_covariates,
    make_survey,
    population_margins,
    write_key,
)

OUT = ROOT / "tests" / "fixtures" / "survey"


def write_margins(path: Path, rows: list[tuple[str, str, int]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variable", "category", "total"])
        writer.writerows(rows)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    instrument = load_instrument("demo")
    write_key(OUT / "demo_key.json", instrument)

    main_survey = make_survey(20240601)
    main_survey.write_csv(OUT / "demo_responses.csv")
    write_margins(OUT / "demo_margins.csv", population_margins())
    covs = area_covariates()
    with open(OUT / "demo_covariates.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(covs[0]))
        writer.writeheader()
        writer.writerows(covs)

    regions = ("城区", "沁水县", "陵川县")
    edge = make_survey(
        777,
        regions=regions,
        psus_per_stratum=(2, 4),
        per_psu=(10, 25),
        lonely_stratum=True,
        zero_group=True,
    )
    edge.write_csv(OUT / "edge_responses.csv")
    write_margins(OUT / "edge_margins.csv", population_margins(regions, ("gender", "urban")))
    print(f"{main_survey.n} + {edge.n} respondents written to {OUT}")


if __name__ == "__main__":
    main()
