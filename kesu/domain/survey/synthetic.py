"""A seeded synthetic survey for demos, tests and the benchmark (no real respondents).

`make_survey()` draws a stratified cluster sample of a fictitious adult population of 晋城市: strata are
county × urban/rural, PSUs are communities/villages (numbered within their stratum, so `nest=TRUE`
matters), 15–45 respondents per PSU, unequal weights (PSU selection and non-response), all demographic
columns, and answers to the demo questionnaire's items driven by a latent ability that depends on
education, age and urban residence. `population_margins()` gives census-like totals for raking and
`area_covariates()` county covariates for small-area estimation.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .instrument import Instrument, load_instrument

REGIONS = ("城区", "沁水县", "阳城县", "陵川县", "泽州县", "高平市")
REGION_POP = (330_000, 150_000, 280_000, 160_000, 360_000, 340_000)  # adults 18–69 (synthetic)
REGION_URBAN = (1.0, 0.45, 0.55, 0.38, 0.42, 0.58)  # share urban (synthetic)
EDUCATION = ("小学及以下", "初中", "高中（含中专）", "大专及以上")
OCCUPATIONS = (
    "农业生产人员",
    "生产制造及有关人员",
    "商业及服务业人员",
    "专业技术人员",
    "办事人员和有关人员",
    "学生及待业人员",
    "离退休人员",
    "其他",
)
AGE_LABELS = ("18-29岁", "30-39岁", "40-49岁", "50-59岁", "60-69岁")


@dataclass
class SyntheticSurvey:
    columns: dict[str, list[str]]  # header → values (all as text), in file order
    item_ids: list[str]

    @property
    def n(self) -> int:
        return len(next(iter(self.columns.values())))

    def write_csv(self, path: Path, encoding: str = "utf-8") -> None:
        names = list(self.columns)
        with open(path, "w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            for row in zip(*(self.columns[c] for c in names), strict=True):
                writer.writerow(row)


def _age_group(age: np.ndarray) -> np.ndarray:
    return np.asarray(AGE_LABELS, dtype=object)[np.clip((age - 20) // 10, 0, 4)]


def _format_answer(rng: np.random.Generator, tokens: list[str]) -> str:
    style = rng.random()
    if len(tokens) == 1:
        return tokens[0].lower() if style < 0.03 else tokens[0]
    if style < 0.6:
        return "".join(tokens)
    if style < 0.8:
        return ",".join(tokens)
    if style < 0.95:
        return "、".join(reversed(tokens))
    return " ".join(t.lower() for t in tokens)


def make_survey(
    seed: int = 20240601,
    *,
    instrument: Instrument | None = None,
    psus_per_stratum: tuple[int, int] = (5, 10),
    per_psu: tuple[int, int] = (15, 45),
    regions: tuple[str, ...] = REGIONS,
    lonely_stratum: bool = False,
    zero_group: bool = False,
) -> SyntheticSurvey:
    """Draw the synthetic sample. `lonely_stratum` adds a stratum with a single PSU; `zero_group` adds a
    small occupation group ("宗教职业者") whose members all score below every level."""
    rng = np.random.default_rng(seed)
    instrument = instrument or load_instrument("demo")
    rows: dict[str, list] = {k: [] for k in ("stratum", "psu", "weight", "region", "urban")}
    for r, region in enumerate(regions):
        share_urban = REGION_URBAN[REGIONS.index(region)] if region in REGIONS else 0.5
        pop = REGION_POP[REGIONS.index(region)] if region in REGIONS else 200_000
        for urban in ("城镇", "乡村"):
            share = share_urban if urban == "城镇" else 1 - share_urban
            if share <= 0:
                continue
            stratum = f"{r + 1:02d}{'1' if urban == '城镇' else '2'}"
            n_psu = int(rng.integers(psus_per_stratum[0], psus_per_stratum[1] + 1))
            if lonely_stratum and r == 0:
                n_psu = 1
            stratum_pop = pop * share
            sizes = rng.integers(per_psu[0], per_psu[1] + 1, size=n_psu)
            psu_factor = rng.lognormal(0.0, 0.35, size=n_psu)
            for p in range(n_psu):
                base = stratum_pop / (n_psu * sizes[p]) * psu_factor[p]
                for _ in range(int(sizes[p])):
                    rows["stratum"].append(stratum)
                    rows["psu"].append(f"{'S' if urban == '城镇' else 'C'}{p + 1:02d}")
                    rows["weight"].append(base * rng.lognormal(0.0, 0.3))
                    rows["region"].append(region)
                    rows["urban"].append(urban)
    n = len(rows["weight"])
    urban = np.array([u == "城镇" for u in rows["urban"]])
    # PSU random effect
    psu_keys = [f"{s}/{p}" for s, p in zip(rows["stratum"], rows["psu"], strict=True)]
    uniq, inv = np.unique(psu_keys, return_inverse=True)
    psu_effect = rng.normal(0.0, 0.35, size=len(uniq))[inv]
    gender = np.where(rng.random(n) < 0.505, "男", "女")
    age = np.clip(np.round(rng.triangular(18, 42, 70, size=n)), 18, 69).astype(int)
    edu_score = 0.9 * urban - 0.025 * (age - 40) + rng.normal(0, 1, n)
    edu = np.digitize(edu_score, [-0.8, 0.3, 1.1])
    occ = np.empty(n, dtype=object)
    for i in range(n):
        if age[i] >= 58 and rng.random() < 0.6:
            occ[i] = "离退休人员"
        elif age[i] <= 24 and rng.random() < 0.5:
            occ[i] = "学生及待业人员"
        elif not urban[i] and rng.random() < 0.65:
            occ[i] = "农业生产人员"
        else:
            weights = np.array([0.05, 0.25, 0.3, 0.12 + 0.1 * edu[i], 0.08 + 0.05 * edu[i], 0.05, 0.0, 0.05])
            occ[i] = OCCUPATIONS[int(rng.choice(len(OCCUPATIONS), p=weights / weights.sum()))]
    ability = -1.8 + 0.75 * edu + 0.35 * urban - 0.018 * (age - 40) + psu_effect + rng.normal(0, 0.8, n)
    if zero_group:
        chosen = rng.choice(n, size=6, replace=False)
        occ[chosen] = "宗教职业者"
        ability[chosen] = -6.0
    answers: dict[str, list[str]] = {}
    easiness = np.linspace(1.6, -0.6, len(instrument.items))
    rng.shuffle(easiness)
    for item, b in zip(instrument.items, easiness, strict=True):
        options = list(item.options or sorted(item.answer | {"A", "B", "C", "D"}))
        key = sorted(item.answer)
        correct = rng.random(n) < 1 / (1 + np.exp(-(ability + b)))
        blank = rng.random(n) < 0.02
        column = []
        for i in range(n):
            if blank[i]:
                column.append("")
            elif correct[i]:
                column.append(_format_answer(rng, key))
            else:
                if len(key) > 1:
                    k = int(rng.integers(1, len(options)))
                    pick = sorted(rng.choice(options, size=k, replace=False).tolist())
                    if pick == key:
                        pick = [o for o in options if o not in key][:1]
                else:
                    others = [o for o in options if o not in key]
                    pick = [others[int(rng.integers(len(others)))]]
                column.append(_format_answer(rng, pick))
        answers[item.id] = column
    ids = [f"JC{i + 1:05d}" for i in range(n)]
    columns: dict[str, list[str]] = {
        "id": ids,
        "stratum": rows["stratum"],
        "psu": rows["psu"],
        "weight": [f"{w:.4f}" for w in rows["weight"]],
        "region": rows["region"],
        "gender": list(gender),
        "age": [str(a) for a in age],
        "urban": rows["urban"],
        "education": [EDUCATION[e] for e in edu],
        "occupation": list(occ),
    }
    columns.update(answers)
    return SyntheticSurvey(columns, list(instrument.item_ids))


def population_margins(
    regions: tuple[str, ...] = REGIONS,
    variables: tuple[str, ...] = ("gender", "urban", "age_group", "education", "region"),
) -> list[tuple[str, str, int]]:
    """Census-like totals (adults 18–69) as (variable, category, total); each variable adds up to the same N."""
    pops = [REGION_POP[REGIONS.index(r)] if r in REGIONS else 200_000 for r in regions]
    total = int(sum(pops))
    urban_share = (
        sum(
            p * (REGION_URBAN[REGIONS.index(r)] if r in REGIONS else 0.5)
            for p, r in zip(pops, regions, strict=True)
        )
        / total
    )
    shares = {
        "gender": (("男", 0.508), ("女", 0.492)),
        "urban": (("城镇", urban_share), ("乡村", 1 - urban_share)),
        "age_group": tuple(zip(AGE_LABELS, (0.21, 0.22, 0.23, 0.19, 0.15), strict=True)),
        "education": tuple(zip(EDUCATION, (0.24, 0.38, 0.20, 0.18), strict=True)),
        "region": tuple((r, p / total) for r, p in zip(regions, pops, strict=True)),
    }
    out: list[tuple[str, str, int]] = []
    for var in variables:
        cats = shares[var]
        values = [int(round(total * s)) for _, s in cats]
        values[-1] = total - sum(values[:-1])
        out.extend((var, c, v) for (c, _), v in zip(cats, values, strict=True))
    return out


def area_covariates(regions: tuple[str, ...] = REGIONS) -> list[dict[str, object]]:
    """County covariates for the Fay–Herriot model: urbanisation rate and share with senior high school+."""
    rng = np.random.default_rng(7)
    out = []
    for r in regions:
        i = REGIONS.index(r) if r in REGIONS else 0
        urban = REGION_URBAN[i]
        out.append(
            {
                "region": r,
                "population": REGION_POP[i],
                "urbanisation": round(urban, 3),
                "senior_high_share": round(0.22 + 0.25 * urban + float(rng.normal(0, 0.03)), 3),
            }
        )
    return out


def write_demo(directory: Path, seed: int = 20240601, n_scale: tuple[int, int] = (5, 10)) -> dict[str, Path]:
    """Write responses.csv, margins.csv and covariates.csv of the demo survey into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    survey = make_survey(seed, psus_per_stratum=n_scale)
    paths = {
        "responses": directory / "responses.csv",
        "margins": directory / "margins.csv",
        "covariates": directory / "covariates.csv",
    }
    survey.write_csv(paths["responses"])
    with open(paths["margins"], "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["variable", "category", "total"])
        writer.writerows(population_margins())
    covs = area_covariates()
    with open(paths["covariates"], "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(covs[0]))
        writer.writeheader()
        writer.writerows(covs)
    return paths


def instrument_key(instrument: Instrument) -> dict[str, object]:
    """The scoring key as plain data (for the R reference script, which scores independently)."""
    return {
        "items": [
            {
                "id": it.id,
                "dimension": it.dimension,
                "answer": "".join(sorted(it.answer)),
                "points": it.points,
            }
            for it in instrument.items
        ],
        "dimensions": [{"id": d.id, "points": d.points} for d in instrument.dimensions],
        "levels": [{"id": lv.id, "min": lv.min} for lv in instrument.levels],
        "headline": instrument.headline,
    }


def write_key(path: Path, instrument: Instrument) -> None:
    path.write_text(json.dumps(instrument_key(instrument), ensure_ascii=False, indent=1), encoding="utf-8")
