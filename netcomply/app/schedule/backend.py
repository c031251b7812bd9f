"""Which scheduler to use: systemd where it is running (PID 1), cron elsewhere; ``--backend`` forces one."""

from __future__ import annotations

from enum import StrEnum

from netcomply.app.schedule.systemd import systemd_running


class Backend(StrEnum):
    auto = "auto"
    systemd = "systemd"
    cron = "cron"


def resolve(backend: Backend) -> Backend:
    if backend is not Backend.auto:
        return backend
    return Backend.systemd if systemd_running() else Backend.cron
