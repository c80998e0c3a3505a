"""Benchmark of the survey estimation core.

    .venv/bin/python bench/survey.py [--rows 1000000] [--compare-rows 200000] [--no-r] [--no-svy]

Generates (seeded, in memory) N respondents × 50 items of a stratified cluster survey (32 strata, 20
respondents per PSU on average, unequal weights) and times the job: scoring + raking on five margins +
the overall estimate + five group breakdowns (gender, urban, age group, education, region), each with the
level shares, SE, logit CI, design effect and dimension means. Goal: ≤ 10 s for 10⁶ rows on 2 cores.

Then the same job at `--compare-rows` rows through R's survey package (Rscript tools/r/bench_survey.R:
svydesign + rake + svymean(deff=TRUE) + svyciprop(logit), svyby for the groups) and through `svy`
(PyPI; Polars with a Rust core: rake + prop with by=), when installed, timing only the job (not reading the
file), and prints the ratios. Goals: ≥ 5× faster than R, faster than svy. Each external run is bounded by
`--timeout` seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kesu.domain.survey.estimation import Design, estimate  # noqa: E402
from kesu.domain.survey.instrument import Instrument, parse_instrument  # noqa: E402
from kesu.domain.survey.raking import Margins, rake  # noqa: E402
from kesu.domain.survey.responses import Categorical, Responses  # noqa: E402
from kesu.domain.survey.scoring import score  # noqa: E402

BY = ["gender", "urban", "age_group", "education", "region"]
LETTERS = ("", "A", "B", "C", "D")
GROUP_LABELS = {
    "gender": ("男", "女"),
    "urban": ("城镇", "乡村"),
    "age_group": ("18-29岁", "30-39岁", "40-49岁", "50-59岁", "60-69岁"),
    "education": ("小学及以下", "初中", "高中（含中专）", "大专及以上"),
    "occupation": ("农业生产人员", "生产制造及有关人员", "商业及服务业人员", "专业技术人员", "其他"),
}
REGIONS = tuple(f"县{i:02d}" for i in range(1, 17))


def bench_instrument() -> Instrument:
    items = []
    for dim, count in (("knowledge", 20), ("methods", 10), ("spirit", 10), ("application", 10)):
        for j in range(count):
            items.append(
                {
                    "id": f"{dim[0].upper()}{j + 1:02d}",
                    "dimension": dim,
                    "options": ["A", "B", "C", "D"],
                    "answer": "ABCD"[(j * 7 + len(dim)) % 4],
                    "points": 2,
                }
            )
    return parse_instrument({"name": "基准测试问卷（50 题）", "scheme": "national-2022", "items": items})


def generate(
    n: int, instrument: Instrument, seed: int = 1
) -> tuple[Responses, Margins, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    n_strata, per_psu = 32, 20
    psus_per_stratum = max(2, n // (n_strata * per_psu))
    stratum = rng.integers(0, n_strata, n)
    psu_local = rng.integers(0, psus_per_stratum, n)
    psu = stratum * psus_per_stratum + psu_local
    region = stratum // 2
    urban = stratum % 2
    codes = {
        "gender": rng.integers(0, 2, n),
        "urban": urban,
        "age_group": rng.integers(0, 5, n),
        "education": np.minimum(rng.poisson(1.3, n), 3),
        "occupation": rng.integers(0, 5, n),
        "region": region,
    }
    psu_effect = rng.normal(0, 0.4, n_strata * psus_per_stratum)[psu]
    ability = -1.4 + 0.55 * codes["education"] + 0.3 * (1 - urban) + psu_effect + rng.normal(0, 0.9, n)
    answers = np.empty((len(instrument.items), n), dtype=np.uint8)
    easiness = np.linspace(1.2, -0.8, len(instrument.items))
    for j, item in enumerate(instrument.items):
        key = "ABCD".index(next(iter(item.answer))) + 1
        correct = rng.random(n) < 1 / (1 + np.exp(-(ability + easiness[j])))
        wrong = rng.integers(1, 4, n)
        answer = np.where(correct, key, (key - 1 + wrong) % 4 + 1)
        answer[rng.random(n) < 0.02] = 0
        answers[j] = answer
    weights = 800.0 * rng.lognormal(0, 0.45, n) * (1 + urban)
    groups = {
        name: Categorical(codes[name].astype(np.int32), GROUP_LABELS.get(name, REGIONS)) for name in codes
    }
    responses = Responses(
        ids=np.arange(n),
        rows=np.arange(2, n + 2),
        stratum=Categorical(stratum.astype(np.int32), tuple(f"{i:02d}" for i in range(n_strata))),
        psu=Categorical(psu.astype(np.int32), tuple(str(i) for i in range(n_strata * psus_per_stratum))),
        weight=weights,
        groups=groups,
        item_ids=instrument.item_ids,
        answer_codes=answers,
        answer_sets=[tuple(frozenset(x) for x in LETTERS)] * len(instrument.items),
    )
    total = float(n) * 1000.0
    shares = {
        "gender": (0.51, 0.49),
        "urban": (0.6, 0.4),
        "age_group": (0.21, 0.22, 0.23, 0.19, 0.15),
        "education": (0.25, 0.38, 0.2, 0.17),
        "region": tuple([1 / 16] * 16),
    }
    margins = Margins(
        {v: {lab: total * s for lab, s in zip(groups[v].labels, shares[v], strict=True)} for v in BY}
    )
    extra = {"stratum": stratum, "psu_local": psu_local, **codes}
    return responses, margins, extra


def run_job(
    instrument: Instrument, responses: Responses, margins: Margins
) -> tuple[float, dict[str, float], object]:
    times = {}
    t0 = time.perf_counter()
    scores = score(instrument, responses)
    t1 = time.perf_counter()
    raked = rake(responses.weight, responses.groups, margins)
    t2 = time.perf_counter()
    design = Design.from_responses(responses, raked.weights, raked.calibration)
    results = estimate(instrument, design, scores, responses.groups, BY)
    t3 = time.perf_counter()
    times = {"scoring": t1 - t0, "raking": t2 - t1, "estimation": t3 - t2}
    return t3 - t0, times, (raked, results)


def write_csv(path: Path, instrument: Instrument, responses: Responses, extra: dict[str, np.ndarray]) -> None:
    letters = np.asarray(LETTERS, dtype=object)
    columns = {
        "id": np.arange(1, responses.n + 1).astype(str),
        "stratum": np.char.zfill(extra["stratum"].astype(str), 2),
        "psu": extra["psu_local"].astype(str),
        "weight": np.char.mod("%.6f", responses.weight),
    }
    for name in ("region", "gender", "age_group", "urban", "education", "occupation"):
        columns[name] = np.asarray(responses.groups[name].labels, dtype=object)[responses.groups[name].codes]
    for j, item_id in enumerate(instrument.item_ids):
        columns[item_id] = letters[responses.answer_codes[j]]
    try:
        import polars as pl

        pl.DataFrame({k: np.asarray(v).astype(str) for k, v in columns.items()}).write_csv(path)
    except ImportError:
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(columns))
            writer.writerows(zip(*columns.values(), strict=True))


def write_inputs(directory: Path, instrument: Instrument, margins: Margins) -> tuple[Path, Path]:
    key = directory / "key.json"
    key.write_text(
        json.dumps(
            {
                "items": [
                    {
                        "id": it.id,
                        "dimension": it.dimension,
                        "answer": next(iter(it.answer)),
                        "points": it.points,
                    }
                    for it in instrument.items
                ],
                "levels": [{"id": lv.id, "min": lv.min} for lv in instrument.levels],
                "headline": instrument.headline,
                "by": BY,
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    path = directory / "margins.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variable", "category", "total"])
        for var, totals in margins.totals.items():
            for cat, total in totals.items():
                writer.writerow([var, cat, repr(total)])
    return key, path


def run_r(csv_path: Path, key: Path, margins: Path, timeout: float) -> float | None:
    if shutil.which("Rscript") is None:
        print("R: 跳过（没有 Rscript；Debian: apt-get install r-cran-survey r-cran-jsonlite）")
        return None
    probe = subprocess.run(
        [
            "Rscript",
            "-e",
            "quit(status = !all(sapply(c('survey','jsonlite'), requireNamespace, quietly=TRUE)))",
        ],
        capture_output=True,
    )
    if probe.returncode != 0:
        print("R: 跳过（R 没有 survey 或 jsonlite 包）")
        return None
    try:
        done = subprocess.run(
            ["Rscript", str(ROOT / "tools" / "r" / "bench_survey.R"), str(csv_path), str(key), str(margins)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        print(f"R: 超过 {timeout:.0f} 秒，已停止（以下倍数为下限）")
        return timeout
    for line in done.stdout.splitlines():
        if line.startswith("ELAPSED"):
            return float(line.split()[1])
    print("R: 失败\n" + done.stderr[-2000:])
    return None


def run_svy(csv_path: Path, instrument: Instrument, margins: Margins) -> float | None:
    try:
        import warnings

        import polars as pl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import svy
    except ImportError:
        print("svy: 跳过（没有安装 svy：pip install svy）")
        return None
    df = pl.read_csv(csv_path, infer_schema=False).with_columns(pl.col("weight").cast(pl.Float64))
    df = df.with_columns((pl.col("stratum") + "/" + pl.col("psu")).alias("psu_id"))
    levels = sorted(instrument.levels, key=lambda lv: lv.min)
    t0 = time.perf_counter()
    dims = {}
    for d in instrument.dimensions:
        dims[d.id] = pl.sum_horizontal(
            [
                (pl.col(it.id) == next(iter(it.answer))).cast(pl.Float64) * it.points
                for it in instrument.items
                if it.dimension == d.id
            ]
        )
    df = df.with_columns(**dims).with_columns(pl.sum_horizontal([pl.col(d) for d in dims]).alias("total"))
    df = df.with_columns(**{f"lv_{lv.id}": (pl.col("total") >= lv.min).cast(pl.Int64) for lv in levels})
    sample = svy.Sample(df, svy.Design(stratum="stratum", psu="psu_id", wgt="weight"))
    sample = sample.weighting.rake(controls=margins.totals, tol=1e-10, max_iter=100)
    ys = [f"lv_{lv.id}" for lv in levels]
    sample.estimation.prop(ys, deff="wor")
    for var in BY:
        sample.estimation.prop(ys, by=var, deff="wor")
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--compare-rows", type=int, default=200_000)
    parser.add_argument("--no-r", action="store_true")
    parser.add_argument("--no-svy", action="store_true")
    parser.add_argument("--timeout", type=float, default=1500.0, help="limit for each external run (seconds)")
    args = parser.parse_args(argv)
    instrument = bench_instrument()

    t = time.perf_counter()
    responses, margins, _ = generate(args.rows, instrument)
    print(
        f"生成 {args.rows:,} 名受访者 × {len(instrument.items)} 题：{time.perf_counter() - t:.1f} 秒（不计入）"
    )
    elapsed, parts, (raked, results) = run_job(instrument, responses, margins)
    overall = results[0]
    print(
        f"Kesu {args.rows:,} 行：{elapsed:.2f} 秒（计分 {parts['scoring']:.2f}，加权 {parts['raking']:.2f}"
        f"（{raked.iterations} 次迭代），估计 {parts['estimation']:.2f}；{len(results)} 个估计）"
        f"  目标 ≤ 10 秒：{'达到' if elapsed <= 10 else '未达到'}"
    )
    print(f"  全体：比例 {overall.rate:.4%}，标准误 {overall.se:.4%}，设计效应 {overall.deff:.3f}")
    del responses

    if args.no_r and args.no_svy:
        return 0
    small, margins_small, extra = generate(args.compare_rows, instrument, seed=2)
    ours, _, _ = run_job(instrument, small, margins_small)
    print(f"Kesu {args.compare_rows:,} 行：{ours:.3f} 秒")
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        csv_path = directory / "bench.csv"
        write_csv(csv_path, instrument, small, extra)
        key, margins_path = write_inputs(directory, instrument, margins_small)
        if not args.no_r:
            r_time = run_r(csv_path, key, margins_path, args.timeout)
            if r_time is not None:
                ratio = r_time / ours
                print(
                    f"R survey {args.compare_rows:,} 行：{r_time:.2f} 秒；Kesu 快 {ratio:.1f} 倍"
                    f"  目标 ≥ 5 倍：{'达到' if ratio >= 5 else '未达到'}"
                )
        if not args.no_svy:
            svy_time = run_svy(csv_path, instrument, margins_small)
            if svy_time is not None:
                ratio = svy_time / ours
                print(
                    f"svy {args.compare_rows:,} 行：{svy_time:.2f} 秒；Kesu 快 {ratio:.1f} 倍"
                    f"  目标 > 1 倍：{'达到' if ratio > 1 else '未达到'}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
