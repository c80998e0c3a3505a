"""The `kesu` command.

  kesu plan parse FILE [--json]        print a plan's structure (no database needed)
  kesu plan import FILE --jurisdiction NAME [--parent NAME] [--yes]
  kesu survey estimate --responses F --instrument F --margins F [--by …] [--sae region --covariates F] [--json]
  kesu serve [--bind 127.0.0.1:8000]   the production web server (gunicorn; KESU_WORKERS, KESU_THREADS, KESU_TIMEOUT)
  kesu worker [--interval 30]          the background jobs, polled every S seconds (run_jobs --loop S)
  kesu demo [--no-serve]               set up the demo (debug on): database, seed plans, accounts, server
  kesu demo-data --scale province      a province-sized data set (1 province, 14 cities, 100 counties)
  kesu backup FILE [--force]           one .zip of the database (SQLite backup API / pg_dump) and all stored files
  kesu restore FILE                    restore such a .zip into an empty database of the same vendor, and the files
  kesu create_api_token USER [--scope read|write] [--days N] [--name 用途]   an API token, key printed once
  kesu <django command> ...            any Django management command (migrate, runserver, createsuperuser …)
"""

from __future__ import annotations

import argparse
import os
import sys

from kesu.domain.number_bounds import POLL_SECONDS, argument_type


def _plan_parse(argv: list[str]) -> int:
    from kesu.domain.plan_parsing.__main__ import main as parse_main

    return parse_main(argv, prog="kesu plan parse")


def _django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kesu", *argv])
    return 0


def _serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kesu serve", description="用 gunicorn 运行网站（生产环境）")
    parser.add_argument("--bind", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    from kesu.serving.server import ServerSettingError, serve

    try:
        serve(args.bind)
    except ServerSettingError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


def _worker(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="kesu worker", description="运行后台任务（提醒、汇总、监测估计等）")
    parser.add_argument("--interval", type=argument_type(POLL_SECONDS, "轮询间隔"), default=30,
                        help="每隔多少秒轮询一次（默认 30）")
    args = parser.parse_args(argv)
    return _django(["run_jobs", "--loop", str(args.interval)])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:2] == ["plan", "parse"]:
        return _plan_parse(argv[2:])
    if argv[:1] == ["survey"]:
        from kesu.domain.survey.cli import main as survey_main

        return survey_main(argv[1:])
    if argv[:2] == ["plan", "import"]:
        return _django(["import_plan", *argv[2:]])
    if argv[:1] == ["demo-data"]:
        return _django(["demo_data", *argv[1:]])
    if argv[:1] == ["demo"]:
        os.environ.setdefault("KESU_DEBUG", "true")  # the demo runs with debug on; production never does
        return _django(["demo", *argv[1:]])
    if argv[:1] == ["serve"]:
        return _serve(argv[1:])
    if argv[:1] == ["worker"]:
        return _worker(argv[1:])
    if not argv:
        print(__doc__)
        return 0
    return _django(argv)


if __name__ == "__main__":
    sys.exit(main())
