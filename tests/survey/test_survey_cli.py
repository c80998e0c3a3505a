import json
import subprocess
import sys
from pathlib import Path

from kesu.domain.survey.cli import main

ESTIMATE_KEYS = {"group", "n", "population", "rate", "se", "ci", "deff", "levels"}


def _args(fixtures, *extra):
    return [
        "estimate",
        "--responses",
        str(fixtures / "demo_responses.csv"),
        "--instrument",
        "demo",
        "--margins",
        str(fixtures / "demo_margins.csv"),
        *extra,
    ]


def test_it_prints_json_with_the_documented_keys(fixtures, capsys, r_reference):
    code = main(
        _args(
            fixtures,
            "--by",
            "gender,urban",
            "--sae",
            "region",
            "--covariates",
            str(fixtures / "demo_covariates.csv"),
            "--json",
        )
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "kesu-survey-estimate/1"
    assert out["raking"]["converged"] is True
    estimates = out["estimates"]
    assert [e["group"] for e in estimates] == [
        {},
        {"gender": "男"},
        {"gender": "女"},
        {"urban": "城镇"},
        {"urban": "乡村"},
    ]
    for e in estimates:
        assert ESTIMATE_KEYS <= set(e)
        assert len(e["ci"]) == 2 and e["ci"][0] < e["rate"] < e["ci"][1]
        assert [lv["id"] for lv in e["levels"]] == ["advanced", "literate", "basic"]
        assert {"id", "name", "min", "share", "se", "ci", "deff"} <= set(e["levels"][0])
    ref = r_reference["cases"]["main"]["estimates"][0]["levels"]["literate"]
    assert abs(estimates[0]["rate"] - ref["share"]) < 1e-9
    assert abs(estimates[0]["ci"][0] - ref["ci_logit"][0]) < 1e-9
    sae = out["sae"]
    assert len(sae["areas"]) == 6 and {"eblup", "mse", "shrinkage", "benchmarked"} <= set(sae["areas"][0])
    assert {"brown_statistic", "brown_p_value"} <= set(sae["diagnostics"])


def test_it_prints_a_chinese_table(fixtures, capsys):
    assert main(_args(fixtures, "--by", "education", "--ci", "kg")) == 0
    out = capsys.readouterr().out
    assert "具备科学素质比例" in out and "文化程度=大专及以上" in out and "Korn–Graubard" in out
    assert "迭代比例拟合" in out and "已收敛" in out


def test_it_reports_bad_files_with_exit_code_2(tmp_path, fixtures, capsys):
    bad = tmp_path / "bad.csv"
    lines = (fixtures / "demo_responses.csv").read_text(encoding="utf-8").splitlines()[:4]
    cells = lines[2].split(",")
    cells[3] = "-5"
    lines[2] = ",".join(cells)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["estimate", "--responses", str(bad), "--instrument", "demo"]
    assert main(args) == 2
    assert "第 3 行，列“weight”：权重必须为正数" in capsys.readouterr().err
    assert main([*args, "--skip-rows", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["estimates"][0]["n"] == 2 and out["skipped"][0]["row"] == 3


def test_it_runs_as_a_module_without_django(fixtures):
    code = (
        "import sys, runpy; sys.argv = ['x'] + sys.argv[1:];"
        "import kesu.domain.survey;"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'django imported';"
        "runpy.run_module('kesu.domain.survey', run_name='__main__')"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code, *_args(fixtures, "--json")],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["estimates"][0]["group"] == {}


def test_it_shows_each_stage_on_stderr_with_progress(fixtures, capsys):
    args = [*_args(fixtures, "--sae", "region", "--covariates", str(fixtures / "demo_covariates.csv")), "--json"]
    assert main([*args, "--progress"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["format"] == "kesu-survey-estimate/1"
    assert captured.err.splitlines() == [
        "[  3%] 读取文件",
        "[ 12%] 检查 2,636 行答卷",
        "[ 35%] 为 2,636 位受访者计分",
        "[ 45%] 加权（迭代比例拟合）",
        "[ 60%] 估计比例、标准误与置信区间",
        "[ 88%] 小区域估计",
    ]
    assert main(args) == 0
    assert capsys.readouterr().err == ""
