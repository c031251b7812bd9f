"""Errors of the store. Both derive from :class:`netcomply.errors.NetcomplyError`, so the CLI shows their
message and no traceback."""

from __future__ import annotations

from netcomply.errors import NetcomplyError


class StoreError(NetcomplyError):
    """The store cannot be opened or used: unreachable server, a file that is not a database, or a
    database that is not a netcomply store."""


class StoreVersionError(StoreError):
    """The database's schema was written by a newer netcomply than this one; we refuse to touch it
    rather than misread or damage it."""
