"""AP state over SSH, for controllers whose SNMP is off: ``show ap summary`` (Cisco AireOS) and
``display ap all`` (Huawei AC). Read-only allow-listed commands through :class:`SshSession`.

``show ap summary`` lists the APs that are joined (AireOS drops the others), with their client count; it
shows no AP uptime, so reboots are not seen over SSH on AireOS. ``display ap all`` lists every AP with its
state (``nor`` normal, ``fault``, ``idle``, ``download``...), its station count and its uptime (``1D:2H:3M:4S``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from collectors.hotspot.snmp_probe import ApReading
from collectors.transports.ssh import parse_with_ntc
from netcomply.errors import DeviceError
from netcomply.models import Inventory

#: Names may hold spaces ("APW_0055(WC VIP)"), so the row is read from both ends: ID and MAC from the left; group,
#: IP, type, state, stations, uptime and up to two more columns (ExtraInfo, Scene on newer releases) from the right.
_HUAWEI_ROW = re.compile(
    r"^(?P<id>\d+)\s+(?P<mac>[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})\s+(?P<name>\S(?:.*?\S)?)\s+(?P<group>\S+)\s+"
    r"(?P<ip>\S+)\s+(?P<type>\S+)\s+(?P<state>[a-z-]+)\s+(?P<sta>\d{1,9}|-)\s+(?P<uptime>\S+)(?:\s+\S+){0,2}$")
MAX_LINE = 4096
_UPTIME = re.compile(r"(?:(\d{1,6})D)?:?(?:(\d{1,6})H)?:?(?:(\d{1,6})M)?:?(?:(\d{1,9})S)?")


def parse_show_ap_summary(text: str) -> dict[str, ApReading]:
    """AireOS ``show ap summary`` through ntc-templates (``cisco_wlc_ssh_show_ap_summary``): every listed AP is
    joined (up) with its client count (the 2500 series prints no count: None).

    Why the template: it reads the same fields as the former hand parser on the real captures (ntc-templates' own
    and the 2500's) and on the lab's listing (tests/hotspot/test_ntc_ap_parsers.py). Output it cannot follow gives
    no AP (``{}``): the SSH reader then records "output not recognised" for the controller, as for any garbage.
    """
    kept = "\n".join(line for line in text.splitlines() if len(line) <= MAX_LINE)  # no AP row is this long
    try:
        rows = parse_with_ntc("cisco_wlc_ssh", "show ap summary", kept) or []
    except DeviceError:
        return {}
    return {r["ap_name"]: ApReading(True, None, int(r["clients"]) if r["clients"] else None,
                                    {"controller_state": "joined"}) for r in rows if r.get("ap_name")}


def huawei_uptime(text: str) -> float | None:
    """``1D:2H:3M:4S`` (any leading parts may be missing) -> seconds; ``-`` -> None."""
    if not text or text == "-":
        return None
    m = _UPTIME.fullmatch(text)
    if not m or not any(m.groups()):
        return None
    d, h, mi, s = (int(x) if x else 0 for x in m.groups())
    return float(((d * 24 + h) * 60 + mi) * 60 + s)


def parse_display_ap_all(text: str) -> dict[str, ApReading]:
    """Huawei ``display ap all``: state ``nor`` is up; fault, idle, download, config... are not.

    A hand parser on purpose: ntc-templates' ``huawei_vrp_display_ap_all`` stops (TextFSM state error) on the
    ``Info: This operation may take a few seconds...`` line ACs print first, on ``fault: fault [1]`` legends
    and on the releases whose table has no Scene column (tests/hotspot/test_ntc_ap_parsers.py shows each)."""
    out: dict[str, ApReading] = {}
    for line in text.splitlines():
        if len(line) > MAX_LINE:  # no AP row is this long; the row patterns would backtrack on it
            continue
        m = _HUAWEI_ROW.match(line.strip())
        if not m:
            continue
        up = m.group("state") == "nor"
        sta = m.group("sta")
        out[m.group("name")] = ApReading(
            up, huawei_uptime(m.group("uptime")) if up else None,
            (int(sta) if sta.isdigit() else None) if up else 0, {"controller_state": m.group("state")})
    return out


COMMANDS: dict[str, tuple[str, Callable[[str], dict[str, ApReading]]]] = {
    "cisco_wlc_ssh": ("show ap summary", parse_show_ap_summary),
    "cisco_wlc": ("show ap summary", parse_show_ap_summary),
    "huawei": ("display ap all", parse_display_ap_all),
}


def ssh_reader_for(inventory: Inventory) -> Callable[[Any], dict[str, ApReading]]:
    """A blocking reader (runs in a worker thread) for the poller's ``--via ssh``: one session per round."""
    from collectors.transports.ssh import SshSession, classify_ssh_error
    from netcomply.errors import DeviceError, ErrorClass
    from netcomply.safety.targets import target_policy_for
    from netcomply.secrets import SecretResolver

    secrets = SecretResolver.from_env_file(inventory.env_file)
    policy = target_policy_for(inventory)
    known_hosts = inventory.settings.known_hosts

    def read(target: Any) -> dict[str, ApReading]:
        device = target.device
        entry = COMMANDS.get(device.platform or "")
        if entry is None or device.ssh is None:
            raise DeviceError(ErrorClass.CONFIG, f"no SSH AP listing known for platform {device.platform!r}",
                              device=device.name)
        command, parse = entry
        try:
            with SshSession(device, secrets, known_hosts=known_hosts, policy=policy) as cli:
                text = cli.send(command)
        except DeviceError:
            raise
        except Exception as exc:
            raise classify_ssh_error(exc, device.name) from None
        table = parse(text)
        if not table and text.strip():
            raise DeviceError(ErrorClass.PARSE, f"`{command}` output not recognised", device=device.name)
        return table

    return read
