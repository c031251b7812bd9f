"""Index observations by (run_id, id) so streaming a whole run reads pages straight off an index.

Revision ID: 0003_obs_stream
Revises: 0002_run_owner
Create Date: 2026-11-22

``Store.observations(run_id)`` pages by id. Without this index SQLite read the run's rows through the
(run_id, device) index and sorted all of them for every page: quadratic in the size of the run.
"""

from __future__ import annotations

from alembic import op

revision = "0003_obs_stream"
down_revision = "0002_run_owner"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_observations_run_id_id", "observations", ["run_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_observations_run_id_id", table_name="observations")
