"""Hotspot samples: what the hotspot poller measured, round after round, and the poll sessions that took them.

Revision ID: 0004_hotspot_samples
Revises: 0003_obs_stream
Create Date: 2026-11-22

Samples are not per-audit-run data: ``netcomply hotspot poll`` appends to them for days and an audit reads the
month before it started. One row per (hotspot, slot), where ``slot`` is the round's scheduled time on a fixed
grid, so a restarted or overlapping poller inserts-or-ignores and nothing is lost or duplicated.
Plain SQLAlchemy types only (no netcomply imports), like every migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_hotspot_samples"
down_revision = "0003_obs_stream"
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "hotspot_poll_sessions",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("interval_s", sa.Float(), nullable=False),
        sa.Column("inventory_sha256", sa.String(64), nullable=True),
        sa.Column("hostname", sa.Text(), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hotspot_poll_sessions"),
    )
    op.create_index("ix_hotspot_poll_sessions_started_at", "hotspot_poll_sessions", ["started_at"])
    op.create_table(
        "hotspot_samples",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("hotspot", sa.Text(), nullable=False),
        sa.Column("slot", TS, nullable=False),
        sa.Column("measured_at", TS, nullable=False),
        sa.Column("session_id", sa.String(40), nullable=False),
        sa.Column("interval_s", sa.Float(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("uptime_s", sa.Float(), nullable=True),
        sa.Column("clients", sa.Integer(), nullable=True),
        sa.Column("site", sa.Text(), nullable=True),
        sa.Column("zone", sa.Text(), nullable=True),
        sa.Column("agency", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_hotspot_samples"),
        sa.ForeignKeyConstraint(["session_id"], ["hotspot_poll_sessions.id"],
                                name="fk_hotspot_samples_session_id_hotspot_poll_sessions"),
        sa.UniqueConstraint("hotspot", "slot", name="uq_hotspot_samples_hotspot_slot"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_hotspot_samples_slot", "hotspot_samples", ["slot"])
    op.create_index("ix_hotspot_samples_session_id", "hotspot_samples", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_hotspot_samples_session_id", table_name="hotspot_samples")
    op.drop_index("ix_hotspot_samples_slot", table_name="hotspot_samples")
    op.drop_table("hotspot_samples")
    op.drop_index("ix_hotspot_poll_sessions_started_at", table_name="hotspot_poll_sessions")
    op.drop_table("hotspot_poll_sessions")
