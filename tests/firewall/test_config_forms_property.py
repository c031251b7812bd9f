"""Property: one configuration in its different written forms gives the same rules.

Random Junos policies and filter terms are written as ``set`` statements and as a brace configuration; random
PAN-OS rules as ``set`` statements and as the XML configuration. Each pair must parse to the same rules (name,
action, zones, addresses, services, enabled), since each form states the same hierarchy."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.firewall.model import Rule
from collectors.firewall.parsers import junos_set, panos_set, panos_xml
from collectors.firewall.parsers.junos_brace import to_set
from collectors.firewall.parsers.junos_xml import remap

ADDRS = {"A1": "192.0.2.0/25", "A2": "198.51.100.7/32", "A6": "2001:db8::/64"}
names = st.sampled_from(["any", *ADDRS])
ident = st.text("abcdefgh-_0123456789", min_size=1, max_size=8).filter(lambda s: s[0].isalpha())


def _key(r: Rule) -> tuple[Any, ...]:
    return (r.name, r.action, r.src_zones, r.dst_zones, sorted(r.src), sorted(r.dst),
            sorted((s.proto, s.sport, s.dport) for s in r.services), r.enabled, r.status)


junos_policy = st.fixed_dictionaries({
    "name": ident, "src": st.lists(names, min_size=1, max_size=2, unique=True),
    "dst": st.lists(names, min_size=1, max_size=2, unique=True),
    "app": st.sampled_from(["any", "junos-ssh", "junos-https", "APP1"]),
    "then": st.sampled_from(["permit", "deny", "reject"]), "inactive": st.booleans()})
junos_term = st.fixed_dictionaries({
    "name": ident, "src": st.lists(st.sampled_from(["192.0.2.0/24", "10.0.0.0/8", "10.1.0.0/16"]), max_size=2,
                                   unique=True),
    "except": st.booleans(), "proto": st.sampled_from([None, "tcp", "udp"]),
    "port": st.sampled_from([None, "22", "1024-2048", "ssh"]), "then": st.sampled_from(["accept", "discard", None])})


def _junos_texts(policies: list[dict[str, Any]], terms: list[dict[str, Any]]) -> tuple[str, str]:
    sets = [f"set security address-book global address {n} {p}" for n, p in ADDRS.items()]
    sets.append("set applications application APP1 protocol tcp destination-port 8080")
    brace = ["security {", "    address-book {", "        global {",
             *[f"            address {n} {p};" for n, p in ADDRS.items()], "        }", "    }", "    policies {",
             "        from-zone trust to-zone untrust {"]
    for p in policies:
        head = f"set security policies from-zone trust to-zone untrust policy {p['name']}"
        sets += [f"{head} match source-address {a}" for a in p["src"]]
        sets += [f"{head} match destination-address {a}" for a in p["dst"]]
        sets += [f"{head} match application {p['app']}", f"{head} then {p['then']}"]
        if p["inactive"]:
            sets.append(f"deactivate security policies from-zone trust to-zone untrust policy {p['name']}")
        brace += [f"            {'inactive: ' if p['inactive'] else ''}policy {p['name']} {{", "                match {",
                  f"                    source-address [ {' '.join(p['src'])} ];",
                  f"                    destination-address [ {' '.join(p['dst'])} ];",
                  f"                    application {p['app']};", "                }",
                  f"                then {{ {p['then']}; }}", "            }"]
    brace += ["        }", "    }", "}", "applications {", "    application APP1 {", "        protocol tcp;",
              "        destination-port 8080;", "    }", "}"]
    if terms:
        brace += ["firewall {", "    family inet {", "        filter F {"]
    for t in terms:
        head = f"set firewall family inet filter F term {t['name']}"
        brace.append(f"            term {t['name']} {{")
        body = []
        for k, a in enumerate(t["src"]):
            flag = " except" if t["except"] and k == len(t["src"]) - 1 and len(t["src"]) > 1 else ""
            sets.append(f"{head} from source-address {a}{flag}")
            body.append(f"source-address {a}{flag};")
        if t["proto"]:
            sets.append(f"{head} from protocol {t['proto']}")
            body.append(f"protocol {t['proto']};")
            if t["port"]:
                sets.append(f"{head} from destination-port {t['port']}")
                body.append(f"destination-port {t['port']};")
        if body:
            brace += ["                from {", *[f"                    {b}" for b in body], "                }"]
        if t["then"]:
            sets.append(f"{head} then {t['then']}")
            brace.append(f"                then {t['then']};")
        elif not body:
            sets.append(f"{head} then count c1")
            brace.append("                then count c1;")
        else:
            sets.append(f"{head} then count c1")
            brace.append("                then { count c1; }")
        brace.append("            }")
    if terms:
        brace += ["        }", "    }", "}"]
    return "\n".join(sets) + "\n", "\n".join(brace) + "\n"


@settings(max_examples=120, deadline=None)
@given(st.lists(junos_policy, max_size=4, unique_by=lambda p: p["name"]),
       st.lists(junos_term, max_size=4, unique_by=lambda t: t["name"]))
def test_junos_set_and_brace_forms_agree(policies: list[dict[str, Any]], terms: list[dict[str, Any]]) -> None:
    set_text, brace_text = _junos_texts(policies, terms)
    from_set = {rs.name: [_key(r) for r in rs.rules] for rs in junos_set.parse(set_text, "s")}
    from_brace = {rs.name: [_key(r) for r in rs.rules] for rs in remap(to_set(brace_text, "b"), "b", "brace")}
    assert from_set == from_brace
    assert sum(len(v) for v in from_set.values()) == len(policies) + len(terms)


panos_rule = st.fixed_dictionaries({
    "name": ident, "from": st.sampled_from(["trust", "any"]), "to": st.sampled_from(["untrust", "any"]),
    "src": st.lists(names, min_size=1, max_size=2, unique=True), "dst": st.lists(names, min_size=1, max_size=2,
                                                                                  unique=True),
    "service": st.sampled_from(["any", "S1", "G1"]), "action": st.sampled_from(["allow", "deny", "drop"]),
    "disabled": st.booleans()})


def _panos_texts(rules: list[dict[str, Any]]) -> tuple[str, str]:
    sets = [f"set address {n} ip-netmask {p}" for n, p in ADDRS.items()]
    sets += ["set service S1 protocol tcp port 8443", "set service S2 protocol udp port 53",
             "set service-group G1 members [ S1 S2 ]"]
    xml = ["<config><devices><entry name=\"localhost.localdomain\"><vsys><entry name=\"vsys1\"><address>",
           *[f"<entry name=\"{n}\"><ip-netmask>{p}</ip-netmask></entry>" for n, p in ADDRS.items()], "</address>",
           "<service><entry name=\"S1\"><protocol><tcp><port>8443</port></tcp></protocol></entry>",
           "<entry name=\"S2\"><protocol><udp><port>53</port></udp></protocol></entry></service>",
           "<service-group><entry name=\"G1\"><members><member>S1</member><member>S2</member></members></entry>"
           "</service-group>", "<rulebase><security><rules>"]
    for r in rules:
        head = f"set rulebase security rules {r['name']}"
        sets += [f"{head} from {r['from']}", f"{head} to {r['to']}", f"{head} source [ {' '.join(r['src'])} ]",
                 f"{head} destination [ {' '.join(r['dst'])} ]", f"{head} application any",
                 f"{head} service {r['service']}", f"{head} action {r['action']}"]
        if r["disabled"]:
            sets.append(f"{head} disabled yes")

        def members(tag: str, values: list[str]) -> str:
            return f"<{tag}>" + "".join(f"<member>{v}</member>" for v in values) + f"</{tag}>"
        xml.append(f"<entry name=\"{r['name']}\">" + members("from", [r["from"]]) + members("to", [r["to"]]) +
                   members("source", r["src"]) + members("destination", r["dst"]) + members("application", ["any"]) +
                   members("service", [r["service"]]) + f"<action>{r['action']}</action>" +
                   ("<disabled>yes</disabled>" if r["disabled"] else "") + "</entry>")
    xml.append("</rules></security></rulebase></entry></vsys></entry></devices></config>")
    return "\n".join(sets) + "\n", "\n".join(xml) + "\n"


@settings(max_examples=120, deadline=None)
@given(st.lists(panos_rule, min_size=1, max_size=5, unique_by=lambda r: r["name"]))
def test_panos_set_and_xml_forms_agree(rules: list[dict[str, Any]]) -> None:
    set_text, xml_text = _panos_texts(rules)
    from_set = [[_key(r) for r in rs.rules] for rs in panos_set.parse(set_text, "s")]
    from_xml = [[_key(r) for r in rs.rules] for rs in panos_xml.parse(xml_text, "x")]
    assert from_set == from_xml and len(from_set[0]) == len(rules)
