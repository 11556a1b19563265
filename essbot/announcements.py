"""Announcement files on disk: `essbot extract` and `essbot import`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from rich import box
from rich.table import Table
from rich.text import Text

from essbot.db import create_engine_from_url, create_session_factory
from essbot.db.migrate import upgrade
from essbot.events import ImportReport, import_document
from essbot.extract import extract
from essbot.extract.model import ExtractedEvent, Extraction
from essbot.notify.alerts import alert_subscribers
from essbot.notify.changes import tell_followers


class AnnouncementError(Exception):
    """A path that names no readable announcement; the message says why."""


@dataclass
class ImportRun:
    """What `essbot import` did: a report per imported file, a message per failed one."""

    reports: list[tuple[str, ImportReport]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def announcement_files(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    """The files named, each folder replaced by its *.txt files in name order; and errors."""
    files: list[Path] = []
    errors: list[str] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = sorted(child for child in path.glob("*.txt") if child.is_file())
            files.extend(found)
            if not found:
                errors.append(f"{name}: no .txt file in this folder")
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"{name}: no such file or folder")
    return files, errors


def read_announcement(path: Path) -> str:
    """The file's text, UTF-8; AnnouncementError when it cannot be read as such."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise AnnouncementError(f"{path}: not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise AnnouncementError(f"{path}: cannot be read ({error.strerror})") from error


def extract_announcement(path: Path, *, ref_date: date | None) -> Extraction:
    """Read and extract one announcement file."""
    return extract(read_announcement(path), ref_date=ref_date, source=path.name)


def json_lines(extraction: Extraction) -> str:
    """One JSON object per event and per line, as `essbot extract --json` prints them."""
    return "".join(
        json.dumps(event.to_json(), ensure_ascii=False) + "\n" for event in extraction.events
    )


def events_table(extraction: Extraction) -> Table:
    """A readable table of the events found in one document."""
    title = extraction.source
    if extraction.title:
        title = f"{title}: {extraction.title}"
    # Announcement text may hold brackets: cells are plain Text, never console markup.
    table = Table(title=Text(title), title_justify="left")
    for column in ("line", "date", "time", "event", "place", "notes"):
        table.add_column(column, justify="right" if column == "line" else "left")
    for event in extraction.events:
        cells = (
            str(event.line),
            _dates(event),
            _times(event),
            event.title,
            _place(event),
            ", ".join(_notes(event)),
        )
        table.add_row(*(Text(cell) for cell in cells))
    return table


async def import_files(
    files: Sequence[Path],
    *,
    database_url: str,
    timezone: str,
    now: datetime,
    ref_date: date | None,
    on_file: Callable[[Path], None] = lambda path: None,
) -> ImportRun:
    """Migrate the database, then extract and store each file in a transaction of its own.

    `on_file` is called after each file, imported or not (a progress bar advances there).
    """
    await upgrade(database_url)
    run = ImportRun()
    engine = create_engine_from_url(database_url)
    try:
        sessions = create_session_factory(engine)
        for path in files:
            try:
                text = read_announcement(path)
            except AnnouncementError as error:
                run.failures.append(str(error))
                on_file(path)
                continue
            extraction = extract(text, ref_date=ref_date, source=path.name)
            async with sessions() as session, session.begin():
                report = await import_document(
                    session,
                    text=text,
                    name=path.name,
                    extraction=extraction,
                    now=now,
                    timezone=timezone,
                    ref_date=ref_date,
                )
                # Those who follow an event hear of its change in the same transaction.
                await tell_followers(
                    session, moved=report.moved_ids, cancelled=report.cancelled_ids, now=now
                )
                await alert_subscribers(session, report.new_ids, now)
            run.reports.append((path.name, report))
            on_file(path)
    finally:
        await engine.dispose()
    return run


def summary_table(run: ImportRun) -> Table:
    """New, updated, unchanged, needing review, warnings and cancelled, per file and in all."""
    table = Table(title="Import", box=box.SIMPLE_HEAD)
    table.add_column("document", no_wrap=True, overflow="ellipsis")
    for column in ("new", "updated", "unchanged", "needing review", "warnings", "cancelled"):
        longest_word = max(len(word) for word in column.split())
        table.add_column(column, justify="right", min_width=longest_word)
    for name, report in run.reports:
        table.add_row(Text(name), *_counts(report))
    total = ImportReport.total(report for _, report in run.reports)
    table.add_section()
    table.add_row(f"{total.documents} documents", *_counts(total), style="bold")
    if total.already_imported:
        table.caption = (
            f"{total.already_imported} of {total.documents} documents had been imported "
            "before with the same text: nothing changed for them."
        )
    return table


def print_failures(failures: Sequence[str]) -> None:
    """Each failure on its own line of stderr."""
    for failure in failures:
        print(f"essbot: {failure}", file=sys.stderr)


def _counts(report: ImportReport) -> list[str]:
    values = (
        report.new,
        report.updated,
        report.unchanged,
        report.needing_review,
        report.warnings,
        report.cancelled,
    )
    return [str(value) for value in values]


def _dates(event: ExtractedEvent) -> str:
    if event.date is None:
        return "à préciser"
    if event.end_date is not None and event.end_date != event.date:
        return f"{event.date.isoformat()} → {event.end_date.isoformat()}"
    return event.date.isoformat()


def _times(event: ExtractedEvent) -> str:
    start = event.start.strftime("%H:%M") if event.start else ""
    end = event.end.strftime("%H:%M") if event.end else ""
    return f"{start}–{end}" if end else start


def _place(event: ExtractedEvent) -> str:
    parts = [event.venue, event.address, " ".join(p for p in (event.postcode, event.town) if p)]
    place = ", ".join(part for part in parts if part)
    if event.insee:
        place = f"{place} [{event.insee}]"
    return place or ("online" if event.online else "")


def _notes(event: ExtractedEvent) -> list[str]:
    notes = list(event.warnings)
    if event.online:
        notes.append("online")
    if event.tbd_place:
        notes.append("place to be announced")
    if event.year_inferred:
        notes.append("year inferred")
    return notes
