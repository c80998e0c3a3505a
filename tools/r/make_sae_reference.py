"""Reference numbers for Kesu's Fay–Herriot implementation from samplics' EblupAreaModel (REML).

    .venv/bin/pip install samplics && .venv/bin/python tools/r/make_sae_reference.py

Writes tests/fixtures/survey/sae_reference.json: for each case the inputs (direct estimates, sampling
variances, covariates) and samplics' σ²_v, β, EBLUP and MSE (tolerance 1e-12), so the tests do not need
samplics. Cases: 30 synthetic areas (seeded), the 6 counties of the demo survey (direct estimates taken from
Kesu's own domain estimation of tests/fixtures/survey/demo_responses.csv), and a case where REML gives σ²_v = 0.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
FX = ROOT / "tests" / "fixtures" / "survey"


def samplics_fh(y, se, X, area):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import samplics
        from samplics import EblupAreaModel, FitMethod
    model = EblupAreaModel(method=FitMethod.reml)
    model.fit(yhat=y, X=X, area=area, error_std=se, intercept=True, tol=1e-12, maxiter=1000)
    model.predict(X=X, area=area, intercept=True)
    return {
        "samplics_version": samplics.__version__,
        "sigma2_v": float(model.re_std**2),
        "beta": [float(b) for b in model.fixed_effects],
        "eblup": [float(model.area_est[a]) for a in area],
        "mse": [float(model.area_mse[a]) for a in area],
        "converged": bool(model.convergence["achieved"]),
    }


def synthetic_case(seed: int, m: int, sigma_v: float) -> dict:
    rng = np.random.default_rng(seed)
    X = np.column_stack([rng.uniform(0.2, 0.9, m), rng.uniform(0.1, 0.5, m)])
    n = rng.integers(30, 400, m)
    truth = 0.02 + 0.12 * X[:, 0] + 0.25 * X[:, 1] + rng.normal(0, sigma_v, m)
    se = np.sqrt(truth * (1 - truth) * 1.8 / n)
    y = truth + rng.normal(0, se)
    return {"area": [f"县{i + 1:02d}" for i in range(m)], "y": y.tolist(), "se": se.tolist(), "X": X.tolist()}


def demo_case() -> dict:
    from kesu.domain.survey.analysis import analyse

    result = analyse(FX / "demo_responses.csv", "demo", margins=FX / "demo_margins.csv", by=("region",))
    cov = {}
    import csv

    with open(FX / "demo_covariates.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cov[row["region"]] = [float(row["urbanisation"]), float(row["senior_high_share"])]
    regions = [e for e in result.estimates if list(e.group) == ["region"]]
    return {
        "area": [e.group["region"] for e in regions],
        "y": [e.rate for e in regions],
        "se": [e.se for e in regions],
        "X": [cov[e.group["region"]] for e in regions],
    }


def main() -> None:
    cases = {
        "synthetic_30": synthetic_case(11, 30, 0.03),
        "demo_regions": demo_case(),
        "zero_variance": synthetic_case(5, 12, 0.0),
    }
    out = {"generated_by": "tools/r/make_sae_reference.py", "cases": {}}
    for name, case in cases.items():
        ref = samplics_fh(
            np.array(case["y"]), np.array(case["se"]), np.array(case["X"]), np.array(case["area"])
        )
        out["cases"][name] = {"inputs": case, "samplics": ref}
        print(name, "sigma2_v =", ref["sigma2_v"])
    (FX / "sae_reference.json").write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
