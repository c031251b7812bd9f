"""The real tier: netmiko into a real sshd across namespaces, real nftables JSON, IPv6 between namespaces."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from netcomply.app.lab.realtier import RealTier
from netcomply.app.lab.realtier.names import CLIENT6, LAB_PREFIX4, LAB_PREFIX6, LINK4, LINK6
from netcomply.app.lab.realtier.nft import ruleset_files

pytestmark = [pytest.mark.root, pytest.mark.lab]

AVAILABLE, REASON = RealTier.available()
if not AVAILABLE:
    pytest.skip(REASON, allow_module_level=True)

CLIENT_MODULE = "netcomply.app.lab.realtier.client"
NFT_DIR = ruleset_files()[0].parent


def client(tier: RealTier, *commands: str, host: str | None = None,
           known_hosts: Path | None = None) -> dict[str, object]:
    target = tier.ssh_target
    argv = [sys.executable, "-m", CLIENT_MODULE, "--host", host or target.address, "--port", str(target.port),
            "--user", target.user, "--key", str(target.key_file),
            "--known-hosts", str(known_hosts or target.known_hosts)]
    for command in commands:
        argv += ["--command", command]
    proc = tier.run_in_client(argv, timeout=60)
    result: dict[str, object] = json.loads(proc.stdout)
    assert (proc.returncode == 0) == result["ok"], proc.stderr
    return result


def rule_comments(ruleset: dict[str, list[dict[str, dict[str, object]]]]) -> set[str]:
    return {str(item["rule"]["comment"]) for item in ruleset["nftables"] if "rule" in item
            and "comment" in item["rule"]}


def file_comments() -> set[str]:
    found: set[str] = set()
    for file in ruleset_files():
        found |= set(re.findall(r'\bcomment "([^"]+)"', file.read_text(encoding="utf-8")))
    return found


def test_netmiko_linux_reads_nft_and_ip_json_over_ssh(tier: RealTier) -> None:
    result = client(tier, "nft -j list ruleset", "ip -j -6 addr")
    assert result["ok"], result
    assert str(result["prompt"]).endswith("#")
    outputs = result["outputs"]
    assert isinstance(outputs, dict)
    ruleset = json.loads(outputs["nft -j list ruleset"])
    expected = file_comments()
    assert len(expected) >= 20
    assert rule_comments(ruleset) == expected  # every rule of every .nft file, nothing else
    families = {item["table"]["family"] for item in ruleset["nftables"] if "table" in item}
    assert families == {"inet", "ip", "ip6"}
    addresses = json.loads(outputs["ip -j -6 addr"])
    seen = {(a["local"], a["prefixlen"]) for link in addresses for a in link.get("addr_info", [])}
    assert (str(LINK6.ip), LINK6.network.prefixlen) in seen  # the firewall namespace answered, not the host


def test_host_key_is_verified_against_known_hosts(tier: RealTier, tmp_path: Path) -> None:
    other = tmp_path / "other_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    key_type, key_data = (tmp_path / "other_key.pub").read_text().split()[:2]
    wrong = tmp_path / "known_hosts"
    wrong.write_text(f"{tier.ssh_target.address} {key_type} {key_data}\n")
    result = client(tier, "hostname", known_hosts=wrong)
    assert not result["ok"]
    assert "key" in str(result["cause"]).lower(), result
    empty = tmp_path / "empty_known_hosts"
    empty.write_text("")
    unknown = client(tier, "hostname", known_hosts=empty)
    assert not unknown["ok"] and "known_hosts" in str(unknown["cause"]), unknown


def test_write_commands_are_refused_before_anything_is_sent(tier: RealTier) -> None:
    result = client(tier, "nft list ruleset", "nft flush ruleset")
    assert result == {"ok": False, "error": "ReadOnlyViolation", "cause": result["cause"]}
    listed = json.loads(tier.run_in_firewall(["nft", "-j", "list", "ruleset"]).stdout)
    assert rule_comments(listed) == file_comments()


def test_client_refuses_targets_outside_the_lab_prefixes(tier: RealTier) -> None:
    result = client(tier, "hostname", host="192.0.2.1")
    assert result["error"] == "TargetNotAllowed"


def test_ping_between_namespaces_over_ipv6_and_ipv4(tier: RealTier) -> None:
    six = tier.run_in_client(["ping", "-6", "-n", "-c", "1", "-W", "2", str(LINK6.ip)])
    assert six.returncode == 0 and "1 received" in six.stdout, six.stdout + six.stderr
    four = tier.run_in_client(["ping", "-4", "-n", "-c", "1", "-W", "2", str(LINK4.ip)])
    assert four.returncode == 0, four.stdout + four.stderr
    back = tier.run_in_firewall(["ping", "-6", "-n", "-c", "1", "-W", "2", str(CLIENT6.ip)])
    assert back.returncode == 0, back.stdout + back.stderr


def test_client_namespace_routes_only_to_the_lab(tier: RealTier) -> None:
    """No default route: nothing a client sends can leave the machine."""
    for family in ("-4", "-6"):
        routes = json.loads(tier.run_in_client(["ip", "-j", family, "route"]).stdout)
        assert routes
        for route in routes:
            assert route["dst"] != "default"
            if route["dst"].startswith("fe80") or route["dst"].startswith("ff"):
                continue
            net = route["dst"]
            assert net.startswith(str(LAB_PREFIX4.network_address).rsplit(".", 1)[0]) or \
                net.startswith(str(LAB_PREFIX6.network_address).rstrip(":")), route


def test_defects_list_names_loaded_rules(tier: RealTier) -> None:
    defects = yaml.safe_load((NFT_DIR / "defects.yaml").read_text(encoding="utf-8"))
    ids = {c.split()[0] for c in rule_comments(json.loads(
        tier.run_in_firewall(["nft", "-j", "list", "ruleset"]).stdout))}
    kinds = set()
    for file, entries in defects.items():
        assert (NFT_DIR / file).is_file()
        for entry in entries:
            kinds.add(entry["defect"])
            if "/" not in entry["rule"]:
                assert entry["rule"] in ids, entry
            assert set(entry.get("by", [])) <= ids
    assert {"shadowed", "any_any_accept", "cleartext_service", "no_counter_or_log"} <= kinds
