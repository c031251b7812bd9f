"""Run ownership: the host, pid and process identity that own a running run.

Revision ID: 0002_run_owner
Revises: 0001_core
Create Date: 2026-11-22

A run killed by SIGKILL stays ``running`` forever unless someone can tell its owner is gone. The owner's
hostname (only that host can judge), pid, and a token of boot id + process start time (pids are reused;
a pid alive after a reboot or much later is not the same process) make that judgement sound.
Existing rows get NULLs: their owner is unknown, so they are never flipped automatically.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_run_owner"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("hostname", sa.Text(), nullable=True))
    op.add_column("runs", sa.Column("pid", sa.Integer(), nullable=True))
    op.add_column("runs", sa.Column("process_token", sa.String(100), nullable=True))
    op.create_index("ix_runs_status_hostname", "runs", ["status", "hostname"])


def downgrade() -> None:
    op.drop_index("ix_runs_status_hostname", table_name="runs")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("process_token")
        batch.drop_column("pid")
        batch.drop_column("hostname")
