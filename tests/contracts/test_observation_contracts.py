"""Every observation netcomply writes validates against its kind's contract (netcomply.contracts).

The observations come from what the tool really writes, never from hand-made dicts: a full audit of the lab
(SSH + SNMP devices, services, hotspots, with an asset and an exception register), the offline firewall path
(``collectors.firewall.observe`` over real configurations of seven platforms) and the drill report of the public
Gophish-shaped fixtures (the ``netcomply drill report`` command). Validation is pydantic's, strict on required keys
and on types, over the contract TypedDict; a top-level key the contract does not name fails too (an undocumented
field is a hidden contract again).
"""

from __future__ import annotations

import functools
import json
import operator
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest
import typing_extensions as te
from pydantic import TypeAdapter, ValidationError

from collectors.firewall.bindings import assign_roles
from collectors.firewall.observe import observations as firewall_observations
from collectors.firewall.parsers import parse_text
from compliance.checks.drill import summary_observation
from netcomply.contracts.registry import CONTRACTS, ContractError, contract, contract_of
from netcomply.models import Observation

FIREWALL_FIXTURES = Path(__file__).parents[1] / "firewall" / "fixtures"
DRILL_FIXTURES = Path(__file__).parents[1] / "drill" / "fixtures"
#: Real configurations of each platform the offline ``netcomply firewall analyze`` reads (SOURCES beside them).
FIREWALL_FILES = ("asa_running_config.txt", "fortigate_v6_74.conf", "iptables_save_c.txt", "junos_display_xml.xml",
                  "panos_running_config.xml", "nft_list_ruleset_a.txt", "ios_show_ip_access_lists.txt")

#: Kinds whose contract belongs to another area's module and is not written yet (kind -> who writes it). Keep this
#: short: each entry is a hidden shape; remove it when the contract lands.
PENDING: dict[str, str] = {}

_ADAPTERS: dict[type, TypeAdapter[Any]] = {}
_MIRRORS: dict[type, Any] = {}


def pydantic_view(hint: Any) -> Any:
    """The same type with every ``typing.TypedDict`` mirrored as a ``typing_extensions`` one: pydantic reads only
    those on Python < 3.12, and the contracts stay standard-library only (the base layer's rule)."""
    if is_typeddict(hint):
        if hint not in _MIRRORS:
            hints = get_type_hints(hint)
            required = hint.__required_keys__
            _MIRRORS[hint] = te.TypedDict(hint.__name__, {  # type: ignore[operator]
                k: (te.Required if k in required else te.NotRequired)[pydantic_view(v)] for k, v in hints.items()})
        return _MIRRORS[hint]
    args = get_args(hint)
    if not args:
        return hint
    origin = get_origin(hint)
    if origin is Literal:
        return hint
    if origin in (Union, UnionType):
        return functools.reduce(operator.or_, (pydantic_view(a) for a in args))
    return origin[tuple(pydantic_view(a) for a in args)]


def problems(obs: Observation) -> list[str]:
    """What is wrong with one observation's data against its kind's contract (empty: it validates)."""
    typed, _ = contract(obs.kind)
    adapter = _ADAPTERS.get(typed) or _ADAPTERS.setdefault(typed, TypeAdapter(pydantic_view(typed)))
    out = []
    known = typed.__required_keys__ | typed.__optional_keys__  # type: ignore[attr-defined]
    out += [f"{obs.kind}: key {k!r} is not in the contract {typed.__name__}" for k in sorted(set(obs.data) - known)]
    try:
        adapter.validate_python(obs.data, strict=True)
    except ValidationError as exc:
        out += [f"{obs.kind} ({obs.device}): {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
    return out


def all_problems(observations: Iterable[Observation]) -> list[str]:
    return [p for o in observations for p in problems(o)]


@pytest.fixture(scope="module")
def lab_observations(lab_audit: dict[str, Any]) -> list[Observation]:
    """A full lab audit, with the agency's registers, as the store keeps it (read back: JSON round trip): the
    session's shared audit (tests/conftest.py)."""
    return list(lab_audit["observations"])


def offline_firewall_observations() -> list[Observation]:
    out = []
    for name in FIREWALL_FILES:
        path = FIREWALL_FIXTURES / name
        text = path.read_text(encoding="utf-8")
        sets = parse_text(text, None, str(path))
        assign_roles(sets, text, str(path))
        out += firewall_observations(sets, path.stem, "firewall_offline", f"file:{name}")
    return out


def drill_observation(tmp_path: Path) -> Observation:
    """The drill report the command writes, turned into its observation as the command's checks do."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "netcomply"), "drill", "report", str(DRILL_FIXTURES / "gophish-results.csv"), str(DRILL_FIXTURES / "gophish-events.csv"),
         "--roster", str(DRILL_FIXTURES / "roster.csv"), "-f", "json", "--lang", "en", "--out", str(tmp_path), "-q"],
        capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    doc = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    doc.pop("findings")  # the command judges the document before it adds the findings to the file
    return summary_observation(doc, ["2026-04-07T09:00:00+08:00"])


# ---------------------------------------------------------------------------------------------- the lab audit


@pytest.mark.lab
def test_every_observation_of_a_lab_audit_validates_against_its_contract(
        lab_observations: list[Observation]) -> None:
    kinds = {o.kind for o in lab_observations}
    # the audit wrote the areas it should (a lab change that drops one would make this test vacuous)
    assert {"device.cli_facts", "device.snmp_system", "device.config", "ipv6.device", "ipv6.service",
            "hotspot.ap_state", "hotspot.wlan", "hotspot.availability", "firewall.rule", "firewall.ruleset",
            "firewall.anomaly", "vendor.identity", "vendor.register"} <= kinds
    missing = sorted(k for k in kinds if k not in CONTRACTS and k not in PENDING)
    assert not missing, f"kinds written without a contract: {missing}"
    bad = all_problems(o for o in lab_observations if o.kind in CONTRACTS)
    assert not bad, "\n".join(bad[:40])


# ------------------------------------------------------------------------------------------ the offline paths


def test_offline_firewall_observations_validate_on_every_platform() -> None:
    obs = offline_firewall_observations()
    assert {o.kind for o in obs} == {"firewall.rule", "firewall.ruleset", "firewall.anomaly"}
    assert len({o.device for o in obs if o.kind == "firewall.ruleset"}) == len(FIREWALL_FILES)
    bad = all_problems(obs)
    assert not bad, "\n".join(bad[:40])


def test_drill_summary_validates(tmp_path: Path) -> None:
    obs = drill_observation(tmp_path)
    assert obs.kind in CONTRACTS
    assert not problems(obs), problems(obs)


def test_nmap_host_validates() -> None:
    from collectors.transports.nmap import parse_nmap_xml

    xml = (Path(__file__).parent / "fixtures" / "nmap-comware.xml").read_text(encoding="utf-8")
    (host,) = parse_nmap_xml(xml)
    obs = Observation(host.address, "nmap", "nmap.host", host.to_dict(), "nmap:-sV")
    assert not problems(obs), problems(obs)


# ------------------------------------------------------------------------------------ the checker can say no


def test_a_wrong_shape_is_caught() -> None:
    """The validation is not vacuous: a missing key, a wrong type, an undocumented key and a wrong literal fail."""
    (good, *_) = [o for o in offline_firewall_observations() if o.kind == "firewall.rule"]
    assert not problems(good)
    cases: dict[str, dict[str, Any]] = defaultdict(dict)
    cases["missing"] = {k: v for k, v in good.data.items() if k != "src_ranges"}
    cases["type"] = {**good.data, "line": "12"}  # strict: a numeric string is not an int
    cases["extra"] = {**good.data, "undocumented": 1}
    cases["literal"] = {**good.data, "action": "allow"}
    cases["nested"] = {**good.data, "services": [{**good.data["services"][0], "proto": "tcp"}]}
    for name, data in cases.items():
        assert problems(Observation(good.device, good.collector, good.kind, data, good.source)), name


def test_contract_of_checks_kind_and_version() -> None:
    from netcomply.contracts.firewall import FirewallRule, FirewallRuleset

    (rule,) = [o for o in offline_firewall_observations() if o.kind == "firewall.rule"][:1]
    assert contract_of(rule, FirewallRule)["index"] == rule.data["index"]
    with pytest.raises(ContractError, match="FirewallRule, not a FirewallRuleset"):
        contract_of(rule, FirewallRuleset)
    with pytest.raises(ContractError, match="version 1"):
        contract_of(rule, FirewallRule, versions=(2,))
    with pytest.raises(ContractError, match="no contract"):
        contract("firewall.nothing")


def test_every_contract_is_a_typeddict_with_a_positive_version() -> None:
    for kind, (typed, version) in CONTRACTS.items():
        assert kind.split(".")[0] in {"device", "ipv6", "hotspot", "firewall", "nmap", "drill", "vendor"}, kind
        assert hasattr(typed, "__required_keys__") and typed.__doc__, kind
        assert isinstance(version, int) and version >= 1, kind
