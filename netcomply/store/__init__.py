"""The store: where runs and everything they found are kept (SQLite file by default, PostgreSQL by URL).

See :class:`Store` for the threading and durability contract, :mod:`netcomply.store.migrate` for schema
versions, and :mod:`netcomply.store.pgtest` for a throwaway PostgreSQL server for tests and benchmarks.
"""

from netcomply.store.exceptions import StoreError, StoreVersionError
from netcomply.store.ids import new_run_id
from netcomply.store.location import default_db_url
from netcomply.store.records import ArtifactRecord
from netcomply.store.store import Store

__all__ = [
    "ArtifactRecord",
    "Store",
    "StoreError",
    "StoreVersionError",
    "default_db_url",
    "new_run_id",
]
