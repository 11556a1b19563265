"""A corrected announcement moves or cancels an event: its followers are told once, and their
reminders follow the event. On SQLite and PostgreSQL."""

from datetime import UTC, date, datetime
from pathlib import Path

from seeds import SEEDS
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from essbot.announcements import import_files
from essbot.db import Chat, Event, OutboxMessage, create_engine_from_url
from essbot.db import create_session_factory as sessions_of
from essbot.events import import_document
from essbot.extract import extract
from essbot.notify.changes import tell_followers
from essbot.notify.outbox import plan, reminder_rows
from essbot.notify.subscriptions import event_subscription

TOUR = SEEDS[0].read_text(encoding="utf-8")
AMIENS_LINE = "- **Mercredi 5 Octobre** à l'Auberge de Jeunesse d'Amiens"
# The same day, an hour later: the corrected text's event is the same event, moved. (A new
# date makes a new event, and the old one cancelled: see the import's pairing of versions.)
MOVED = TOUR.replace(
    AMIENS_LINE, "- **Mercredi 5 Octobre** de 18h30 à 21h à l'Auberge de Jeunesse d'Amiens"
)
DROPPED = "\n".join(line for line in TOUR.splitlines() if not line.startswith(AMIENS_LINE))
NOW = datetime(2016, 9, 20, 8, 0, tzinfo=UTC)
FOLLOWER, BLOCKED, STRANGER = 11, 12, 13


async def publish(session: AsyncSession, text: str) -> tuple[list[int], list[int]]:
    """Import a version of the tour announcement and tell followers, as `essbot import` does."""
    extraction = extract(text, ref_date=date(2016, 9, 20), source="tour.txt")
    report = await import_document(
        session, text=text, name="tour.txt", extraction=extraction, now=NOW
    )
    await tell_followers(session, moved=report.moved_ids, cancelled=report.cancelled_ids, now=NOW)
    await session.commit()
    return report.moved_ids, report.cancelled_ids


async def follow(session: AsyncSession) -> Event:
    """Two chats follow the Amiens meeting with its reminders planned; one blocked the bot."""
    await publish(session, TOUR)
    amiens = await session.scalar(select(Event).where(Event.town == "Amiens"))
    assert amiens is not None
    for chat_id in (FOLLOWER, BLOCKED, STRANGER):
        blocked = NOW if chat_id == BLOCKED else None
        chat = Chat(id=chat_id, created_at=NOW, updated_at=NOW, blocked_at=blocked)
        session.add(chat)
        await session.flush()
        if chat_id != STRANGER:
            session.add(event_subscription(chat_id, amiens.id, NOW))
            await plan(session, reminder_rows(chat, amiens, ("eve", "2h"), NOW))
    await session.commit()
    return amiens


async def outbox(session: AsyncSession, chat_id: int) -> list[tuple[str, str, str, datetime]]:
    session.expire_all()
    rows = await session.scalars(
        select(OutboxMessage).where(OutboxMessage.chat_id == chat_id).order_by(OutboxMessage.id)
    )
    return [(m.kind, m.lead, m.state, m.due_at) for m in rows]


async def test_a_moved_event_is_announced_and_its_reminders_move(session: AsyncSession) -> None:
    amiens = await follow(session)
    moved, cancelled = await publish(session, MOVED)
    assert (moved, cancelled) == ([amiens.id], [])
    assert await outbox(session, FOLLOWER) == [
        ("reminder", "eve", "dropped", datetime(2016, 10, 4, 16, 0, tzinfo=UTC)),
        ("reminder", "2h", "dropped", datetime(2016, 10, 5, 13, 30, tzinfo=UTC)),
        ("change", "", "pending", NOW),
        ("reminder", "eve", "pending", datetime(2016, 10, 4, 16, 0, tzinfo=UTC)),
        ("reminder", "2h", "pending", datetime(2016, 10, 5, 14, 30, tzinfo=UTC)),
    ]
    notice = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "change"))
    assert notice is not None
    assert notice.text.startswith("<b>⚠️ Changement : l'événement que vous suivez a changé.</b>")
    assert "mercredi 5 octobre 2016, 18h30–21h" in notice.text
    assert [kind for kind, *_ in await outbox(session, BLOCKED)] == ["reminder", "reminder"]
    assert await outbox(session, STRANGER) == []


async def test_the_same_correction_twice_tells_once(session: AsyncSession) -> None:
    await follow(session)
    await publish(session, MOVED)
    before = await outbox(session, FOLLOWER)
    await publish(session, MOVED + "\n")  # a new version with the same events
    assert await outbox(session, FOLLOWER) == before


async def test_a_cancelled_event_is_announced_and_its_reminders_dropped(
    session: AsyncSession,
) -> None:
    amiens = await follow(session)
    assert await publish(session, DROPPED) == ([], [amiens.id])
    states = await outbox(session, FOLLOWER)
    assert [(kind, state) for kind, _, state, _ in states] == [
        ("reminder", "dropped"),
        ("reminder", "dropped"),
        ("cancellation", "pending"),
    ]
    notice = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "cancellation"))
    assert notice is not None
    assert notice.text.startswith("<b>❌ Annulé : l'événement que vous suivez n'aura pas lieu.</b>")


async def test_essbot_import_tells_followers(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'essbot.sqlite3'}"
    first = tmp_path / "v1" / "tour.txt"
    second = tmp_path / "v2" / "tour.txt"
    for path, text in ((first, TOUR), (second, MOVED)):
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
    await import_files([first], database_url=url, timezone="Europe/Paris", now=NOW, ref_date=None)
    engine = create_engine_from_url(url)
    try:
        async with sessions_of(engine)() as session:
            amiens = await session.scalar(select(Event).where(Event.town == "Amiens"))
            assert amiens is not None
            chat = Chat(id=FOLLOWER, created_at=NOW, updated_at=NOW)
            session.add_all(
                [
                    chat,
                    event_subscription(FOLLOWER, amiens.id, NOW),
                ]
            )
            await session.commit()
        await import_files(
            [second], database_url=url, timezone="Europe/Paris", now=NOW, ref_date=None
        )
        async with sessions_of(engine)() as session:
            kinds = [kind for kind, *_ in await outbox(session, FOLLOWER)]
        assert kinds == ["change", "reminder", "reminder"]
    finally:
        await engine.dispose()
