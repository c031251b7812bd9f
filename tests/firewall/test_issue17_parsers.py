"""Issue 17 (parsing half) and issue 14 point 7 (firewall parsers): one test per named defect, each on the real
public file that showed it where one exists (tests/firewall/corpus/files, sources in manifest.json)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectors.firewall.model import Action, ParseStatus, RuleSet, network
from collectors.firewall.parsers import detect, fortigate, parse_text
from collectors.firewall.parsers.accounting import covered_lines
from netcomply.errors import InputError

FILES = Path(__file__).parent / "corpus" / "files"


def _sets(rel: str, platform: str | None = None) -> dict[str, RuleSet]:
    text = (FILES / rel).read_text()
    return {rs.name: rs for rs in parse_text(text, platform, rel)}


def test_panos_set_configuration_with_moves_and_vsys() -> None:
    sets = _sets("batfish/palo_alto/move-rulebase-security")
    shared = sets["vsys1 security rulebase"]
    # the file says: "Final order of rules after moves: 3,4,1,5,2"
    assert [r.name for r in shared.rules] == ["RULE3", "RULE4", "RULE1", "RULE5", "RULE2"]
    assert [r.name for r in sets["MY_VSYS security rulebase"].rules] == ["RULE7", "RULE6"]


def test_panos_set_delete_then_set_replaces_a_member() -> None:
    rs = _sets("batfish/palo_alto/delete-and-move-lines")["vsys1 security rulebase"]
    rule1 = next(r for r in rs.rules if r.name == "RULE1")
    assert rule1.src_names == ("addr2",) and rule1.src == (network("2.2.2.2/32"),)


def test_show_running_security_policy_without_index() -> None:
    rel = "ntc-templates/panos/paloalto_panos_show_running_security-policy.raw"
    assert detect((FILES / rel).read_text()) == "paloalto_panos"
    [rs] = _sets(rel).values()
    assert [r.name for r in rs.rules][:2] == ["Outside Web Server", "ICMP Any"]
    assert all(r.status == ParseStatus.EXACT for r in rs.rules)


def test_junos_brace_configuration() -> None:
    rel = "aerleon/junipersrx/JuniperSRXTest.testAdressBookIPv4.stdout.ref"
    assert detect((FILES / rel).read_text()) == "juniper_junos"
    [rs] = _sets(rel).values()
    [rule] = rs.rules
    assert rule.action == Action.PERMIT and rule.status == ParseStatus.EXACT
    assert rule.dst == (network("10.0.0.0/8"),) and rule.services[0].dport == (25, 25)  # app with a term
    assert rule.provenance.line == 24  # the "policy good-term-1 {" line


def test_junos_file_with_only_filter_terms() -> None:
    rel = "aerleon/juniper/JuniperTest.testAddressExclude.stdout.ref"
    [rs] = _sets(rel).values()  # the second filter of the same name replaces the first ("replace:")
    [term] = rs.rules
    assert term.name == "address-exclusions" and term.status == ParseStatus.EXACT
    lo = network("10.0.0.0/8")[0]
    assert not any(a <= lo <= b for a, b in term.dst)  # "10.0.0.0/8 except" is cut out of 0.0.0.0/1
    assert any(a <= network("11.0.0.0/8")[0] <= b for a, b in term.dst)


def test_junos_filter_terms_beside_security_policies() -> None:
    sets = _sets("batfish/juniper/firewall-combined-policies")
    assert set(sets) == {"security policies", "filter inet/FILTER1"}
    f = sets["filter inet/FILTER1"]
    assert [(r.name, r.action) for r in f.rules] == [("TERM1", Action.DENY), ("TERM2", Action.PERMIT)]
    assert f.bound_to == ("ge-0/0/1.0 out",)


def test_iptables_rules_outside_the_filter_table() -> None:
    sets = _sets("batfish/iptables-firewall/z1-firewall.v4")
    mangle = sets["ip mangle/PREROUTING"]
    assert mangle.default_action == Action.DENY and len(mangle.rules) == 3
    assert mangle.extra["role"] == "packet filter"


def test_iptables_user_chains_are_followed_not_dropped() -> None:
    rel = "aerleon/iptables/AclCheckTest.testAddExcludeSourceForLengthPolicy.stdout.ref"
    text = (FILES / rel).read_text()
    sets = parse_text(text, "iptables", rel)
    lines = [k for k, line in enumerate(text.splitlines(), 1) if line.startswith("-A ")]
    assert covered_lines(sets) >= set(lines)
    analysed = [r for rs in sets for r in rs.rules if r.analysable]
    assert len(analysed) >= len([k for k in lines if "RETURN" not in text.splitlines()[k - 1]]) - 1
    assert sum(r.status == ParseStatus.EXACT for rs in sets for r in rs.rules) >= 0.9 * len(lines)


def test_iptables_script_with_new_chain_and_append() -> None:
    text = ("iptables -P INPUT DROP\niptables -N SSH\niptables --append INPUT -p tcp --dport 22 -j SSH\n"
            "iptables --append SSH -s 192.0.2.0/24 -j ACCEPT\niptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\n")
    assert detect(text) == "iptables"
    sets = {rs.name: rs for rs in parse_text(text, None, "fw.sh")}
    [rule] = sets["ip filter/INPUT"].rules
    assert rule.action == Action.PERMIT and rule.src == (network("192.0.2.0/24"),)
    assert rule.services[0].dport == (22, 22) and rule.extra["via"] == [3]
    assert sets["ip nat/POSTROUTING"].extra["role"] == "nat"


def test_fortios_delete_and_recreate_moves_to_the_end() -> None:
    [rs] = _sets("batfish/fortios/policy_delete").values()
    assert [r.extra["policyid"] for r in rs.rules] == ["2", "1"]


def test_fortios_move_before_and_after() -> None:
    [rs] = _sets("batfish/fortios/policy_move").values()
    assert [r.extra["policyid"] for r in rs.rules] == ["5", "1", "2", "4", "3"]


def test_fortios_local_in_policy() -> None:
    sets = _sets("aerleon/fortigate/FortigateTest.testLocalInPolicy.stdout.ref")
    rs = sets["local-in-policy"]
    assert rs.management and rs.default_action == Action.OTHER
    [rule] = rs.rules
    assert rule.src_zones == ("port1",) and rule.status == ParseStatus.EXACT
    assert rule.dst == (network("10.1.1.3/32"), network("10.1.1.4/32"))


def test_ios_files_with_asa_style_named_acl_lines() -> None:
    for rel in ("batfish/cisco/aclIos", "batfish/cisco/ios-acl"):
        text = (FILES / rel).read_text()
        assert detect(text) == "cisco_ios"
    sets = _sets("batfish/cisco/aclIos")
    [rule] = sets["acl"].rules
    assert rule.status == ParseStatus.EXACT and rule.src == (network("1.2.3.0/24"),)
    assert _sets("batfish/cisco/ios-acl")["AL_IF"].bound_to == ("Ethernet1 in", "Ethernet1 out")


def test_a_rule_line_no_parser_reads_is_listed_not_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever a parser misses (here: one that forgets the second entry) is counted and listed, with its line."""
    import collectors.firewall.parsers as parsers

    real = parsers.PARSERS["cisco_ios"]

    def forgetful(text: str, source: str) -> list[RuleSet]:
        sets = real(text, source)
        del sets[0].rules[1]
        return sets

    monkeypatch.setitem(parsers.PARSERS, "cisco_ios", forgetful)
    text = "ip access-list extended X\n permit tcp any any eq 22\n deny tcp any any eq 23\n"
    sets = {rs.name: rs for rs in parse_text(text, "cisco_ios", "x.cfg")}
    [lost] = sets["not read"].rules
    assert (lost.provenance.line, lost.status, lost.action) == (3, ParseStatus.UNPARSED, Action.DENY)
    assert "did not read" in (lost.reason or "")


@pytest.mark.parametrize(("text", "platform"), [
    ('{"nftables": ' + "[" * 50_000 + "]" * 50_000 + "}", None),
    ("<configuration>" + "<a>" * 50_000 + "</a>" * 50_000 + "</configuration>", "juniper_junos"),
    ("<config>" + "<a>" * 50_000 + "</a>" * 50_000 + "</config>", "paloalto_panos"),
    ("firewall {\n" + "a {\n" * 50_000 + "}\n" * 50_001, "juniper_junos"),
])
def test_deep_nesting_is_bad_input_not_a_recursion_error(text: str, platform: str | None) -> None:
    with pytest.raises(InputError) as err:
        parse_text(text, platform, "deep.txt")
    assert err.value.problems[0].line is not None


def test_deep_json_through_the_cli_exits_2(tmp_path: Path) -> None:
    from netcomply.app.cli.main import app

    f = tmp_path / "deep.json"
    f.write_text('{"nftables": ' + "[" * 100_000 + "]" * 100_000 + "}")
    result = CliRunner().invoke(app, ["firewall", "analyze", str(f), "-f", "json"])
    assert result.exit_code == 2 and "deep.json:1:" in result.output.replace("\n", "")


def test_fortios_long_line_is_linear() -> None:
    """Not a benchmark (bench_firewall_parse.py is): a 4 MB line took minutes with the quadratic tokenizer."""
    text = 'config firewall policy\n    edit 1\n        set comments "' + "x" * 4_000_000 + '"\n    next\nend\n'
    t0 = time.perf_counter()
    [rs] = fortigate.parse(text, "long.conf")
    assert time.perf_counter() - t0 < 20 and len(rs.rules[0].comment or "") == 4_000_000


def test_asa_standard_acl_matches_the_destination() -> None:
    sets = _sets("ntc-templates/asa/cisco_asa_show_access-list3.raw")
    [rule] = sets["sixth-acl"].rules
    assert rule.status == ParseStatus.EXACT and rule.action == Action.DENY
    assert rule.dst == (network("198.18.0.0/15"),) and rule.src != rule.dst


def test_ios_options_with_values_and_tcp_flags_are_approximate_not_unparsed() -> None:
    sets = _sets("ntc-templates/ios/cisco_ios_show_ip_access-lists_954.raw")
    rules = [r for rs in sets.values() for r in rs.rules]
    for marker in ("precedence internet", "tos normal", "match-all +ack -fin"):
        [rule] = [r for r in rules if r.provenance.text.endswith(marker) or f"{marker} log" in r.provenance.text]
        assert rule.status == ParseStatus.APPROXIMATE and rule.partial, rule
    [icmp] = [r for r in rules if "administratively-prohibited" in r.provenance.text]
    assert icmp.status == ParseStatus.EXACT and icmp.services[0].dport == (3 * 256 + 13,) * 2


def test_fortios_rename_updates_earlier_references_only() -> None:
    """Batfish's rename test: names used before a ``rename`` follow it; old names used after it are undefined."""
    [rs] = _sets("batfish/fortios/rename").values()
    first, second = rs.rules
    assert first.status == ParseStatus.EXACT and first.dst == (network("10.0.2.0/24"),)  # old_addr2, renamed later
    assert second.status == ParseStatus.UNPARSED and "old_addr1" in (second.reason or "")


def test_unparsed_rules_reach_the_report_as_parse_coverage_findings() -> None:
    from netcomply.app.pipelines.firewall import audit

    doc = audit([FILES / "ntc-templates/ios/cisco_ios_show_ip_access-lists_1104.raw"], "cisco_ios")
    assert doc["coverage"] < 1 and any(f["kind"] == "parse_coverage" for f in doc["findings"])


def test_junos_display_xml_filter_terms_and_binding() -> None:
    """``display xml`` of a filter on an interface (written from Junos's documented XML shape)."""
    text = ("<rpc-reply><configuration>\n<interfaces><interface><name>ge-0/0/0</name><unit><name>0</name><family>"
            "<inet>\n<filter><input><filter-name>PROTECT</filter-name></input></filter></inet></family></unit>"
            "</interface></interfaces>\n<firewall><family><inet><filter><name>PROTECT</name>\n<term><name>ssh"
            "</name><from><source-address><name>192.0.2.0/24</name></source-address><protocol>tcp</protocol>"
            "<destination-port>22</destination-port></from><then><accept/></then></term>\n<term inactive="
            "\"inactive\"><name>old</name><from><source-address><name>10.0.0.0/8</name></source-address>"
            "<source-address><name>10.1.0.0/16</name><except/></source-address></from><then><discard/></then>"
            "</term>\n</filter></inet></family></firewall>\n</configuration></rpc-reply>\n")
    [rs] = parse_text(text, None, "srx.xml")
    assert rs.name == "filter inet/PROTECT" and rs.bound_to == ("ge-0/0/0.0 in",)
    ssh, old = rs.rules
    assert (ssh.action, ssh.provenance.line, ssh.services[0].dport) == (Action.PERMIT, 5, (22, 22))
    assert not old.enabled and old.action == Action.DENY
    (lo8, hi8), (lo16, hi16) = network("10.0.0.0/8"), network("10.1.0.0/16")
    assert old.src == ((lo8, lo16 - 1), (hi16 + 1, hi8))  # 10.1.0.0/16 except: cut out
