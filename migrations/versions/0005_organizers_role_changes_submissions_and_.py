"""Organizers, role changes, submissions and drafts, conversations, announcements,
settings; events' owners; outbox messages of announcements, and notices.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 10:11:47.591086
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The kinds of outbox messages before this revision.
KINDS = "'reminder', 'alert', 'digest', 'change', 'cancellation', 'announcement'"


def upgrade() -> None:
    """Upgrade the schema."""
    op.create_table(
        "conversations",
        sa.Column("user_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_conversations")),
    )
    op.create_table(
        "organizers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("username", sa.String(length=32), nullable=True),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("granted_by", sa.BigInteger(), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "user_id IS NOT NULL OR username IS NOT NULL", name=op.f("ck_organizers_who")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizers")),
        sa.UniqueConstraint("user_id", name=op.f("uq_organizers_user_id")),
        sa.UniqueConstraint("username", name=op.f("uq_organizers_username")),
    )
    op.create_table(
        "role_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("username", sa.String(length=32), nullable=True),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("by_user_id", sa.BigInteger(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('grant', 'revoke', 'claim')", name=op.f("ck_role_changes_action")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_changes")),
    )
    with op.batch_alter_table("role_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_changes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "settings",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_settings")),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
    )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submissions_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "announcements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("target", sa.String(length=12), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("area_code", sa.String(length=5), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("progress_message_id", sa.BigInteger(), nullable=True),
        sa.Column("progress_text", sa.Text(), nullable=True),
        sa.Column("progress_until", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "state IN ('draft', 'waiting', 'sending', 'done', 'rejected', 'dropped')",
            name=op.f("ck_announcements_state"),
        ),
        sa.CheckConstraint(
            "target IN ('event', 'department', 'region', 'commune')",
            name=op.f("ck_announcements_target"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_announcements_event_id_events"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
    )
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_announcements_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index("ix_announcements_state", ["state"], unique=False)

    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'published', 'dropped')", name=op.f("ck_drafts_state")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_drafts_event_id_events"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_drafts_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
    )
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_drafts_submission_id"), ["submission_id"], unique=False
        )

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_id", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_owner_id"), ["owner_id"], unique=False)

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announcement_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_outbox_announcement_id"), ["announcement_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_announcement_id_announcements"),
            "announcements",
            ["announcement_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_constraint(batch_op.f("ck_outbox_kind"), type_="check")
        batch_op.create_check_constraint(
            batch_op.f("ck_outbox_kind"), f"kind IN ({KINDS}, 'notice')"
        )


def downgrade() -> None:
    """Downgrade the schema."""
    op.execute("DELETE FROM outbox WHERE kind = 'notice'")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_kind"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_outbox_kind"), f"kind IN ({KINDS})")
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_announcement_id_announcements"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_announcement_id"))
        batch_op.drop_column("announcement_id")

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_owner_id"))
        batch_op.drop_column("owner_id")

    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drafts_submission_id"))

    op.drop_table("drafts")
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.drop_index("ix_announcements_state")
        batch_op.drop_index(batch_op.f("ix_announcements_owner_id"))

    op.drop_table("announcements")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submissions_owner_id"))

    op.drop_table("submissions")
    op.drop_table("settings")
    with op.batch_alter_table("role_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_role_changes_user_id"))

    op.drop_table("role_changes")
    op.drop_table("organizers")
    op.drop_table("conversations")
