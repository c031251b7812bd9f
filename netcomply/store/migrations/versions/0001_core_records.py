"""Core records: runs, device results, blobs, artifacts, observations, findings.

Revision ID: 0001_core
Revises:
Create Date: 2026-11-22

Plain SQLAlchemy types only (no netcomply imports): a migration must keep meaning what it meant when it
was written, whatever the code's types become later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=True),
        sa.Column("operator", sa.Text(), nullable=False),
        sa.Column("tool_version", sa.String(64), nullable=False),
        sa.Column("inventory_sha256", sa.String(64), nullable=True),
        sa.Column("inventory_source", sa.Text(), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_runs"),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])

    op.create_table(
        "device_results",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(40), nullable=False),
        sa.Column("device", sa.Text(), nullable=False),
        sa.Column("collector", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("finished_at", TS, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error_class", sa.String(32), nullable=True),
        sa.Column("cause", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_device_results"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_device_results_run_id_runs",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("run_id", "device", "collector",
                            name="uq_device_results_run_id_device_collector"),
        sqlite_autoincrement=True,
    )

    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("encoding", sa.String(16), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_blobs"),
    )

    op.create_table(
        "artifacts",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(40), nullable=False),
        sa.Column("device_result_id", BIG_ID, nullable=False),
        sa.Column("device", sa.Text(), nullable=False),
        sa.Column("collector", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("collected_at", TS, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_artifacts"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_artifacts_run_id_runs", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["device_result_id"], ["device_results.id"],
                                name="fk_artifacts_device_result_id_device_results", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["sha256"], ["blobs.sha256"], name="fk_artifacts_sha256_blobs"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_artifacts_run_id", "artifacts", ["run_id"])
    op.create_index("ix_artifacts_device_result_id", "artifacts", ["device_result_id"])
    op.create_index("ix_artifacts_sha256", "artifacts", ["sha256"])

    op.create_table(
        "observations",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(40), nullable=False),
        sa.Column("device_result_id", BIG_ID, nullable=True),
        sa.Column("device", sa.Text(), nullable=False),
        sa.Column("collector", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("collected_at", TS, nullable=False),
        sa.Column("artifacts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_observations"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_observations_run_id_runs",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["device_result_id"], ["device_results.id"],
                                name="fk_observations_device_result_id_device_results", ondelete="CASCADE"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_observations_run_id_kind", "observations", ["run_id", "kind"])
    op.create_index("ix_observations_run_id_device", "observations", ["run_id", "device"])
    op.create_index("ix_observations_device_result_id", "observations", ["device_result_id"])

    op.create_table(
        "findings",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("run_id", sa.String(40), nullable=False),
        sa.Column("check_id", sa.String(200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("observations", sa.JSON(), nullable=False),
        sa.Column("artifacts", sa.JSON(), nullable=False),
        sa.Column("controls", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name="fk_findings_run_id_runs", ondelete="CASCADE"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_findings_run_id_status", "findings", ["run_id", "status"])


def downgrade() -> None:
    for table in ("findings", "observations", "artifacts", "blobs", "device_results", "runs"):
        op.drop_table(table)
