"""Observation contracts of the hotspot area: ``hotspot.ap_state`` (written by the ``hotspot_ap`` SNMP collector:
one per access point a controller or a standalone AP reports), ``hotspot.wlan`` (``hotspot_wlan``: one per
WLAN/SSID a controller serves) and ``hotspot.availability`` (written after collection from the stored samples of
the window, by the audit's hotspot step). Read by ``compliance.checks.hotspot`` and the hotspot report section.

Why here: the availability step turns ``hotspot.ap_state`` into samples and the checks judge the result; neither
imports the collector, so the shapes are written down once, in the base. Times are ISO 8601 UTC; durations are
seconds; bandwidth is kbit/s. Base layer: standard library only.
"""

from __future__ import annotations

from typing import Literal, TypedDict


class HotspotApState(TypedDict):
    """``hotspot.ap_state``, version 1: one access point's state at one instant."""

    ap: str  # the AP's name (controller's AP name, or the standalone AP's inventory name)
    controller: str | None  # the WLAN controller that reported it; None: the AP itself answered
    up: bool
    uptime_s: float | None  # seconds since the AP booted; None: not reported
    clients: int | None  # associated clients; None: not reported
    measured_at: str  # ISO 8601 UTC
    state: int | None  # the controller's raw AP state code (vendor MIB), for the evidence
    source: str  # snmp:cisco | snmp:huawei | snmp:ap


class PerClientKbps(TypedDict):
    """Per-client rate limit of a WLAN, kbit/s each way; None: not limited in that direction."""

    up: int | None
    down: int | None


class HotspotWlan(TypedDict):
    """``hotspot.wlan``, version 1: one WLAN (SSID profile) as the controller's configuration shows it."""

    controller: str
    wlan: str  # the WLAN's id or name on the controller
    profile: str
    ssid: str
    enabled: bool
    security: str  # open | wep | wpa2-psk | wpa2-802.1x | wpa3-sae ... (lower case)
    encrypted: bool  # security starts with "wpa"
    user_auth: list[str]  # web (captive portal), mac, 802.1x ... ; empty: none
    per_client_kbps: PerClientKbps | None  # None: no per-client limit configured


class Segment(TypedDict):
    """A stretch of the window with no sample (a gap)."""

    start: str
    end: str
    seconds: float


class Outage(TypedDict):
    """A stretch the hotspot was seen down."""

    start: str
    end: str
    seconds: float
    open_start: bool  # began before the window, a gap or the first sample
    open_end: bool  # still down at the window's end, a gap or the last sample


class Reboot(TypedDict):
    """A boot the AP's uptime gave away."""

    booted_at: str  # estimated from the uptime the AP reported
    seen_at: str  # the sample that showed it
    kind: Literal["after_outage", "unexplained"]


class HotspotAvailability(TypedDict):
    """``hotspot.availability``, version 1: one hotspot over the audit's window (``window_days`` before the run)."""

    hotspot: str  # the inventory hotspot's name
    site: str | None
    zone: str | None
    agency: str | None
    since: str  # window start, ISO 8601 UTC
    until: str  # window end
    samples: int  # samples in the window
    interval_s: float | None  # the polling interval the samples were taken at; None: no samples
    availability: float | None  # up / (up + down), 0..1; None: nothing known
    coverage: float  # share of the window with a sample, 0..1
    up_s: float
    down_s: float
    unknown_s: float
    outages: list[Outage]
    reboots: list[Reboot]
    gaps: list[Segment]
    clients_avg: float | None
    clients_max: int | None
    client_hours: float  # client-hours served in the window
    window_days: int


CONTRACTS: dict[str, tuple[type, int]] = {
    "hotspot.ap_state": (HotspotApState, 1),
    "hotspot.wlan": (HotspotWlan, 1),
    "hotspot.availability": (HotspotAvailability, 1),
}
