"""The lab's DNS answers like an authoritative server, over UDP and TCP, on 127.0.0.1 and ::1."""

from __future__ import annotations

import socket

import dns.exception
import dns.flags
import dns.message
import dns.opcode
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

from netcomply.app.lab.services import LabServices

pytestmark = pytest.mark.lab

ADDRESSES = {"ipv4": "127.0.0.1", "ipv6": "::1"}
TRANSPORTS = ("udp", "tcp")


def ask(address: str, port: int, name: str, rdtype: str, transport: str = "udp",
        timeout: float = 2.0) -> dns.message.Message:
    query = dns.message.make_query(name, rdtype)
    if transport == "udp":
        return dns.query.udp(query, address, port=port, timeout=timeout, raise_on_truncation=True)
    return dns.query.tcp(query, address, port=port, timeout=timeout)


def values(response: dns.message.Message, rdtype: str) -> set[str]:
    wanted = dns.rdatatype.from_text(rdtype)
    return {rd.to_text() for rrset in response.answer if rrset.rdtype == wanted for rd in rrset}


@pytest.mark.parametrize("family", ADDRESSES)
@pytest.mark.parametrize("transport", TRANSPORTS)
def test_record_types_answered_authoritatively(lab: LabServices, family: str, transport: str) -> None:
    address, port = ADDRESSES[family], lab.dns_port
    sc = lab.scenario
    for zone, spec in sc.zones.items():
        soa = ask(address, port, zone, "SOA", transport)
        assert soa.rcode() == dns.rcode.NOERROR and soa.flags & dns.flags.AA
        assert next(iter(values(soa, "SOA"))).startswith(spec.name_servers[0] + ".")
        assert values(ask(address, port, zone, "NS", transport), "NS") == {n + "." for n in spec.name_servers}
        assert values(ask(address, port, zone, "MX", transport), "MX") == {
            f"{m.preference} {m.host}." for m in spec.mx}
        assert values(ask(address, port, zone, "TXT", transport), "TXT") == {f'"{t}"' for t in spec.txt}
        for alias, target in spec.cname.items():
            assert values(ask(address, port, alias, "CNAME", transport), "CNAME") == {target + "."}
    for host, web in sc.web.items():
        assert values(ask(address, port, host, "A", transport), "A") == {lab.host4}
        assert values(ask(address, port, host, "AAAA", transport), "AAAA") == ({lab.host6} if web.aaaa else set())


def test_cname_is_followed_inside_the_authority(lab: LabServices) -> None:
    response = ask("::1", lab.dns_port, "app.city.lab.example", "AAAA")
    target = lab.scenario.cname_target("app.city.lab.example")
    assert values(response, "CNAME") == {f"{target}."}
    assert values(response, "AAAA") == {lab.host6}


def test_ns_answer_carries_glue(lab: LabServices) -> None:
    response = ask("::1", lab.dns_port, "edu.lab.example", "NS")
    glue = {(rr.name.to_text(), dns.rdatatype.to_text(rr.rdtype)) for rr in response.additional}
    for ns in lab.scenario.zones["edu.lab.example"].name_servers:
        assert (ns + ".", "A") in glue
        assert ((ns + ".", "AAAA") in glue) == lab.scenario.name_servers[ns].aaaa


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_unhappy_paths(lab: LabServices, transport: str) -> None:
    port = lab.dns_port
    nx = ask("::1", port, "no-such-host.city.lab.example", "A", transport)
    assert nx.rcode() == dns.rcode.NXDOMAIN and nx.flags & dns.flags.AA
    assert [dns.rdatatype.to_text(r.rdtype) for r in nx.authority] == ["SOA"]
    nodata = ask("::1", port, "www.district.lab.example", "AAAA", transport)
    assert nodata.rcode() == dns.rcode.NOERROR and not nodata.answer and nodata.authority
    refused = ask("127.0.0.1", port, "www.example.com", "A", transport)
    assert refused.rcode() == dns.rcode.REFUSED and not refused.flags & dns.flags.AA
    notify = dns.message.make_query("city.lab.example", "SOA")
    notify.set_opcode(dns.opcode.NOTIFY)
    assert dns.query.udp(notify, "::1", port=port, timeout=2).rcode() == dns.rcode.NOTIMP


def test_zone_transfer_is_refused(lab: LabServices) -> None:
    response = ask("::1", lab.dns_port, "city.lab.example", "AXFR", "tcp")
    assert response.rcode() == dns.rcode.REFUSED


def test_each_name_server_serves_only_its_zones(lab: LabServices) -> None:
    for ns, spec in lab.scenario.name_servers.items():
        port, _, answers6 = lab.name_servers[ns]
        mine = [z for z, zs in lab.scenario.zones.items() if ns in zs.name_servers]
        others = [z for z in lab.scenario.zones if z not in mine]
        for zone in mine:
            assert ask("127.0.0.1", port, zone, "SOA").rcode() == dns.rcode.NOERROR
        for zone in others:
            assert ask("127.0.0.1", port, zone, "SOA").rcode() == dns.rcode.REFUSED
        assert answers6 == spec.ipv6


def _answers(address: str, port: int, zone: str, transport: str) -> bool:
    """A loopback answer takes milliseconds; silence (no ICMP reaches an unconnected UDP socket) means no."""
    try:
        return ask(address, port, zone, "SOA", transport, timeout=0.3).rcode() == dns.rcode.NOERROR
    except (OSError, dns.exception.Timeout):
        return False


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_name_servers_listen_where_the_port_map_says(lab: LabServices, transport: str) -> None:
    for ns, (port, answers4, answers6) in lab.name_servers.items():
        zone = next((z for z, s in lab.scenario.zones.items() if ns in s.name_servers), lab.scenario.zone)
        assert _answers("127.0.0.1", port, zone, transport) == answers4, ns
        assert _answers("::1", port, zone, transport) == answers6, ns


def test_ipv4_only_name_server_refuses_ipv6_quickly(lab: LabServices) -> None:
    """Nothing listens: the kernel answers port-unreachable / RST, so a collector sees it without waiting."""
    v4_only = [ns for ns, (_, a4, a6) in lab.name_servers.items() if a4 and not a6]
    assert v4_only
    port = lab.name_servers[v4_only[0]][0]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("::1", port), timeout=1).close()


def test_dns_truth_matches_what_the_servers_do(lab: LabServices) -> None:
    """Judge each DNS service from DNS answers and probes alone, then compare with the scenario's truth."""
    truths = {k: t for k, t in lab.truth().items() if t.kind == "dns"}
    assert truths
    for truth in truths.values():
        ns_names = sorted(n.rstrip(".") for n in values(ask("::1", lab.dns_port, truth.name, "NS"), "NS"))
        assert ns_names == sorted(h.host for h in truth.hosts)
        ready = True
        for ns in ns_names:
            has_aaaa = bool(values(ask("::1", lab.dns_port, ns, "AAAA"), "AAAA"))
            answers6 = has_aaaa and _answers("::1", lab.name_servers[ns][0], truth.name, "udp")
            host = next(h for h in truth.hosts if h.host == ns)
            assert (host.aaaa, host.answers_ipv6 and host.aaaa) == (has_aaaa, answers6), ns
            ready = ready and answers6
        assert ready == truth.ipv6_ready, truth.reason


def test_scenario_has_the_required_dns_cases(lab: LabServices) -> None:
    dns_truths = [t for t in lab.truth().values() if t.kind == "dns"]
    v6_counts = [(sum(h.aaaa and h.answers_ipv6 for h in t.hosts), len(t.hosts)) for t in dns_truths]
    assert (2, 2) in v6_counts  # both name servers answer over IPv6
    assert (1, 2) in v6_counts  # only one of two does


def test_udp_truncates_large_answers_and_tcp_does_not() -> None:
    """Socket-free: an answer larger than 512 bytes comes back with TC over UDP, whole over TCP."""
    import dns.name
    import dns.zone

    from netcomply.app.lab.services.authority import Authority
    from netcomply.app.lab.services.dnsserver import handle_wire

    text = "$ORIGIN big.example.\n$TTL 60\n@ IN SOA ns. h. 1 2 3 4 5\n@ IN NS ns.\n"
    text += "".join(f'@ IN TXT "{i:03d} {"x" * 100}"\n' for i in range(20))
    zone = dns.zone.from_text(text, origin=dns.name.from_text("big.example."), relativize=False)
    authority = Authority({"big.example": zone})
    wire = dns.message.make_query("big.example", "TXT").to_wire()
    udp = dns.message.from_wire(handle_wire(authority, wire, max_size=65535) or b"")
    assert udp.flags & dns.flags.TC and not udp.answer
    tcp = dns.message.from_wire(handle_wire(authority, wire, max_size=None) or b"")
    assert not tcp.flags & dns.flags.TC and len(tcp.answer[0]) == 20
    edns = dns.message.make_query("big.example", "TXT", use_edns=0, payload=4096).to_wire()
    big = dns.message.from_wire(handle_wire(authority, edns, max_size=65535) or b"")
    assert not big.flags & dns.flags.TC and len(big.answer[0]) == 20
    garbage = handle_wire(authority, wire[:12] + b"\xff\xff\xff", max_size=65535) or b""
    assert garbage[:2] == wire[:2] and garbage[3] & 0x0F == dns.rcode.FORMERR
