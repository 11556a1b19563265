"""Sending what the outbox holds: claim due rows, send each at its booked slot, record what
Telegram said.

- A claim is one transaction. It takes due rows (on PostgreSQL with `FOR UPDATE SKIP LOCKED`,
  so that two bot processes never take the same row), at most one per chat, only for chats
  whose own gate is open. It books each row a slot on the gate every process shares (the
  bot's overall rate), and moves each chat's gate on (1 s, or 3 s for groups: 20 a minute).
- A claimed row is `sending` until its lease lapses. A process that dies after Telegram
  accepted a message but before it recorded so leaves the row to be sent again once the
  lease lapses: the only repeats, at most CONCURRENCY per process (the messages in flight).
- A row is `sent` only after Telegram accepted it. RetryAfter puts the row back and holds
  the shared gate closed for as long as asked; network errors retry with backoff; Forbidden
  (blocked, removed from the group) marks the chat blocked, drops what was waiting for it and
  its subscriptions. Every attempt is kept in `deliveries`.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from essbot.clock import Clock
from essbot.db import Chat, Delivery, OutboxMessage, SendGate, Subscription, insert_new

logger = logging.getLogger(__name__)

RATE = 30.0  # messages a second, for the whole bot (Telegram's broadcast limit)
# Slots are booked a little under the rate: messages booked exactly 1/rate apart can reach
# Telegram closer together (the network does not keep time), and must still fit the limit.
MARGIN = 0.97
PRIVATE_GAP = timedelta(seconds=1)
GROUP_GAP = timedelta(seconds=3)  # 20 a minute
LEASE = timedelta(seconds=15)  # longer than a claim takes to send, with a slow answer
# A claim books slots from the gate's next free moment, if that is no further away than this.
HORIZON = timedelta(seconds=1)
LEAD = timedelta(milliseconds=50)  # how far ahead a claim's first slot is
# A message that cannot leave within this of its slot goes back to be claimed anew: sending
# it late would crowd the slots that follow, maybe another process's.
LATE = timedelta(milliseconds=10)
MAX_ATTEMPTS = 8
CONCURRENCY = 4  # messages in flight at once, per process
GATE = "telegram"
_TICK = timedelta(milliseconds=1)  # rounding of booked instants

Transport = Callable[[int, str], Awaitable[int]]
"""Sends HTML text to a chat and returns Telegram's message id, or raises telegram.error."""


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row taken for sending, with the moment booked for it."""

    id: int
    chat_id: int
    text: str
    slot: datetime
    attempts: int
    chat_gate: datetime | None = None  # the chat's gate this claim set (slot + its gap)


@dataclass(slots=True)
class SweepReport:
    """What one sweep did, by outcome."""

    claimed: int = 0
    sent: int = 0
    retry_after: int = 0
    network: int = 0
    forbidden: int = 0
    rejected: int = 0
    released: int = 0
    given_back: int = 0  # claimed, then put back unsent (Telegram said to wait, or late)
    seconds_asked: float = field(default=0.0)


async def claim(
    session: AsyncSession,
    worker: str,
    now: datetime,
    limit: int,
    *,
    rate: float = RATE,
    lease: timedelta = LEASE,
) -> list[Claimed]:
    """Take up to `limit` due rows for `worker` and book their slots; commits."""
    postgres = session.get_bind().dialect.name == "postgresql"
    gate = await _gate(session, now, postgres)
    if gate.next_at > now + HORIZON:  # Telegram asked to wait: claim nothing meanwhile
        await session.commit()
        return []
    due = (
        select(
            OutboxMessage.id,
            OutboxMessage.chat_id,
            OutboxMessage.text,
            OutboxMessage.attempts,
            Chat.kind,
        )
        .join(Chat, Chat.id == OutboxMessage.chat_id)
        .where(
            OutboxMessage.state == "pending",
            OutboxMessage.due_at <= now,
            Chat.blocked_at.is_(None),
            (Chat.next_send_at.is_(None)) | (Chat.next_send_at <= now),
        )
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit * 2)
    )
    if postgres:
        due = due.with_for_update(skip_locked=True, of=[OutboxMessage.__table__, Chat.__table__])
    chosen: dict[int, Any] = {}
    for row in (await session.execute(due)).all():
        if row.chat_id not in chosen and len(chosen) < limit:
            chosen[row.chat_id] = row
    # Slots start a little ahead, so that the first is not already late when sending begins.
    start = max(gate.next_at, now + LEAD)
    step = timedelta(seconds=1 / (rate * MARGIN))
    claimed = []
    for index, row in enumerate(chosen.values()):
        slot = start + index * step
        gap = PRIVATE_GAP if row.kind == "private" else GROUP_GAP
        claimed.append(Claimed(row.id, row.chat_id, row.text, slot, row.attempts + 1, slot + gap))
    if claimed:
        await session.execute(
            update(Chat),
            [{"id": message.chat_id, "next_send_at": message.chat_gate} for message in claimed],
        )
        await session.execute(
            update(OutboxMessage),
            [
                {
                    "id": message.id,
                    "state": "sending",
                    "claimed_by": worker,
                    "claimed_until": message.slot + lease,
                    "attempts": message.attempts,
                }
                for message in claimed
            ],
        )
    gate.next_at = start + len(claimed) * step
    await session.commit()
    return claimed


async def _gate(session: AsyncSession, now: datetime, postgres: bool) -> SendGate:
    """The shared gate's row, locked until the claim commits (created on first use, by
    whichever process comes first)."""
    await session.execute(insert_new(session, SendGate, "name").values(name=GATE, next_at=now))
    query = select(SendGate).where(SendGate.name == GATE)
    gate = await session.scalar(query.with_for_update() if postgres else query)
    assert gate is not None
    return gate


async def release_lapsed(session: AsyncSession, now: datetime) -> int:
    """Put back rows whose claim lapsed (their sender died); drop rows no longer worth
    sending. Commits; the number of rows put back."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.state.in_(("pending", "sending")),
            OutboxMessage.due_at <= now,  # on the index: only what is due is looked at
            OutboxMessage.expires_at <= now,
            (OutboxMessage.state == "pending") | (OutboxMessage.claimed_until < now),
        )
        .values(state="dropped", error="expired", claimed_by=None)
    )
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.state == "sending", OutboxMessage.claimed_until < now)
        .values(state="pending", claimed_by=None, claimed_until=None)
        .returning(OutboxMessage.id)
    )
    released = len(result.all())
    await session.commit()
    return released


class Sender:
    """Sweeps the outbox: release lapsed claims, claim due rows, send them at their slots."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        transport: Transport,
        clock: Clock,
        *,
        batch: int = 60,
        rate: float = RATE,
        lease: timedelta = LEASE,
        worker: str | None = None,
        concurrency: int = CONCURRENCY,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.sessions = sessions
        self.transport = transport
        self.clock = clock
        self.batch = batch
        self.rate = rate
        self.lease = lease
        self.worker = worker or uuid.uuid4().hex[:16]
        self.concurrency = concurrency
        self.sleep = sleep

    async def sweep(self) -> SweepReport:
        """One pass: what is due now is claimed and sent, within the rate."""
        report = SweepReport()
        async with self.sessions() as session:
            report.released = await release_lapsed(session, self.clock.now())
            claimed = await claim(
                session, self.worker, self.clock.now(), self.batch, rate=self.rate, lease=self.lease
            )
        report.claimed = len(claimed)
        # Each message leaves at its slot, whether or not the one before has been answered:
        # waiting for answers would drift behind the slots, then catch up in a burst. At most
        # `concurrency` are in flight, which bounds what a crash can send twice.
        in_flight = asyncio.Semaphore(self.concurrency)
        halted = asyncio.Event()  # Telegram said to wait: what has not left goes back
        sending: list[asyncio.Task[None]] = []

        async def send(message: Claimed) -> None:
            try:
                if await self._send(message, report) == "retry_after":
                    halted.set()
            finally:
                in_flight.release()

        for index, message in enumerate(claimed):
            wait = (message.slot - self.clock.now()).total_seconds()
            if wait > 0:
                await self.sleep(wait)
            await in_flight.acquire()
            late = self.clock.now() - message.slot > LATE
            if halted.is_set() or late:
                in_flight.release()
                await self._give_back(claimed[index:])
                report.given_back = len(claimed) - index
                break
            sending.append(asyncio.create_task(send(message)))
        await asyncio.gather(*sending)
        return report

    async def _send(self, message: Claimed, report: SweepReport) -> str:
        try:
            telegram_id = await self.transport(message.chat_id, message.text)
        except RetryAfter as error:
            seconds = error.retry_after
            wait = seconds if isinstance(seconds, int | float) else seconds.total_seconds()
            report.seconds_asked += wait
            await self._retry_after(message, wait)
            outcome = "retry_after"
        except Forbidden as error:
            await self._blocked(message, str(error))
            outcome = "forbidden"
        except BadRequest as error:
            if "chat not found" in str(error).lower():
                await self._blocked(message, str(error))
                outcome = "forbidden"
            else:
                await self._finish(message, "failed", "rejected", str(error))
                outcome = "rejected"
        except (TimedOut, NetworkError) as error:
            await self._network(message, str(error))
            outcome = "network"
        else:
            await self._finish(message, "sent", "sent", None, telegram_id)
            outcome = "sent"
        setattr(report, outcome, getattr(report, outcome) + 1)
        return outcome

    async def _finish(
        self,
        message: Claimed,
        state: str,
        outcome: str,
        detail: str | None,
        telegram_id: int | None = None,
    ) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == message.id, OutboxMessage.claimed_by == self.worker)
                .values(
                    state=state,
                    sent_at=now if state == "sent" else None,
                    error=detail,
                    telegram_message_id=telegram_id,
                    claimed_until=None,
                )
            )
            session.add(
                Delivery(
                    message_id=message.id,
                    attempted_at=now,
                    outcome=outcome,
                    detail=detail,
                    telegram_message_id=telegram_id,
                )
            )

    async def _retry_after(self, message: Claimed, seconds: float) -> None:
        now = self.clock.now()
        again = now + timedelta(seconds=seconds)
        async with self.sessions() as session, session.begin():
            await self._put_back(session, [message.id], again)
            await session.execute(
                update(SendGate)
                .where(SendGate.name == GATE, SendGate.next_at < again)
                .values(next_at=again)
            )
            session.add(
                Delivery(
                    message_id=message.id,
                    attempted_at=now,
                    outcome="retry_after",
                    detail=f"{seconds:g} s",
                )
            )

    async def _network(self, message: Claimed, detail: str) -> None:
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            if message.attempts >= MAX_ATTEMPTS:
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == message.id)
                    .values(state="failed", error=detail, claimed_until=None)
                )
            else:
                backoff = timedelta(seconds=min(600, 2**message.attempts))
                await self._put_back(session, [message.id], now + backoff)
            session.add(
                Delivery(message_id=message.id, attempted_at=now, outcome="network", detail=detail)
            )

    async def _blocked(self, message: Claimed, detail: str) -> None:
        """The chat refuses the bot: stop sending, keep nothing waiting for it."""
        now = self.clock.now()
        async with self.sessions() as session, session.begin():
            await session.execute(
                update(Chat).where(Chat.id == message.chat_id).values(blocked_at=now)
            )
            await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.chat_id == message.chat_id,
                    OutboxMessage.state.in_(("pending", "sending")),
                )
                .values(state="dropped", error="blocked", claimed_until=None)
            )
            await session.execute(
                delete(Subscription).where(Subscription.chat_id == message.chat_id)
            )
            session.add(
                Delivery(
                    message_id=message.id, attempted_at=now, outcome="forbidden", detail=detail
                )
            )
        logger.info("Chat %s blocked the bot: its messages are dropped", message.chat_id)

    async def _give_back(self, messages: list[Claimed]) -> None:
        """Put back claimed rows unsent, and the slots they held when no claim came after."""
        if not messages:
            return
        end = messages[-1].slot + timedelta(seconds=1 / (self.rate * MARGIN))
        async with self.sessions() as session, session.begin():
            await self._put_back(session, [m.id for m in messages], None)
            for message in messages:  # the chat's gate too, unless another claim moved it
                assert message.chat_gate is not None
                await session.execute(
                    update(Chat)
                    .where(
                        Chat.id == message.chat_id,
                        Chat.next_send_at.between(
                            message.chat_gate - _TICK, message.chat_gate + _TICK
                        ),
                    )
                    .values(next_send_at=message.slot)
                )
            await session.execute(
                update(SendGate)
                .where(
                    SendGate.name == GATE,
                    SendGate.next_at.between(end - _TICK, end + _TICK),
                )
                .values(next_at=messages[0].slot)
            )

    async def _put_back(
        self, session: AsyncSession, ids: list[int], due_at: datetime | None
    ) -> None:
        values: dict[str, object] = {"state": "pending", "claimed_by": None, "claimed_until": None}
        if due_at is not None:
            values["due_at"] = due_at
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == self.worker)
            .values(**values)
        )
