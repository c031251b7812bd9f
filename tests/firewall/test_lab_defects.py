"""The analysis finds every defect planted in the lab: the real tier's nftables rule sets (defects.yaml, by
rule id) and the simulated ASA and IOS firewalls' rule sets (the .j2 templates' own comments).

The simulated firewalls' templates take their object addresses from the device's interfaces (as the lab's
profiles derive them), so the tests render them with the interfaces of three lab positions: exactly the one
planted irrelevant rule must be found whatever the addressing.

The nft JSON fixtures are ``nft -j list ruleset`` output of the lab's .nft files, loaded by nft 1.0.6 in a
private network namespace (regenerate: ``unshare -rn sh -c 'nft -f F.nft && nft -j list ruleset'``). For
city-edge the same namespace's ``ip -j address show`` / ``ip -j route show`` / ``ip -6 -j route show`` were
captured too (a veth with the tier's firewall addresses 198.51.100.1/26 and 2001:db8:100:1::1/64; the veth peer,
which lives in the client namespace in the tier, left out).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml

from netcomply.app.pipelines.firewall import audit

FIX = Path(__file__).parent / "fixtures"
LAB = Path(__file__).resolve().parents[2] / "netcomply" / "app" / "lab" / "data"
DEFECT_KINDS = {"cleartext_service": {"insecure_service"}, "no_counter_or_log": {"no_log"},
                "deny_without_log": {"no_final_deny"}, "any_any_accept": {"any_any"}, "wide_port_range": {"wide"},
                "shadowed": {"shadowed", "redundant"}, "irrelevant": {"irrelevant"}}
NOW = "2026-11-22T00:00:00+00:00"


def _id(text: str | None) -> str | None:
    return text.split('comment "', 1)[1].split()[0] if text and 'comment "' in text else None


@pytest.mark.parametrize("name", ["city-edge", "district-legacy"])
def test_nft_planted_defects_are_found(name: str) -> None:
    planted = yaml.safe_load((LAB / "nftables" / "defects.yaml").read_text())[f"{name}.nft"]
    from datetime import datetime
    # The host's own "ip -j" outputs (captured with the rule set) say which addresses each interface can see.
    ip = tuple(FIX / f"{name}.{kind}.json" for kind in ("ip-addr", "ip-route", "ip6-route"))
    linux_ip = ip if all(f.exists() for f in ip) else None
    doc = audit([FIX / f"{name}.nft.json"], "nft", now=datetime.fromisoformat(NOW), linux_ip=linux_ip)  # type: ignore[arg-type]
    found: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for f in doc["findings"]:
        key = _id(f["rule"]["text"]) if f["rule"] else f["ruleset"].split()[-1]
        found.setdefault((key, f["kind"]), []).append(f)
    for d in planted:
        if d["defect"] == "policy_accept":
            assert (d["rule"], "no_final_deny") in found, d
            continue
        hits = [f for k in DEFECT_KINDS[d["defect"]] for f in found.get((d["rule"], k), [])]
        assert hits, f"{name}: planted {d} not found"
        if d["defect"] == "shadowed":
            assert any(sorted(str(_id(r["text"])) for r in f["related"]) == sorted(d["by"]) for f in hits), hits
    # Exactly the planted rules are hidden: no invented shadowing.
    hidden = {k for (k, kind), fs in found.items() if kind in ("shadowed", "redundant")
              and any("never" in f["message"] or "already gets" in f["message"] for f in fs)}
    assert hidden == {d["rule"] for d in planted if d["defect"] == "shadowed"}
    irrelevant = {key for (key, kind) in found if kind == "irrelevant"}
    assert irrelevant == {d["rule"] for d in planted if d["defect"] == "irrelevant"}
    assert doc["coverage"] > 0.9


def _render(template: str, **env: Any) -> str:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(LAB / "ssh")).get_template(template).render(**env)


def _lab_vars(platform: str, index: int) -> dict[str, Any]:
    from netcomply.app.lab.sshsim.profile import make_vars
    return make_vars(f"fw{index}", platform, index, brand="lab", model="lab")


def _irrelevant(doc: dict[str, Any]) -> set[str]:
    return {x["rule"]["name"] for x in doc["findings"] if x["kind"] == "irrelevant"}


@pytest.mark.parametrize("index", [0, 1, 2])
def test_asa_lab_firewall_defects(tmp_path: Path, index: int) -> None:
    f = tmp_path / "asa.txt"
    env = _lab_vars("cisco_asa", index)
    f.write_text("\n".join(_render(f"cisco_asa/{t}.j2", **env) for t in (
        "show_running_config_interface", "show_running_config_route", "show_running_config_access_group",
        "show_access_list")))
    doc = audit([f], None)
    by = {(x["kind"], x["rule"]["name"] if x["rule"] else None) for x in doc["findings"]}
    assert _irrelevant(doc) == {"INSIDE_OUT line 3"}  # the dmz's own network, in on `inside`
    assert ("redundant", "OUTSIDE_IN line 3") in by  # hidden behind line 1 (same action: never fires)
    assert ("insecure_service", "OUTSIDE_IN line 4") in by
    assert ("any_any", "OUTSIDE_IN line 5") in by
    assert ("shadowed", "OUTSIDE_IN line 6") in by  # the final deny never fires after the any-any
    assert {n for k, n in by if k == "no_log"} >= {"OUTSIDE_IN line 1", "OUTSIDE_IN line 4", "OUTSIDE_IN line 5"}
    assert ("no_log", "OUTSIDE_IN line 2") not in by
    assert doc["coverage"] == 1.0


def test_ios_lab_router_defects(tmp_path: Path) -> None:
    f = tmp_path / "ios.txt"
    f.write_text(_render("cisco_ios/show_ip_access_lists.j2", mgmt_ipv4="192.0.2.10"))
    doc = audit([f], "cisco_ios")
    by = {(x["kind"], x["rule"]["name"] if x["rule"] else None) for x in doc["findings"]}
    assert ("redundant", "USER-IN 20") in by  # inside "permit ip 198.51.100.0/24 any" (line 10)
    assert ("insecure_service", "VTY-IN 20") in by
    assert ("any_any", "USER-IN 40") in by
    assert ("no_final_deny", None) in by  # USER-IN ends with a permit


@pytest.mark.parametrize("index", [0, 1, 2])
def test_fortigate_lab_firewall_defects(tmp_path: Path, index: int) -> None:
    f = tmp_path / "forti.txt"
    f.write_text(_render("fortinet/show.j2", **{**_lab_vars("fortinet", index), "hostname": "fw"}))
    doc = audit([f], None)
    by = {(x["kind"], x["rule"]["name"] if x["rule"] else None) for x in doc["findings"]}
    assert _irrelevant(doc) == {"STALE-WAN-SRC"}  # wan1's own network, from port1
    assert ("redundant", "PARTNER-to-WEB") in by  # policy 4 behind policy 1
    assert ("insecure_service", "VENDOR-TELNET") in by
    assert ("any_any", "TEMP-ANY") in by
    assert {n for k, n in by if k == "no_log"} == {"VENDOR-TELNET", "TEMP-ANY"}
    mgmt = [x["message"] for x in doc["findings"] if x["kind"] == "mgmt_exposure"]
    assert any("wan1" in m and "telnet" in m for m in mgmt) and not any("port1" in m for m in mgmt)
    assert doc["coverage"] == 1.0


@pytest.mark.parametrize("index", [0, 1, 2])
def test_juniper_srx_lab_firewall_defects(tmp_path: Path, index: int) -> None:
    f = tmp_path / "srx.txt"
    f.write_text(_render("juniper_junos/show_configuration_set.j2", **{**_lab_vars("juniper_junos", index),
                                                                        "hostname": "srx"}))
    doc = audit([f], None)
    by = {(x["kind"], x["rule"]["name"] if x["rule"] else None) for x in doc["findings"]}
    assert _irrelevant(doc) == {"STALE-DMZ-OUT"}  # the dmz's own network, from zone trust
    assert ("redundant", "PARTNER-WEB") in by  # behind WAN-to-WEB in the same zone pair
    assert ("insecure_service", "VENDOR-TELNET") in by
    assert ("any_any", "TEMP-ANY") in by  # any-any within trust -> dmz
    assert {n for k, n in by if k == "no_log"} == {"VENDOR-TELNET", "TEMP-ANY"}
    assert doc["coverage"] == 1.0


@pytest.mark.parametrize("index", [0, 1, 2])
def test_paloalto_lab_firewall_defects(tmp_path: Path, index: int) -> None:
    f = tmp_path / "pan.txt"
    from netcomply.app.lab.sshsim.render import environment  # the simulator's own filters and settings
    env = _lab_vars("paloalto_panos", index)
    f.write_text("\n".join(environment().get_template(f"paloalto_panos/{t}.j2").render(**env) for t in (
        "show_interface_all", "show_routing_route", "show_running_security_policy")))
    doc = audit([f], None)
    by = {(x["kind"], x["rule"]["name"] if x["rule"] else None) for x in doc["findings"]}
    assert _irrelevant(doc) == {"STALE-DMZ-SRC"}  # the dmz's own network, from zone trust
    assert ("redundant", "PARTNER-WEB") in by  # same App-ID and port, inside WAN-to-WEB
    assert ("insecure_service", "VENDOR-TELNET") in by
    assert ("any_any", "TEMP-ANY-ANY") in by
    assert ("shadowed", "interzone-deny") in by  # the explicit deny never fires after the any-any allow
    assert not {k for k, _ in by} & {"no_log", "no_comment"}  # this output does not show them: no claim
    assert doc["coverage"] == 1.0
