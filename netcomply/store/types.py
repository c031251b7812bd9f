"""Column types that behave the same on SQLite and PostgreSQL.

SQLite has no time zones: a naive ``DateTime`` column would silently hand back naive datetimes, and
comparing them with aware ones raises far from the cause. :class:`UTCDateTime` normalises every value to
UTC on the way in and attaches UTC on the way out, on both backends.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes in, timezone-aware UTC datetimes out. Naive datetimes are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value.isoformat()} refused: store times timezone-aware (UTC)")
        value = value.astimezone(UTC)
        # SQLite stores text: drop the zone so every row has the same, sortable format.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


#: Integer primary keys: 64-bit on PostgreSQL, INTEGER (the rowid alias, autoincrementing) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")

#: JSON documents. Plain ``json`` rather than ``jsonb`` on PostgreSQL: it keeps the text exactly, including
#: ``\u0000`` which jsonb rejects, so whatever a collector observed round-trips.
Json = JSON(none_as_null=False)


class NotJSONError(ValueError):
    """A value meant for a JSON column is not JSON (a set, a datetime, NaN...)."""


def json_dumps(value: Any) -> str:
    """Strict JSON: NaN and Infinity are not JSON and PostgreSQL rejects them, so refuse them here.

    Raises :class:`NotJSONError`, which the store reports as a ``ValueError`` naming the record; the driver
    calls this (psycopg) or SQLAlchemy does (sqlite), so the error reaches us wrapped or not.
    """
    try:
        return json.dumps(value, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise NotJSONError(f"not JSON: {exc}") from None
