"""Alembic's environment for the store, used only programmatically.

:func:`netcomply.store.migrate.ensure_schema` hands us an open connection, already inside the transaction
that holds the migration lock, through ``config.attributes["connection"]``. Running in that transaction
means a failed upgrade leaves the schema exactly as it was (SQLite and PostgreSQL both have transactional
DDL), and two processes opening an old store at once upgrade it once.
"""

from __future__ import annotations

from alembic import context

from netcomply.store.migrate import VERSION_TABLE

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "the netcomply store migrates only through netcomply.store.migrate (Store.open does it); "
        "the alembic command line is not supported"
    )

context.configure(connection=connection, target_metadata=None, version_table=VERSION_TABLE)

with context.begin_transaction():
    context.run_migrations()
