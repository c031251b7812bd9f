"""The access points' state over time, as data: the lab's ground truth for the hotspot-availability checks.

A schedule says, per AP, when it is down, when it reboots and how many clients it carries, in seconds
relative to a lab *epoch* (a Unix time). The snmpsim variation module (:mod:`netcomply.app.lab.snmp.apvariation`)
reads the same file and answers ifOperStatus, sysUpTime and client counts from :func:`ap_state`, so a test
can compute the availability it expects from the very function the agents use, with periods of a few
seconds. With ``period`` set the schedule repeats (the default lab runs for hours without running out).

Semantics (kept deliberately simple so expected values are easy to compute):

* ``down: [[start, end], ...]`` -- half-open windows ``[start, end)``; the AP is down inside them
  (ifOperStatus down, controller shows it disassociated/fault, 0 clients). Coming back up is a boot:
  sysUpTime restarts at ``end``.
* ``reboots: [t, ...]`` -- instant reboots: sysUpTime restarts at ``t``; the AP stays up.
* ``clients: [[t, n], ...]`` -- from ``t`` on the AP carries ``n`` clients (while up).
* ``uptime_at_epoch`` -- seconds the AP had been up when the lab epoch began.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCHEDULE_FILE = "ap-schedule.json"


@dataclass(frozen=True)
class ApSchedule:
    name: str
    down: tuple[tuple[float, float], ...] = ()
    reboots: tuple[float, ...] = ()
    clients: tuple[tuple[float, int], ...] = ((0.0, 0),)
    uptime_at_epoch: float = 86_400.0

    def to_json(self) -> dict[str, Any]:
        return {
            "down": [list(w) for w in self.down],
            "reboots": list(self.reboots),
            "clients": [list(c) for c in self.clients],
            "uptime_at_epoch": self.uptime_at_epoch,
        }

    @classmethod
    def from_json(cls, name: str, data: Mapping[str, Any]) -> ApSchedule:
        return cls(
            name=name,
            down=tuple((float(a), float(b)) for a, b in data.get("down", ())),
            reboots=tuple(float(t) for t in data.get("reboots", ())),
            clients=tuple((float(t), int(n)) for t, n in data.get("clients", ((0, 0),))),
            uptime_at_epoch=float(data.get("uptime_at_epoch", 86_400.0)),
        )


@dataclass(frozen=True)
class ApState:
    """What an AP looks like at one instant."""

    up: bool
    uptime: float  # seconds since its last boot (0 while down)
    clients: int

    @property
    def uptime_ticks(self) -> int:
        """sysUpTime in TimeTicks (hundredths of a second)."""
        return int(self.uptime * 100)


@dataclass(frozen=True)
class Schedule:
    epoch: float
    aps: Mapping[str, ApSchedule] = field(default_factory=dict)
    period: float | None = None  # repeat every `period` seconds; None: play once, then stay as at the end

    def relative(self, t: float) -> float:
        """Seconds since the epoch, folded into the period. Before the epoch the lab is at its start."""
        rel = max(0.0, t - self.epoch)
        if self.period:
            rel = math.fmod(rel, self.period)
        return rel

    def state(self, ap: str, t: float) -> ApState:
        """The truth: state of AP ``ap`` at Unix time ``t``. Unknown APs are always up with no clients."""
        sched = self.aps.get(ap)
        if sched is None:
            return ApState(True, max(0.0, t - self.epoch) + 86_400.0, 0)
        return ap_state(sched, self.relative(t), cycle_start=self._cycle_start(t), period=self.period)

    def _cycle_start(self, t: float) -> float:
        if not self.period:
            return 0.0
        return (max(0.0, t - self.epoch) // self.period) * self.period

    def availability(self, ap: str, start: float, end: float) -> float:
        """Fraction of the Unix-time interval ``[start, end)`` the AP was up, exactly, from the windows."""
        if end <= start:
            raise ValueError("end must be after start")
        sched = self.aps.get(ap)
        if sched is None:
            return 1.0
        down = 0.0
        for a, b in self._absolute_windows(sched, start, end):
            down += max(0.0, min(b, end) - max(a, start))
        return 1.0 - down / (end - start)

    def _absolute_windows(self, sched: ApSchedule, start: float, end: float) -> Iterable[tuple[float, float]]:
        if not self.period:
            for a, b in sched.down:
                yield self.epoch + a, self.epoch + b
            return
        first = int(max(0.0, start - self.epoch) // self.period)
        last = int(max(0.0, end - self.epoch) // self.period)
        for k in range(first, last + 1):
            base = self.epoch + k * self.period
            for a, b in sched.down:
                yield base + a, base + b

    def to_json(self) -> dict[str, Any]:
        return {
            "epoch": self.epoch,
            "period": self.period,
            "aps": {name: s.to_json() for name, s in sorted(self.aps.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Schedule:
        return cls(
            epoch=float(data["epoch"]),
            period=float(data["period"]) if data.get("period") else None,
            aps={name: ApSchedule.from_json(name, v) for name, v in data.get("aps", {}).items()},
        )

    def save(self, path: str | Path) -> Path:
        p = Path(path)
        tmp = p.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(p)
        return p

    @classmethod
    def load(cls, path: str | Path) -> Schedule:
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))


def ap_state(
    sched: ApSchedule, rel: float, *, cycle_start: float = 0.0, period: float | None = None
) -> ApState:
    """State of one AP ``rel`` seconds into the current cycle of its schedule.

    ``cycle_start`` (seconds since the epoch at which the current cycle began) and ``period`` matter only
    for uptime when the AP has not booted yet in this cycle: then it has been up since its last boot in
    the previous cycle, or, in the first cycle, since ``uptime_at_epoch`` seconds before the epoch.
    """
    for a, b in sched.down:
        if a <= rel < b:
            return ApState(False, 0.0, 0)
    boots = [b for _, b in sched.down] + list(sched.reboots)
    this_cycle = [b for b in boots if b <= rel]
    if this_cycle:
        uptime = rel - max(this_cycle)
    elif cycle_start > 0 and period and boots:
        uptime = rel + period - max(boots)
    else:
        uptime = sched.uptime_at_epoch + cycle_start + rel
    clients = 0
    for t, n in sched.clients:
        if t <= rel:
            clients = n
    return ApState(True, uptime, clients)


def stable_int(text: str, modulo: int) -> int:
    """A deterministic small number from a name (Python's hash() is salted per process)."""
    return zlib.crc32(text.encode("utf-8")) % modulo


def default_schedule(ap_names: Iterable[str], epoch: float, *, period: float = 3600.0) -> Schedule:
    """The default lab's schedule: per AP a deterministic pattern within each hour.

    About one AP in four has an outage (2-6 minutes), about one in three reboots once, client counts rise
    and fall through the hour. Deterministic (from the AP's name) so tests and demos see the same lab.
    """
    aps: dict[str, ApSchedule] = {}
    for name in ap_names:
        h = stable_int(name, 1_000_003)
        down: tuple[tuple[float, float], ...] = ()
        if h % 4 == 0:
            start = float(300 + (h % 2400))
            down = ((start, start + 120 + (h % 5) * 60),)
        reboots: tuple[float, ...] = ()
        if h % 3 == 0:
            reboots = (float(600 + (h % 2700)),)
        base = 3 + h % 25
        clients = ((0.0, base), (900.0, base * 2 + 5), (1800.0, base * 3 + 7), (2700.0, base + 2))
        aps[name] = ApSchedule(name, down, reboots, clients, uptime_at_epoch=float(86_400 * (1 + h % 30)))
    return Schedule(epoch=epoch, aps=aps, period=period)
