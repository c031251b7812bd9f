"""A resume refuses an inventory whose SHA-256 differs from the run's, naming the devices added, removed and
changed, unless --allow-changed-inventory; the run keeps a record of every resume.

Offline: the collector chosen (``ipv6_service``) applies to no device and the inventories have no services,
so these runs touch no network; what is under test is what happens before collection starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netcomply.app.audit import AuditOptions, run_audit
from netcomply.app.resume import describe_change, inventory_digest
from netcomply.errors import InputError
from netcomply.inventory import load_inventory
from netcomply.models import Inventory, RunStatus
from netcomply.store import Store

HEAD = """settings:
  allowed_ranges: [192.0.2.0/24]
defaults:
  ssh: {username: nc-audit, password_env: NC_SSH_PASSWORD}
hosts:
"""


def write_inventory(path: Path, hosts: dict[str, str], *, comment: str = "") -> Inventory:
    lines = [f"  {name}: {{address: {address}, platform: cisco_ios}}" for name, address in hosts.items()]
    path.write_text(comment + HEAD + "\n".join(lines) + "\n", encoding="utf-8")
    return load_inventory(path)


def options(**extra: Any) -> AuditOptions:
    return AuditOptions(collectors=["ipv6_service"], judge=False, **extra)


def test_resume_with_a_changed_inventory_is_refused_naming_the_changes(tmp_path: Path) -> None:
    first = write_inventory(tmp_path / "inv.yaml", {"sw1": "192.0.2.1", "sw2": "192.0.2.2", "sw3": "192.0.2.3"})
    with Store.open(tmp_path / "s.db") as store:
        run, _ = run_audit(first, store, options())
        changed = write_inventory(tmp_path / "inv.yaml", {"sw1": "192.0.2.1", "sw3": "192.0.2.30",
                                                          "sw4": "192.0.2.4", "sw5": "192.0.2.5"})
        with pytest.raises(InputError) as refused:
            run_audit(changed, store, options(resume=run.id))
        message = str(refused.value)
        assert str(tmp_path / "inv.yaml") in message and f"changed since run {run.id} started" in message
        assert "2 devices added (sw4, sw5); 1 device removed (sw2); 1 device changed (sw3)" in message
        assert "--allow-changed-inventory" in message
        assert store.get_run(run.id).status is RunStatus.COMPLETE  # the refusal left the run as it was
        assert "resumes" not in store.get_run(run.id).parameters


def test_allow_changed_inventory_resumes_and_records_it(tmp_path: Path) -> None:
    first = write_inventory(tmp_path / "inv.yaml", {"sw1": "192.0.2.1"})
    notices: list[str] = []
    with Store.open(tmp_path / "s.db") as store:
        run, _ = run_audit(first, store, options())
        changed = write_inventory(tmp_path / "inv.yaml", {"sw1": "192.0.2.1"}, comment="# reviewed 2026-12\n")
        resumed, _ = run_audit(changed, store, options(resume=run.id, allow_changed_inventory=True),
                               on_notice=notices.append)
        assert resumed.status is RunStatus.COMPLETE
        assert notices == [f"run {run.id}: resuming with a changed inventory (--allow-changed-inventory): no device "
                           "or service was added, removed or changed (other settings, groups or comments changed)"]
        [note] = store.get_run(run.id).parameters["resumes"]
        assert note["inventory_sha256"] == changed.sha256 != first.sha256
        assert "no device or service" in note["inventory_changed"]
        assert store.get_run(run.id).inventory_sha256 == first.sha256  # what the run started with stays


def test_resume_with_the_same_inventory_needs_no_flag(tmp_path: Path) -> None:
    inv = write_inventory(tmp_path / "inv.yaml", {"sw1": "192.0.2.1"})
    notices: list[str] = []
    with Store.open(tmp_path / "s.db") as store:
        run, _ = run_audit(inv, store, options())
        again, _ = run_audit(load_inventory(tmp_path / "inv.yaml"), store, options(resume=run.id),
                             on_notice=notices.append)
        assert again.status is RunStatus.COMPLETE and notices == []
        [note] = store.get_run(run.id).parameters["resumes"]
        assert "inventory_changed" not in note


def test_digest_leaves_out_the_inline_snmp_community(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(HEAD + "  cam1: {address: 192.0.2.9, snmp: {version: '2c', community: s3cr3t-Ro}}\n")
    one = inventory_digest(load_inventory(path))
    path.write_text(HEAD + "  cam1: {address: 192.0.2.9, snmp: {version: '2c', community: other-Ro}}\n")
    assert inventory_digest(load_inventory(path)) == one  # a community is no part of what we compare


names = st.sets(st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), max_size=12)


@settings(max_examples=60, deadline=None)
@given(before=names, after=names)
def test_describe_change_counts_exactly_what_was_added_and_removed(before: set[str], after: set[str]) -> None:
    said = describe_change({"devices": dict.fromkeys(before, "h")}, {"devices": dict.fromkeys(after, "h")})
    added, removed = after - before, before - after
    if not added and not removed:
        assert said.startswith("no device or service")
    for label, found in (("added", added), ("removed", removed)):
        if found:
            noun = "device" if len(found) == 1 else "devices"
            assert f"{len(found)} {noun} {label} (" in said
            assert all(n in said for n in sorted(found)[:8])
        else:
            assert f" {label} (" not in said
