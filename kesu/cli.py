"""The `kesu` command.

  kesu plan parse FILE [--json]        print a plan's structure (no database needed)
  kesu plan import FILE --jurisdiction NAME [--parent NAME] [--yes]
  kesu survey estimate --responses F --instrument F --margins F [--by …] [--sae region --covariates F] [--json]
  kesu demo [--no-serve]               set up the demo: database, seed plans, accounts, server
  kesu demo-data --scale province      a province-sized data set (1 province, 14 cities, 100 counties)
  kesu <django command> ...            any Django management command (migrate, runserver, createsuperuser …)
"""

from __future__ import annotations

import os
import sys


def _plan_parse(argv: list[str]) -> int:
    from kesu.domain.plan_parsing.__main__ import main as parse_main

    return parse_main(argv, prog="kesu plan parse")


def _django(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kesu", *argv])
    return 0


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
        return _django(["demo", *argv[1:]])
    if not argv:
        print(__doc__)
        return 0
    return _django(argv)


if __name__ == "__main__":
    sys.exit(main())
