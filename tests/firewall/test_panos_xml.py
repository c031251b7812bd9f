"""PAN-OS XML configuration: security rulebase, address/address-group/service/service-group objects (vsys,
then shared), zones, interfaces and static routes. The fixture is written from PAN-OS's configuration schema
(``<response><result><config>``, ``<entry name=...>`` lists, ``ip-netmask``/``ip-range``/``fqdn``, static and
dynamic address groups, ``application-default``, ``log-end``, ``disabled``)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.model import ANY_ADDR, Action, ParseStatus, address_range, network
from collectors.firewall.parsers import detect, panos_xml, parse_text
from netcomply.app.pipelines.firewall import audit

FIX = Path(__file__).parent / "fixtures"


def test_running_config_xml() -> None:
    text = (FIX / "panos_running_config.xml").read_text()
    assert detect(text) == "paloalto_panos"
    [rs] = parse_text(text, None, "pa.xml")
    assert rs.name == "vsys1 security rulebase"
    r = {x.name: x for x in rs.rules}
    web = r["web-in"]
    assert web.status == ParseStatus.EXACT and web.log and web.comment == "public web, owner web team"
    assert set(web.dst) == {network("203.0.113.10"), address_range("203.0.113.20", "203.0.113.29")}
    assert {s.dport for s in web.services} == {(443, 443), (8443, 8443), (9000, 9010)}
    assert web.src == (ANY_ADDR,) and web.src_zones == ("untrust",) and web.provenance.line == 138
    assert r["lan-browse"].apps == ("ssl", "web-browsing") and r["lan-browse"].partial  # application-default
    assert not r["dmz-spoof"].log  # log-end no
    quarantine = r["block-quarantine"]  # a dynamic group: read as any address, approximate, partial, with why
    assert quarantine.status == ParseStatus.APPROXIMATE and quarantine.partial and not quarantine.blocker
    assert "dynamic" in (quarantine.reason or "") and quarantine.extra["unknown"]
    assert not r["old-telnet"].enabled
    assert r["deny-all"].action == Action.DENY
    assert set(rs.zone_networks) >= {"untrust", "trust", "dmz", "ethernet1/1"}
    doc = audit([FIX / "panos_running_config.xml"], None)
    by = {(x["kind"], (x["rule"] or {}).get("name")) for x in doc["findings"]}
    assert {("redundant", "web-in-dup"), ("irrelevant", "dmz-spoof"), ("no_log", "dmz-spoof"),
            ("disabled", "old-telnet")} <= by
    assert doc["coverage"] < 1.0  # stated, not hidden


def test_dynamic_routing_claims_no_irrelevant_rule() -> None:
    text = (FIX / "panos_running_config.xml").read_text().replace(
        "<bgp>\n                    <enable>no</enable>", "<bgp>\n                    <enable>yes</enable>")
    [rs] = panos_xml.parse(text, "pa.xml")
    assert rs.zone_networks == {}


_MEMBERS = st.sampled_from(["any", "WEB", "LAN", "192.0.2.5", "10.0.0.0/8", "192.0.2.1-192.0.2.9", "NOPE", "DYN",
                            "2001:db8::/64"])
_SERVICES = st.sampled_from(["any", "application-default", "service-http", "svc", "grp", "missing"])
_APPS = st.sampled_from(["any", "ssl", "web-browsing", "bittorrent"])


@st.composite
def _rulebase(draw: st.DrawFn) -> str:
    rules = []
    for k in range(draw(st.integers(1, 8))):
        def m(tag: str, values: list[str]) -> str:
            return f"<{tag}>" + "".join(f"<member>{v}</member>" for v in values) + f"</{tag}>"
        body = m("from", [draw(st.sampled_from(["any", "trust"]))]) + m("to", ["any"])
        body += m("source", draw(st.lists(_MEMBERS, min_size=1, max_size=3)))
        body += m("destination", draw(st.lists(_MEMBERS, min_size=1, max_size=2)))
        body += m("application", draw(st.lists(_APPS, min_size=1, max_size=2)))
        body += m("service", draw(st.lists(_SERVICES, min_size=1, max_size=2)))
        body += f"<action>{draw(st.sampled_from(['allow', 'deny', 'drop', 'reset-both', 'weird']))}</action>"
        if draw(st.booleans()):
            body += "<disabled>yes</disabled>"
        rules.append(f'<entry name="r{k}">{body}</entry>')
    objs = ("<address><entry name=\"WEB\"><ip-netmask>203.0.113.10/32</ip-netmask></entry>"
            "<entry name=\"LAN\"><ip-netmask>192.0.2.0/24</ip-netmask></entry></address>"
            "<address-group><entry name=\"DYN\"><dynamic><filter>'x'</filter></dynamic></entry></address-group>"
            "<service><entry name=\"svc\"><protocol><udp><port>53</port></udp></protocol></entry></service>"
            "<service-group><entry name=\"grp\"><members><member>svc</member><member>service-http</member>"
            "</members></entry></service-group>")
    return (f'<config version="10.1.0"><devices><entry name="localhost.localdomain"><vsys><entry name="vsys1">{objs}'
            f"<rulebase><security><rules>{''.join(rules)}</rules></security></rulebase></entry></vsys></entry>"
            "</devices></config>")


@settings(max_examples=200, deadline=None)
@given(_rulebase())
def test_random_rulebases_never_crash_and_keep_every_rule(xml: str) -> None:
    [rs] = panos_xml.parse(xml, "rand.xml")
    assert len(rs.rules) == xml.count('<entry name="r')
    for rule in rs.rules:
        names = set(rule.src_names) | set(rule.dst_names)
        if names & {"NOPE", "DYN"}:  # never a silent guess: read as any, partial (hides nothing), with the name
            assert rule.status != ParseStatus.EXACT and (rule.status == ParseStatus.UNPARSED or rule.partial)
            if rule.status == ParseStatus.APPROXIMATE:  # (unparsed: something else, such as a missing service)
                assert any(n in (rule.reason or "") for n in names & {"NOPE", "DYN"})
                sides = [s for s, ns in (("src", rule.src_names), ("dst", rule.dst_names)) if set(ns) & {"NOPE", "DYN"}]
                assert set(sides) <= set(rule.extra["unknown"])
        if rule.status == ParseStatus.EXACT:
            assert rule.src and rule.dst and rule.services
