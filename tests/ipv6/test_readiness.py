"""Readiness roll-up (pure): percentages per phase and agency, the lists behind them, trend, user rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.ipv6_readiness import (
    Verdict,
    compare,
    counted,
    device_verdict,
    load_rules,
    merge_device,
    readiness,
    service_verdict,
)
from compliance.thresholds import load_thresholds
from netcomply.errors import InputError

RULES = load_rules(load_thresholds())

verdicts = st.lists(
    st.builds(
        lambda kind, name, agency, phase, ready: Verdict(
            f"{kind}:{name}", kind, name, agency, 3 if kind == "device" else phase, ready,
            () if ready else (f"{name} broken",)),
        st.sampled_from(["web", "dns", "mail", "device"]), st.from_regex(r"[a-z]{1,6}", fullmatch=True),
        st.sampled_from(["city-gov", "edu-bureau", "district", None]), st.integers(1, 3), st.booleans()),
    max_size=40, unique_by=lambda v: v.key)


@settings(max_examples=80, deadline=None)
@given(verdicts)
def test_percentages_and_lists_add_up(vs: list[Verdict]) -> None:
    result = readiness(vs, RULES, as_of=date(2026, 1, 1))
    for row in result["phases"]:
        mine = [v for v in vs if counted(v, RULES.phase(row["phase"]))]
        assert row["total"] == len(mine)
        assert row["ready"] == sum(v.ready for v in mine)
        assert len(row["failing"]) == row["total"] - row["ready"]
        assert {f["key"] for f in row["failing"]} == {v.key for v in mine if not v.ready}
        if mine:
            assert row["percent"] == round(100 * row["ready"] / row["total"], 1)
            assert row["met"] == (row["ready"] == row["total"])  # every shipped target is 100 %
            assert row["overdue"] == (not row["met"] and row["due"] is not None)
        else:
            assert row["percent"] is None
    assert sum(a["total"] for a in result["agencies"]) == sum(p["total"] for p in result["phases"])


@settings(max_examples=50, deadline=None)
@given(verdicts, verdicts)
def test_trend_names_what_got_fixed_and_what_broke(before: list[Verdict], after: list[Verdict]) -> None:
    old, new = readiness(before, RULES), readiness(after, RULES)
    change = compare(new, old)
    was_failing = {v.key for v in before if not v.ready}
    now_ready = {v.key for v in after if v.ready}
    assert set(change["fixed"]) == was_failing & now_ready
    assert set(change["broke"]) == {v.key for v in after if not v.ready} & {v.key for v in before if v.ready}
    for key, delta in change["phases"].items():
        now = next(p for p in new["phases"] if str(p["phase"]) == key)["percent"]
        then = next(p for p in old["phases"] if str(p["phase"]) == key)["percent"]
        assert delta == (round(now - then, 1) if now is not None and then is not None else None)


def _web(similarity: float) -> dict:
    fam = {"address": "::1", "http": {"ok": True, "status": 200},
           "https": {"ok": True, "status": 200, "tls_verified": True, "cert_sha256": "aa"}}
    return {"service": "www.x.example", "kind": "web", "agency": "a", "phase": 1, "errors": [],
            "hosts": [{"host": "www.x.example", "a": ["192.0.2.1"], "aaaa": ["2001:db8::1"], "ipv4": fam,
                       "ipv6": fam, "same_certificate": True, "content_similarity": similarity}]}


def test_content_similarity_threshold_is_data(tmp_path: Path) -> None:
    assert service_verdict(_web(0.95), RULES).ready
    assert not service_verdict(_web(0.5), RULES).ready
    strict = tmp_path / "t.yaml"
    strict.write_text("ipv6:\n  content_similarity_min: 0.99\n", encoding="utf-8")
    assert not service_verdict(_web(0.95), load_rules(load_thresholds(strict))).ready


def test_phases_are_data_a_user_can_change(tmp_path: Path) -> None:
    custom = tmp_path / "phases.yaml"
    custom.write_text("phases:\n  1: {name: A, counts: [services]}\n  2: {name: B, counts: [services]}\n"
                      "  3: {name: C, counts: [services]}\ndevice_roles: [router]\n", encoding="utf-8")
    rules = load_rules(load_thresholds(), custom)
    dev = device_verdict("r1", {"global_addresses": [], "agency": "a"})
    assert not counted(dev, rules.phase(3)) and counted(dev, RULES.phase(3))
    bad = tmp_path / "bad.yaml"
    bad.write_text("phases:\n  1: {name: A, counts: [routers]}\n  2: {name: B}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_rules(load_thresholds(), bad)
    text = str(err.value)
    assert "bad.yaml" in text and "routers" in text and "phase 3 is not defined" in text


def test_device_facts_merge_ssh_over_snmp() -> None:
    ssh = {"source": "ssh", "global_addresses": [{"interface": "Vlan10", "address": "2001:db8::1", "prefixlen": 64}],
           "routing_enabled": True, "acls": ["V6"], "acls_present": True, "role": "router"}
    snmp = {"source": "snmp", "global_addresses": [{"interface": "Vlan1", "address": "2001:db8:1::1",
                                                    "prefixlen": 64}],
            "routing_enabled": False, "acls": [], "acls_present": None, "role": "router"}
    merged = merge_device([snmp, ssh])
    assert merged["routing_enabled"] is True and merged["acls_present"] is True
    assert [g["address"] for g in merged["global_addresses"]] == ["2001:db8:1::1", "2001:db8::1"]
    assert device_verdict("r1", merged).ready
    assert not device_verdict("r1", merge_device([snmp])).ready  # SNMP says forwarding off


def _dns_host(name: str, aaaa: bool, udp: bool, tcp: bool) -> dict:
    v6 = {"address": "2001:db8::53", "udp": {"ok": udp, "error": None if udp else "connection refused"},
          "tcp": {"ok": tcp, "error": None if tcp else "connection refused"}} if aaaa else None
    return {"host": name, "a": ["192.0.2.53"], "aaaa": ["2001:db8::53"] if aaaa else [], "ipv6": v6,
            "ipv4": {"address": "192.0.2.53", "udp": {"ok": True}, "tcp": {"ok": True}}}


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), min_size=1, max_size=4))
def test_dns_zone_is_ready_iff_every_name_server_answers_over_ipv6_on_udp_and_tcp(servers) -> None:
    hosts = [_dns_host(f"ns{i}.x.example", *s) for i, s in enumerate(servers)]
    verdict = service_verdict({"service": "x.example", "kind": "dns", "phase": 1, "hosts": hosts}, RULES)
    good = [a and u and t for a, u, t in servers]
    assert verdict.ready == all(good)
    assert verdict.hosts_ready == sum(good) and verdict.hosts_total == len(servers)
    for i, ok in enumerate(good):  # every bad server is named, no good one is
        assert any(f"ns{i}.x.example" in r for r in verdict.reasons) == (not ok)
