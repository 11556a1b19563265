"""Extraction benchmark: essbot's extractor beside dateparser's search_dates, in one process.

Run from the repository root:

    .venv/bin/python benchmarks/bench_extract.py

On the five seed announcements it reports, for each method, the recall of the dates of the
30 dated gold events (exact date; and day and month only, which spares dateparser its guesses
of the year) and the time per document; for essbot also the share of gold events reproduced
with every field right. Targets: 100 % of seed events right, under 10 ms per document, at least
20 times faster than search_dates with a higher date recall.

search_dates is timed twice: called as `search_dates(text, languages=["fr"])`, and with
RELATIVE_BASE set to the reference date, as the recall figures call it (so that its guesses of
the year do not depend on the day the benchmark runs). The second call finds the same dates
and is faster, since dateparser skips some work when the base is given; both are printed.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REFERENCE = date(2026, 11, 22)
ROUNDS = 20


def gold() -> dict[str, list[dict[str, object]]]:
    """The gold events of tests/gold/seed_events.jsonl by file name."""
    by_file: dict[str, list[dict[str, object]]] = {}
    path = ROOT / "tests" / "gold" / "seed_events.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        by_file.setdefault(str(event["source"]).split(":")[0], []).append(event)
    return by_file


def median_ms(function: Callable[[], object]) -> float:
    """Median wall time of `function` in milliseconds over ROUNDS runs (after one warm-up)."""
    function()
    samples = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


@dataclass
class Tally:
    """Time and date recall of one method, per document or summed over documents."""

    ms: float = 0.0
    exact: int = 0  # expected dates found, year included
    lenient: int = 0  # expected dates found by day and month
    expected: int = 0

    def add(self, ms: float, found: set[date], expected: list[date]) -> Tally:
        """Count one document; return its own figures."""
        loose = {(d.month, d.day) for d in found}
        document = Tally(
            ms,
            sum(1 for d in expected if d in found),
            sum(1 for d in expected if (d.month, d.day) in loose),
            len(expected),
        )
        self.ms += document.ms
        self.exact += document.exact
        self.lenient += document.lenient
        self.expected += document.expected
        return document

    @property
    def exact_recall(self) -> float:
        return self.exact / self.expected

    @property
    def lenient_recall(self) -> float:
        return self.lenient / self.expected


def main() -> None:
    """Measure both methods on every seed and print a table and the totals."""
    from dateparser.search import search_dates

    from essbot.extract import clear_caches, extract
    from essbot.extract.dates import find_dates
    from essbot.extract.text import split_lines
    from essbot.geo.resolve import default_resolver

    default_resolver()  # the gazetteer is loaded once, before any timing
    expected_by_file = gold()
    # dateparser works with naive datetimes: midnight of the reference day, no zone.
    settings = {"RELATIVE_BASE": datetime.combine(REFERENCE, datetime.min.time())}
    ours_total = Tally()
    theirs_total = Tally()
    right = total_events = 0
    plain_ms = 0.0  # search_dates with its default settings
    print(
        f"{'document':28} {'events':>6} {'ours ms':>8} {'dp ms':>8} {'ours recall':>12} "
        f"{'dp recall (d/m)':>16}"
    )
    for name, expected_events in sorted(expected_by_file.items()):
        text = (ROOT / "data" / "announcements" / name).read_text(encoding="utf-8")
        expected = [date.fromisoformat(str(e["date"])) for e in expected_events if e["date"]]

        def ours(text: str = text, name: str = name) -> object:
            clear_caches()  # every document is read cold, as an import reads it
            return extract(text, ref_date=REFERENCE, source=name)

        def theirs(text: str = text) -> object:
            return search_dates(text, languages=["fr"], settings=settings)

        def theirs_plain(text: str = text) -> object:
            return search_dates(text, languages=["fr"])

        extraction = extract(text, ref_date=REFERENCE, source=name)
        mine = ours_total.add(
            median_ms(ours), {e.date for e in extraction.events if e.date}, expected
        )
        found = search_dates(text, languages=["fr"], settings=settings) or []
        other = theirs_total.add(median_ms(theirs), {d.date() for _, d in found}, expected)
        plain_ms += median_ms(theirs_plain)
        got = [e.to_json() for e in extraction.events]
        right += sum(1 for event in expected_events if event in got)
        total_events += len(expected_events)
        print(
            f"{name:28} {len(expected_events):>6} {mine.ms:>8.2f} {other.ms:>8.1f} "
            f"{mine.exact:>5}/{len(expected):<6} {other.exact:>5}/{len(expected)} "
            f"({other.lenient}/{len(expected)})"
        )

    documents = len(expected_by_file)
    print()
    print(
        f"essbot extractor: {right}/{total_events} gold events with every field right; "
        f"date recall {ours_total.exact_recall:.0%}; {ours_total.ms / documents:.2f} ms per "
        f"document ({1000 * documents / ours_total.ms:.0f} per s)"
    )
    print(
        f"dateparser search_dates(languages=['fr']): date recall "
        f"{theirs_total.exact_recall:.0%} exact, {theirs_total.lenient_recall:.0%} by day and "
        f"month; {theirs_total.ms / documents:.1f} ms per document with RELATIVE_BASE, "
        f"{plain_ms / documents:.1f} ms with its default settings"
    )
    ours_ms, theirs_ms = ours_total.ms, theirs_total.ms
    print(
        f"whole extraction (dates, times, places, titles): {theirs_ms / ours_ms:.1f}x faster "
        f"than search_dates with RELATIVE_BASE, {plain_ms / ours_ms:.1f}x with its defaults"
    )
    # The date-finding step alone, for comparison with a tool that finds only dates.
    texts = [
        (ROOT / "data" / "announcements" / name).read_text(encoding="utf-8")
        for name in sorted(expected_by_file)
    ]
    dates_ms = median_ms(lambda: [find_dates(line.text) for t in texts for line in split_lines(t)])
    print(
        f"date finding alone (split_lines + find_dates): {dates_ms / documents:.2f} ms per "
        f"document, {theirs_ms / dates_ms:.0f}x faster than search_dates"
    )


if __name__ == "__main__":
    main()
