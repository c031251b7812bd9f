"""FortiGate IPv6 policies: ``config firewall policy6`` of FortiOS 6.0/6.2 (its own table, addresses from
``address6``/``addrgrp6``) and the unified ``policy`` of 6.4+/7.x with ``srcaddr6``/``dstaddr6`` beside the IPv4
``srcaddr``/``dstaddr``. Fixtures written from Fortinet's CLI reference and published FortiOS configurations
(address6 ``type ipprefix``/``iprange``, addrgrp6 with ``exclude-member``)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.model import ANY4, ANY6, ParseStatus, address_range, network
from collectors.firewall.parsers import detect, fortigate
from netcomply.app.pipelines.firewall import audit

FIX = Path(__file__).parent / "fixtures"


def test_policy6_table_of_fortios_62() -> None:
    text = (FIX / "fortigate_v6_62.conf").read_text()
    assert detect(text) == "fortinet"
    v4, v6 = fortigate.parse(text, "fgt.conf")
    assert (v4.name, v6.name) == ("firewall policy", "firewall policy6")
    assert v4.rules[0].src == (ANY4,)  # "all" in the IPv4 table is every IPv4 address, not IPv6 ones
    lan, web, _dup, _telnet = v6.rules
    assert lan.src == (network("2001:db8:10::/64"),) and lan.dst == (ANY6,) and lan.comment
    assert set(web.dst) == {network("2001:db8:20::10"), address_range("2001:db8:20::100", "2001:db8:20::1ff")}
    assert all(r.status == ParseStatus.EXACT for r in v6.rules)
    assert v6.zone_networks["port1"]  # IPv6 interface addresses count for where addresses can be
    doc = audit([FIX / "fortigate_v6_62.conf"], None)
    by = {(x["ruleset"].split(":")[-1], x["kind"], (x["rule"] or {}).get("name")) for x in doc["findings"]}
    assert ("firewall policy6", "redundant", "web6-in-dup") in by
    assert ("firewall policy6", "insecure_service", "telnet6") in by
    assert ("firewall policy6", "no_log", "telnet6") in by


def test_unified_policy_of_fortios_7() -> None:
    [rs] = fortigate.parse((FIX / "fortigate_v6_74.conf").read_text(), "fgt.conf")
    v6only, dual, v4only, excluded = rs.rules
    assert v6only.src == (ANY6,) and set(v6only.dst) == {network("2001:db8::1"), network("2001:db8::2")}
    assert set(dual.src) == {ANY4, ANY6} and set(dual.dst) == {network("203.0.113.10"), network("2001:db8:20::10")}
    assert v4only.src == (network("192.0.2.0/24"),) and v4only.dst == (ANY4,)
    # NOT-V6_X is "none" less V6_X (exclude-member is modelled): no address, so the policy can match nothing
    assert excluded.status == ParseStatus.UNPARSED and "no address" in (excluded.reason or "")
    assert dual.src_names == ("all", "all") and dual.dst_names == ("WEB4", "WEB6")


_ADDR4 = st.sampled_from(["all", "LAN4", "WEB4", "none", "MISSING"])
_ADDR6 = st.sampled_from(["all", "WEB6", "V6_X", "NOT-V6_X", "MISSING6"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(_ADDR4, max_size=2), st.lists(_ADDR4, max_size=2), st.lists(_ADDR6, max_size=2),
                          st.lists(_ADDR6, max_size=2), st.booleans()), min_size=1, max_size=6))
def test_random_policies_never_crash_and_keep_every_policy(specs: list[tuple[list[str], ...]]) -> None:
    """Unified 7.x policies and 6.2 policy6 entries with any mix of families: every policy becomes a rule, and
    one naming an undefined object is unparsed, never guessed (an excluding group is modelled: members less the
    excluded ones)."""
    objects = (FIX / "fortigate_v6_74.conf").read_text().split("config firewall policy\n")[0]
    body, body6 = [], []
    for k, (src, dst, src6, dst6, table6) in enumerate(specs, 1):
        def s(key: str, names: list[str]) -> str:
            return f"        set {key} " + " ".join(f'"{n}"' for n in names) + "\n" if names else ""
        if table6:
            body6.append(f"    edit {k}\n{s('srcaddr', src6)}{s('dstaddr', dst6)}        set action accept\n"
                         "        set service \"ALL\"\n    next\n")
        else:
            body.append(f"    edit {k}\n{s('srcaddr', src)}{s('dstaddr', dst)}{s('srcaddr6', src6)}"
                        f"{s('dstaddr6', dst6)}        set action accept\n        set service \"ALL\"\n    next\n")
    text = objects + "config firewall policy\n" + "".join(body) + "end\n"
    if body6:
        text += "config firewall policy6\n" + "".join(body6) + "end\n"
    sets = fortigate.parse(text, "rand.conf")
    assert sum(len(rs.rules) for rs in sets) == len(specs)
    rules = {int(r.extra["policyid"]) + (1000 if rs.name.endswith("policy6") else 0): r for rs in sets for r in rs.rules}
    for k, (src, dst, src6, dst6, table6) in enumerate(specs, 1):
        r = rules[k + (1000 if table6 else 0)]
        used = src6 + dst6 if table6 else (src + dst if src or dst or not (src6 or dst6) else []) + (
            src6 + dst6 if src6 or dst6 else [])
        if set(used) & {"MISSING", "MISSING6"}:
            assert r.status == ParseStatus.UNPARSED, (specs[k - 1], r)
        if r.status == ParseStatus.EXACT:
            assert r.src and r.dst


def test_multi_vdom_configuration() -> None:
    """``show`` of a FortiGate with VDOMs: interfaces under ``config global`` (each with ``set vdom``), objects,
    routes and policies per VDOM; each VDOM's policies are a rule set of their own."""
    sets = {rs.name: rs for rs in fortigate.parse((FIX / "fortigate_vdoms.conf").read_text(), "fgt.conf")}
    assert set(sets) == {"root: firewall policy", "dmz-vdom: firewall policy"}
    root, dmz = sets["root: firewall policy"], sets["dmz-vdom: firewall policy"]
    assert [r.name for r in root.rules] == ["lan-out", "spoofed"] and [r.name for r in dmz.rules] == ["web-in"]
    assert set(root.mgmt_access) == {"port1", "wan1"} and not dmz.mgmt_access
    assert "port5" not in root.zone_networks and "port5" in dmz.zone_networks
    doc = audit([FIX / "fortigate_vdoms.conf"], None)
    irrelevant = {(x["ruleset"], x["rule"]["name"]) for x in doc["findings"] if x["kind"] == "irrelevant"}
    assert irrelevant == {("root: firewall policy", "spoofed")}  # WAN-NET is routed via wan1, not port1
    assert any("telnet" in x["message"] and "wan1" in x["message"] for x in doc["findings"]
               if x["kind"] == "mgmt_exposure")
