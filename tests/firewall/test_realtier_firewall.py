"""The firewall collector's Linux path on the real tier: real nftables in a network namespace, read over a real
sshd by netmiko from the client namespace with the exact commands the collector sends (nft JSON and the
``ip -j`` outputs), turned into rule sets the way the collector does, and compared with the planted defects
(netcomply/app/lab/data/nftables/defects.yaml), including the irrelevant rule only the interfaces reveal."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from collectors.firewall import linux
from collectors.firewall.anomaly import analyze
from netcomply.app.lab.realtier import RealTier

pytestmark = [pytest.mark.root, pytest.mark.lab]

AVAILABLE, REASON = RealTier.available()
DEFECTS = Path(__file__).resolve().parents[2] / "netcomply" / "app" / "lab" / "data" / "nftables" / "defects.yaml"


@pytest.fixture(scope="module")
def tier(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealTier]:
    if not AVAILABLE:
        pytest.skip(REASON)
    with RealTier.up(tmp_path_factory.mktemp("fw-realtier")) as running:
        yield running


def _collect(tier: RealTier) -> dict[str, str]:
    t = tier.ssh_target
    argv = [sys.executable, "-m", "netcomply.app.lab.realtier.client", "--host", t.address, "--port", str(t.port),
            "--user", t.user, "--key", str(t.key_file), "--known-hosts", str(t.known_hosts)]
    for command in linux.COMMANDS:
        argv += ["--command", command]
    proc = tier.run_in_client(argv, timeout=60)
    result = json.loads(proc.stdout)
    assert result["ok"], result
    return dict(result["outputs"])


def test_real_nftables_with_interfaces_reveal_the_planted_irrelevant_rule(tier: RealTier) -> None:
    outputs = _collect(tier)
    sets = {rs.name: rs for rs in linux.rulesets(outputs, "ssh:realtier")}
    edge = sets["inet city_edge/input"]
    ifname = tier.names.firewall_if
    # The firewall namespace's own interfaces: the LAN link (with the tier's addresses) and loopback.
    assert {ifname, "lo"} <= set(edge.zone_networks)
    found: dict[str, set[str]] = {}
    for rs in sets.values():
        for a in analyze(rs):
            comment = rs.rules[a.rule].comment or ""
            found.setdefault(a.kind, set()).add(comment.split()[0] if comment else rs.rules[a.rule].name)
    planted = yaml.safe_load(DEFECTS.read_text())
    irrelevant = {d["rule"] for file in planted.values() for d in file if d["defect"] == "irrelevant"}
    assert found.get("irrelevant", set()) == irrelevant == {"E12"}
    shadowed = {d["rule"] for file in planted.values() for d in file if d["defect"] == "shadowed"}
    assert shadowed <= found.get("shadowed", set()) | found.get("redundant", set())
