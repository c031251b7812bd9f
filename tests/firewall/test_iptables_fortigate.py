"""iptables-save and FortiGate parsers on fixtures written from the tools' documented syntax."""

from __future__ import annotations

from pathlib import Path

from collectors.firewall.anomaly import analyze
from collectors.firewall.model import Action, ParseStatus, network
from collectors.firewall.parsers import detect, fortigate, iptables

FIX = Path(__file__).parent / "fixtures"


def test_iptables_save_filter_table() -> None:
    text = (FIX / "iptables_save_c.txt").read_text()
    assert detect(text) == "iptables"
    sets = {rs.name: rs for rs in iptables.parse(text, "iptables-save -c")}
    # every table is read: nat rules are counted with their role; MGMT is reached from INPUT and inlined there
    assert set(sets) == {"ip nat/PREROUTING", "ip filter/INPUT", "ip filter/FORWARD", "ip filter/OUTPUT"}
    nat = sets["ip nat/PREROUTING"]
    assert nat.extra["role"] == "nat" and [r.action for r in nat.rules] == [Action.OTHER]
    inp = sets["ip filter/INPUT"]
    assert inp.management and inp.default_action == Action.DENY
    r = inp.rules
    assert r[0].states == ("related", "established") and r[0].hits == 9120
    assert r[1].src_zones == ("lo",)
    assert r[2].status == ParseStatus.APPROXIMATE and r[2].partial  # -m limit
    # -s 192.0.2.0/24 -j MGMT: MGMT's two rules, each narrowed to the jump's source
    assert [x.name for x in r[3:5]] == ["INPUT #4 > MGMT #1", "INPUT #4 > MGMT #2"]
    assert r[3].src == (network("192.0.2.0/24"),) and r[3].services[1].dport == (443, 443)
    assert r[4].services[0].dport == (161, 161) and r[4].extra["via"] == [14]
    assert r[5].comment == "legacy telnet, owner: neteng" and r[5].services[0].dport == (23, 23)
    assert r[7].action == Action.OTHER and r[8].action == Action.DENY and r[8].log  # LOG + DROP pair
    [hidden] = [a for a in analyze(inp) if a.kind in ("shadowed", "redundant") and not a.details.get("by_later")]
    assert (hidden.rule, hidden.related) == (6, (5,))  # the drop for one host after telnet for all
    fwd = sets["ip filter/FORWARD"].rules
    lo, hi = network("198.51.100.0/24")
    assert not any(a <= lo and hi <= b for a, b in fwd[0].src) and any(a <= hi + 1 <= b for a, b in fwd[0].src)


def test_fortigate_policy_objects_and_schedules() -> None:
    text = """config firewall address
    edit "SRV-RANGE"
        set type iprange
        set start-ip 203.0.113.10
        set end-ip 203.0.113.20
    next
end
config firewall addrgrp
    edit "SERVERS"
        set member "SRV-RANGE"
    next
end
config firewall service custom
    edit "APP-8443"
        set tcp-portrange 8443 8000-8010:1024-65535
    next
end
config firewall schedule onetime
    edit "VENDOR-MARCH"
        set start "00:00 2024/03/01"
        set end "23:59 2024/03/31"
    next
end
config firewall policy
    edit 7
        set name "vendor-app"
        set srcintf "wan1"
        set dstintf "dmz"
        set srcaddr "all"
        set dstaddr "SERVERS"
        set action accept
        set schedule "VENDOR-MARCH"
        set service "APP-8443" "PING"
        set logtraffic all
        set comments "CHG-2211 expires 2024-03-31"
    next
    edit 8
        set name "geo"
        set srcintf "wan1"
        set dstintf "dmz"
        set srcaddr "TW-ONLY"
        set dstaddr "all"
        set action deny
        set schedule "always"
        set service "ALL"
    next
end
"""
    [rs] = fortigate.parse(text, "show")
    p7, p8 = rs.rules
    assert p7.src_zones == ("wan1",) and p7.dst_zones == ("dmz",) and p7.log
    assert p7.dst == ((network("203.0.113.10/32")[0], network("203.0.113.20/32")[1]),)
    assert [s.dport for s in p7.services] == [(8443, 8443), (8000, 8010), (8 * 256, 8 * 256 + 255)]
    assert p7.services[1].sport == (1024, 65535)
    assert p7.schedule_end is not None and p7.schedule_end.month == 3 and p7.status == ParseStatus.APPROXIMATE
    assert p8.status == ParseStatus.UNPARSED and "TW-ONLY" in (p8.reason or "") and not p8.log
