"""The five seed announcements, imported as `essbot import` would."""

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from essbot.announcements import extract_announcement, read_announcement
from essbot.events import import_document

SEEDS = sorted((Path(__file__).resolve().parents[1] / "data" / "announcements").glob("*.txt"))
IMPORTED_AT = datetime(2016, 9, 1, tzinfo=UTC)


async def import_seeds(session: AsyncSession) -> None:
    """Store every seed text and its events, and commit."""
    for path in SEEDS:
        extraction = extract_announcement(path, ref_date=date(2016, 9, 20))
        text = read_announcement(path)
        await import_document(
            session, text=text, name=path.name, extraction=extraction, now=IMPORTED_AT
        )
    await session.commit()
