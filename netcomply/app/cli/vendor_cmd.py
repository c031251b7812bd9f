"""``netcomply vendors`` (identify every inventory device) and ``netcomply scan`` (ad-hoc: discover and identify
what answers in the named addresses or prefixes). Both store a run with ``vendor.identity`` observations and the
banned-vendor findings, and print ``{"devices": [...]}`` in JSON, a table, or CSV.

The lead registers them as top-level commands: ``app.command("vendors")(vendor_cmd.vendors)`` and
``app.command("scan")(vendor_cmd.scan)``; this module's own ``app`` carries both for testing.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from netcomply.app.cli.errors import exits_on_bad_input
from netcomply.app.cli.options import DataFormat, DbOpt, InventoryOpt, QuietOpt
from netcomply.app.cli.output import Out
from netcomply.contracts.vendor import prc_state
from netcomply.errors import InputError
from netcomply.safety.cells import DictCsvWriter

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Banned-vendor inventory: which brand is each device, and is any a PRC brand?")

DEVICE_FIELDS = ("name", "address", "brand", "manufacturer", "model", "serial", "version", "prc_brand", "prc_state",
                 "prc_rule", "prc_detail", "confidence", "evidence", "conflicts", "status")
CSV_FIELDS = ("name", "address", "brand", "manufacturer", "model", "serial", "prc_brand", "prc_rule", "confidence",
              "status", "signals", "conflicts")

FormatOpt = Annotated[DataFormat, typer.Option("--format", "-f", help="table, json or csv.")]
RegisterOpt = Annotated[Path | None, typer.Option("--register", help="Asset register CSV (asset_id, name, address, "
                                                   "brand, model, serial, owner).")]
ExceptionsOpt = Annotated[Path | None, typer.Option("--exceptions", help="Exception register CSV (device, "
                                                     "ciso_approval, authority_approval, isolation, isolated, "
                                                     "end_of_life).")]
KbOpt = Annotated[str | None, typer.Option("--vendor-kb", help="Your vendor knowledge-base additions (YAML), "
                                           "merged over the shipped one. Also $NETCOMPLY_VENDOR_KB.")]
SpotOpt = Annotated[int, typer.Option("--spot-check", min=0, help="Draw this many devices for a spot check.")]
SeedOpt = Annotated[str, typer.Option("--seed", help="Seed of the spot-check draw (same seed, same sample).")]
CpeOpt = Annotated[Path | None, typer.Option("--cpe", help="Also write the VANS asset list (CPE 2.3 per device; "
                                             "devices without enough facts listed with what is missing) as "
                                             "PATH.csv and PATH.json.")]
TodayOpt = Annotated[str | None, typer.Option("--today", help="Judge end-of-life dates as of this day "
                                              "(YYYY-MM-DD; default today).")]

F = TypeVar("F", bound=Callable[..., Any])




def _today(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"--today {value!r} is not a date (YYYY-MM-DD)", file="--today") from None


def write_cpe(path: Path, rows: list[dict[str, Any]]) -> tuple[Path, Path]:
    """The asset list as CSV (spreadsheet-safe) and JSON beside each other: ``PATH.csv`` and ``PATH.json``."""
    import json

    from netcomply.vendor.cpe import FIELDS, asset_list

    assets = [a.to_dict() for a in asset_list(rows)]
    stem = path.with_suffix("") if path.suffix in (".csv", ".json") else path
    csv_path, json_path = stem.with_name(stem.name + ".csv"), stem.with_name(stem.name + ".json")
    try:
        stem.parent.mkdir(parents=True, exist_ok=True)
        with csv_path.open("w", encoding="utf-8", newline="") as fh:
            writer = DictCsvWriter(fh, fieldnames=list(FIELDS), lineterminator="\n")
            writer.writeheader()
            for a in assets:
                writer.writerow(a)
        json_path.write_text(json.dumps({"format": "CPE 2.3", "purpose": "VANS asset list", "devices": assets,
                                         "without_cpe": sum(1 for a in assets if not a["cpe"])},
                                        ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        from netcomply.errors import InputProblem

        raise InputError(InputProblem(str(path), None, f"cannot write the CPE asset list: {exc.strerror}")) from None
    return csv_path, json_path


def deciding_signals(row: dict[str, Any]) -> str:
    """The signals of a verdict that named a brand or maker, for one spreadsheet cell."""
    return " ".join(sorted({e["signal"] for e in row.get("evidence") or [] if e.get("brand") or e.get("manufacturer")}))


def emit(out: Out, result: Any, fmt: DataFormat, seed: str = "0") -> None:
    """The vendor result as the user asked for it: JSON (the documented shape), CSV (the spreadsheet-safe writer) or
    the human tables. Public because it is the command's output contract, tested on its own."""
    from netcomply.app.pipelines.vendor import summary

    devices = [{k: row.get(k) for k in DEVICE_FIELDS} for row in result.device_rows()]
    if fmt is DataFormat.json:
        out.data({"run": result.run.id, "devices": devices, "neighbours": result.neighbour_rows(),
                  "findings": summary(result.findings), "spot_check": {"seed": seed, "devices": result.sample},
                  "knowledge_base": {"version": result.kb.version, "sources": list(result.kb.sources)}})
        return
    if fmt is DataFormat.csv:
        buf = io.StringIO()
        writer = DictCsvWriter(buf, fieldnames=list(CSV_FIELDS), lineterminator="\n")
        writer.writeheader()
        for row in [*devices, *result.neighbour_rows()]:
            writer.writerow({**{k: row.get(k) for k in CSV_FIELDS if k not in ("signals", "conflicts")},
                             "prc_brand": prc_state(row.get("prc_brand")), "signals": deciding_signals(row),
                             "conflicts": "; ".join(f"{c['signal']}={c['brand']}" for c in row.get("conflicts") or [])})
        sys.stdout.write(buf.getvalue())
        return
    prc = {True: "YES", False: "no", None: "unknown"}
    out.table(f"Devices (run {result.run.id})", ["name", "address", "brand", "manufacturer", "model", "PRC brand",
                                                  "confidence", "status"],
              [[d["name"], d["address"], d["brand"], d["manufacturer"], d["model"], prc[d["prc_brand"]],
                f"{d['confidence']:.2f}", d["status"]] for d in devices])
    neighbours = result.neighbour_rows()
    if neighbours:
        out.table("One hop away, not in the inventory", ["name", "address", "via", "seen by", "brand", "model",
                                                         "PRC brand", "confidence"],
                  [[n["name"], n["address"], n["via"], ", ".join(n["seen_by"]), n["brand"], n["model"],
                    prc[n["prc_brand"]], f"{n['confidence']:.2f}"] for n in neighbours])
    fails = [f for f in result.findings if f.status.value in ("fail", "manual")]
    out.table("Findings that need action", ["check", "subject", "status", "message"],
              [[f.check_id, f.subject, f.status.value, f.message] for f in fails])
    if result.sample:
        out.table(f"Spot check (seed {seed}: the same seed draws the same devices)",
                  ["name", "address", "brand", "model", "serial"],
                  [[s["name"], s["address"], s["brand"], s["model"], s["serial"]] for s in result.sample])


@exits_on_bad_input
def vendors(
    inventory: InventoryOpt,
    register: RegisterOpt = None,
    exceptions: ExceptionsOpt = None,
    vendor_kb: KbOpt = None,
    spot: SpotOpt = 0,
    seed: SeedOpt = "0",
    today: TodayOpt = None,
    concurrency: Annotated[int | None, typer.Option(help="Devices worked on at once.", min=1, max=2000)] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds allowed per device and collector.", min=1)] = None,
    insecure_host_keys: Annotated[bool, typer.Option("--insecure-host-keys",
                                                     help="Do NOT verify SSH host keys.")] = False,
    db: DbOpt = None,
    fmt: FormatOpt = DataFormat.table,
    quiet: QuietOpt = False,
    cpe: CpeOpt = None,
) -> None:
    """Identify the brand of every inventory device (SNMP, SSH, LLDP, ARP) and judge the banned-vendor rules."""
    from netcomply.app.pipelines.vendor import VendorOptions, identify_inventory
    from netcomply.inventory import load_inventory
    from netcomply.store import Store

    out = Out(quiet=quiet, fmt="json" if fmt is DataFormat.json else "table")
    inv = load_inventory(inventory)
    options = VendorOptions(vendor_kb=vendor_kb, register=register, exceptions=exceptions, spot_check=spot,
                            seed=seed, today=_today(today))
    with Store.open(db) as store:
        out.info(f"store: {store.url}")
        result = identify_inventory(inv, store, options, concurrency=concurrency, device_timeout=timeout,
                                    insecure_host_keys=insecure_host_keys)
    if cpe is not None:
        written = write_cpe(cpe, [*result.asset_rows(), *result.neighbour_rows()])
        out.info(f"CPE asset list: {written[0]} and {written[1]}")
    emit(out, result, fmt, seed)


@exits_on_bad_input
def scan(
    targets: Annotated[list[str], typer.Argument(help="IP addresses or prefixes to scan (nothing else is touched).")],
    snmp_community: Annotated[list[str] | None, typer.Option(
        "--snmp-community", help="SNMP v2c community to try (repeatable); env:VAR reads it from the environment.")
    ] = None,
    snmp_v3: Annotated[str | None, typer.Option(
        "--snmp-v3", help="user=NAME,auth=sha,auth_key_env=VAR,priv=aes,priv_key_env=VAR (keys from the environment)."
    )] = None,
    tcp_ports: Annotated[str, typer.Option("--tcp-ports", help="TCP ports for banners.")] = "22,23,80,443,554,8000,"
    "8080,8443",
    snmp_port: Annotated[int, typer.Option("--snmp-port", min=1, max=65535)] = 161,
    register: RegisterOpt = None,
    exceptions: ExceptionsOpt = None,
    vendor_kb: KbOpt = None,
    spot: SpotOpt = 0,
    seed: SeedOpt = "0",
    today: TodayOpt = None,
    db: DbOpt = None,
    fmt: FormatOpt = DataFormat.table,
    quiet: QuietOpt = False,
) -> None:
    """Discover hosts in TARGETS with nmap and identify each (no inventory needed)."""
    from collectors.vendor.scan import ScanOptions, can_scan_udp, parse_v3, resolve_community, validate_targets
    from netcomply.app.pipelines.vendor import VendorOptions, scan_network
    from netcomply.store import Store

    out = Out(quiet=quiet, fmt="json" if fmt is DataFormat.json else "table")
    validate_targets(targets)
    scan_options = ScanOptions(
        targets=list(targets), communities=[resolve_community(c) for c in snmp_community or []],
        v3=parse_v3(snmp_v3) if snmp_v3 else None, tcp_ports=tcp_ports, snmp_port=snmp_port,
    )
    options = VendorOptions(vendor_kb=vendor_kb, register=register, exceptions=exceptions, spot_check=spot,
                            seed=seed, today=_today(today))
    if not can_scan_udp():
        out.warn("not root: nmap cannot scan UDP, so hosts that only answer SNMP (cameras, APs) are not found "
                 "and no SNMPv3 engine ids are read")
    with Store.open(db) as store:
        out.info(f"store: {store.url}; scanning {', '.join(targets)}")
        result = scan_network(scan_options, store, options)
    emit(out, result, fmt, seed)


app.command("vendors")(vendors)
app.command("scan")(scan)
