"""The audit checks on small rule sets, each planted defect next to its clean counterpart."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from netcomply.app.pipelines.firewall import audit

NOW = datetime.fromisoformat("2026-11-22T00:00:00+00:00")

ASA_SHOW = """access-list IN; 5 elements; name hash: 0x1
access-list IN line 1 remark owner: web team, expires 2025-06-30
access-list IN line 2 extended permit tcp any4 host 203.0.113.10 eq https log informational interval 300 (hitcnt=0) 0x1
access-list IN line 3 remark owner: dns team
access-list IN line 4 extended permit udp any4 host 203.0.113.53 eq domain log informational interval 300 (hitcnt=812) 0x2
access-list IN line 5 extended deny tcp host 198.51.100.66 any4 log informational interval 300 (hitcnt=0) 0x3
access-list IN line 6 extended permit tcp 198.51.100.0 255.255.255.0 any4 range 1 65535 log (hitcnt=7) 0x4
access-list IN line 7 extended deny ip any any log informational interval 300 (hitcnt=9) 0x5
access-list IN line 8 extended permit tcp any4 host 203.0.113.11 eq www log (hitcnt=0) 0x6
"""

IOS_RUN = """ip access-list extended VTY-IN
 permit tcp 192.0.2.0 0.0.0.255 any eq 22 log
 permit tcp any any eq telnet log
 deny ip any any log
ip access-list extended SAFE-VTY
 permit tcp 192.0.2.0 0.0.0.255 any eq 22 log
 deny ip any any log
line vty 0 4
 access-class VTY-IN in
line vty 5 15
 access-class SAFE-VTY in
"""


def _findings(tmp_path: Path, name: str, text: str, **kw: object) -> dict[tuple[str, str | None], str]:
    f = tmp_path / name
    f.write_text(text)
    doc = audit([f], None, now=NOW, **kw)  # type: ignore[arg-type]
    return {(x["kind"], x["rule"]["name"] if x["rule"] else x["ruleset"]): x["message"] for x in doc["findings"]}


def test_unused_needs_the_counters_age_and_never_flags_deny(tmp_path: Path) -> None:
    without = _findings(tmp_path, "a.txt", ASA_SHOW)
    assert not [k for k in without if k[0] == "unused"]
    recent = _findings(tmp_path, "a.txt", ASA_SHOW, counters_since=datetime.fromisoformat("2026-11-01T00:00+00:00"))
    assert not [k for k in recent if k[0] == "unused"]  # 21 days of counters prove nothing
    old = _findings(tmp_path, "a.txt", ASA_SHOW, counters_since=datetime.fromisoformat("2026-01-01T00:00+00:00"))
    assert {k[1] for k in old if k[0] == "unused"} == {"IN line 2", "IN line 8"}  # not the deny at line 5


def test_expiry_in_a_remark_after_final_deny_wide_and_comments(tmp_path: Path) -> None:
    f = _findings(tmp_path, "a.txt", ASA_SHOW)
    assert "2025-06-30" in f[("expired", "IN line 2")]
    assert ("expired", "IN line 4") not in f
    assert ("after_final_deny", "IN line 8") in f and ("after_final_deny", "IN line 6") not in f
    assert ("wide", "IN line 6") in f and ("wide", "IN line 4") not in f
    assert ("no_comment", "IN line 6") in f and ("no_comment", "IN line 4") not in f
    assert ("no_final_deny", "IN") not in f
    assert ("shadowed", "IN line 8") in f  # and the analysis agrees it never fires


def test_management_exposure_on_vty_access_class(tmp_path: Path) -> None:
    f = _findings(tmp_path, "r.txt", IOS_RUN)
    assert ("mgmt_exposure", "VTY-IN #2") in f and "telnet" in f[("mgmt_exposure", "VTY-IN #2")]
    assert not [k for k in f if k[0] == "mgmt_exposure" and k[1] != "VTY-IN #2"]
    assert ("insecure_service", "VTY-IN #2") in f


ZONES = """zones:
  outside: {trust: untrusted, interfaces: [outside]}
  dmz: {trust: dmz, networks: [203.0.113.0/24]}
  inside: {trust: internal, networks: [192.0.2.0/24]}
allowed:
  - {from: outside, to: dmz, services: [tcp/80, tcp/443]}
"""

ASA_ZONED = """access-list OUTSIDE_IN extended permit tcp any host 203.0.113.10 eq https log
access-list OUTSIDE_IN extended permit tcp any host 203.0.113.10 eq ssh log
access-list OUTSIDE_IN extended permit tcp any host 192.0.2.25 eq smtp log
access-list OUTSIDE_IN extended deny ip any any log
access-group OUTSIDE_IN in interface outside
"""


def test_zone_intent_from_data(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from netcomply.app.cli.firewall_cmd import app

    (tmp_path / "zones.yaml").write_text(ZONES)
    (tmp_path / "asa.txt").write_text(ASA_ZONED)
    r = CliRunner().invoke(app, ["analyze", str(tmp_path / "asa.txt"), "--zones", str(tmp_path / "zones.yaml"),
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    import json
    got = {f["rule"]["line"]: f["message"] for f in json.loads(r.output)["findings"] if f["kind"] == "zone_violation"}
    assert set(got) == {2, 3} and "internal zone inside" in got[3] and "tcp/22" in got[2]
    (tmp_path / "bad.yaml").write_text("zones:\n  dmz: {trust: dmz, networks: [not-a-net]}\n")
    r = CliRunner().invoke(app, ["analyze", str(tmp_path / "asa.txt"), "--zones", str(tmp_path / "bad.yaml")])
    assert r.exit_code == 2 and "zones.dmz.networks" in r.output


def test_loopback_accept_is_not_any_any_but_a_real_any_any_is(tmp_path: Path) -> None:
    nft = """table inet f {
\tchain input {
\t\ttype filter hook input priority filter; policy drop;
\t\tiif "lo" accept comment "host to itself"
\t\tiifname "eth0" accept comment "everything from the LAN port"
\t}
}
"""
    found = _findings(tmp_path, "f.nft", nft)
    assert ("any_any", "input line 5") in found and ("any_any", "input line 4") not in found
    assert ("wide", "input line 4") not in found
