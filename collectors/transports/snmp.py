"""The SNMP transport: read-only GET / GETNEXT / GETBULK over pysnmp 7 (asyncio), v2c and v3 authPriv.

Why it looks like this:

* **One engine per event loop, shared by every device.** A pysnmp engine costs ~2 MiB and its first request
  ~0.5 s; one per target would dominate a 1,000-device audit. Concurrency is bounded by a semaphore.
* **No MIB lookup** (``lookupMib=False``): resolving names costs ~0.3 s per 1,000 OIDs and collectors work
  with numeric OIDs anyway.
* **Every operation goes through :meth:`SnmpClient.request`**, which asks
  :func:`netcomply.safety.readonly.check_snmp_operation` first (SET is refused before anything is built)
  and :class:`TargetPolicy` second (nothing is sent to an address outside the run's targets). This module
  does not import pysnmp's set command at all.
* Values leave this module as plain :class:`SnmpValue` (type tag, int/str, hex for binary octets) so that
  observations and artifacts are JSON and never hold pysnmp objects.
* Failures become :class:`DeviceError` with a class the runner can count and retry on.
"""

from __future__ import annotations

import asyncio
import contextlib
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pysnmp.hlapi.v3arch.asyncio import (
    USM_AUTH_HMAC96_MD5,
    USM_AUTH_HMAC96_SHA,
    USM_AUTH_HMAC128_SHA224,
    USM_AUTH_HMAC192_SHA256,
    USM_AUTH_HMAC256_SHA384,
    USM_AUTH_HMAC384_SHA512,
    USM_PRIV_CBC56_DES,
    USM_PRIV_CBC168_3DES,
    USM_PRIV_CFB128_AES,
    USM_PRIV_CFB192_AES,
    USM_PRIV_CFB256_AES,
    CommunityData,
    ContextData,
    ObjectIdentity,
    ObjectType,
    SnmpEngine,
    Udp6TransportTarget,
    UdpTransportTarget,
    UsmUserData,
    bulk_cmd,
    get_cmd,
    next_cmd,
)
from pysnmp.proto import errind, rfc1902, rfc1905

from collectors.base import CollectContext
from collectors.transports.snmp_v2c import V2cDispatcher, V2cError, V2cTimeout
from netcomply.errors import DeviceError, ErrorClass
from netcomply.models import Device, SnmpSettings
from netcomply.safety.readonly import check_snmp_operation
from netcomply.safety.redact import REDACTOR
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver

_AUTH = {
    "md5": USM_AUTH_HMAC96_MD5,
    "sha": USM_AUTH_HMAC96_SHA,
    "sha224": USM_AUTH_HMAC128_SHA224,
    "sha256": USM_AUTH_HMAC192_SHA256,
    "sha384": USM_AUTH_HMAC256_SHA384,
    "sha512": USM_AUTH_HMAC384_SHA512,
}
_PRIV = {
    "des": USM_PRIV_CBC56_DES,
    "3des": USM_PRIV_CBC168_3DES,
    "aes": USM_PRIV_CFB128_AES,
    "aes128": USM_PRIV_CFB128_AES,
    "aes192": USM_PRIV_CFB192_AES,
    "aes256": USM_PRIV_CFB256_AES,
}
#: v3 error indications that mean "your credentials are wrong", not "the device is broken".
_AUTH_ERRORS = (
    errind.UnknownUserName,
    errind.UnknownSecurityName,
    errind.WrongDigest,
    errind.AuthenticationFailure,
    errind.AuthenticationError,
    errind.DecryptionError,
    errind.UnsupportedSecurityLevel,
    errind.UnsupportedAuthProtocol,
    errind.UnsupportedPrivProtocol,
)


# --------------------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class SnmpTarget:
    """Where and how to ask. Secrets are excluded from ``repr`` (and so from tracebacks and logs)."""

    address: str
    port: int = 161
    version: Literal["2c", "3"] = "2c"
    community: str | None = field(default=None, repr=False)
    user: str | None = None
    auth_protocol: str | None = None
    auth_key: str | None = field(default=None, repr=False)
    priv_protocol: str | None = None
    priv_key: str | None = field(default=None, repr=False)
    context: str | None = None
    timeout: float = 2.0
    retries: int = 1
    device: str | None = None  # inventory name, for error messages


def target_for(device: Device, secrets: SecretResolver) -> SnmpTarget:
    """The SNMP target of an inventory device; secrets come through the resolver (and are thus redacted)."""
    s = device.snmp or SnmpSettings()
    common: dict[str, Any] = dict(
        address=device.address, port=s.port, context=s.context, timeout=s.timeout, retries=s.retries,
        device=device.name,
    )
    if s.version == "2c":
        community = s.community
        if community:
            REDACTOR.add_secret(community)  # inline community: the resolver never saw it
        else:
            community = secrets.get(s.community_env, device=device.name, what="SNMP community")
        if not community:
            raise DeviceError(ErrorClass.CONFIG, "SNMP v2c needs community or community_env", device=device.name)
        return SnmpTarget(version="2c", community=community, **common)
    if not s.user:
        raise DeviceError(ErrorClass.CONFIG, "SNMPv3 needs a user", device=device.name)
    auth_key = secrets.get(s.auth_key_env, device=device.name, what="SNMPv3 auth key")
    priv_key = secrets.get(s.priv_key_env, device=device.name, what="SNMPv3 privacy key")
    return SnmpTarget(
        version="3", user=s.user, auth_protocol=s.auth_protocol, auth_key=auth_key,
        priv_protocol=s.priv_protocol, priv_key=priv_key, **common,
    )


# --------------------------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class SnmpValue:
    """A value as plain data. ``type``: OctetString, Integer, ObjectIdentifier, TimeTicks, Counter32,
    Counter64, Gauge32, IpAddress, Opaque, Bits, Null, NoSuchObject, NoSuchInstance, EndOfMibView.
    Binary octet strings carry ``value`` = ``hex`` = lower-case hex without separators."""

    type: str
    value: int | str | None
    hex: str | None = None

    def text(self) -> str:
        """One-line rendering for artifacts: binary as 0x..., text with CR/LF/TAB escaped."""
        if self.hex is not None:
            return f"0x{self.hex}"
        if self.value is None:
            return ""
        if isinstance(self.value, str) and self.type == "OctetString":
            escaped = self.value.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
            return f'"{escaped}"'
        return str(self.value)


_PRINTABLE = set(string.printable)
_INT_TYPES = {
    "Integer": "Integer",
    "Integer32": "Integer",
    "Counter32": "Counter32",
    "Counter64": "Counter64",
    "Gauge32": "Gauge32",
    "Unsigned32": "Gauge32",
    "TimeTicks": "TimeTicks",
}


def octets_value(data: bytes, type_name: str = "OctetString") -> SnmpValue:
    """Text when the bytes are printable UTF-8 (CR/LF/TAB allowed), else hex."""
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return SnmpValue(type_name, data.hex(), data.hex())
    if all(c in _PRINTABLE or (ord(c) > 127 and c.isprintable()) for c in decoded):
        return SnmpValue(type_name, decoded)
    return SnmpValue(type_name, data.hex(), data.hex())


def convert(value: Any) -> SnmpValue:
    """pysnmp value -> :class:`SnmpValue`."""
    name = type(value).__name__
    if isinstance(value, rfc1905.NoSuchObject | rfc1905.NoSuchInstance | rfc1905.EndOfMibView):
        return SnmpValue(name, None)
    if name in _INT_TYPES:
        return SnmpValue(_INT_TYPES[name], int(value))
    if isinstance(value, rfc1902.IpAddress):
        return SnmpValue("IpAddress", ".".join(str(b) for b in value.asOctets()))
    if isinstance(value, rfc1902.ObjectIdentifier):
        return SnmpValue("ObjectIdentifier", str(value))
    if isinstance(value, rfc1902.Bits | rfc1902.Opaque):
        raw = bytes(value.asOctets())
        return SnmpValue(name, raw.hex(), raw.hex())
    if isinstance(value, rfc1902.OctetString):
        return octets_value(bytes(value.asOctets()))
    if isinstance(value, rfc1902.Null) or name == "Null":
        return SnmpValue("Null", None)
    if hasattr(value, "asOctets"):
        return octets_value(bytes(value.asOctets()), name)
    return SnmpValue(name, str(value))


def render_walk(rows: Iterable[tuple[str, SnmpValue]]) -> str:
    """The artifact text of a walk: one ``OID = TYPE: value`` line per row. Pass it to ``capture_artifact``
    (or ``CollectorOutput.artifact``), which redacts before hashing."""
    return "".join(f"{oid} = {v.type}: {v.text()}\n" for oid, v in rows)


# --------------------------------------------------------------------------------------------- client


class SnmpClient:
    """Read-only SNMP client, at most ``max_concurrency`` requests in flight: v2c over one shared UDP socket per
    address family (:mod:`collectors.transports.snmp_v2c`), v3 through one shared pysnmp engine per loop."""

    def __init__(self, *, policy: TargetPolicy, max_concurrency: int = 100) -> None:
        self.policy = policy
        self.max_concurrency = max_concurrency
        self._engines: dict[int, SnmpEngine] = {}
        self._semaphores: dict[int, asyncio.Semaphore] = {}
        self._transports: dict[tuple[Any, ...], Any] = {}
        self._v2c_dispatchers: dict[int, V2cDispatcher] = {}

    # ---- public API -------------------------------------------------------------------------------

    async def get(self, target: SnmpTarget, oids: Sequence[str]) -> dict[str, SnmpValue]:
        result: dict[str, SnmpValue] = await self.request("get", target, oids)
        return result

    async def walk(
        self, target: SnmpTarget, root: str, *, bulk: bool = True, max_repetitions: int = 25
    ) -> list[tuple[str, SnmpValue]]:
        rows: list[tuple[str, SnmpValue]] = await self.request(
            "bulkwalk" if bulk else "walk", target, [root], max_repetitions=max_repetitions
        )
        return rows

    async def request(self, operation: str, target: SnmpTarget, oids: Sequence[str], **kw: Any) -> Any:
        """The single door every SNMP operation passes: read-only check, target policy, then the wire."""
        op = check_snmp_operation(operation)
        self.policy.check(target.address)
        loop_id = id(asyncio.get_running_loop())
        sem = self._semaphores.get(loop_id)
        if sem is None:
            sem = self._semaphores[loop_id] = asyncio.Semaphore(self.max_concurrency)
        async with sem:
            if op == "get":
                return await self._get(target, oids)
            if op == "getnext":
                return await self._next(target, oids)
            if op == "getbulk":
                return await self._bulk(target, oids, int(kw.get("max_repetitions", 25)))
            return await self._walk(target, oids[0], op == "bulkwalk", int(kw.get("max_repetitions", 25)))

    def close(self) -> None:
        for engine in self._engines.values():
            with contextlib.suppress(Exception):  # a closed loop: nothing left to release
                engine.close_dispatcher()
        self._engines.clear()
        for dispatcher in self._v2c_dispatchers.values():
            with contextlib.suppress(Exception):
                dispatcher.close()
        self._v2c_dispatchers.clear()
        self._semaphores.clear()
        self._transports.clear()

    # ---- plumbing ---------------------------------------------------------------------------------

    def _engine(self) -> SnmpEngine:
        loop_id = id(asyncio.get_running_loop())
        engine = self._engines.get(loop_id)
        if engine is None:
            engine = self._engines[loop_id] = SnmpEngine()
        return engine

    @staticmethod
    def _auth(target: SnmpTarget) -> CommunityData | UsmUserData:
        if target.version == "2c":
            return CommunityData(target.community or "", mpModel=1)
        auth = _AUTH[(target.auth_protocol or "sha").lower()]
        priv = _PRIV[(target.priv_protocol or "aes").lower()]
        return UsmUserData(
            target.user or "", authKey=target.auth_key, privKey=target.priv_key,
            authProtocol=auth, privProtocol=priv,
        )

    async def _transport(self, target: SnmpTarget) -> Any:
        key = (id(asyncio.get_running_loop()), target.address, target.port, target.timeout, target.retries)
        transport = self._transports.get(key)
        if transport is None:
            cls = Udp6TransportTarget if ":" in target.address else UdpTransportTarget
            try:
                transport = await cls.create(
                    (target.address, target.port), timeout=target.timeout, retries=target.retries
                )
            except OSError as exc:
                raise self._error(target, ErrorClass.UNREACHABLE, f"socket error: {exc}") from None
            except Exception as exc:  # pysnmp wraps getaddrinfo failures in PySnmpError
                raise self._error(target, ErrorClass.UNREACHABLE, f"cannot resolve target: {exc}") from None
            self._transports[key] = transport
        return transport

    @staticmethod
    def _error(target: SnmpTarget, cls: ErrorClass, cause: str) -> DeviceError:
        return DeviceError(cls, cause, device=target.device or target.address)

    def _check(self, target: SnmpTarget, error_indication: Any, error_status: Any, error_index: Any) -> None:
        if error_indication:
            if isinstance(error_indication, errind.RequestTimedOut):
                raise self._error(
                    target, ErrorClass.TIMEOUT,
                    f"no SNMP response within {target.timeout:g}s after {target.retries} retries: "
                    "wrong community/credentials, ACL, or agent down",
                )
            if isinstance(error_indication, _AUTH_ERRORS):
                raise self._error(target, ErrorClass.AUTH_FAILED, f"SNMPv3 authentication failed: {error_indication}")
            text = str(error_indication)
            if any(w in text.lower() for w in ("socket", "errno", "unreachable", "refused")):
                raise self._error(target, ErrorClass.UNREACHABLE, text)
            raise self._error(target, ErrorClass.PROTOCOL, f"SNMP error: {text}")
        if error_status and int(error_status):
            status = error_status.prettyPrint() if hasattr(error_status, "prettyPrint") else str(error_status)
            raise self._error(target, ErrorClass.PROTOCOL, f"agent returned {status} at index {error_index}")

    async def _call(self, target: SnmpTarget, coro: Any) -> Any:
        try:
            return await coro
        except DeviceError:
            raise
        except OSError as exc:
            raise self._error(target, ErrorClass.UNREACHABLE, f"socket error: {exc}") from None
        except Exception as exc:  # pysnmp raises its own errors for undecodable messages
            raise self._error(target, ErrorClass.PROTOCOL, f"malformed SNMP exchange: {exc}") from None

    def _v2c(self) -> V2cDispatcher:
        loop_id = id(asyncio.get_running_loop())
        dispatcher = self._v2c_dispatchers.get(loop_id)
        if dispatcher is None:
            dispatcher = self._v2c_dispatchers[loop_id] = V2cDispatcher()
        return dispatcher

    async def _v2c_request(self, target: SnmpTarget, operation: str, oids: Sequence[str],
                           max_repetitions: int = 25) -> list[tuple[str, Any]]:
        try:
            return await self._v2c().request(
                operation, target.address, target.port, target.community or "", oids,
                timeout=target.timeout, retries=target.retries, max_repetitions=max_repetitions,
            )
        except V2cTimeout:
            raise self._error(
                target, ErrorClass.TIMEOUT,
                f"no SNMP response within {target.timeout:g}s after {target.retries} retries: "
                "wrong community/credentials, ACL, or agent down",
            ) from None
        except V2cError as exc:
            raise self._error(target, ErrorClass.PROTOCOL, str(exc)) from None
        except OSError as exc:
            raise self._error(target, ErrorClass.UNREACHABLE, f"socket error: {exc}") from None

    async def _get(self, target: SnmpTarget, oids: Sequence[str]) -> dict[str, SnmpValue]:
        if target.version == "2c":
            return {oid: convert(val) for oid, val in await self._v2c_request(target, "get", oids)}
        transport = await self._transport(target)
        err, status, index, binds = await self._call(
            target,
            get_cmd(
                self._engine(), self._auth(target), transport, ContextData(contextName=target.context or ""),
                *(ObjectType(ObjectIdentity(o)) for o in oids), lookupMib=False,
            ),
        )
        self._check(target, err, status, index)
        return {str(oid): convert(val) for oid, val in binds}

    async def _next(self, target: SnmpTarget, oids: Sequence[str]) -> list[tuple[str, SnmpValue]]:
        if target.version == "2c":
            return [(oid, convert(val)) for oid, val in await self._v2c_request(target, "getnext", oids)]
        transport = await self._transport(target)
        err, status, index, binds = await self._call(
            target,
            next_cmd(
                self._engine(), self._auth(target), transport, ContextData(contextName=target.context or ""),
                *(ObjectType(ObjectIdentity(o)) for o in oids), lookupMib=False,
            ),
        )
        self._check(target, err, status, index)
        return [(str(oid), convert(val)) for oid, val in binds]

    async def _bulk(self, target: SnmpTarget, oids: Sequence[str], max_repetitions: int) -> list[tuple[str, SnmpValue]]:
        if target.version == "2c":
            rows = await self._v2c_request(target, "getbulk", oids, max_repetitions)
            return [(oid, convert(val)) for oid, val in rows]
        transport = await self._transport(target)
        err, status, index, binds = await self._call(
            target,
            bulk_cmd(
                self._engine(), self._auth(target), transport, ContextData(contextName=target.context or ""),
                0, max_repetitions, *(ObjectType(ObjectIdentity(o)) for o in oids), lookupMib=False,
            ),
        )
        self._check(target, err, status, index)
        return [(str(oid), convert(val)) for oid, val in binds]

    async def _walk(
        self, target: SnmpTarget, root: str, bulk: bool, max_repetitions: int
    ) -> list[tuple[str, SnmpValue]]:
        """Walk the subtree under ``root`` with GETBULK (or GETNEXT); stops at the subtree's end, at
        endOfMibView, or when an agent returns a non-increasing OID (a broken agent must not loop us)."""
        root_t = tuple(int(x) for x in root.strip(".").split("."))
        rows: list[tuple[str, SnmpValue]] = []
        current, last = root.strip("."), root_t
        while True:
            if bulk:
                page = await self._bulk(target, [current], max_repetitions)
            else:
                page = await self._next(target, [current])
            if not page:
                return rows
            for oid, value in page:
                oid_t = tuple(int(x) for x in oid.split("."))
                if value.type == "EndOfMibView" or oid_t[: len(root_t)] != root_t:
                    return rows
                if oid_t <= last and rows:
                    raise self._error(target, ErrorClass.PROTOCOL, f"agent returned non-increasing OID {oid}")
                rows.append((oid, value))
                last = oid_t
            current = rows[-1][0] if rows else current
            if not rows:
                return rows


def snmp_client(ctx: CollectContext) -> SnmpClient:
    """The run's shared client (kept in ``ctx.shared["snmp"]``), created on first use."""
    client = ctx.shared.get("snmp")
    if client is None:
        client = ctx.shared["snmp"] = SnmpClient(policy=ctx.targets)
    return client
