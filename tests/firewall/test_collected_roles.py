"""Roles that a format states itself (iptables nat chains, FortiOS local-in policies), the one-fetch sharing of a
device's configuration between collectors, and the lab simulator's IOS ``| section`` filter.

Real inputs: Batfish's example-live iptables host (nat table) and aerleon's FortiGate local-in reference output
(tests/firewall/corpus/SOURCES). ``| section`` facts from Cisco's IOS configuration fundamentals documentation:
the filter prints each section (a line and the lines indented under it) in which the expression matches, the
header line included when the match is on an indented line; ``section exclude`` prints the other sections.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from collectors import shared_output
from collectors.base import CollectContext
from collectors.firewall.bindings import MANAGEMENT, NAT, PACKET_FILTER, assign_roles
from collectors.firewall.parsers import parse_text
from netcomply.app.lab.sshsim.render import apply_pipe, section
from netcomply.models import Artifact, Device, SshSettings
from netcomply.safety.targets import TargetPolicy
from netcomply.secrets import SecretResolver

CORPUS = Path(__file__).parent / "corpus" / "files"


def _roles(path: Path) -> dict[str, tuple[str, ...]]:
    text = path.read_text()
    sets = parse_text(text, None, str(path))
    assign_roles(sets, text, str(path))
    return {rs.name: rs.roles for rs in sets}


def test_iptables_nat_chains_get_the_nat_role() -> None:
    roles = _roles(CORPUS / "batfish" / "example-live" / "host1.iptables")
    nat = {n: r for n, r in roles.items() if " nat/" in n}
    assert nat and all(r == (NAT,) for r in nat.values()), nat
    assert roles["ip filter/FORWARD"] == (PACKET_FILTER,)  # the filter table keeps its role
    assert roles["ip filter/INPUT"] == (PACKET_FILTER, MANAGEMENT)


def test_fortios_local_in_policy_is_management_only() -> None:
    roles = _roles(CORPUS / "aerleon" / "fortigate" / "FortigateTest.testLocalInPolicy.stdout.ref")
    assert roles["local-in-policy"] == (MANAGEMENT,)
    assert roles["firewall policy"] == (PACKET_FILTER,)


# ------------------------------------------------------------------------------------------ shared output


def _ctx() -> CollectContext:
    return CollectContext(run_id="r", secrets=SecretResolver({}, {}), targets=TargetPolicy.loopback_only())


def _art(device: str, source: str, text: str) -> Artifact:
    return Artifact(device, "running_config", source, text.encode(), datetime.now(UTC))


def test_shared_output_is_kept_only_when_wanted_and_taken_once() -> None:
    shared_output.want("ssh:test-only-command", lambda d: d.role == "router")
    ctx = _ctx()
    router = Device(name="r1", address="127.0.0.1", platform="cisco_ios", role="router")
    switch = Device(name="s1", address="127.0.0.2", platform="cisco_ios", role="switch")
    assert shared_output.offer(ctx, router, _art("r1", "ssh:test-only-command", "hostname r1\n"))
    assert not shared_output.offer(ctx, switch, _art("s1", "ssh:test-only-command", "hostname s1\n"))
    assert not shared_output.offer(ctx, router, _art("r1", "ssh:nobody-wants-this", "x"))
    assert shared_output.take(ctx, switch, "ssh:test-only-command") is None
    got = shared_output.take(ctx, router, "ssh:test-only-command")
    assert got is not None and got.text == "hostname r1\n"
    assert shared_output.take(ctx, router, "ssh:test-only-command") is None  # taken: the run no longer holds it


def test_firewall_collector_wants_the_running_config_of_the_devices_it_audits() -> None:
    import collectors.firewall.collector  # noqa: F401  (registers its wish)

    ssh = SshSettings(username="u")
    art = _art("r1", "ssh:show running-config", "hostname r1\n")
    for role, platform, kept in (("router", "cisco_ios", True), ("firewall", "cisco_asa", True),
                                 ("switch", "cisco_ios", False), ("router", "huawei", False)):
        dev = Device(name="r1", address="127.0.0.1", platform=platform, role=role, ssh=ssh)
        assert shared_output.offer(_ctx(), dev, art) is kept, (role, platform)


# ------------------------------------------------------------------------------------------ | section

IOS = """hostname r1
!
interface GigabitEthernet0/0
 ip address 192.0.2.1 255.255.255.0
 ip ospf cost 10
 ip access-group EDGE-IN in
!
interface GigabitEthernet0/1
 shutdown
!
router ospf 1
 network 192.0.2.0 0.0.0.255 area 0
!
line vty 0 4
 access-class VTY-IN in
 transport input ssh
"""


def test_section_keeps_matching_sections_with_their_children() -> None:
    assert section(IOS, "line vty") == "line vty 0 4\n access-class VTY-IN in\n transport input ssh\n"
    # a match on an indented line brings its whole section, header first
    assert section(IOS, "ospf") == ("interface GigabitEthernet0/0\n ip address 192.0.2.1 255.255.255.0\n"
                                    " ip ospf cost 10\n ip access-group EDGE-IN in\n"
                                    "router ospf 1\n network 192.0.2.0 0.0.0.255 area 0\n")
    assert apply_pipe(IOS, " section include ^interface") == apply_pipe(IOS, "sec ^interface")
    assert apply_pipe(IOS, "section ^interface").count("interface ") == 2
    assert section(IOS, "no-such-thing") == ""


def test_section_exclude_is_the_complement() -> None:
    out = section(IOS, "exclude ^interface|^!")
    assert out == ("hostname r1\nrouter ospf 1\n network 192.0.2.0 0.0.0.255 area 0\n"
                   "line vty 0 4\n access-class VTY-IN in\n transport input ssh\n")


def test_the_other_filters_still_work() -> None:
    assert apply_pipe(IOS, "include access") == " ip access-group EDGE-IN in\n access-class VTY-IN in\n"
    assert apply_pipe(IOS, "begin ^router").splitlines()[0] == "router ospf 1"
    assert "!" not in apply_pipe(IOS, "exclude ^!")


_LINE = st.text(alphabet="abc xyz", min_size=1, max_size=8).filter(lambda s: s.strip() == s)
_CONFIG = st.lists(st.tuples(st.booleans(), _LINE), min_size=1, max_size=25).map(
    lambda rows: "\n".join((" " if child and k else "") + text for k, (child, text) in enumerate(rows)) + "\n")


@given(_CONFIG, st.sampled_from(["a", "b", "x", "^a", "z$", "c y"]))
def test_section_include_and_exclude_partition_the_sections(config: str, rx: str) -> None:
    inc, exc = section(config, rx).splitlines(), section(config, f"exclude {rx}").splitlines()
    assert sorted(inc + exc) == sorted(config.splitlines())  # every line in exactly one of the two
    for out in (inc, exc):  # each output is whole sections: it never starts inside one
        assert not out or not out[0].startswith(" ")
