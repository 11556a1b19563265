"""Reading announcements: text in, events out (dates, times, places, titles)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from essbot.extract.extractor import extract
from essbot.extract.model import ExtractedEvent, Extraction

__all__ = ["ExtractedEvent", "Extraction", "clear_caches", "extract", "extract_file"]


def clear_caches() -> None:
    """Forget every text already read, so that the next document is read cold (benchmarks)."""
    from essbot.extract.times import find_times
    from essbot.extract.titles import kind_of
    from essbot.geo.normalize import fold_word
    from essbot.geo.resolve import default_resolver

    default_resolver().clear_cache()
    for cached in (find_times, kind_of, fold_word):
        cached.cache_clear()


def extract_file(path: Path, *, ref_date: date | None = None) -> Extraction:
    """Extract the events of a UTF-8 text file; events cite it by its file name."""
    return extract(path.read_text(encoding="utf-8"), ref_date=ref_date, source=path.name)
