"""Teardown removes everything a tier made, is idempotent, and works from the state dir after a crash."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from netcomply.app.lab.realtier import RealTier
from netcomply.app.lab.realtier.netns import alive
from netcomply.app.lab.realtier.tier import _state_path

pytestmark = [pytest.mark.root, pytest.mark.lab]

AVAILABLE, REASON = RealTier.available()
if not AVAILABLE:
    pytest.skip(REASON, allow_module_level=True)


def namespaces() -> set[str]:
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip()}


def host_links() -> set[str]:
    out = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True, check=True).stdout
    return {line.split(":")[1].strip().split("@")[0] for line in out.splitlines()}


def assert_gone(tier: RealTier, sshd_pid: int) -> None:
    assert not set(tier.names.namespaces) & namespaces()
    assert not set(tier.names.interfaces) & host_links()
    assert not alive(sshd_pid)  # gone, or a zombie waiting for PID 1 to reap it


def test_down_leaves_nothing_and_is_idempotent(tmp_path: Path) -> None:
    tier = RealTier.up(tmp_path)
    pid = tier.sshd_pid
    assert pid is not None and set(tier.names.namespaces) <= namespaces()
    tier.down()
    assert_gone(tier, pid)
    assert not _state_path(tmp_path).exists()
    tier.down()  # twice is fine
    assert RealTier.down_from_state(tmp_path) is False


def test_crash_leftovers_are_removed_from_the_state_dir(tmp_path: Path) -> None:
    crashed = RealTier.up(tmp_path)  # never downed: as if the process had died
    crashed_pid = crashed.sshd_pid
    assert crashed_pid is not None
    again = RealTier.up(tmp_path)  # up() first clears what the state dir records
    try:
        assert_gone(crashed, crashed_pid)
        assert set(again.names.namespaces) <= namespaces()
        assert again.names.lab_id != crashed.names.lab_id
    finally:
        again_pid = again.sshd_pid
        assert RealTier.down_from_state(tmp_path) is True
    assert again_pid is not None
    assert_gone(again, again_pid)
