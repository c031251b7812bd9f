"""Every XLSX and CSV netcomply writes, fed hostile strings through its real inputs, holds no formula.

Each writer gets the OWASP formula-injection payloads where its data comes from (inventory fields, device
output, rule names, SoA decisions, hotspot names, service names, vendor rows), its output is opened with
openpyxl / csv, and:

* no cell is a formula (openpyxl ``data_type == 'f'``) and no text starts with ``= + - @ TAB CR``;
* each planted value arrived, neutralised (the leading apostrophe), so the test fails if it never got there.

:data:`COVERED` names the test of each writer; :func:`test_every_writer_in_the_tree_is_covered_and_safe`
greps the source tree for spreadsheet writers, so a new XLSX/CSV output fails until it writes through
:mod:`netcomply.safety.cells` and has a test here (or in the test named for it).
"""

from __future__ import annotations

import ast
import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
#: What OWASP lists as formula starts (an independent oracle: not netcomply's own rule).
OWASP_LEADS = ("=", "+", "-", "@", "\t", "\r")

HYPERLINK = '=HYPERLINK("http://192.0.2.7/x","open")'
DDE = "=cmd|' /C calc'!A0"
PLUS = "+SUM(1,2)"
MINUS = "-2+3"
AT = "@SUM(A1)"


def assert_workbook_safe(path: Path, planted: list[str]) -> list[str]:
    """No formula, no formula-like text; each planted value present in its neutralised form. Returns texts."""
    wb = load_workbook(path)
    texts: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{path.name}!{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                if isinstance(c.value, str):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.data_type)
                    assert not c.value.startswith(OWASP_LEADS), f"{path.name}!{ws.title}!{c.coordinate}: {c.value!r}"
                    texts.append(c.value)
    for value in planted:
        assert "'" + value in texts, f"{value!r} never reached {path.name} (neutralised)"
    return texts


def assert_csv_safe(text: str, planted: list[str], contained: list[str] = ()) -> list[list[str]]:  # type: ignore[assignment]
    """Parse ``text`` as CSV: no field starts like a formula; each planted value is a whole neutralised field;
    each ``contained`` value appears inside some field (embedded in a message, say)."""
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1
    width = len(rows[0])
    fields = [f for row in rows for f in row]
    for row in rows:
        assert len(row) == width, row  # quoting kept every field in its column
        for field in row:
            assert not field.startswith(OWASP_LEADS), field
    for value in planted:
        assert "'" + value in fields, f"{value!r} never reached the CSV (neutralised)"
    for value in contained:
        assert any(value in f for f in fields), value
    return rows


# ------------------------------------------------------------------------------------------- audit report


AUDIT_INVENTORY = f"""\
agencies:
  city-gov: {{name: {HYPERLINK!r}, name_zh: "{PLUS}", level: A}}
defaults:
  ssh: {{username: nc-audit, password_env: NC_TEST_SSH_PASSWORD}}
hosts:
  cg-core1: {{address: 192.0.2.1, platform: cisco_ios, role: "{AT}", site: "{DDE}", agency: city-gov}}
  cg-sw2: {{address: 192.0.2.2, platform: cisco_ios, role: switch, site: city-hall, agency: city-gov}}
"""


def test_audit_report_xlsx(tmp_path: Path) -> None:
    from compliance.judge import judge_run
    from netcomply.errors import ErrorClass
    from netcomply.inventory import load_inventory
    from netcomply.models import DeviceResult, DeviceStatus, Observation, Run, RunStatus
    from netcomply.store import Store
    from reports.audit import build_report, write_report

    inv_path = tmp_path / "city.yaml"
    inv_path.write_text(AUDIT_INVENTORY, encoding="utf-8")
    inv = load_inventory(inv_path)
    t0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    with Store.open(tmp_path / "store.db") as store:
        store.create_run(Run(id="r1", started_at=t0, operator=MINUS, tool_version="t", inventory_sha256=inv.sha256,
                             inventory_source=str(inv_path), parameters={"collectors": ["cli_facts"]}))
        facts = Observation("cg-core1", "cli_facts", "device.cli_facts",
                            {"platform": "cisco_ios", "hostname": "cg-core1", "model": HYPERLINK, "serial": DDE,
                             "os_version": PLUS}, "ssh:show version", collected_at=t0)
        store.record_device_result("r1", DeviceResult("cg-core1", "cli_facts", DeviceStatus.OK, t0, t0,
                                                      observations=[facts]))
        store.record_device_result("r1", DeviceResult("cg-sw2", "cli_facts", DeviceStatus.ERROR, t0, t0,
                                                      error_class=ErrorClass.AUTH_FAILED, cause=AT))
        judge_run(store, "r1", data={"devices": {d.name: d for d in inv.devices}})
        store.finish_run("r1", RunStatus.PARTIAL, finished_at=t0 + timedelta(minutes=1))
        report = build_report(store, ["r1"])
    (path,) = write_report(report, tmp_path / "out", langs=["en"], formats=["xlsx"])
    # operator, role, site, the model a device reported: whole cells; the error cause inside a composed one
    texts = assert_workbook_safe(path, [MINUS, AT, DDE, HYPERLINK])
    assert any(f": {AT}" in t for t in texts)


# ---------------------------------------------------------------------------------------------------- SoA


def test_soa_xlsx(tmp_path: Path) -> None:
    from compliance.evaluate import evaluate
    from compliance.soa import build_soa, load_decisions
    from compliance.soa.xlsx import write_xlsx

    decisions = tmp_path / "soa.yaml"
    decisions.write_text(
        f'agency: "{PLUS}"\nversion: "{MINUS}"\napproved_by: "{AT}"\napproved_on: 2026-10-01\ncontrols:\n'
        f"  A.6.1: {{applicable: true, justification: {HYPERLINK!r}}}\n"
        f"  A.5.23: {{applicable: true, implemented: true, evidence: [{DDE!r}], owner: '{AT}x'}}\n"
        f"  A.8.28: {{applicable: false, justification: '{MINUS} not developed here'}}\n", encoding="utf-8")
    loaded = load_decisions(decisions)
    soa = build_soa(evaluate([], as_of=datetime(2026, 11, 22).date(), applicability=loaded.applicability()), loaded,
                    run_id="r1")
    path = write_xlsx(soa, tmp_path / "soa.xlsx", lang="en")
    assert_workbook_safe(path, [PLUS, MINUS, HYPERLINK, DDE, AT + "x", MINUS + " not developed here"])


# ----------------------------------------------------------------------------------------------- firewall


def test_firewall_analyze_csv(tmp_path: Path) -> None:
    from netcomply.app.cli.firewall_cmd import app

    config = tmp_path / "asa.txt"
    config.write_text(f"access-list {HYPERLINK.replace(' ', '')} extended permit ip any any\n"
                      f"access-list {AT} remark {DDE}\n"
                      f"access-list {AT} extended permit tcp any host 192.0.2.10 eq telnet\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["analyze", str(config), "-p", "cisco_asa", "--format", "csv"])
    assert result.exit_code == 0, result.output
    acl = HYPERLINK.replace(" ", "")
    rows = assert_csv_safe(result.output, [acl, AT, f"{acl} #1", f"{AT} #1"])
    assert rows[0] == ["severity", "kind", "ruleset", "line", "rule", "message", "fix"]


# ------------------------------------------------------------------------------------------------ hotspot


def test_hotspot_report_csv(tmp_path: Path) -> None:
    from netcomply.app.cli.main import app
    from netcomply.hotspot_samples import HotspotSample, SampleStatus, slot_of
    from netcomply.store import Store
    from netcomply.store.samples import SampleStore

    start = datetime(2026, 11, 1, tzinfo=UTC)
    db = tmp_path / "hs.db"
    with Store.open(db) as store:
        samples = SampleStore(store)
        samples.start_session("s1", kind="poll", interval_s=900, inventory_sha256=None, parameters={})
        samples.append("s1", [HotspotSample(HYPERLINK, slot_of(start.timestamp() + k * 900, 900),
                                            start + timedelta(seconds=k * 900), SampleStatus.UP, 900, clients=2,
                                            site=DDE, zone=PLUS, agency=AT) for k in range(8)])
    runner = CliRunner()
    for by, planted in (("hotspot", [HYPERLINK, DDE, PLUS, AT]), ("zone", [PLUS]), ("agency", [AT])):
        result = runner.invoke(app, ["hotspot", "report", "--db", str(db), "--since", "2026-11-01T00:00:00+00:00",
                                     "--until", "2026-11-02T00:00:00+00:00", "--by", by, "--format", "csv"])
        assert result.exit_code == 0, result.output
        assert_csv_safe(result.stdout, planted)


# --------------------------------------------------------------------------------------------------- IPv6


def test_ipv6_check_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The service check itself is stubbed (it would need DNS); its observation feeds the real verdicts."""
    import collectors.ipv6.service_pass as service_pass
    from netcomply.app.cli.main import app

    inv = tmp_path / "inv.yaml"
    inv.write_text(f"services:\n  - {{name: www.city.example, kind: web, agency: '{AT}', phase: 1}}\n",
                   encoding="utf-8")

    async def fake_check(services: list[Any], **_: Any) -> list[Any]:
        return [SimpleNamespace(device=s.name, status=SimpleNamespace(value="ok"), observations=[SimpleNamespace(
            data={"kind": "web", "service": HYPERLINK, "agency": AT, "phase": 1, "hosts": [], "errors": [DDE]})])
            for s in services]

    monkeypatch.setattr(service_pass, "check_services", fake_check)
    result = CliRunner().invoke(app, ["ipv6", "check", "-i", str(inv), "--format", "csv"])
    assert result.exit_code in (0, 3), result.output
    assert_csv_safe(result.stdout, [HYPERLINK, AT], contained=[DDE])


# ------------------------------------------------------------------------------------------------- vendor


def test_vendor_csv(capsys: pytest.CaptureFixture[str]) -> None:
    from netcomply.app.cli.options import DataFormat
    from netcomply.app.cli.output import Out
    from netcomply.app.cli.vendor_cmd import CSV_FIELDS, emit

    def row(name: str) -> dict[str, Any]:
        return {**{k: None for k in CSV_FIELDS}, "name": name, "address": "192.0.2.9", "brand": PLUS,
                "manufacturer": AT, "model": HYPERLINK, "serial": MINUS, "prc_brand": True, "confidence": 0.9,
                "status": "ok", "evidence": [{"signal": DDE, "brand": PLUS}], "conflicts": [{"signal": "x",
                                                                                           "brand": DDE}]}

    result = SimpleNamespace(device_rows=lambda: [row(HYPERLINK)], neighbour_rows=lambda: [row(DDE)])
    emit(Out(fmt="table"), result, DataFormat.csv)
    assert_csv_safe(capsys.readouterr().out, [HYPERLINK, PLUS, AT, MINUS, DDE])


def test_vendor_cpe_asset_list_csv(tmp_path: Path) -> None:
    from netcomply.app.cli.vendor_cmd import write_cpe

    rows = [{"name": HYPERLINK, "address": "192.0.2.9", "brand": PLUS, "manufacturer": AT, "model": DDE,
             "version": MINUS, "prc_brand": True},
            {"name": "sw1", "address": "192.0.2.10", "brand": "Cisco", "manufacturer": "Cisco", "model": AT,
             "version": "17.9.4a", "prc_brand": False}]
    csv_path, _ = write_cpe(tmp_path / "assets", rows)
    assert_csv_safe(csv_path.read_text(encoding="utf-8"), [HYPERLINK, AT, DDE])


def test_identify_csv() -> None:
    """``netcomply identify --format csv``: what a recording says (model, serial, brand, a file's name, a reader's
    error quoting the file) is device-controlled text."""
    from netcomply.app.cli.identify_cmd import _csv

    rows = [{"file": HYPERLINK, "brand": PLUS, "manufacturer": AT, "model": DDE, "version": MINUS, "serial": MINUS,
             "prc_brand": True, "prc_rule": "knowledge_base", "prc_detail": DDE, "confidence": 0.9,
             "status": "identified", "evidence": [{"signal": DDE, "brand": PLUS}], "skipped_count": 0},
            {"file": DDE, "name": "x", "status": "error", "error": HYPERLINK}]
    assert_csv_safe(_csv(rows), [HYPERLINK, PLUS, AT, MINUS, DDE])


# -------------------------------------------------------------------------------------------- drill synth


def test_drill_synth_csv() -> None:
    from collectors.drill.synth import generate

    drill = generate(seed=7, people=120, departments=6)
    for text in (drill.results_csv, drill.events_csv, drill.roster_csv):
        rows = list(csv.reader(io.StringIO(text)))
        assert all(not f.startswith(OWASP_LEADS) for row in rows for f in row)
    assert "'-" in drill.results_csv or "'+" in drill.results_csv  # positions "-" / "+約聘" were planted


# ------------------------------------------------------------------------------------- the tree's writers

#: Every module that writes a spreadsheet, and the test that feeds hostile data to each writer in it, in source
#: order (one entry per workbook or CSV writer the module creates: a second writer in a file needs its own test).
T = "tests/safety/test_spreadsheet_writers.py::"
COVERED: dict[str, list[str]] = {
    "reports/audit/xlsx.py": [T + "test_audit_report_xlsx"],
    "compliance/soa/xlsx.py": [T + "test_soa_xlsx"],
    "reports/drill/render.py": ["tests/drill/test_formula_safety.py::test_drill_report_and_annex_xlsx"] * 2,
    "collectors/drill/synth.py": [T + "test_drill_synth_csv"] * 3,
    "netcomply/app/cli/firewall_cmd.py": [T + "test_firewall_analyze_csv"],
    "netcomply/app/cli/hotspot_cmd.py": [T + "test_hotspot_report_csv"],
    "netcomply/app/cli/ipv6_cmd.py": [T + "test_ipv6_check_csv"],
    "netcomply/app/cli/vendor_cmd.py": [T + "test_vendor_cpe_asset_list_csv", T + "test_vendor_csv"],
    "netcomply/app/cli/identify_cmd.py": [T + "test_identify_csv"],
}
#: Where a module creates a workbook or a CSV writer.
WRITER_SITE = re.compile(r"\b(?:Workbook|CsvWriter|DictCsvWriter)\(")
SAFE_MODULE = "netcomply/safety/cells.py"
SOURCE_DIRS = ("netcomply", "collectors", "compliance", "reports", "tools", "benchmarks", "playbooks")
#: What a spreadsheet writer looks like in source.
WRITER = re.compile(r"openpyxl|xlsxwriter|csv\.writer\(|csv\.DictWriter\(|DictWriter\(|\.to_csv\(|\.to_excel\(|"
                    r"CsvWriter\(|DictCsvWriter\(|append_row\(|set_cell\(")
#: Raw writes that bypass the safe writer.
RAW_CSV = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\.to_csv\(|\.to_excel\(|xlsxwriter")


def _raw_sheet_writes(source: str) -> list[str]:
    """Worksheet writes that bypass netcomply.safety.cells: ``<sheet>.append(...)``, ``<x>.value = ...`` and
    ``<sheet>.cell(..., value)`` where ``<sheet>`` came from ``.active``, ``.create_sheet(...)`` or a Workbook
    index, in a module that imports openpyxl."""
    tree = ast.parse(source)
    sheets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            value = node.value
            if (isinstance(value, ast.Attribute) and value.attr == "active") or \
                    (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
                     and value.func.attr == "create_sheet") or isinstance(value, ast.Subscript):
                sheets.add(node.targets[0].id)
        if isinstance(node, ast.arg) and isinstance(node.annotation, ast.Name) and node.annotation.id == "Worksheet":
            sheets.add(node.arg)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func.value
            writes = node.func.attr == "append" or (node.func.attr == "cell" and (
                len(node.args) >= 3 or any(k.arg == "value" for k in node.keywords)))
            if isinstance(target, ast.Name) and target.id in sheets and writes:
                found.append(f"line {node.lineno}: {target.id}.{node.func.attr}(...)")
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "value":
                    found.append(f"line {node.lineno}: .value = ...")
    return found


def _writers() -> dict[str, str]:
    found = {}
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            if rel != SAFE_MODULE and WRITER.search(text):
                found[rel] = text
    return found


def test_every_writer_in_the_tree_is_covered_and_safe() -> None:
    writers = _writers()
    assert set(COVERED) <= set(writers), f"listed but no longer writers: {set(COVERED) - set(writers)}"
    uncovered = set(writers) - set(COVERED)
    assert not uncovered, f"spreadsheet writers without a hostile-data test in COVERED: {sorted(uncovered)}"
    for rel, text in writers.items():
        assert "netcomply.safety.cells" in text, f"{rel} writes a spreadsheet without netcomply.safety.cells"
        assert not RAW_CSV.search(text), f"{rel}: raw CSV/XLSX writer: {RAW_CSV.search(text).group(0)}"  # type: ignore[union-attr]
        if "openpyxl" in text:
            assert _raw_sheet_writes(text) == [], f"{rel}: {_raw_sheet_writes(text)}"
        sites = len(WRITER_SITE.findall(text))
        assert sites == len(COVERED[rel]), f"{rel} creates {sites} writer(s), COVERED names {len(COVERED[rel])}"
    for rel, nodes in COVERED.items():
        for node in nodes:
            test_file, _, name = node.partition("::")
            assert f"def {name}(" in (ROOT / test_file).read_text(encoding="utf-8"), f"{node} (for {rel}) is missing"


def test_the_enumeration_would_catch_a_raw_writer() -> None:
    """The checks above are not vacuous: old-style code is flagged."""
    old_xlsx = ("from openpyxl import Workbook\nwb = Workbook()\nws = wb.active\nws.append(['=1+1'])\n"
                "ws2 = wb.create_sheet('x')\nws2.cell(1, 1, '=2')\nws2.cell(row=1, column=2).value = '=3'\n")
    assert len(_raw_sheet_writes(old_xlsx)) == 3
    assert RAW_CSV.search("w = csv.writer(buf)") and RAW_CSV.search("csv.DictWriter(buf, fieldnames=f)")
    assert WRITER.search("import openpyxl") and WRITER.search("df.to_csv(path)")
