"""Roles on a collected device, end to end: the lab IOS router cg-rtr1 over SSH, through an audit that judges.

Its configuration (netcomply/app/lab/data/ssh/cisco_ios/show_running_config.j2) holds one ACL of each role:
BGP-ANNOUNCE only in ``route-map TO-ISP`` (a BGP neighbor's outbound filter), MGMT-SNMP on ``snmp-server
community``, VTY-IN on ``line vty``'s ``access-class``, USER-IN used by nothing. Each must get its role, and
only the checks of its role (compliance.checks.firewall.ROLE_CHECKS) may judge it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compliance.checks.firewall import ROLE_CHECKS
from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.lab.manager import LabInfo
from netcomply.inventory import load_inventory
from netcomply.models import DeviceStatus, FindingStatus
from netcomply.store import Store

pytestmark = pytest.mark.lab

EXPECTED = {"BGP-ANNOUNCE": ["route_filter"], "MGMT-SNMP": ["management"], "VTY-IN": ["management"],
            "USER-IN": ["unbound"]}


def _audit(lab: LabInfo, tmp: Path, collectors: list[str]) -> dict[str, Any]:
    inv = load_inventory(lab.inventory)
    with Store.open(tmp / "roles.db") as store:
        run, _ = run_audit(inv, store, AuditOptions(collectors=collectors, limit="cg-rtr1", operator="pytest"))
        records = store.artifact_records(run.id)
        return {"results": store.device_results(run.id), "obs": list(store.observations(run.id)),
                "findings": store.findings(run.id), "artifacts": records,
                "texts": {a.source: store.artifact_content(a.sha256).decode() for a in records}}


def _by_acl(findings: list[Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in findings:
        if f.status is FindingStatus.FAIL and f.details.get("device") == "cg-rtr1":
            out.setdefault(f.details["ruleset"], set()).add(f.details["kind"])
    return out


@pytest.fixture(scope="module")
def both(city_lab: LabInfo, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _audit(city_lab, tmp_path_factory.mktemp("both"), ["running_config", "firewall_rules"])


def test_each_acl_gets_its_role_and_only_its_roles_findings(both: dict[str, Any]) -> None:
    bad = [(r.collector, r.cause) for r in both["results"] if r.status != DeviceStatus.OK]
    assert not bad, bad
    roles = {o.data["ruleset"]: o.data["roles"] for o in both["obs"] if o.kind == "firewall.ruleset"}
    assert roles == EXPECTED
    uses = {o.data["ruleset"]: o.data["uses"] for o in both["obs"] if o.kind == "firewall.ruleset"}
    assert uses["BGP-ANNOUNCE"] == ["route_filter: route-map TO-ISP"]
    assert uses["VTY-IN"] == ["management: line vty 0 4"]
    found = _by_acl(both["findings"])
    for acl, kinds in found.items():
        allowed = set().union(*(ROLE_CHECKS[r] or set() for r in EXPECTED[acl]))
        assert kinds <= allowed, (acl, kinds - allowed)
    # What each role is judged for is still found: telnet on the VTY lines, the unused ACL, its hidden line.
    assert "insecure_service" in found["VTY-IN"]
    assert {"unbound", "redundant"} <= found["USER-IN"]
    # The route filter's "permit any" and the unbound ACL's "permit ip any any" are not packet filters.
    assert not {"any_any", "no_final_deny", "no_log", "wide"} & (found.get("BGP-ANNOUNCE", set()) | found["USER-IN"])


def test_the_configuration_is_fetched_once_and_cited(both: dict[str, Any]) -> None:
    configs = [a for a in both["artifacts"] if a.device == "cg-rtr1" and a.source == "ssh:show running-config"]
    assert [a.collector for a in configs] == ["running_config"]
    cited = {sha for o in both["obs"] if o.kind == "firewall.ruleset" for sha in o.artifacts}
    assert configs[0].sha256 in cited


def test_alone_the_firewall_collector_fetches_the_configuration_itself(city_lab: LabInfo, tmp_path: Path) -> None:
    alone = _audit(city_lab, tmp_path, ["firewall_rules"])
    roles = {o.data["ruleset"]: o.data["roles"] for o in alone["obs"] if o.kind == "firewall.ruleset"}
    assert roles == EXPECTED
    configs = [a for a in alone["artifacts"] if a.device == "cg-rtr1" and a.source == "ssh:show running-config"]
    assert [a.collector for a in configs] == ["firewall_rules"]
    # The parser's own commands now get real sections from the simulator, not an error.
    vty = alone["texts"]["ssh:show running-config | section line vty"]
    assert vty.splitlines()[:2] == ["line vty 0 4", " access-class VTY-IN in"], vty
