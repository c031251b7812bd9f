"""An SNMP lab for tests and benchmarks, importable from any test folder (not only tests/lab/snmp).

``snmp_lab(base_dir)`` writes the default lab's recordings, starts snmpsim on a free UDP port (so tests
never collide with a running ``netcomply lab up`` on 1161) and yields an :class:`SnmpLab`.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from netcomply.app.lab.snmp.process import LAB_V3_USER, SnmpsimProcess, V3User, lab_endpoints, start_snmpsim
from netcomply.app.lab.snmp.recordings import install_schedule, write_recordings
from netcomply.app.lab.snmp.schedule import Schedule
from netcomply.app.lab.snmp.topology import LabDevice, load_city


@dataclass
class SnmpLab:
    process: SnmpsimProcess
    data_dir: Path
    port: int
    devices: dict[str, LabDevice]
    controller_aps: dict[str, list[str]]
    epoch: float
    recordings: dict[str, Path]
    v3_user: V3User = field(default_factory=lambda: LAB_V3_USER)

    def recording(self, name: str) -> Path:
        return self.recordings[name]

    def install_schedule(self, schedule: Schedule) -> None:
        install_schedule(self.data_dir, schedule)


def free_udp_port() -> int:
    """A UDP port free on 127.0.0.1 right now (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def snmp_lab(
    base_dir: str | Path, *, devices: Sequence[LabDevice] | None = None, port: int | None = None
) -> Iterator[SnmpLab]:
    base = Path(base_dir)
    city, aps = load_city()
    devs = list(devices) if devices is not None else city
    epoch = time.time()
    recordings = write_recordings(devs, base / "data", epoch=epoch, controller_aps=aps)
    port = port or free_udp_port()
    proc = start_snmpsim(
        base / "data", lab_endpoints(devs, port=port), cache_dir=base / "cache", log_file=base / "snmpsim.log"
    )
    try:
        yield SnmpLab(proc, base / "data", port, {d.name: d for d in devs}, aps, epoch, recordings)
    finally:
        proc.stop()
