"""``netcomply hotspot poll`` (sample every hotspot on a fixed grid into the store, unattended for days) and
``netcomply hotspot report`` (availability, outages, reboots, gaps and clients per hotspot, site, zone, agency).
"""

from __future__ import annotations

import io
import re
import sys
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from netcomply.app.cli import exitcodes
from netcomply.app.cli.errors import exits_on_bad_input
from netcomply.app.cli.options import DataFormat, DbOpt, InventoryOpt, QuietOpt
from netcomply.app.cli.output import Out
from netcomply.errors import InputError
from netcomply.fmt import percent
from netcomply.safety.cells import CsvWriter

#: Percentages in the one formatter (:mod:`netcomply.fmt`); a missing value reads "no data" here.
_pct = partial(percent, none="no data")

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Public Wi-Fi hotspots: poll their state into the store, report their availability.")

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


class Via(StrEnum):
    snmp = "snmp"
    ssh = "ssh"


class ReachOpt(StrEnum):
    tcp = "tcp"
    icmp = "icmp"
    none = "none"


class GroupBy(StrEnum):
    hotspot = "hotspot"
    site = "site"
    zone = "zone"
    agency = "agency"


def parse_duration(text: str, flag: str) -> float:
    """``90``, ``90s``, ``15m``, ``6h``, ``7d``, ``2w`` -> seconds (positive)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", text or "")
    if not m or float(m.group(1)) <= 0:
        raise InputError(f"{flag} {text!r} is not a duration (e.g. 90s, 15m, 6h, 7d)", file=flag)
    return float(m.group(1)) * _UNITS[m.group(2) or "s"]


def parse_when(text: str | None, flag: str, *, now: datetime) -> datetime | None:
    """An ISO date or date-time (UTC unless it says otherwise), or a duration before now (``30d``)."""
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            return now - timedelta(seconds=parse_duration(text, flag))
        except InputError:
            raise InputError(f"{flag} {text!r} is neither a date-time (2026-11-01T00:00) nor a duration "
                             "before now (30d)", file=flag) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


@exits_on_bad_input
def poll(
    inventory: InventoryOpt,
    interval: Annotated[str, typer.Option("--interval", help="Seconds between rounds (60, 30s, 5m).")] = "60",
    count: Annotated[int | None, typer.Option("--count", min=1, help="Stop after this many rounds.")] = None,
    duration: Annotated[str | None, typer.Option("--for", help="Stop after this long (12h, 7d).")] = None,
    via: Annotated[Via, typer.Option("--via", help="Read controllers over snmp (AP tables) or ssh "
                                     "(show ap summary / display ap all).")] = Via.snmp,
    reach: Annotated[ReachOpt, typer.Option("--reach", help="When an AP's SNMP is silent, tell down from unknown "
                                            "by tcp connect or icmp echo (or none).")] = ReachOpt.tcp,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=5000,
                                             help="Devices asked at once.")] = 200,
    snmp_timeout: Annotated[float | None, typer.Option("--snmp-timeout", min=0.05,
                                                       help="Override the inventory's SNMP timeout.")] = None,
    db: DbOpt = None,
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="table (a line per round) or json "
                                            "(the session summary at the end).")] = DataFormat.table,
    quiet: QuietOpt = False,
) -> None:
    """Sample every hotspot of the inventory each interval until --count, --for, Ctrl-C or SIGTERM.

    Rounds sit on a fixed grid (multiples of the interval), so a restarted or a second poller writes the same
    slots and nothing is duplicated; each round is committed as it finishes."""
    from netcomply.app.pipelines.hotspot.poller import PollOptions
    from netcomply.app.pipelines.hotspot.session import run_poll_session
    from netcomply.inventory import load_inventory
    from netcomply.store import Store

    out = Out(quiet=quiet, fmt=fmt.value)
    seconds = parse_duration(interval, "--interval")
    run_for = parse_duration(duration, "--for") if duration else None
    if count is not None and run_for is not None:
        raise InputError("give --count or --for, not both", file="--count")
    inv = load_inventory(inventory)
    if not inv.hotspots:
        raise InputError(f"{inventory}: the inventory lists no hotspots (top-level `hotspots:`)", file=str(inventory))
    options = PollOptions(interval=seconds, count=count, duration=run_for, concurrency=concurrency, via=via.value,
                          reach=reach.value, snmp_timeout=snmp_timeout)
    ssh_reader = None
    if via is Via.ssh:
        from collectors.hotspot.ssh_probe import ssh_reader_for

        ssh_reader = ssh_reader_for(inv)

    def started(session: str, targets: list[Any]) -> None:
        out.info(f"poll session {session}: {sum(len(t.hotspots) for t in targets)} hotspots on {len(targets)} "
                 f"devices every {seconds:g}s (Ctrl-C or SIGTERM stops after the round in flight)")

    def each_round(result: Any, summary: Any) -> None:
        if fmt is DataFormat.json:
            return
        c = result.counts()
        out.info(f"{datetime.fromtimestamp(result.slot, UTC):%Y-%m-%d %H:%M:%S}Z round {summary.rounds}: "
                 f"{c['up']} up, {c['down']} down, {c['unknown']} unknown in {result.seconds:.2f}s "
                 f"(drift {summary.drift_ms[-1]:.0f} ms)")

    with Store.open(db) as store:
        summary = run_poll_session(inv, store, options, on_start=started, on_round=each_round,
                                   ssh_reader=ssh_reader)
    payload = summary.to_json()
    if fmt is DataFormat.json:
        out.data(payload)
    else:
        out.say(f"session {payload['session']} {payload['status']}: {payload['rounds']} rounds, "
                f"{payload['written']} samples stored ({payload['already_stored']} already there), "
                f"{payload['overruns']} overruns, {payload['missed_slots']} missed slots")
    if summary.status == "interrupted":
        raise typer.Exit(exitcodes.INTERRUPTED)


@exits_on_bad_input
def report(
    since: Annotated[str | None, typer.Option("--since", help="Start: ISO date-time or a duration before now "
                                              "(default 30d).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="End (exclusive): ISO date-time or a duration "
                                              "before now (default now).")] = None,
    inventory: Annotated[Path | None, typer.Option("--inventory", "-i", help="Inventory: its hotspots without "
                                                   "samples show as no data; its sites and zones win.")] = None,
    by: Annotated[GroupBy, typer.Option("--by", help="Rows of the table / CSV.")] = GroupBy.hotspot,
    db: DbOpt = None,
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="table, json or csv.")] = DataFormat.table,
    quiet: QuietOpt = False,
) -> None:
    """Availability per hotspot, site, zone and agency over [--since, --until): up %, outages with start and end,
    reboots, sampling gaps (unknown, outside the percentage), clients."""
    from compliance.availability_report import build_report
    from netcomply.store import Store
    from netcomply.store.samples import SampleStore

    out = Out(quiet=quiet, fmt=fmt.value)
    now = datetime.now(UTC)
    end = parse_when(until, "--until", now=now) or now
    start = parse_when(since, "--since", now=now) or end - timedelta(days=30)
    if end <= start:
        raise InputError(f"--since ({start.isoformat()}) must be before --until ({end.isoformat()})", file="--since")
    meta = None
    if inventory is not None:
        from netcomply.inventory import load_inventory

        inv = load_inventory(inventory)
        meta = {h.name: {"site": h.site, "zone": h.zone, "agency": h.agency} for h in inv.hotspots}
    with Store.open(db, create=False) as store:
        samples = SampleStore(store).samples(start, end, hotspots=list(meta) if meta else None)
        data = build_report(samples, start, end, meta)
    if fmt is DataFormat.json:
        out.data(data)
        return
    rows = _rows(data, by)
    if fmt is DataFormat.csv:
        buf = io.StringIO()
        writer = CsvWriter(buf, lineterminator="\n")
        writer.writerow(list(rows[0]) if rows else [by.value])
        writer.writerows([list(r.values()) for r in rows])
        sys.stdout.write(buf.getvalue())
        return
    title = (f"Hotspot availability by {by.value}, {data['since']} to {data['until']}: "
             f"{_pct(data['availability'])} over {data['hotspots']} hotspots")
    out.table(title, list(rows[0]) if rows else [by.value], [list(r.values()) for r in rows])


def _rows(data: dict[str, Any], by: GroupBy) -> list[dict[str, Any]]:
    if by is GroupBy.hotspot:
        return [{"hotspot": r["hotspot"], "site": r["site"], "zone": r["zone"], "agency": r["agency"],
                 "availability": _pct(r["availability"]), "outages": len(r["outages"]),
                 "down_s": r["down_s"], "unknown_s": r["unknown_s"], "reboots": len(r["reboots"]),
                 "clients_avg": r["clients_avg"], "clients_max": r["clients_max"], "samples": r["samples"],
                 "longest_outage": max((o["start"] + " +" + str(o["seconds"]) + "s" for o in r["outages"]),
                                       key=lambda s: float(s.rsplit("+", 1)[1][:-1]), default="")}
                for r in data["per_hotspot"]]
    return [{by.value: g[by.value], "hotspots": g["hotspots"], "availability": _pct(g["availability"]),
             "outages": g["outages"], "outage_s": g["outage_s"], "unknown_s": g["unknown_s"], "reboots": g["reboots"],
             "clients_max": g["clients_max"], "worst": g["worst"]} for g in data["groups"][by.value]]
