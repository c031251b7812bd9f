"""SSIDs of a WLAN controller with their security and per-user bandwidth, from its configuration text.

Each parser returns one dict per SSID (the ``hotspot.wlan`` observation's data)::

    {"wlan": "3", "profile": "iTaiwan", "ssid": "iTaiwan", "enabled": true,
     "security": "open" | "wep" | "wpa-psk" | "wpa-802.1x" | "wpa3-sae",
     "encrypted": false, "user_auth": ["web"], "per_client_kbps": {"up": 1000, "down": 1000}}

``user_auth`` lists how *users* prove who they are: ``802.1x`` (enterprise WPA) or ``web`` (captive portal,
web-auth). A pre-shared key encrypts but identifies nobody, so PSK alone is not user authentication.
``per_client_kbps`` is ``None`` when no per-user rate limit is configured (each user may take the whole radio).

* Cisco AireOS ``show run-config commands``: ``config wlan create ID PROFILE SSID`` then per-WLAN lines.
  AireOS creates a WLAN with WPA2 + 802.1X; ``security wpa disable`` makes it open, ``wpa akm psk enable`` with
  ``wpa akm 802.1x disable`` makes it PSK, ``security web-auth enable`` adds a captive portal,
  ``override-rate-limit ID average-data-rate per-client {upstream|downstream} KBPS`` sets the per-user limit;
  a WLAN is disabled until ``config wlan enable ID``.
* Huawei AC (VRP) ``display current-configuration``, ``wlan`` view: ``vap-profile`` binds an ``ssid-profile``
  (``ssid NAME``), a ``security-profile`` (no ``security`` line = open; ``security wpa2 psk ...`` /
  ``security wpa2 dot1x ...`` / ``security wep ...``), a ``traffic-profile`` (``rate-limit client up|down KBPS``)
  and an ``authentication-profile`` (``portal-access-profile`` = web, ``dot1x-access-profile`` = 802.1x).
  A VAP profile an ``ap-group`` binds is enabled.
"""

from __future__ import annotations

import re
from typing import Any

_CREATE = re.compile(r"^config wlan create (\d{1,9}) (\S+)(?: (\S+))?\s*$")
_SECURITY = re.compile(r"^config wlan security (.+?) (\d{1,9})\s*$")
_RATE = re.compile(
    r"^config wlan override-rate-limit (\d{1,9}) average-data-rate per-client (upstream|downstream) (\d{1,9})\b")
_ENABLE = re.compile(r"^config wlan (enable|disable) (\d{1,9})\s*$")
#: Longer lines are no WLAN configuration line (and would only feed the patterns' backtracking).
MAX_LINE = 4096


def parse_aireos_run_config(text: str) -> list[dict[str, Any]]:
    wlans: dict[str, dict[str, Any]] = {}
    for raw in text.splitlines():
        if len(raw) > MAX_LINE:
            continue
        line = raw.strip()
        if m := _CREATE.match(line):
            wlans[m.group(1)] = {"wlan": m.group(1), "profile": m.group(2), "ssid": m.group(3) or m.group(2),
                                 "enabled": False, "_wpa": True, "_psk": False, "_dot1x": True, "_web": False,
                                 "_wep": False, "per_client_kbps": None}
        elif m := _ENABLE.match(line):
            if m.group(2) in wlans:
                wlans[m.group(2)]["enabled"] = m.group(1) == "enable"
        elif m := _RATE.match(line):
            w = wlans.get(m.group(1))
            if w is not None:
                limits = w["per_client_kbps"] or {"up": None, "down": None}
                limits["up" if m.group(2) == "upstream" else "down"] = int(m.group(3))
                w["per_client_kbps"] = limits
        elif m := _SECURITY.match(line):
            w = wlans.get(m.group(2))
            if w is None:
                continue
            what = m.group(1)
            if what == "wpa disable":
                w["_wpa"] = False
            elif what == "wpa enable":
                w["_wpa"] = True
            elif what == "wpa akm psk disable":
                w["_psk"] = False
            elif what.startswith("wpa akm psk "):
                # "psk enable" -- but the stored artifact is redacted, and the redactor reads "psk enable" as a
                # key ("psk <redacted>"): any PSK line but "disable" means a PSK is configured
                w["_psk"] = True
            elif what == "wpa akm 802.1x disable":
                w["_dot1x"] = False
            elif what == "wpa akm 802.1x enable":
                w["_dot1x"] = True
            elif what == "web-auth enable":
                w["_web"] = True
            elif what == "web-auth disable":
                w["_web"] = False
            elif what.startswith("static-wep-key enable"):
                w["_wep"] = True
    out = []
    for w in wlans.values():
        if w["_wpa"]:
            security = "wpa-802.1x" if w["_dot1x"] else "wpa-psk" if w["_psk"] else "wpa-802.1x"
        else:
            security = "wep" if w["_wep"] else "open"
        auth = (["802.1x"] if security == "wpa-802.1x" else []) + (["web"] if w["_web"] else [])
        out.append({"wlan": w["wlan"], "profile": w["profile"], "ssid": w["ssid"], "enabled": w["enabled"],
                    "security": security, "encrypted": security.startswith("wpa"), "user_auth": auth,
                    "per_client_kbps": w["per_client_kbps"]})
    return sorted(out, key=lambda w: int(w["wlan"]))


def _huawei_blocks(text: str) -> dict[tuple[str, str], list[str]]:
    """(profile kind, name) -> its indented lines, inside the ``wlan`` view."""
    blocks: dict[tuple[str, str], list[str]] = {}
    in_wlan = False
    current: list[str] | None = None
    for raw in text.splitlines():
        if len(raw) > MAX_LINE:
            continue
        if raw.strip() == "wlan" and not raw.startswith(" "):
            in_wlan = True
            continue
        if not in_wlan:
            continue
        if raw.startswith("#") or (raw and not raw.startswith(" ")):
            break
        if m := re.match(r"^ (\S+(?:-\S+)*) name (\S+)\s*$", raw):
            current = blocks.setdefault((m.group(1), m.group(2)), [])
        elif raw.startswith("  ") and current is not None:
            current.append(raw.strip())
    return blocks


def parse_huawei_wlan(text: str) -> list[dict[str, Any]]:
    blocks = _huawei_blocks(text)
    bound = {line.split()[1] for (kind, _), lines in blocks.items() if kind == "ap-group" for line in lines
             if line.startswith("vap-profile ")}
    out = []
    for (kind, name), lines in sorted(blocks.items()):
        if kind != "vap-profile":
            continue
        refs = {ln.split()[0]: ln.split()[1] for ln in lines if len(ln.split()) == 2}
        ssid_lines = blocks.get(("ssid-profile", refs.get("ssid-profile", "default")), [])
        ssid = next((ln.split(None, 1)[1] for ln in ssid_lines if ln.startswith("ssid ")), None)
        sec_lines = blocks.get(("security-profile", refs.get("security-profile", "default")), [])
        sec = next((ln for ln in sec_lines if ln.startswith("security ")), "security open")
        words = sec.split()
        if "wep" in words:
            security = "wep"
        elif "open" in words or len(words) < 2:
            security = "open"
        elif "dot1x" in words:
            security = "wpa-802.1x"
        elif "sae" in words or "wpa3" in words[1]:
            security = "wpa3-sae"
        else:
            security = "wpa-psk"
        auth_lines = blocks.get(("authentication-profile", refs.get("authentication-profile", "")), [])
        auth = (["802.1x"] if security == "wpa-802.1x" or any(ln.startswith("dot1x-access-profile")
                                                               for ln in auth_lines) else [])
        auth += ["web"] if any(ln.startswith("portal-access-profile") for ln in auth_lines) else []
        limits: dict[str, int | None] | None = None
        for ln in blocks.get(("traffic-profile", refs.get("traffic-profile", "default")), []):
            if m := re.match(r"rate-limit client (up|down) (\d{1,9})\b", ln):
                limits = limits or {"up": None, "down": None}
                limits[m.group(1)] = int(m.group(2))
        out.append({"wlan": name, "profile": name, "ssid": ssid or name, "enabled": name in bound,
                    "security": security, "encrypted": security.startswith("wpa"), "user_auth": auth,
                    "per_client_kbps": limits})
    return out


PARSERS = {
    "cisco_wlc_ssh": ("show run-config commands", parse_aireos_run_config),
    "cisco_wlc": ("show run-config commands", parse_aireos_run_config),
    "huawei": ("display current-configuration", parse_huawei_wlan),
}
