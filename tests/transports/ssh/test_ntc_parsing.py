"""netcomply's cached ntc-templates parser gives exactly what ntc-templates' own parse_output gives, on every
command the lab renders for every platform (output modelled on real captures)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ntc_templates.parse import parse_output

from collectors.cli_facts import NTC_PLATFORM
from collectors.transports.ssh import parse_with_ntc
from netcomply.app.lab.sshsim import DeviceProfile
from netcomply.app.lab.sshsim.profile import make_vars
from netcomply.app.lab.sshsim.render import render
from netcomply.errors import DeviceError

SSH_DATA = Path(__file__).resolve().parents[3] / "netcomply" / "app" / "lab" / "data" / "ssh"


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for platform_dir in sorted(p for p in SSH_DATA.iterdir() if p.is_dir()):
        spec = yaml.safe_load((platform_dir / "platform.yaml").read_text())
        for entry in spec.get("commands", []):
            command, template = entry.get("cmd"), entry.get("template")
            if command and template and not entry.get("dynamic"):  # dynamic: needs live session state
                cases.append((platform_dir.name, command, template))
    return cases


@pytest.mark.parametrize(("platform", "command", "template"), _cases())
def test_same_rows_as_ntc_templates(platform: str, command: str, template: str) -> None:
    profile = DeviceProfile(name="lab-sw1", platform=platform, address="127.0.0.1", port=0, hostname="lab-sw1",
                            username="u", password="p", enable_secret="e",
                            vars=make_vars("lab-sw1", platform, 3, brand="Lab", model="LAB-1",
                                           aps=["AP-1", "AP-2"], lab_epoch=0.0))
    output = render(platform, template, profile)
    ntc_platform = NTC_PLATFORM.get(platform, platform)
    try:
        expected = parse_output(platform=ntc_platform, command=command, data=output)
    except Exception as exc:
        if "No template" in str(exc) or ("Unable to parse" in str(exc) and "No template" in repr(exc.__cause__)):
            assert parse_with_ntc(ntc_platform, command, output) is None
            return
        with pytest.raises(DeviceError):
            parse_with_ntc(ntc_platform, command, output)
        return
    assert parse_with_ntc(ntc_platform, command, output) == expected


@pytest.mark.parametrize(
    ("output", "prompt", "expected"),
    [
        ("sw1#show version\nCisco IOS Software\nsw1 uptime", "sw1", "Cisco IOS Software\nsw1 uptime"),
        ("\r\nsw1>show version\r\nCisco", "sw1", "Cisco"),
        ("<cw1>show version\nH3C Comware", "cw1", "H3C Comware"),  # Comware prompts are <name>
        ("Cisco IOS Software\nsw1#show version", "sw1", "Cisco IOS Software\nsw1#show version"),  # not first
        ("sw1#show version brief\nx", "sw1", "sw1#show version brief\nx"),  # another command
        ("sw10#show version\nx", "sw1", "sw10#show version\nx"),  # another device's prompt
        ("Cisco IOS Software", None, "Cisco IOS Software"),
    ],
)
def test_only_a_leading_prompt_and_command_echo_is_stripped(output: str, prompt: str | None, expected: str) -> None:
    from collectors.transports.ssh import strip_echo

    assert strip_echo(output, "show version", prompt) == expected
