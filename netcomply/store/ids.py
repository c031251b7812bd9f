"""Run identifiers.

``20261122T045012Z-3f9a1c``: the UTC start second (so ids sort by time and a person can read when a run
was), then 24 random bits so that two collector hosts starting in the same second do not collide
(one chance in about 16 million per pair). Users type unique prefixes of it (``netcomply show 20261122T04``).
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime

RUN_ID_PATTERN = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")


def new_run_id(now: datetime | None = None) -> str:
    """A new sortable, readable run id. ``now`` must be timezone-aware (it is converted to UTC)."""
    moment = now if now is not None else datetime.now(UTC)
    if moment.tzinfo is None:
        raise ValueError("new_run_id needs a timezone-aware datetime (naive times are ambiguous)")
    return f"{moment.astimezone(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"
