"""Event search columns and their indexes.

The columns: region, grid cell, end instant, folded words and whether the event lasts more
than a day, derived from the others.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 07:00:00.000000
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade the schema, then fill the new columns of the events already stored."""
    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(sa.Column("region", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("cell", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("until", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("words", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("multiday", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.drop_index("ix_events_insee")
        batch_op.drop_index("ix_events_department")
    with op.batch_alter_table("events") as batch_op:
        batch_op.alter_column("words", server_default=None)
        batch_op.alter_column("multiday", server_default=None)
    for columns in (("department", "starts_at"), ("region", "starts_at"), ("cell", "starts_at"),
                    ("insee", "starts_at"), ("multiday", "starts_at")):  # fmt: skip
        op.create_index(f"ix_events_{columns[0]}_starts_at", "events", list(columns))
    _derive_stored_events()


def _derive_stored_events() -> None:
    """Compute the derived columns row by row, as the application does on every write."""
    from essbot.db.models import Event

    bind = op.get_bind()
    events = sa.table(
        "events",
        sa.column("id", sa.Integer()),
        sa.column("title", sa.Text()),
        sa.column("venue", sa.Text()),
        sa.column("department", sa.String()),
        sa.column("lat", sa.Float()),
        sa.column("lon", sa.Float()),
        sa.column("starts_at", sa.DateTime(timezone=True)),
        sa.column("ends_at", sa.DateTime(timezone=True)),
        sa.column("all_day", sa.Boolean()),
        sa.column("region", sa.String()),
        sa.column("cell", sa.Integer()),
        sa.column("until", sa.DateTime(timezone=True)),
        sa.column("words", sa.Text()),
        sa.column("multiday", sa.Boolean()),
    )
    sqlite = bind.dialect.name == "sqlite"
    for row in bind.execute(sa.select(events)).mappings().all():
        event = Event(
            title=row["title"],
            venue=row["venue"],
            department=row["department"],
            lat=row["lat"],
            lon=row["lon"],
            starts_at=_aware(row["starts_at"]),
            ends_at=_aware(row["ends_at"]),
            all_day=row["all_day"],
        )
        event.derive()
        until = event.until
        if until is not None and sqlite:
            until = until.replace(tzinfo=None)
        bind.execute(
            events.update()
            .where(events.c.id == row["id"])
            .values(
                region=event.region,
                cell=event.cell,
                until=until,
                words=event.words,
                multiday=event.multiday,
            )
        )


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def downgrade() -> None:
    """Downgrade the schema."""
    for name in ("department", "region", "cell", "insee", "multiday"):
        op.drop_index(f"ix_events_{name}_starts_at", table_name="events")
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_column("multiday")
        batch_op.drop_column("words")
        batch_op.drop_column("until")
        batch_op.drop_column("cell")
        batch_op.drop_column("region")
        batch_op.create_index("ix_events_insee", ["insee"])
        batch_op.create_index("ix_events_department", ["department"])
