"""Junos XML configuration (``show configuration | display xml``): read as the ``set`` statements it stands for.

The fixture is written from Junos's XML element names (``<from-zone-name>``, ``<ip-prefix>``,
``<range-address><to><range-high>``, ``inactive="inactive"``, ``<interfaces><interface><unit><family>``); the
property test renders random policies both as XML and as ``display set`` and requires the same rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.model import Action, ParseStatus, Rule, address_range, network
from collectors.firewall.parsers import detect, junos_set, junos_xml, parse_text
from netcomply.app.pipelines.firewall import audit
from netcomply.errors import InputError

FIX = Path(__file__).parent / "fixtures"


def test_display_xml_fixture() -> None:
    text = (FIX / "junos_display_xml.xml").read_text()
    assert detect(text) == "juniper_junos"
    [rs] = parse_text(text, None, "srx.xml")
    rules = {r.name: r for r in rs.rules}
    web = rules["web-in"]
    assert web.src_zones == ("untrust",) and web.dst_zones == ("dmz",) and web.log
    assert set(web.dst) == {network("203.0.113.10"), address_range("203.0.113.20", "203.0.113.29")}
    assert web.comment == "public web (ticket CHG-88)" and web.provenance.line == 105
    assert not rules["old-ftp"].enabled  # inactive="inactive"
    assert set(rules["lan-out"].src) == {network("192.0.2.0/24"), network("2001:db8:10::/64")}
    assert [s.dport for s in rules["lan-out"].services] == [(8443, 8443)]
    assert rules["dmz-spoof"].action == Action.DENY
    assert all(r.status == ParseStatus.EXACT for r in rs.rules)
    assert rs.mgmt_access == {"untrust": ("ssh",)}
    doc = audit([FIX / "junos_display_xml.xml"], None)
    by = {(x["kind"], (x["rule"] or {}).get("name")) for x in doc["findings"]}
    assert {("redundant", "web-in-again"), ("irrelevant", "dmz-spoof"), ("disabled", "old-ftp")} <= by


def test_broken_xml_is_a_clear_error() -> None:
    with pytest.raises(InputError) as err:
        junos_xml.parse("<rpc-reply><configuration><security>\n<policies>\n</rpc-reply>", "bad.xml")
    assert str(err.value).startswith("bad.xml:3: not well-formed Junos XML")


def _key(r: Rule) -> tuple[object, ...]:
    return (r.name, r.action, r.src, r.dst, r.services, r.src_zones, r.dst_zones, r.log, r.enabled, r.status,
            r.comment)


_ADDRS = {"A1": "192.0.2.0/25", "A2": "192.0.2.128/26", "A3": "198.51.100.7/32", "A6": "2001:db8:1::/48"}
_APPS = ["junos-http", "junos-https", "junos-ssh", "junos-telnet", "any"]


@st.composite
def _policies(draw: st.DrawFn) -> list[dict[str, object]]:
    n = draw(st.integers(1, 6))
    out = []
    for k in range(n):
        out.append({
            "from": draw(st.sampled_from(["trust", "untrust"])), "to": draw(st.sampled_from(["dmz", "untrust"])),
            "name": f"p{k}", "src": draw(st.lists(st.sampled_from([*_ADDRS, "any"]), min_size=1, max_size=3,
                                                  unique=True)),
            "dst": draw(st.lists(st.sampled_from([*_ADDRS, "any"]), min_size=1, max_size=2, unique=True)),
            "app": draw(st.lists(st.sampled_from(_APPS), min_size=1, max_size=2, unique=True)),
            "action": draw(st.sampled_from(["permit", "deny", "reject"])), "log": draw(st.booleans()),
            "inactive": draw(st.booleans()),
        })
    return out


def _as_set(policies: list[dict[str, object]]) -> str:
    lines = [f"set security address-book global address {n} {a}" for n, a in _ADDRS.items()]
    for p in policies:
        base = f"set security policies from-zone {p['from']} to-zone {p['to']} policy {p['name']}"
        lines += [f"{base} match source-address {a}" for a in p["src"]]  # type: ignore[attr-defined]
        lines += [f"{base} match destination-address {a}" for a in p["dst"]]  # type: ignore[attr-defined]
        lines += [f"{base} match application {a}" for a in p["app"]]  # type: ignore[attr-defined]
        lines.append(f"{base} then {p['action']}")
        if p["log"]:
            lines.append(f"{base} then log session-close")
        if p["inactive"]:
            lines.append(base.replace("set ", "deactivate ", 1))
    return "\n".join(lines)


def _as_xml(policies: list[dict[str, object]]) -> str:
    book = "".join(f"<address><name>{n}</name><ip-prefix>{a}</ip-prefix></address>" for n, a in _ADDRS.items())
    pairs: dict[tuple[object, object], list[str]] = {}
    for p in policies:
        match = "".join(f"<source-address>{a}</source-address>" for a in p["src"])  # type: ignore[attr-defined]
        match += "".join(f"<destination-address>{a}</destination-address>" for a in p["dst"])  # type: ignore
        match += "".join(f"<application>{a}</application>" for a in p["app"])  # type: ignore[attr-defined]
        then = f"<{p['action']}/>" + ("<log><session-close/></log>" if p["log"] else "")
        attr = ' inactive="inactive"' if p["inactive"] else ""
        pairs.setdefault((p["from"], p["to"]), []).append(
            f"<policy{attr}>\n<name>{p['name']}</name>\n<match>{match}</match>\n<then>{then}</then>\n</policy>")
    body = "".join(f"<policy><from-zone-name>{f}</from-zone-name><to-zone-name>{t}</to-zone-name>\n"
                   + "\n".join(ps) + "\n</policy>\n" for (f, t), ps in pairs.items())
    return (f'<rpc-reply xmlns:junos="http://xml.juniper.net/junos/21.4R3/junos"><configuration>\n<security>\n'
            f"<address-book><name>global</name>{book}</address-book>\n<policies>\n{body}</policies>\n</security>\n"
            "</configuration></rpc-reply>\n")


@settings(max_examples=150, deadline=None)
@given(_policies())
def test_xml_and_set_forms_give_the_same_rules(policies: list[dict[str, object]]) -> None:
    """Junos orders policies by zone pair then by position; both renderings list them in the same order."""
    policies = sorted(policies, key=lambda p: [(q["from"], q["to"]) for q in policies].index((p["from"], p["to"])))
    from_xml = junos_xml.parse(_as_xml(policies), "x.xml")
    from_set = junos_set.parse(_as_set(policies), "x.set")
    assert [[_key(r) for r in rs.rules] for rs in from_xml] == [[_key(r) for r in rs.rules] for rs in from_set]
    assert sum(len(rs.rules) for rs in from_xml) == len(policies)  # nothing dropped
