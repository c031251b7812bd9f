"""The service pass of an audit: every inventory service checked concurrently, one result per service.

Services are not devices (no SSH, no SNMP, no per-device retries), so they do not go through the device runner;
but their results take the same form -- a :class:`~netcomply.models.DeviceResult` whose ``device`` is the service
key (``web:www.city.lab.example``) and whose ``collector`` is :data:`COLLECTOR` -- so the store keeps them the same
way (one transaction each, as they arrive), ``store.completed`` makes a resumed run skip the services already
checked, and a service whose check crashes is one ``error`` result that never stops the others.

This module only produces results; the caller (``netcomply.app.audit``) writes them to the store.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from collectors.base import CollectContext, Collector, CollectorOutput, register
from collectors.ipv6.services import ProbeSettings, check_service, service_key
from netcomply.errors import ErrorClass
from netcomply.models import Device, DeviceResult, DeviceStatus, Inventory, Observation, Service, utcnow

COLLECTOR = "ipv6_service"
KIND = "ipv6.service"
DEFAULT_CONCURRENCY = 50


async def _one(service: Service, allowed_ranges: Sequence[str], resolver: str | None,
               settings: ProbeSettings) -> DeviceResult:
    key = service_key(service)
    started = utcnow()
    out = CollectorOutput()
    try:
        data, transcript = await check_service(service, allowed_ranges=allowed_ranges, resolver=resolver,
                                               settings=settings)
    except ValueError as exc:  # a bad plan (resolver text): our side, not the service's
        return DeviceResult(key, COLLECTOR, DeviceStatus.ERROR, started, utcnow(), error_class=ErrorClass.CONFIG,
                            cause=str(exc))
    except Exception as exc:  # a bug must not hide the other services' results
        return DeviceResult(key, COLLECTOR, DeviceStatus.ERROR, started, utcnow(), error_class=ErrorClass.INTERNAL,
                            cause=f"{type(exc).__name__}: {exc}")
    art = out.artifact(key, COLLECTOR, f"probe:{key}", json.dumps(transcript.to_list(), indent=1, sort_keys=True),
                       media_type="application/json")
    refused = sorted({r.target for r in transcript.records if (r.error or "").startswith("not allowed:")})
    if refused:  # a verdict on probes we did not send would be a guess: say what to allow instead
        return DeviceResult(key, COLLECTOR, DeviceStatus.ERROR, started, utcnow(), error_class=ErrorClass.CONFIG,
                            cause=f"probes to {', '.join(refused)} not sent: outside the inventory's "
                                  "settings.allowed_ranges (add the service's addresses there)",
                            artifacts=out.artifacts)
    out.observe(Observation(device=key, collector=COLLECTOR, kind=KIND, data=data,
                            source=f"probe:dns/http/smtp via {data['resolver']}", collected_at=started,
                            artifacts=[art.sha256]))
    return DeviceResult(key, COLLECTOR, DeviceStatus.OK, started, utcnow(), observations=out.observations,
                        artifacts=out.artifacts)


async def check_services(
    services: Iterable[Service],
    *,
    allowed_ranges: Sequence[str] = (),
    resolver: str | None = None,
    settings: ProbeSettings | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    skip: frozenset[str] | set[str] = frozenset(),
    on_result: Callable[[DeviceResult], None] | None = None,
) -> list[DeviceResult]:
    """Check every service (except the keys in ``skip``), at most ``concurrency`` at once.

    ``on_result`` is called in the event loop as each result arrives (the audit stores it there and then).
    Returns the results in the order of ``services``.
    """
    settings = settings or ProbeSettings()
    gate = asyncio.Semaphore(max(1, concurrency))
    chosen = [s for s in services if service_key(s) not in skip]

    async def run(service: Service) -> DeviceResult:
        async with gate:
            result = await _one(service, allowed_ranges, resolver, settings)
        if on_result is not None:
            on_result(result)
        return result

    return list(await asyncio.gather(*(run(s) for s in chosen)))


def run_service_pass(services: Sequence[Service], **kw: object) -> list[DeviceResult]:
    """:func:`check_services` from synchronous code (the audit, the CLI): its own event loop."""
    return asyncio.run(check_services(services, **kw))  # type: ignore[arg-type]


def services_wanted(collectors: Sequence[str] | None) -> bool:
    """Whether an audit with ``--collectors`` (None: all) runs the service pass."""
    return collectors is None or len(collectors) == 0 or COLLECTOR in collectors


def store_service_pass(inventory: Inventory, store: Any, run_id: str, *, concurrency: int,
                       on_result: Callable[[DeviceResult], None] | None = None) -> list[DeviceResult]:
    """Check the inventory's services, committing each result as it arrives; services already checked ``ok``
    in ``run_id`` (a resumed run) are skipped. Never raises for a service: failures are ``error`` results."""
    done = {device for device, collector in store.completed(run_id) if collector == COLLECTOR}

    def keep(result: DeviceResult) -> None:
        store.record_device_result(run_id, result)
        if on_result is not None:
            on_result(result)

    return run_service_pass(list(inventory.services), allowed_ranges=list(inventory.settings.allowed_ranges),
                            concurrency=concurrency, skip=done, on_result=keep)


@register
class Ipv6ServicePass(Collector):
    """IPv6 readiness of the inventory's services (web, DNS, mail): run once per audit, not per device."""

    name: ClassVar[str] = COLLECTOR
    version: ClassVar[str] = "1"
    kinds: ClassVar[tuple[str, ...]] = (KIND,)
    transport: ClassVar[str] = "probe"

    def applies_to(self, device: Device) -> bool:
        return False  # services are checked by the service pass (store_service_pass), never per device

    async def collect(self, device: Device, ctx: CollectContext) -> CollectorOutput:
        raise NotImplementedError("the IPv6 service pass is not a device collector")
