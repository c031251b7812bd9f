"""Issue 17 (files analysed): constructs that made whole real files unanalysed, now modelled exactly or read as
honest supersets (approximate, partial: never used to hide another rule). Each test reads the real corpus file
that shows the construct (tests/firewall/corpus, sources in its manifest.json)."""

from __future__ import annotations

import ipaddress
import itertools
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from collectors.firewall.anomaly import analyze
from collectors.firewall.model import MASK_RANGES_MAX, V4_BASE, ParseStatus, Rule, masked_ranges
from collectors.firewall.parsers import parse_text

FILES = Path(__file__).parent / "corpus" / "files"


def _rules(path: str, text: str | None = None) -> dict[str, list[Rule]]:
    body = (FILES / path).read_text() if text is None else text
    return {rs.name: rs.rules for rs in parse_text(body, None, path)}


def _has(ranges: tuple[tuple[int, int], ...], ip: str) -> bool:
    v = V4_BASE + int(ipaddress.IPv4Address(ip))
    return any(a <= v <= b for a, b in ranges)


def _matches(addr: int, base: int, mask: int, wildcard: bool) -> bool:
    dont = mask if wildcard else mask ^ 0xFFFFFFFF
    return addr & ~dont & 0xFFFFFFFF == base & ~dont & 0xFFFFFFFF


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.booleans(), st.lists(st.integers(0, 2**32 - 1),
                                                                                   min_size=1, max_size=20))
def test_masked_ranges_hold_exactly_the_addresses_the_mask_matches(base: int, mask: int, wildcard: bool,
                                                                    probes: list[int]) -> None:
    a, m = str(ipaddress.IPv4Address(base)), str(ipaddress.IPv4Address(mask))
    ranges, exact = masked_ranges(a, m, wildcard=wildcard)
    assert list(ranges) == sorted(ranges) and all(x[1] < y[0] for x, y in itertools.pairwise(ranges))
    for p in [*probes, base]:
        inside = any(lo <= V4_BASE + p <= hi for lo, hi in ranges)
        if _matches(p, base, mask, wildcard):
            assert inside  # never less than the mask matches
        elif exact:
            assert not inside  # exact: never more either
    assert len(ranges) <= MASK_RANGES_MAX if exact else len(ranges) == 1  # else: the one covering range


def test_dsmo_wildcard_in_an_ios_acl_is_expanded_exactly() -> None:
    (rule,) = _rules("aerleon/cisco/CiscoTest.testDsmo.stdout.ref")["dsmo_acl"]
    assert rule.status == ParseStatus.EXACT and len(rule.dst) == 256  # 0.0.255.31: a /27 in each of 256 /24s
    text = rule.provenance.text.split()
    base = text[text.index("0.0.255.31") - 1]
    first = ipaddress.IPv4Address(base)
    assert _has(rule.dst, str(first + 31)) and _has(rule.dst, str(first + 5 * 256 + 3))
    assert not _has(rule.dst, str(first + 32)) and not _has(rule.dst, str(first + 256 * 256))


def test_dsmo_netmasks_in_asa_acls_are_expanded_exactly() -> None:
    for name, side in (("CiscoASATest.testDSMOsource", "src"), ("CiscoASATest.testDSMOdestination", "dst")):
        rules = [r for rs in _rules(f"aerleon/ciscoasa/{name}.stdout.ref").values() for r in rs]
        (rule,) = [r for r in rules if "191.255.255.128" in r.provenance.text]
        ranges = getattr(rule, side)
        assert rule.status == ParseStatus.EXACT and len(ranges) == 2  # one hole (bit 30), a /25 each
        assert all(b - a + 1 == 128 for a, b in ranges)


def test_undefined_asa_objects_are_any_partial_and_hide_nothing() -> None:
    path = "batfish/cisco_asa/asa-gh-6042"
    (rule,) = _rules(path)["acl_name"]
    assert rule.status == ParseStatus.APPROXIMATE and rule.partial and not rule.blocker
    assert "'X' is not defined" in (rule.reason or "") and "'Y' is not defined" in (rule.reason or "")
    # the same traffic again, exactly: the read-as-any rule (it may match less) must not be said to hide it
    text = (FILES / path).read_text() + "access-list acl_name extended permit ip any any\n"
    (rs,) = [rs for rs in parse_text(text, "cisco_asa", path) if rs.name == "acl_name"]
    assert rs.rules[1].status == ParseStatus.EXACT
    assert not [a for a in analyze(rs) if a.rule == 1 and a.kind in ("shadowed", "redundant")]
    # the other way round, the exact rule does hide the approximate one (it matches a subset of any)
    text = text.replace("access-list acl_name extended permit ip object X object Y\n", "") + \
        "access-list acl_name extended permit ip object X object Y\n"
    (rs,) = [rs for rs in parse_text(text, "cisco_asa", path) if rs.name == "acl_name"]
    assert [a.kind for a in analyze(rs) if a.rule == 1] == ["redundant"]


def test_undefined_asa_service_objects_are_any_service() -> None:
    rules = _rules("batfish/cisco_asa/asa-service-object-inline")
    for name, obj in (("ACL_ICMP", "icmp-echo"), ("ACL_OSPF", "ospf")):
        (rule,) = rules[name]
        assert rule.status == ParseStatus.APPROXIMATE and rule.partial and obj in (rule.reason or "")
        assert [s.is_any for s in rule.services] == [True]


def test_ios_object_groups_named_by_show_ip_access_lists_are_any_partial() -> None:
    rules = [r for rs in _rules("ntc-templates/ios/cisco_ios_show_ip_access-lists_1104.raw").values() for r in rs]
    named = [r for r in rules if "SRC_NETWORK_OBJECT_GROUP" in r.provenance.text]
    widened = [r for r in named if r.status != ParseStatus.UNPARSED]
    assert widened
    assert all(r.status == ParseStatus.APPROXIMATE and r.partial and not r.blocker for r in widened)
    assert all("'SRC_NETWORK_OBJECT_GROUP' is not defined in the input" in (r.reason or "") for r in widened)
    # what stays unparsed does for another reason, named (port names such as tcp 'snmp', a protocol word that is a group)
    assert all("SRC_NETWORK_OBJECT_GROUP" not in (r.reason or "") for r in named if r not in widened)


def test_ios_portgroup() -> None:
    rules = _rules("batfish/cisco/ios-acl-portgroup")
    dst, src = rules["aclBase"]
    assert dst.status == src.status == ParseStatus.EXACT
    assert [(s.sport, s.dport) for s in dst.services] == [((0, 65535), (111, 111))]
    assert [(s.sport, s.dport) for s in src.services] == [((111, 111), (0, 65535))]
    assert rules["aclDuplicate"][0].services[0].dport == (111, 111)  # the group entered twice: its members
    assert rules["aclEmpty"][0].status == ParseStatus.UNPARSED and "empty" in (rules["aclEmpty"][0].reason or "")
    (undefined,) = rules["aclUndefined"]
    assert undefined.status == ParseStatus.APPROXIMATE and undefined.partial
    assert "ogipUndefined" in (undefined.reason or "")


def test_junos_wildcard_address_is_exact_and_undefined_addresses_are_any_partial() -> None:
    path = "batfish/juniper/firewall-global-address-book"
    (rule,) = _rules(path)["security policies"]
    assert rule.status == ParseStatus.EXACT  # ADDR2 1.3.3.4/255.254.255.255: 1.3.3.4 and 1.2.3.4
    assert [_has(rule.src, a) for a in ("1.3.3.4", "1.2.3.4", "2.2.2.2", "1.2.3.5", "1.1.3.4")] == \
        [True, True, True, False, False]
    text = (FILES / path).read_text().replace("set security address-book global address ADDR1 2.2.2.2/32\n", "")
    (rule,) = _rules(path, text)["security policies"]
    assert rule.status == ParseStatus.APPROXIMATE and rule.partial and "'ADDR1'" in (rule.reason or "")


def test_panos_custom_application_default_ports_are_read_from_the_configuration() -> None:
    path = "batfish/palo_alto/application-override-diff-vsys-vsids"
    (rule,) = [r for rs in _rules(path).values() for r in rs]
    assert rule.status == ParseStatus.EXACT and rule.apps == ("OVERRIDE_SSH",)
    assert [(s.proto, s.dport) for s in rule.services] == [((6, 6), (22, 22))]
    text = (FILES / path).read_text().replace("set shared application OVERRIDE_SSH default port tcp/22\n", "")
    (rule,) = [r for rs in _rules(path, text).values() for r in rs]
    assert rule.status == ParseStatus.APPROXIMATE and rule.partial and "OVERRIDE_SSH" in (rule.reason or "")
    assert [s.is_any for s in rule.services] == [True]


def test_any_read_for_an_unknown_object_is_not_reported_as_a_wide_rule(tmp_path: Path) -> None:
    """The corpus file's rule, bound to an interface: its objects are not in the input, so "any" there means
    "unknown". No any-any (critical) finding, no "any source/destination" reason, and it is no final deny;
    the parse-coverage finding says why, and an exact any-any rule is still reported."""
    from netcomply.app.pipelines.firewall import audit

    text = (FILES / "batfish/cisco_asa/asa-gh-6042").read_text() + (
        "access-list acl_name extended deny ip object X any\n"
        "access-group acl_name in interface outside\n")
    f = tmp_path / "asa.cfg"
    f.write_text(text)
    found = audit([f], "cisco_asa")["findings"]
    kinds = [(x["kind"], x["rule"]["line"] if x.get("rule") else None) for x in found]
    assert ("any_any", 7) not in kinds and ("parse_coverage", 7) in kinds and ("no_final_deny", None) in kinds
    assert not any("any src" in str(x["message"]) or "any dst" in str(x["message"]) for x in found)
    f.write_text(text.replace("object X object Y", "any any"))
    assert ("any_any", 7) in [(x["kind"], x["rule"]["line"] if x.get("rule") else None)
                              for x in audit([f], "cisco_asa")["findings"]]


def test_a_wide_finding_counts_only_the_sides_the_input_says(tmp_path: Path) -> None:
    from netcomply.app.pipelines.firewall import audit

    text = (FILES / "batfish/cisco_asa/asa-gh-6042").read_text().replace(
        "ip object X object Y", "tcp object X any eq 80") + "access-group acl_name in interface outside\n"
    f = tmp_path / "asa.cfg"
    f.write_text(text)
    assert not [x for x in audit([f], "cisco_asa")["findings"] if x["kind"] == "wide"]  # any dst alone: not wide
    f.write_text(text.replace("object X any", "any any"))
    (wide,) = [x for x in audit([f], "cisco_asa")["findings"] if x["kind"] == "wide"]  # any src and any dst
    assert "src" in str(wide["message"]) and "dst" in str(wide["message"])


def test_ios_service_group_member_without_an_operator_is_that_port() -> None:
    """``object-group service ogs1`` / ``tcp 65000`` (Batfish's IOS test config): TCP destination port 65000."""
    from collectors.firewall.parsers.cisco_ios import _objects

    store = _objects((FILES / "batfish/cisco/ios-inspect").read_text().splitlines())
    assert [(s.proto, s.sport, s.dport) for s in store.service("ogs1")] == [((6, 6), (0, 65535), (65000, 65000))]


def test_panos_address_not_resolved_here_is_any_partial() -> None:
    """Panorama device-group inheritance: the child's rules name addresses of the parent group, which this reader
    does not resolve; they are read as any address (approximate, partial, the side marked unknown)."""
    rules = {r.name: r for rs in _rules("batfish/palo_alto/device-group-inheritance").values() for r in rs}
    for name, obj in (("PRE_RULE_1_CHILD", "PARENT_ADDR_1"), ("POST_RULE_1_CHILD", "PARENT_ADDR_2")):
        r = rules[name]
        assert r.status == ParseStatus.APPROXIMATE and r.partial and not r.blocker and obj in (r.reason or "")
        assert r.extra["unknown"]
