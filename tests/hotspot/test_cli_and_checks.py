"""Bad input to the hotspot commands (FILE/flag and what was expected, exit 2), and the SSID policy checks on
thresholds an agency changed."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from compliance.checks.base import JudgeContext
from compliance.checks.hotspot import AdminSsidEncrypted, PerUserBandwidth, PublicSsidAuthenticates, ssid_class
from compliance.thresholds import load_thresholds
from netcomply.app.cli.hotspot_cmd import parse_duration
from netcomply.app.cli.main import app
from netcomply.errors import InputError
from netcomply.models import FindingStatus, Observation


def _cli(*args: str, db: Path) -> SimpleNamespace:
    result = CliRunner().invoke(app, ["hotspot", *args, "--db", str(db)])
    return SimpleNamespace(returncode=result.exit_code, stderr=result.stderr)


def test_bad_input_is_named(tmp_path: Path) -> None:
    inv = tmp_path / "inv.yaml"
    inv.write_text("hosts:\n  sw1: {address: 192.0.2.1}\n", encoding="utf-8")
    db = tmp_path / "s.db"
    no_hotspots = _cli("poll", "-i", str(inv), "--count", "1", db=db)
    assert no_hotspots.returncode == 2 and "no hotspots" in no_hotspots.stderr and "Traceback" not in no_hotspots.stderr
    both = _cli("poll", "-i", str(inv), "--count", "1", "--for", "1h", db=db)
    assert both.returncode == 2 and "--count or --for" in both.stderr
    interval = _cli("poll", "-i", str(inv), "--interval", "soon", db=db)
    assert interval.returncode == 2 and "--interval" in interval.stderr
    order = _cli("report", "--since", "2026-11-02", "--until", "2026-11-01", db=db)
    assert order.returncode == 2 and "must be before" in order.stderr


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("90s", 90), ("15m", 900), ("6h", 21600), ("7d", 604800),
                                                ("0.5", 0.5)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text, "--for") == seconds


@pytest.mark.parametrize("text", ["", "0", "-5m", "5 minutes", "m"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(InputError):
        parse_duration(text, "--for")


def _wlan(ssid: str, **data: object) -> Observation:
    return Observation(device="wlc", collector="hotspot_wlan", kind="hotspot.wlan", source="t",
                       data={"ssid": ssid, "enabled": True, **data}, id=1)


def test_policy_follows_the_agencys_thresholds(tmp_path: Path) -> None:
    mine = tmp_path / "th.yaml"
    mine.write_text("hotspot:\n  per_user_mbps_min: 1\n  admin_ssids: ['Corp*']\n  public_ssids: ['Visitors']\n",
                    encoding="utf-8")
    th = load_thresholds(mine)
    ctx = JudgeContext(run_id="r", data={"thresholds": th, "hotspot_ssids": ["Lobby"]})
    assert ssid_class("CorpNet", th["hotspot"], set()) == "admin"
    assert ssid_class("CityStaff", th["hotspot"], set()) is None  # the shipped patterns no longer apply
    assert ssid_class("lobby", th["hotspot"], {"lobby"}) == "public"
    obs = [_wlan("CorpNet", security="open", encrypted=False), _wlan("Visitors", user_auth=[],
           per_client_kbps={"up": 1000, "down": 1000}), _wlan("Lobby", user_auth=["web"], per_client_kbps=None),
           _wlan("Mystery", security="open", encrypted=False), _wlan("Off", enabled=False)]
    enc = {f.subject: f.status for f in AdminSsidEncrypted().run(obs, ctx)}
    assert enc == {"wlc/CorpNet": FindingStatus.FAIL, "wlc/Mystery": FindingStatus.MANUAL}
    auth = {f.subject: f.status for f in PublicSsidAuthenticates().run(obs, ctx)}
    assert auth == {"wlc/Visitors": FindingStatus.FAIL, "wlc/Lobby": FindingStatus.PASS}
    bw = {f.subject: f.status for f in PerUserBandwidth().run(obs, ctx)}
    assert bw == {"wlc/Visitors": FindingStatus.PASS, "wlc/Lobby": FindingStatus.FAIL}
