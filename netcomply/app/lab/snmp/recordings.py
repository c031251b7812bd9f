"""Write the lab's recordings (and the AP schedule) into a data directory snmpsim serves.

The community of each recording is its file name without ``.snmprec`` (snmpsim's rule), which is the
device's name. A device with ``fault: silent_snmp`` gets no recording at all, so its agent never answers,
exactly like a real agent whose community or ACL does not match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from netcomply.app.lab.snmp import snmprec
from netcomply.app.lab.snmp.generate import LabContext, Neighbourhood, device_records
from netcomply.app.lab.snmp.schedule import SCHEDULE_FILE, Schedule, default_schedule
from netcomply.app.lab.snmp.topology import LabDevice


def ap_names(devices: Iterable[LabDevice], controller_aps: Mapping[str, Sequence[str]]) -> list[str]:
    """Every AP whose state follows the schedule: standalone SNMP APs and the APs behind controllers."""
    names = [d.name for d in devices if d.role == "ap" and not d.silent]
    for aps in controller_aps.values():
        names.extend(aps)
    return names


def write_recordings(
    devices: Sequence[LabDevice],
    data_dir: str | Path,
    *,
    epoch: float,
    controller_aps: Mapping[str, Sequence[str]] | None = None,
    schedule: Schedule | None = None,
    neighbours: Mapping[str, object] | None = None,
) -> dict[str, Path]:
    """Write one ``<community>.snmprec`` per answering device and ``ap-schedule.json``; returns name -> path.

    ``epoch`` is the Unix time the schedule counts from (``lab up`` passes its start time; tests pass
    "now"). Without ``schedule`` the default one (:func:`default_schedule`) covers every AP.
    """
    out_dir = Path(data_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    controller_aps = dict(controller_aps or {})
    ctx = LabContext(
        devices={d.name: d for d in devices},
        neighbours=Neighbourhood(devices, neighbours),
        controller_aps=controller_aps,
        epoch=epoch,
    )
    written: dict[str, Path] = {}
    for dev in devices:
        path = out_dir / f"{dev.community_name}.snmprec"
        if dev.silent or not dev.snmp:
            path.unlink(missing_ok=True)
            continue
        written[dev.name] = snmprec.write(path, device_records(dev, ctx))
    (schedule or default_schedule(ap_names(devices, controller_aps), epoch)).save(out_dir / SCHEDULE_FILE)
    return written


def install_schedule(data_dir: str | Path, schedule: Schedule) -> Path:
    """Replace the running lab's schedule; the agents pick it up on their next request (no restart)."""
    return schedule.save(Path(data_dir) / SCHEDULE_FILE)
