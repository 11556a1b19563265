"""Gazetteer benchmark: load time, resolve_place latency (exact and fuzzy), memory.

Run from the repository root:

    .venv/bin/python benchmarks/bench_geo.py

Targets: loading under 0.5 s; resolve_place under 50 µs median for exact names and under
1 ms for fuzzy ones; process memory with the gazetteer loaded under 100 MB RSS.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Run in a fresh interpreter: import, load, build the resolver, report seconds and RSS.
_FRESH = """
import time
start = time.perf_counter()
from essbot.geo.gazetteer import load_gazetteer
gazetteer = load_gazetteer()
loaded = time.perf_counter()
from essbot.geo.resolve import default_resolver
default_resolver().resolve("Amiens")
ready = time.perf_counter()
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS"))
print(loaded - start, ready - start, rss / 1024)
"""


def fresh_process_figures(runs: int = 5) -> tuple[float, float, float]:
    """Median load time, time until the resolver is ready, and RSS in MB, over fresh processes."""
    results = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _FRESH], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        results.append(tuple(float(x) for x in out))
    load, ready, rss = (statistics.median(column) for column in zip(*results, strict=True))
    return load, ready, rss


def timed(function: Callable[[str], object], inputs: Sequence[str]) -> tuple[float, float]:
    """Median and 99th percentile, in microseconds, of `function` over `inputs`."""
    samples = []
    for text in inputs:
        start = time.perf_counter()
        function(text)
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def typo(name: str, rng: random.Random) -> str:
    """One realistic typo: a letter dropped, doubled, swapped with its neighbour or replaced."""
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    i = rng.choice(letters[1:] or letters)
    kind = rng.choice(["drop", "double", "swap", "replace"])
    if kind == "drop":
        return name[:i] + name[i + 1 :]
    if kind == "double":
        return name[:i] + name[i] + name[i:]
    if kind == "swap" and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + rng.choice("aeioursnt") + name[i + 1 :]


def main() -> None:
    """Measure and print every figure."""
    from essbot.geo.gazetteer import load_gazetteer
    from essbot.geo.resolve import default_resolver

    load, ready, rss = fresh_process_figures()
    print(
        f"fresh process: gazetteer loaded in {load * 1000:.0f} ms (target < 500 ms), "
        f"resolver ready at {ready * 1000:.0f} ms, RSS {rss:.0f} MB (target < 100 MB)"
    )

    gazetteer = load_gazetteer()
    resolver = default_resolver()
    rng = random.Random(20261122)
    communes = [c for c in gazetteer.communes if not c.is_arrondissement]
    sample = rng.sample(communes, 2000)
    exact = [c.name for c in sample] + [c.name.upper() for c in sample[:500]]
    median, p99 = timed(resolver.resolve, exact)
    print(
        f"resolve_place, {len(exact)} exact official names: median {median:.1f} µs, "
        f"p99 {p99:.1f} µs (target median < 50 µs)"
    )

    # Typos of names long enough to be typed wrong; a typo that makes another real name is
    # not a typo, so those are left out.
    pairs = [
        (c.name, t)
        for c in sample[:1000]
        if len(c.name) >= 5
        for t in [typo(c.name, rng)]
        if not gazetteer.named(_fold(t))
    ]
    typos = [t for _, t in pairs]
    median, p99 = timed(resolver.resolve, typos)
    recovered = sum(
        1 for name, t in pairs if (best := resolver.resolve(t).best) and best.name == name
    )
    print(
        f"resolve_place, {len(typos)} one-typo names: median {median:.0f} µs, "
        f"p99 {p99:.0f} µs (target median < 1000 µs); the right commune first for "
        f"{recovered / len(typos):.0%} of them"
    )

    seeds = sorted((ROOT / "data" / "announcements").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]

    def find_cold(text: str) -> object:
        resolver.clear_cache()  # scanned texts are cached; measure the scan itself
        return resolver.find(text)

    median, p99 = timed(find_cold, texts * 20)
    print(
        f"find_places on the {len(texts)} seed announcements: median {median / 1000:.2f} ms "
        f"per document, p99 {p99 / 1000:.2f} ms"
    )


def _fold(text: str) -> str:
    from essbot.geo.normalize import fold

    return fold(text)


if __name__ == "__main__":
    main()
