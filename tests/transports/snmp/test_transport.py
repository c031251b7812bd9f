"""The SNMP transport against real snmpsim agents on loopback (no mocks)."""

from __future__ import annotations

import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pysnmp.proto import rfc1902

from collectors.base import CollectContext
from collectors.transports.snmp import (
    SnmpClient,
    SnmpTarget,
    SnmpValue,
    convert,
    render_walk,
    snmp_client,
    target_for,
)
from netcomply.app.lab.snmp.fixtures import SnmpLab
from netcomply.errors import DeviceError, ErrorClass, ReadOnlyViolation, TargetNotAllowed
from netcomply.models import Device, SnmpSettings
from netcomply.safety.redact import REDACTOR, capture_artifact
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver

SYS_NAME = "1.3.6.1.2.1.1.5.0"


def v3(snmpsim_lab: SnmpLab, name: str, **over: object) -> SnmpTarget:
    u = snmpsim_lab.v3_user
    fields: dict = dict(
        address=snmpsim_lab.devices[name].address, port=snmpsim_lab.port, version="3", user=u.name, auth_protocol="sha",
        auth_key=u.auth_key, priv_protocol="aes", priv_key=u.priv_key, context=name, timeout=1, retries=0,
    )
    fields.update(over)
    return SnmpTarget(**fields)


@pytest.mark.lab
def test_v3_auth_priv_works_and_wrong_keys_are_auth_failed(snmpsim_lab: SnmpLab, snmp_loop, lab_snmp_client: SnmpClient) -> None:
    assert snmp_loop.run(lab_snmp_client.get(v3(snmpsim_lab, "dt-ac1"), [SYS_NAME]))[SYS_NAME].value == "dt-ac1"
    for bad in (v3(snmpsim_lab, "dt-ac1", auth_key="not-the-auth-key"), v3(snmpsim_lab, "dt-ac1", priv_key="not-the-priv-key")):
        with pytest.raises(DeviceError) as err:
            snmp_loop.run(lab_snmp_client.get(bad, [SYS_NAME]))
        assert err.value.error_class is ErrorClass.AUTH_FAILED


@pytest.mark.lab
def test_silent_agent_is_timeout(snmpsim_lab: SnmpLab, snmp_loop, lab_snmp_client: SnmpClient) -> None:
    mute = SnmpTarget(snmpsim_lab.devices["dt-mute1"].address, snmpsim_lab.port, community="dt-mute1", timeout=0.2, retries=1)
    with pytest.raises(DeviceError) as err:
        snmp_loop.run(lab_snmp_client.get(mute, [SYS_NAME]))
    assert err.value.error_class is ErrorClass.TIMEOUT
    assert "0.2s after 1 retries" in err.value.cause


@pytest.mark.lab
def test_ipv6_target(snmpsim_lab: SnmpLab, snmp_loop, lab_snmp_client: SnmpClient) -> None:
    target = SnmpTarget("::1", snmpsim_lab.port, community="ed-core1")
    rows = snmp_loop.run(lab_snmp_client.walk(target, "1.3.6.1.2.1.1", bulk=False))
    assert dict(rows)[SYS_NAME].value == "ed-core1"


def test_set_is_refused_before_anything_is_sent(snmp_loop) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as agent:  # a listener that must hear nothing
        agent.bind(("127.0.0.1", 0))
        agent.settimeout(0.3)
        client = SnmpClient(policy=TargetPolicy.loopback_only())
        target = SnmpTarget("127.0.0.1", agent.getsockname()[1], community="private")
        for op in ("set", "SET", "inform"):
            with pytest.raises(ReadOnlyViolation):
                snmp_loop.run(client.request(op, target, [SYS_NAME]))
        with pytest.raises(TimeoutError):
            agent.recvfrom(65535)


def test_target_outside_policy_is_refused(snmp_loop) -> None:
    client = SnmpClient(policy=TargetPolicy.of(["127.0.0.0/8"]))
    with pytest.raises(TargetNotAllowed):
        snmp_loop.run(client.get(SnmpTarget("192.0.2.10", 161, community="public"), [SYS_NAME]))
    with pytest.raises(TargetNotAllowed):
        snmp_loop.run(client.walk(SnmpTarget("2001:db8::10", 161, community="public"), "1.3.6.1.2.1.1"))


def test_no_set_command_imported() -> None:
    import collectors.transports.snmp as mod

    assert "set_cmd" not in vars(mod)


def test_target_for_resolves_secrets_and_hides_them() -> None:
    dev = Device(name="sw9", address="127.0.0.9", snmp=SnmpSettings(community_env="SW9_COMMUNITY", port=1161))
    t = target_for(dev, SecretResolver({"SW9_COMMUNITY": "s3cr3t-community-x"}, {}))
    assert t.community == "s3cr3t-community-x" and t.port == 1161
    assert "s3cr3t" not in repr(t)
    inline = Device(name="sw8", address="::1", snmp=SnmpSettings(community="inline-comm-7731"))
    target_for(inline, SecretResolver({}, {}))
    art = capture_artifact("sw8", "snmp", "walk", render_walk([(SYS_NAME, SnmpValue("OctetString", "inline-comm-7731"))]))
    assert b"inline-comm-7731" not in art.content
    v3dev = Device(name="r1", address="127.0.0.2", snmp=SnmpSettings(
        version="3", user="u", auth_protocol="sha", auth_key_env="A_KEY", priv_protocol="aes", priv_key_env="P_KEY"))
    with pytest.raises(DeviceError) as err:
        target_for(v3dev, SecretResolver({"A_KEY": "auth-key-value-1"}, {}))
    assert err.value.error_class is ErrorClass.CONFIG
    assert REDACTOR.redact("auth-key-value-1") != "auth-key-value-1"


def test_snmp_client_is_shared_per_context() -> None:
    ctx = CollectContext(run_id="r", secrets=SecretResolver({}, {}), targets=TargetPolicy.loopback_only())
    assert snmp_client(ctx) is snmp_client(ctx) is ctx.shared["snmp"]


@given(st.binary(max_size=64))
def test_octet_strings_roundtrip(data: bytes) -> None:
    v = convert(rfc1902.OctetString(data))
    assert v.type == "OctetString"
    if v.hex is not None:
        assert bytes.fromhex(v.hex) == data
    else:
        assert isinstance(v.value, str) and v.value.encode() == data
    assert "\n" not in render_walk([("1.3.6.1", v)])[:-1]


@given(st.integers(min_value=0, max_value=2**64 - 1))
def test_counter64_and_friends(n: int) -> None:
    assert convert(rfc1902.Counter64(n)) == SnmpValue("Counter64", n)
    small = n % 2**32
    assert convert(rfc1902.TimeTicks(small)) == SnmpValue("TimeTicks", small)
    assert convert(rfc1902.Gauge32(small)) == SnmpValue("Gauge32", small)
    assert convert(rfc1902.Integer32(small - 2**31)) == SnmpValue("Integer", small - 2**31)


@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), min_size=2, max_size=12), st.ip_addresses(v=4))
def test_oid_and_ip(parts: list[int], ip) -> None:  # type: ignore[no-untyped-def]
    oid = "1.3." + ".".join(map(str, parts))
    assert convert(rfc1902.ObjectIdentifier(oid)) == SnmpValue("ObjectIdentifier", oid)
    assert convert(rfc1902.IpAddress(str(ip))) == SnmpValue("IpAddress", str(ip))


