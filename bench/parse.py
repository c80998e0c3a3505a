"""Time reading + parsing the seed plans: python bench/parse.py [-n N] [--seeds DIR] [--sweep 1,2,4,8]

Prints the mean milliseconds per document over N rounds, and the total for the set.
The seeds are found in $KESU_SHARED/seeds or ../shared/seeds beside the repository.
--sweep parses synthetic plans of the given sizes in MB, made from the first seed: "measures" repeats its first
section's measures (numbered 1–99 over and over); "unbroken" adds lines without a full stop, which join into one
ever longer paragraph (once quadratic). Linear parsing shows as a steady time per MB.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kesu.domain.plan_parsing import parse_plan, read_document  # noqa: E402


def main() -> int:
    shared = Path(os.environ.get("KESU_SHARED") or ROOT.parent / "shared")
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=20, help="rounds (default 20)")
    parser.add_argument("--seeds", type=Path, default=shared / "seeds", help="folder of plan documents")
    parser.add_argument("--sweep", help="sizes in MB, e.g. 1,2,4,8: time synthetic plans of these sizes instead")
    args = parser.parse_args()
    documents = sorted(p for p in args.seeds.iterdir() if p.suffix.lower() in (".txt", ".docx", ".pdf"))
    if not documents:
        print(f"no documents in {args.seeds}", file=sys.stderr)
        return 1
    if args.sweep:
        return sweep(read_document(documents[0]), [float(size) for size in args.sweep.split(",")])
    parse_plan(read_document(documents[0]))  # warm-up: imports, Traditional→Simplified dictionary
    totals = {doc: 0.0 for doc in documents}
    for _ in range(args.n):
        for doc in documents:
            started = time.perf_counter()
            parse_plan(read_document(doc))
            totals[doc] += time.perf_counter() - started
    for doc, seconds in totals.items():
        print(f"{doc.name:40s} {seconds / args.n * 1000:8.1f} ms")
    total = sum(totals.values()) / args.n * 1000
    print(f"{'total (' + str(len(documents)) + ' documents)':40s} {total:8.1f} ms   (mean of {args.n} rounds)")
    return 0


def grown(seed: str, megabytes: float) -> str:
    """The seed with its first section's measures repeated until the text has the given size."""
    lines = seed.split("\n")
    first = next((i for i, line in enumerate(lines) if re.match(r"\s*1\s*[.．、]", line)), None)
    end = next((i for i, line in enumerate(lines) if first is not None and i > first and re.match(r"\s*[（(][二两][）)]", line)),
               None)
    block = lines[first:end] if first is not None and end is not None else lines
    size, number, extra = len(seed.encode()), 0, []
    while size < megabytes * 1_000_000:
        for line in block:
            found = re.match(r"(\s*)\d{1,2}(\s*[.．、])", line)
            if found:
                number = number % 99 + 1
                line = f"{found.group(1)}{number}{found.group(2)}{line[found.end():]}"
            extra.append(line)
            size += len(line.encode()) + 1
    at = end if end is not None else len(lines)
    return "\n".join(lines[:at] + extra + lines[at:])


def unbroken(seed: str, megabytes: float) -> str:
    """The seed with lines of its first measure's text, without full stops, added after that measure."""
    lines = seed.split("\n")
    first = next((i for i, line in enumerate(lines) if re.match(r"\s*1\s*[.．、]", line)), 0)
    line = re.sub(r"[。！？；：!?;:（）()]", "", lines[first])[3:40] or "推进科学家精神进校园"
    count = int(max(0.0, megabytes * 1_000_000 - len(seed.encode())) / (len(line.encode()) + 1))
    return "\n".join(lines[:first + 1] + [line] * count + lines[first + 1:])


def sweep(seed: str, sizes: list[float]) -> int:
    parse_plan(seed)  # warm-up
    print(f"{'shape':10s} {'size':>8s} {'seconds':>9s} {'s per MB':>9s} {'measures':>9s}")
    for shape, make in (("measures", grown), ("unbroken", unbroken)):
        for megabytes in sizes:
            text = make(seed, megabytes)
            started = time.perf_counter()
            plan = parse_plan(text)
            seconds = time.perf_counter() - started
            actual = len(text.encode()) / 1_000_000
            measures = sum(len(section["tasks"]) for section in plan["sections"])
            print(f"{shape:10s} {actual:6.2f}MB {seconds:9.2f} {seconds / actual:9.2f} {measures:9d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
