"""Where extraction spends its time: a profile of reading the seed texts cold.

Run from the repository root:

    .venv/bin/python benchmarks/profile_extract.py [--top N]

Each seed announcement is read as bench_extract.py reads it (caches cleared first), many
times over, under cProfile. The report gives the share of time spent in each module's own
code (regular expressions and built-ins apart) and the functions with the most time of their
own. The profiler slows small functions more than large ones: use bench_extract.py for
timings, this script to see where they go.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REFERENCE = date(2026, 11, 22)
ROUNDS = 20


def _group(filename: str, function: str) -> str:
    """The module a profiled function belongs to, or the kind of built-in it is."""
    if "re.Pattern" in function or "re.Match" in function or "/re/" in filename:
        return "regular expressions"
    if "/essbot/" in filename:
        return "essbot/" + filename.split("/essbot/", 1)[1]
    return "built-ins and standard library"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=25, help="functions to list")
    arguments = parser.parse_args()

    from essbot.extract import clear_caches, extract
    from essbot.geo.resolve import default_resolver

    default_resolver()  # the gazetteer is loaded once, before profiling
    texts = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "data/announcements").glob("*.txt"))
    ]

    def read_all() -> None:
        for text in texts:
            clear_caches()
            extract(text, ref_date=REFERENCE)

    read_all()  # imports and first-use set-up stay out of the profile
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(ROUNDS):
        read_all()
    profile.disable()

    stats = pstats.Stats(profile)
    own: Counter[str] = Counter()
    rows = stats.stats  # type: ignore[attr-defined]
    for (filename, _, function), (_, _, self_time, _, _) in rows.items():
        own[_group(filename, function)] += self_time
    total = sum(own.values())
    documents = ROUNDS * len(texts)
    print(f"{documents} documents read cold; profiled time {1000 * total / documents:.2f} ms each")
    print("\nown time by module")
    for group, seconds in own.most_common():
        print(f"  {seconds / total:6.1%}  {group}")
    print(f"\n{arguments.top} functions with the most time of their own")
    stats.sort_stats("tottime").print_stats(arguments.top)


if __name__ == "__main__":
    main()
