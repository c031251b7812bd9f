"""The collector's commands pass the read-only guard; the CLI's JSON shape, exit codes and diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectors.base import available
from collectors.firewall.collector import COMMANDS, UPTIME
from netcomply.app.cli.firewall_cmd import app
from netcomply.safety.readonly import check_command

FIX = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("platform", sorted(COMMANDS))
def test_every_collector_command_is_read_only(platform: str) -> None:
    for command in (*COMMANDS[platform][1], *([UPTIME[platform]] if platform in UPTIME else [])):
        assert check_command(command, platform) == command
    assert "firewall_rules" in available()


def test_analyze_json_shape() -> None:
    r = CliRunner().invoke(app, ["analyze", str(FIX / "asa_running_config.txt"), "--format", "json",
                                 "--now", "2026-11-22"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    # every entry is modelled since TCP+UDP protocol groups without ports are exact
    assert doc["rules"] == 7 and doc["coverage"] == 1.0
    kinds = {f["kind"] for f in doc["findings"]}
    assert {"redundant", "expired", "disabled", "no_comment"} <= kinds and "parse_coverage" not in kinds
    f = next(f for f in doc["findings"] if f["kind"] == "expired")
    assert set(f) >= {"kind", "severity", "rule", "related", "message"}
    assert set(f["rule"]) == {"line", "text", "name"} and "VENDOR-WINDOW" in f["rule"]["text"]
    red = next(f for f in doc["findings"] if f["kind"] == "redundant")
    assert red["related"][0]["line"] == red["rule"]["line"] - 2


def test_analyze_csv_and_table() -> None:
    r = CliRunner().invoke(app, ["analyze", str(FIX / "district-legacy.nft.json"), "--format", "csv"])
    assert r.exit_code == 0 and r.output.startswith("severity,kind,")
    assert "any_any" in r.output and "shadowed" in r.output
    r = CliRunner().invoke(app, ["analyze", str(FIX / "district-legacy.nft.json")])
    assert r.exit_code == 0 and "parse coverage 100.0%" in r.output


def test_bad_input_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello world\n")
    r = CliRunner().invoke(app, ["analyze", str(junk)])
    assert r.exit_code == 2 and "junk.txt" in r.output and "--platform" in r.output
    bad = tmp_path / "bad.json"
    bad.write_text('{"nftables": [')
    r = CliRunner().invoke(app, ["analyze", str(bad), "--platform", "nft"])
    assert r.exit_code == 2 and "not nft JSON" in r.output
    r = CliRunner().invoke(app, ["analyze", str(tmp_path / "missing.txt")])
    assert r.exit_code == 2


def test_diff_shows_newly_permitted_flows(tmp_path: Path) -> None:
    old = tmp_path / "old.txt"
    new = tmp_path / "new.txt"
    old.write_text("access-list IN extended permit tcp any host 203.0.113.10 eq https\n"
                   "access-list IN extended deny ip any any log\n")
    new.write_text("access-list IN extended permit tcp any host 203.0.113.10 eq https\n"
                   "access-list IN extended permit tcp 198.51.100.0 255.255.255.0 host 203.0.113.10 eq telnet\n"
                   "access-list IN extended deny ip any any log\n")
    r = CliRunner().invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert r.exit_code == 0, r.output
    [d] = json.loads(r.output)
    assert d["new_flows"] and all("203.0.113.10 tcp/23" in f["flow"] for f in d["new_flows"])
    assert all(f["rule"]["line"] == 2 for f in d["new_flows"])
    r = CliRunner().invoke(app, ["diff", str(new), str(old), "--format", "json"])
    assert json.loads(r.output)[0]["new_flows"] == []


def test_linux_ip_outputs_bad_and_good(tmp_path: Path) -> None:
    ip = [str(FIX / f"city-edge.{k}.json") for k in ("ip-addr", "ip-route", "ip6-route")]
    bad = tmp_path / "addr.json"
    bad.write_text('{"not": "a list"}')
    r = CliRunner().invoke(app, ["analyze", str(FIX / "city-edge.nft.json"), "--linux-ip", str(bad), *ip[1:]])
    assert r.exit_code == 2 and f"{bad}: not the JSON list of 'ip -j address show'" in r.output
    r = CliRunner().invoke(app, ["analyze", str(FIX / "city-edge.nft.json"), "--format", "json", "--linux-ip", *ip])
    assert r.exit_code == 0, r.output
    assert [f["rule"]["text"].split('comment "')[1].split()[0] for f in json.loads(r.output)["findings"]
            if f["kind"] == "irrelevant"] == ["E12"]
