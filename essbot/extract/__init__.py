"""Reading announcements: text in, events out (dates, times, places, titles)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from essbot.extract.extractor import extract
from essbot.extract.model import ExtractedEvent, Extraction

__all__ = ["ExtractedEvent", "Extraction", "extract", "extract_file"]


def extract_file(path: Path, *, ref_date: date | None = None) -> Extraction:
    """Extract the events of a UTF-8 text file; events cite it by its file name."""
    return extract(path.read_text(encoding="utf-8"), ref_date=ref_date, source=path.name)
