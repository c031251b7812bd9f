"""CSV import of the agency's asset register and its exception register (列冊管理 of PRC-brand products).

Why CSV: every agency keeps these in a spreadsheet. Headers are matched case-insensitively, in English or in the
Traditional Chinese most registers use; a UTF-8 BOM (Excel's "CSV UTF-8") is fine. Every problem is an
:class:`InputError` with the file and the line, all problems of a file at once.

Asset register columns: ``asset_id, name, address, brand, model, serial, owner`` (asset_id required; at least one
of name, address, serial to match a device by).
Exception register columns: ``device, ciso_approval, authority_approval, isolation, isolated, end_of_life``
(``device`` = inventory name, asset id, address or serial; dates ``YYYY-MM-DD``; ``isolated`` yes/no).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from netcomply.contracts import registers as contract
from netcomply.csvread import read_records
from netcomply.errors import InputError, InputProblem

ASSET_COLUMNS = ("asset_id", "name", "address", "brand", "model", "serial", "owner")
EXCEPTION_COLUMNS = ("device", "ciso_approval", "authority_approval", "isolation", "isolated", "end_of_life")

_ALIASES: dict[str, str] = {
    "asset id": "asset_id", "asset": "asset_id", "財產編號": "asset_id", "資產編號": "asset_id",
    "名稱": "name", "設備名稱": "name", "hostname": "name",
    "ip": "address", "ip address": "address", "ip位址": "address", "位址": "address",
    "廠牌": "brand", "品牌": "brand", "vendor": "brand",
    "型號": "model", "序號": "serial", "serial number": "serial", "sn": "serial",
    "保管人": "owner", "保管單位": "owner", "custodian": "owner",
    "設備": "device", "asset_or_name": "device",
    "ciso": "ciso_approval", "資安長核定": "ciso_approval", "ciso approval": "ciso_approval",
    "authority": "authority_approval", "主管機關核定": "authority_approval", "authority approval": "authority_approval",
    "隔離措施": "isolation", "isolation measures": "isolation", "已隔離": "isolated",
    "eol": "end_of_life", "end of life": "end_of_life", "汰換期限": "end_of_life", "使用年限屆滿": "end_of_life",
}
_YES = {"yes", "y", "true", "1", "是", "v"}
_NO = {"no", "n", "false", "0", "否", ""}


@dataclass(frozen=True)
class AssetRecord:
    asset_id: str
    name: str | None
    address: str | None
    brand: str | None
    model: str | None
    serial: str | None
    owner: str | None
    line: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ExceptionRecord:
    device: str
    ciso_approval: date | None
    authority_approval: date | None
    isolation: str | None
    isolated: bool
    end_of_life: date | None
    line: int

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("ciso_approval", "authority_approval", "end_of_life"):
            d[k] = d[k].isoformat() if d[k] else None
        return d


def _key(header: str) -> str:
    h = header.strip().lstrip("\ufeff").strip().lower()
    h = _ALIASES.get(h, h)
    return h.replace(" ", "_")


def _rows(path: Path, wanted: Sequence[str], required: Sequence[str]) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(InputProblem(str(path), None, "file not found")) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError(InputProblem(str(path), line, "not UTF-8 text (save the sheet as 'CSV UTF-8')")) from None
    except OSError as exc:
        raise InputError(InputProblem(str(path), None, f"cannot read: {exc.strerror}")) from None
    # physical line numbers (a quoted cell may span lines), bounded cells, never a csv.Error
    records = read_records(text, str(path))
    if not records:
        message = "empty file; expected a header row: " + ", ".join(wanted)
        raise InputError(InputProblem(str(path), 1, message))
    header = records[0].cells
    keys = [_key(h) for h in header]
    missing = [c for c in required if c not in keys]
    if missing:
        got = ", ".join(header)
        raise InputError(InputProblem(str(path), 1, f"missing column(s) {', '.join(missing)}; "
                                      f"expected {', '.join(wanted)} (got {got[:300]})"))
    for record in records[1:]:
        number, cells = record.line, record.cells
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(keys):
            yield number, {"__problem__": f"{len(cells)} cells but the header has {len(keys)} columns"}
            continue
        yield number, {k: (cells[i].strip() if i < len(cells) else "") for i, k in enumerate(keys) if k in wanted}


def load_asset_register(path: str | Path) -> list[AssetRecord]:
    p = Path(path)
    problems: list[InputProblem] = []
    out: list[AssetRecord] = []
    seen: dict[str, int] = {}
    for line, row in _rows(p, ASSET_COLUMNS, ("asset_id",)):
        if "__problem__" in row:
            problems.append(InputProblem(str(p), line, row["__problem__"]))
            continue
        asset_id = row.get("asset_id", "")
        if not asset_id:
            problems.append(InputProblem(str(p), line, "asset_id is empty"))
            continue
        if asset_id in seen:
            problems.append(InputProblem(str(p), line, f"asset_id {asset_id!r} already on line {seen[asset_id]}"))
            continue
        seen[asset_id] = line
        address = row.get("address") or None
        if address:
            try:
                address = str(ipaddress.ip_address(address))
            except ValueError:
                problems.append(InputProblem(str(p), line, f"address {address!r} is not an IP address"))
                continue
        if not (row.get("name") or address or row.get("serial")):
            problems.append(InputProblem(str(p), line, "needs a name, an address or a serial to match a device by"))
            continue
        out.append(AssetRecord(asset_id, row.get("name") or None, address, row.get("brand") or None,
                               row.get("model") or None, row.get("serial") or None, row.get("owner") or None, line))
    if problems:
        raise InputError(problems)
    return out


def _date(value: str, path: Path, line: int, column: str, problems: list[InputProblem]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        problems.append(InputProblem(str(path), line, f"{column} {value!r} is not a date (YYYY-MM-DD)"))
        return None


def load_exception_register(path: str | Path) -> list[ExceptionRecord]:
    p = Path(path)
    problems: list[InputProblem] = []
    out: list[ExceptionRecord] = []
    for line, row in _rows(p, EXCEPTION_COLUMNS, ("device",)):
        if "__problem__" in row:
            problems.append(InputProblem(str(p), line, row["__problem__"]))
            continue
        device = row.get("device", "")
        if not device:
            problems.append(InputProblem(str(p), line, "device is empty"))
            continue
        before = len(problems)
        ciso = _date(row.get("ciso_approval", ""), p, line, "ciso_approval", problems)
        authority = _date(row.get("authority_approval", ""), p, line, "authority_approval", problems)
        eol = _date(row.get("end_of_life", ""), p, line, "end_of_life", problems)
        flag = row.get("isolated", "").strip().lower()
        if flag not in _YES | _NO:
            problems.append(InputProblem(str(p), line, f"isolated {row.get('isolated')!r}: expected yes or no"))
        if len(problems) > before:
            continue
        out.append(ExceptionRecord(device, ciso, authority, row.get("isolation") or None, flag in _YES, eol, line))
    if problems:
        raise InputError(problems)
    return out


def match_asset(register: Sequence[AssetRecord], *, name: str | None, address: str | None, serial: str | None
                ) -> AssetRecord | None:
    """The register entry of a device: by serial first (it survives renames and re-addressing), then address,
    then name (case-insensitive)."""
    if serial:
        for a in register:
            if a.serial and a.serial.strip().upper() == serial.strip().upper():
                return a
    if address:
        for a in register:
            if a.address and a.address == address:
                return a
    if name:
        for a in register:
            if a.name and a.name.lower() == name.lower():
                return a
    return None


def exception_for(exceptions: Sequence[ExceptionRecord], keys: Mapping[str, str | None]) -> ExceptionRecord | None:
    """The exception listed for a device, matched by any of its identifiers (name, asset id, address, serial)."""
    wanted = {v.strip().lower() for v in keys.values() if v}
    for e in exceptions:
        if e.device.strip().lower() in wanted:
            return e
    return None


# ------------------------------------------------------------------ the registers recorded with a run
#
# Why: a run judged today and re-judged in a year must give the same findings, and the auditor must see which
# register the verdicts were judged against. So the registers an audit was given are stored with the run, as
# one observation (kind ``vendor.register``), and the judge reads them from there when no register is passed.

REGISTER_KIND = "vendor.register"
#: What the vendor judge step read of a run's register through the knowledge base
#: (``collectors.vendor.register_brands``), for the checks, which may not read the knowledge base themselves
#: (``compliance.judge.register_reading``).
REGISTER_READING_KIND = "vendor.register_reading"
REGISTER_COLLECTOR = "vendor_register"


def _file_facts(path: str | Path) -> dict[str, Any]:
    import hashlib

    p = Path(path)
    return {"source": str(p.resolve()), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}


def register_observation_data(register: str | Path | None, exceptions: str | Path | None) -> dict[str, Any]:
    """Load the agency's registers (every problem an :class:`InputError` with file and line, before anything runs)
    and return the data of the run's ``vendor.register`` observation: per register its file, SHA-256 and rows."""
    data: contract.VendorRegister = {"asset_register": None, "exceptions": None}  # netcomply.contracts.registers
    if register is not None:
        facts = _file_facts(register)
        data["asset_register"] = {"source": facts["source"], "sha256": facts["sha256"], "records": cast(
            list[contract.AssetRecord], [a.to_dict() for a in load_asset_register(register)])}
    if exceptions is not None:
        facts = _file_facts(exceptions)
        data["exceptions"] = {"source": facts["source"], "sha256": facts["sha256"], "records": cast(
            list[contract.ExceptionRecord], [e.to_dict() for e in load_exception_register(exceptions)])}
    return dict(data)


def _optional_date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def registers_from_observation(data: Mapping[str, Any]) -> dict[str, Any]:
    """The judge's view of a stored ``vendor.register`` observation: ``asset_register`` (list of
    :class:`AssetRecord`, only when one was given: without it the register checks say nothing) and
    ``exceptions`` (list of :class:`ExceptionRecord`)."""
    out: dict[str, Any] = {}
    if data.get("asset_register"):
        out["asset_register"] = [AssetRecord(**r) for r in data["asset_register"]["records"]]
    if data.get("exceptions"):
        out["exceptions"] = [
            ExceptionRecord(**{**r, **{k: _optional_date(r.get(k))
                                       for k in ("ciso_approval", "authority_approval", "end_of_life")}})
            for r in data["exceptions"]["records"]
        ]
    return out
