"""Time reading + parsing the seed plans: python bench/parse.py [-n N] [--seeds DIR]

Prints the mean milliseconds per document over N rounds, and the total for the set.
The seeds are found in $KESU_SHARED/seeds or ../shared/seeds beside the repository.
"""

from __future__ import annotations

import argparse
import os
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
    args = parser.parse_args()
    documents = sorted(p for p in args.seeds.iterdir() if p.suffix.lower() in (".txt", ".docx", ".pdf"))
    if not documents:
        print(f"no documents in {args.seeds}", file=sys.stderr)
        return 1
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


if __name__ == "__main__":
    sys.exit(main())
