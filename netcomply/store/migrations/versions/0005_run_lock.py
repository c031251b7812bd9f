"""The run lock: since when its owner holds a running run, its heartbeat, and the inventory it was planned for.

Revision ID: 0005_run_lock
Revises: 0004_hotspot_samples
Create Date: 2026-12-04

A second ``audit --resume`` of a run still being collected started a second collector on the same devices.
The run's owner columns (0002) become its lock: ``locked_at`` (since when), ``heartbeat_at`` (refreshed while
collecting; a lock whose owner is on another host is stale when its heartbeat is old). ``inventory_digest``
keeps a short hash per device and service of the inventory the run was planned for, so a resume with a
changed inventory can be refused naming the devices added, removed or changed. Existing rows get NULLs.
Plain SQLAlchemy types only (no netcomply imports), like every migration.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_run_lock"
down_revision = "0004_hotspot_samples"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("runs", sa.Column("locked_at", TS, nullable=True))
    op.add_column("runs", sa.Column("heartbeat_at", TS, nullable=True))
    op.add_column("runs", sa.Column("inventory_digest", sa.JSON(none_as_null=False), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("inventory_digest")
        batch.drop_column("heartbeat_at")
        batch.drop_column("locked_at")
