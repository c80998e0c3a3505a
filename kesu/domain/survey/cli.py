"""`kesu survey …` — the survey commands (argv without the leading "survey").

survey estimate --responses F --instrument F|PRESET [--margins F] [--by gender,urban,...]
                [--sae region --covariates F] [--json] [--ci logit|kg] [--lonely-psu adjust|...]
                [--skip-rows 5,9-12 | --skip-bad-rows] [--trim-upper X] [--trim-lower X] [--progress]
survey demo DIR          write the synthetic demo survey (responses.csv, margins.csv, covariates.csv)
survey presets           list the preset questionnaires/schemes
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..number_bounds import (
    CONFIDENCE_LEVEL,
    RAKING_EPSILON,
    RAKING_ITERATIONS,
    WEIGHT_TRIM_LOWER,
    WEIGHT_TRIM_UPPER,
    argument_type,
)
from .errors import SurveyError
from .estimation import CI_METHODS, LONELY_RULES
from .raking import Trim
from .responses import GROUP_COLUMNS


def _estimate(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kesu survey estimate", description="估计公民具备科学素质的比例")
    parser.add_argument("--responses", required=True, type=Path, help="答卷文件（.csv UTF-8/GBK 或 .xlsx）")
    parser.add_argument("--instrument", required=True, help="问卷文件（.yaml/.json）或预置问卷名（如 demo）")
    parser.add_argument("--margins", type=Path, help="总体控制数 CSV：variable,category,total")
    parser.add_argument("--by", default="", help=f"分组变量，逗号分隔（{','.join(GROUP_COLUMNS)}）")
    parser.add_argument("--sae", metavar="AREA", help="小区域估计的地区变量（如 region）")
    parser.add_argument("--covariates", type=Path, help="地区协变量 CSV（第一列为地区，可含 population 列）")
    parser.add_argument("--sae-fallback", choices=("synthetic", "direct"), default="synthetic")
    parser.add_argument("--json", action="store_true", help="输出 JSON（kesu-survey-estimate/1）")
    parser.add_argument("--progress", action="store_true", help="在标准错误输出上显示每一步的进度")
    parser.add_argument("--ci", choices=CI_METHODS, default="logit", help="置信区间方法（默认 logit）")
    parser.add_argument("--level", type=argument_type(CONFIDENCE_LEVEL, "置信水平"), default=0.95,
                        help="置信水平（默认 0.95）")
    parser.add_argument(
        "--lonely-psu", choices=LONELY_RULES, default="adjust", help="单 PSU 分层的处理（默认 adjust）"
    )
    parser.add_argument(
        "--skip-rows", default=None, help="跳过的行号（文件中的行号，表头为第 1 行），如 5,9-12"
    )
    parser.add_argument("--skip-bad-rows", action="store_true", help="跳过所有有问题的行")
    parser.add_argument("--partial", action="store_true", help="忽略控制数中样本没有的类别")
    parser.add_argument("--trim-upper", type=argument_type(WEIGHT_TRIM_UPPER, "权重上限"), help="权重上限（平均权重的倍数）")
    parser.add_argument("--trim-lower", type=argument_type(WEIGHT_TRIM_LOWER, "权重下限"), help="权重下限（平均权重的倍数）")
    parser.add_argument("--max-iter", type=argument_type(RAKING_ITERATIONS, "迭代次数"), default=100,
                        help="迭代比例拟合的最大次数")
    parser.add_argument("--epsilon", type=argument_type(RAKING_EPSILON, "收敛阈值"), default=1e-10,
                        help="收敛阈值（<1 时相对于权重总和）")
    args = parser.parse_args(argv)

    from .analysis import analyse, quiet
    from .report import analysis_dict, render

    by = [b.strip() for b in args.by.replace("，", ",").split(",") if b.strip()]
    if args.sae and not args.covariates:
        parser.error("--sae 需要 --covariates")
    trim = (
        Trim(lower=args.trim_lower, upper=args.trim_upper) if (args.trim_lower or args.trim_upper) else None
    )
    try:
        result = analyse(
            args.responses,
            args.instrument,
            margins=args.margins,
            by=by,
            ci_method=args.ci,
            lonely_psu=args.lonely_psu,
            level=args.level,
            epsilon=args.epsilon,
            max_iter=args.max_iter,
            partial=args.partial,
            trim=trim,
            skip_rows=args.skip_rows,
            skip_bad_rows=args.skip_bad_rows,
            sae_area=args.sae,
            covariates=args.covariates,
            sae_fallback=args.sae_fallback,
            progress=_print_progress if args.progress else quiet,
        )
    except SurveyError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(analysis_dict(result), ensure_ascii=False, indent=2))
    else:
        print(render(result))
    return 0


def _print_progress(stage: str, fraction: float) -> None:
    print(f"[{fraction:4.0%}] {stage}", file=sys.stderr, flush=True)


def _demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kesu survey demo", description="写出演示用的合成调查数据")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)
    from .synthetic import write_demo

    paths = write_demo(args.directory, args.seed)
    for kind, path in paths.items():
        print(f"{kind}: {path}")
    print(
        f"试一试：kesu survey estimate --responses {paths['responses']} --instrument demo "
        f"--margins {paths['margins']} --by gender,urban --sae region --covariates {paths['covariates']}"
    )
    return 0


def _presets(argv: list[str]) -> int:
    from .instrument import PRESETS_DIR, preset_names

    for name in preset_names():
        first = (PRESETS_DIR / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
        print(f"{name}\t{first}")
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["estimate"]:
        return _estimate(argv[1:])
    if argv[:1] == ["demo"]:
        return _demo(argv[1:])
    if argv[:1] == ["presets"]:
        return _presets(argv[1:])
    print(__doc__)
    return 0 if not argv or argv[0] in ("-h", "--help", "help") else 2
