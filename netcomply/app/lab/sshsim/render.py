"""Command output: Jinja2 templates per platform, per-device variables, and the CLIs' output filters.

Templates live in ``netcomply/app/lab/data/ssh/<platform>/*.j2`` and are modelled on captured output (the
ntc-templates test fixtures), so that the same parsers that read real gear read the lab.
"""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime
from functools import cache
from typing import Any

import jinja2

from netcomply.app.lab.snmp.schedule import Schedule
from netcomply.app.lab.sshsim.platform import DATA_DIR
from netcomply.app.lab.sshsim.profile import DeviceProfile, ap_is_up


def _parts(seconds: int) -> tuple[int, int, int, int, int]:
    minutes, _ = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    weeks, days = divmod(days, 7)
    years, weeks = divmod(weeks, 52)
    return years, weeks, days, hours, minutes


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def uptime_cisco(seconds: int) -> str:
    """``1 year, 2 weeks, 3 days, 4 hours, 5 minutes`` (IOS leaves out leading zero units)."""
    y, w, d, h, m = _parts(seconds)
    units = [(y, "year"), (w, "week"), (d, "day"), (h, "hour"), (m, "minute")]
    while len(units) > 1 and units[0][0] == 0:
        units.pop(0)
    return ", ".join(_plural(n, u) for n, u in units)


def uptime_huawei(seconds: int) -> str:
    """``60 weeks, 4 days, 11 hours, 20 minutes`` (VRP and Comware count weeks, never years)."""
    y, w, d, h, m = _parts(seconds)
    w += y * 52

    def unit(n: int, word: str) -> str:  # VRP writes "0 week, 1 day, 2 hours"
        return f"{n} {word}" + ("s" if n > 1 else "")

    return f"{unit(w, 'week')}, {unit(d, 'day')}, {unit(h, 'hour')}, {unit(m, 'minute')}"


def uptime_dhms(seconds: int) -> str:
    """``109 days 16 hrs 33 mins 12 secs`` (AireOS) style pieces: days, h:mm:ss."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{days} days {hours} hrs {minutes} mins {secs} secs"


def uptime_clock(seconds: int) -> str:
    """``2 days, 2:38:49`` (PAN-OS, Junos)."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{days} days, {hours}:{minutes:02d}:{secs:02d}"


def mac_dotted(mac: str) -> str:
    """``0011.2233.4455`` (Cisco IOS tables)."""
    h = mac.replace(":", "").lower()
    return f"{h[0:4]}.{h[4:8]}.{h[8:12]}"


def mac_dashed(mac: str) -> str:
    """``0011-2233-4455`` (Huawei and Comware tables)."""
    h = mac.replace(":", "").lower()
    return f"{h[0:4]}-{h[4:8]}-{h[8:12]}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(DATA_DIR)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(uptime_cisco=uptime_cisco, uptime_huawei=uptime_huawei, uptime_dhms=uptime_dhms,
                       uptime_clock=uptime_clock, mac_dotted=mac_dotted, mac_dashed=mac_dashed)
    return env


def context(profile: DeviceProfile) -> dict[str, Any]:
    """Variables a template sees: the profile's vars, its identity, and the clock (for AP states)."""
    now = time.time()
    ctx: dict[str, Any] = dict(profile.vars)
    ctx.update(
        name=profile.name, hostname=profile.hostname, username=profile.username,
        enable_secret=profile.enable_secret, now=datetime.fromtimestamp(now, UTC),
        uptime=int(profile.vars.get("uptime_seconds", 0)),
    )
    if "aps" in profile.vars:
        schedule = _schedule(profile.vars.get("ap_schedule_file"))
        if schedule is not None:
            # The lab's one schedule, shared with the SNMP agents: both views of an AP always agree.
            states = {ap["name"]: schedule.state(ap["name"], now) for ap in profile.vars["aps"]}
            ctx["aps"] = [dict(ap, up=states[ap["name"]].up, clients=states[ap["name"]].clients,
                               ap_uptime=int(states[ap["name"]].uptime)) for ap in profile.vars["aps"]]
        else:
            epoch = float(profile.vars.get("lab_epoch", now))
            ctx["aps"] = [dict(ap, up=ap_is_up(ap, epoch, now)) for ap in profile.vars["aps"]]
    return ctx


_SCHEDULES: dict[str, tuple[float, Schedule]] = {}


def _schedule(path: str | None) -> Schedule | None:
    """The schedule file ``lab up`` wrote, re-read when it changes (tests install new schedules live)."""
    if not path:
        return None
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        return None
    cached = _SCHEDULES.get(path)
    if cached is None or cached[0] != mtime:
        cached = _SCHEDULES[path] = (mtime, Schedule.load(path))
    return cached[1]


def render(platform: str, template: str, profile: DeviceProfile, **extra: Any) -> str:
    """Render one command's output; ``extra`` carries session state (``mode``) for dynamic commands."""
    return environment().get_template(f"{platform}/{template}").render({**context(profile), **extra})


class PipeError(ValueError):
    """An output filter the simulated CLI does not know."""


def _sections(lines: list[str]) -> list[list[str]]:
    """A configuration cut into sections: each unindented line with the indented lines under it."""
    out: list[list[str]] = []
    for ln in lines:
        if out and ln[:1].isspace():
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def section(output: str, arg: str) -> str:
    """IOS ``| section [include|exclude] REGEX``: every section (a line and the lines indented under it) in
    which some line matches (``include``, the default), or in which none does (``exclude``). A child line's
    match brings its whole section, header first, as ``show running-config | section ospf`` lists the
    interfaces that carry ``ip ospf`` lines as well as ``router ospf``."""
    mode, _, rest = arg.partition(" ")
    keyword = mode in ("include", "exclude") and bool(rest.strip())
    exclude = keyword and mode == "exclude"
    rx = re.compile(rest.strip() if keyword else arg)
    kept = [ln for sec in _sections(output.splitlines())
            if any(rx.search(ln) for ln in sec) != exclude for ln in sec]
    return "\n".join(kept) + "\n" if kept else ""


def apply_pipe(output: str, pipe: str) -> str:
    """Apply one ``| filter`` the way IOS/VRP/FortiOS/Junos do (include, exclude, begin, section, count, grep ...)."""
    verb, _, arg = pipe.strip().partition(" ")
    verb = verb.lower()
    arg = arg.strip()
    lines = output.splitlines()
    if verb in ("include", "i", "in", "inc", "match", "grep") and arg:
        flags = 0
        invert = False
        while verb == "grep" and arg.startswith("-"):
            opt, _, arg = arg.partition(" ")
            flags |= re.I if "i" in opt else 0
            invert = invert or "v" in opt
        rx = re.compile(arg, flags)
        return "\n".join(ln for ln in lines if bool(rx.search(ln)) != invert) + "\n"
    if verb in ("exclude", "e", "ex", "exc", "except") and arg:
        rx = re.compile(arg)
        return "\n".join(ln for ln in lines if not rx.search(ln)) + "\n"
    if verb in ("begin", "b", "beg") and arg:
        rx = re.compile(arg)
        for i, ln in enumerate(lines):
            if rx.search(ln):
                return "\n".join(lines[i:]) + "\n"
        return ""
    if verb in ("section", "s", "se", "sec", "sect") and arg:
        return section(output, arg)
    if verb == "count":
        return f"Count: {len(lines)} lines\n"
    if verb in ("no-more", "display"):
        return output
    raise PipeError(pipe)
