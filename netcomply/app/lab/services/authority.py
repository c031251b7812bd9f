"""Authoritative answering: what a real authoritative server replies to one query, without any sockets.

The IPv6 checks judge services by what DNS says, so the lab must answer the way BIND or NSD would, including
the unhappy paths a collector has to handle: NXDOMAIN with the SOA in the authority section, NODATA (NOERROR,
empty answer), REFUSED for zones it does not serve, NOTIMP for other opcodes, CNAME chains, glue for NS and MX
targets, and the AA flag.
"""

from __future__ import annotations

import dns.flags
import dns.message
import dns.name
import dns.opcode
import dns.rcode
import dns.rdataclass
import dns.rdataset
import dns.rdatatype
import dns.rrset
import dns.zone

MAX_CNAME_CHAIN = 8


class Authority:
    """A set of zones one server is authoritative for."""

    def __init__(self, zones: dict[str, dns.zone.Zone]) -> None:
        self._zones = sorted(((_origin(z), z) for z in zones.values()), key=lambda oz: len(oz[0]), reverse=True)

    def zone_for(self, qname: dns.name.Name) -> dns.zone.Zone | None:
        """The most specific served zone holding ``qname`` (zones sorted longest origin first)."""
        for origin, zone in self._zones:
            if qname.is_subdomain(origin):
                return zone
        return None

    def respond(self, query: dns.message.Message) -> dns.message.Message:
        response = dns.message.make_response(query)
        response.flags &= ~dns.flags.AA
        if query.opcode() != dns.opcode.QUERY:
            response.set_rcode(dns.rcode.NOTIMP)
            return response
        if len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
            return response
        question = query.question[0]
        zone = self.zone_for(question.name)
        if zone is None or question.rdclass != dns.rdataclass.IN:
            response.set_rcode(dns.rcode.REFUSED)
            return response
        if question.rdtype in (dns.rdatatype.AXFR, dns.rdatatype.IXFR):
            response.set_rcode(dns.rcode.REFUSED)  # no zone transfers to strangers
            return response
        response.flags |= dns.flags.AA
        self._answer(response, question.name, question.rdtype, zone)
        return response

    def _answer(self, response: dns.message.Message, qname: dns.name.Name, qtype: dns.rdatatype.RdataType,
                zone: dns.zone.Zone) -> None:
        name = qname
        for _ in range(MAX_CNAME_CHAIN):
            node = zone.get_node(name)
            if node is None:
                if not _has_descendant(zone, name):
                    response.set_rcode(dns.rcode.NXDOMAIN)
                _add_soa(response, zone)
                return
            cname = node.get_rdataset(dns.rdataclass.IN, dns.rdatatype.CNAME)
            if cname is not None and qtype not in (dns.rdatatype.CNAME, dns.rdatatype.ANY):
                response.answer.append(_rrset(name, cname))
                name = cname[0].target
                next_zone = self.zone_for(name)
                if next_zone is None:
                    return  # out-of-authority target: the resolver continues from here
                zone = next_zone
                continue
            if qtype == dns.rdatatype.ANY:
                found = list(node.rdatasets)
            else:
                one = node.get_rdataset(dns.rdataclass.IN, qtype)
                found = [one] if one is not None else []
            if not found:
                _add_soa(response, zone)  # NODATA
                return
            for rdataset in found:
                response.answer.append(_rrset(name, rdataset))
                self._add_glue(response, rdataset)
            return

    def _add_glue(self, response: dns.message.Message, rdataset: dns.rdataset.Rdataset) -> None:
        """Addresses of NS and MX targets we serve, in the additional section (what a resolver needs next)."""
        if rdataset.rdtype == dns.rdatatype.NS:
            targets = [rd.target for rd in rdataset]
        elif rdataset.rdtype == dns.rdatatype.MX:
            targets = [rd.exchange for rd in rdataset]
        else:
            return
        for target in targets:
            zone = self.zone_for(target)
            node = zone.get_node(target) if zone else None
            if node is None:
                continue
            for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
                addresses = node.get_rdataset(dns.rdataclass.IN, rdtype)
                if addresses is not None:
                    response.additional.append(_rrset(target, addresses))


def _rrset(name: dns.name.Name, rdataset: dns.rdataset.Rdataset) -> dns.rrset.RRset:
    rrset = dns.rrset.RRset(name, rdataset.rdclass, rdataset.rdtype)
    rrset.update(rdataset)
    return rrset


def _origin(zone: dns.zone.Zone) -> dns.name.Name:
    if zone.origin is None:
        raise ValueError("a served zone needs an origin")
    return zone.origin


def _add_soa(response: dns.message.Message, zone: dns.zone.Zone) -> None:
    soa = zone.get_rdataset(_origin(zone), dns.rdatatype.SOA)
    if soa is not None:
        response.authority.append(_rrset(_origin(zone), soa))


def _has_descendant(zone: dns.zone.Zone, name: dns.name.Name) -> bool:
    """An empty non-terminal (``_tcp.example`` above ``_sip._tcp.example``) exists: NODATA, not NXDOMAIN."""
    return any(n != name and n.is_subdomain(name) for n in zone.nodes)
