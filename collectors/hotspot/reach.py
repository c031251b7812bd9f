"""Is the AP's address reachable at all? TCP connect or one ICMP echo (iputils ``ping``), to allowed targets only.

Used when SNMP gave no answer, to tell "the AP is down" (nothing answers) from "we could not read it" (the
address answers, SNMP does not: a community or ACL problem, which is *unknown*, not down). A TCP connection
refused is an answer (the host's stack sent a reset), so any port does; the default is 22.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import time
from dataclasses import dataclass

from netcomply.safety.targets import TargetPolicy


@dataclass(frozen=True)
class Reach:
    reachable: bool
    rtt_ms: float | None
    method: str
    cause: str | None = None


async def tcp_reach(address: str, port: int, timeout: float, policy: TargetPolicy) -> Reach:
    policy.check(address)
    started = time.monotonic()
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
    except ConnectionRefusedError:
        return Reach(True, (time.monotonic() - started) * 1000, "tcp", "refused (host answered)")
    except TimeoutError:
        return Reach(False, None, "tcp", f"no answer within {timeout:g}s")
    except OSError as exc:
        return Reach(False, None, "tcp", exc.strerror or str(exc))
    writer.close()
    with contextlib.suppress(Exception):
        await writer.wait_closed()
    return Reach(True, (time.monotonic() - started) * 1000, "tcp")


async def icmp_reach(address: str, timeout: float, policy: TargetPolicy) -> Reach:
    """One echo request through iputils ping (no raw sockets of our own; ping has the capability)."""
    policy.check(address)
    ping = shutil.which("ping")
    if ping is None:
        return Reach(False, None, "icmp", "ping (iputils-ping) is not installed")
    started = time.monotonic()
    proc = await asyncio.create_subprocess_exec(
        ping, "-n", "-q", "-c", "1", "-W", str(max(1, round(timeout))), address,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    code = await proc.wait()
    if code == 0:
        return Reach(True, (time.monotonic() - started) * 1000, "icmp")
    return Reach(False, None, "icmp", f"no echo reply (ping exit {code})")
