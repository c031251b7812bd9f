"""One measurement of one hotspot, as the poller takes it and the store keeps it.

``status`` is what we could tell at ``measured_at``:

* ``up`` -- the AP answered (or its controller lists it joined / normal) and, where probed, was reachable;
* ``down`` -- the AP did not answer while the path to it worked, or its controller lists it not joined / faulty;
* ``unknown`` -- we could not tell (the controller itself did not answer, a credential is missing). An unknown
  sample is a gap in the data: availability leaves it out of the denominator and shows it, never counts it
  as up or down.

``slot`` is the poll round's scheduled time on a fixed grid (a multiple of the interval since the Unix epoch):
the key that makes a restarted or overlapping poller idempotent. Analyses use ``measured_at``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


class SampleStatus(StrEnum):
    UP = "up"
    DOWN = "down"
    UNKNOWN = "unknown"


@dataclass(slots=True)
class HotspotSample:
    hotspot: str
    slot: datetime
    measured_at: datetime
    status: SampleStatus
    interval_s: float
    uptime_s: float | None = None
    clients: int | None = None
    site: str | None = None
    zone: str | None = None
    agency: str | None = None
    source: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    session_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "hotspot": self.hotspot, "slot": self.slot.isoformat(), "measured_at": self.measured_at.isoformat(),
            "status": self.status.value, "interval_s": self.interval_s, "uptime_s": self.uptime_s,
            "clients": self.clients, "site": self.site, "zone": self.zone, "agency": self.agency,
            "source": self.source, "detail": self.detail, "session_id": self.session_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HotspotSample:
        return cls(
            hotspot=data["hotspot"], slot=datetime.fromisoformat(data["slot"]),
            measured_at=datetime.fromisoformat(data["measured_at"]), status=SampleStatus(data["status"]),
            interval_s=float(data["interval_s"]), uptime_s=data.get("uptime_s"), clients=data.get("clients"),
            site=data.get("site"), zone=data.get("zone"), agency=data.get("agency"),
            source=data.get("source", ""), detail=dict(data.get("detail") or {}), session_id=data.get("session_id"),
        )


def slot_of(t: float, interval: float) -> datetime:
    """The grid slot a measurement at Unix time ``t`` belongs to (grid anchored on the Unix epoch)."""
    return datetime.fromtimestamp((t // interval) * interval, UTC)


def ts(dt: datetime) -> float:
    return dt.timestamp()
