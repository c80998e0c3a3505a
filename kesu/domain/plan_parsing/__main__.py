"""python -m kesu.domain.plan_parsing FILE [--json]: print a plan's structure (JSON or outline)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import DocumentError, parse_file, render_outline


def main(argv: list[str] | None = None, prog: str = "python -m kesu.domain.plan_parsing") -> int:
    parser = argparse.ArgumentParser(prog=prog, description="解析实施方案文件（.txt/.docx/.pdf）")
    parser.add_argument("file", type=Path, help="方案文件")
    parser.add_argument("--json", action="store_true", help="输出 kesu-plan/1 JSON")
    args = parser.parse_args(argv)
    try:
        plan = parse_file(args.file)
    except DocumentError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(plan, ensure_ascii=False, indent=2))
    else:
        print(render_outline(plan))
    return 0


if __name__ == "__main__":
    sys.exit(main())
