"""Fixtures shared by the whole suite: the real lab, started in the background as `netcomply lab up` does."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from netcomply.app.lab.manager import LabInfo, lab_down, lab_up
from netcomply.store.pgtest import PostgresUnavailable, create_schema, start_postgres

if TYPE_CHECKING:
    from collectors.transports.snmp import SnmpClient
    from netcomply.app.lab.snmp.fixtures import SnmpLab

# Ports of the test lab: different from `lab up`'s defaults, so a developer's own lab can keep running.
# NETCOMPLY_TEST_PORT_OFFSET moves them, so that two test sessions can run side by side; each pytest-xdist worker
# (PYTEST_XDIST_WORKER=gwN) moves them by another 1000 * N, so the workers' labs never share a port.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
_OFFSET = int(os.environ.get("NETCOMPLY_TEST_PORT_OFFSET", "0")) + 1000 * int(_WORKER.removeprefix("gw") or 0)
TEST_SSH_PORT = 12222 + _OFFSET
TEST_SNMP_PORT = 11161 + _OFFSET


@pytest.fixture(scope="session")
def city_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabInfo]:
    """The default city lab (SSH devices, SNMP agents, services) as background processes."""
    state_dir = tmp_path_factory.mktemp("city-lab")
    info = lab_up(state_dir, ssh_port=TEST_SSH_PORT, snmp_port=TEST_SNMP_PORT, services_auto_ports=True)
    try:
        yield info
    finally:
        lab_down(state_dir)


# Full runs of the city lab, each made once per session and read by every test module that asks what such a run
# gives (each module used to make its own: ~35 s apiece, most of it waiting for the lab's slow device). The tests
# only read them; a test that writes to the store does so in its own copy.
LAB_REGISTER = ("asset_id,name,address,brand,model,serial,owner\n"
                "CG-001,cg-core1,,Cisco,C9300-48P,,city IT\n"
                "DT-099,old-printer,,Brother,HL-L2350,,district\n")
LAB_EXCEPTIONS = ("device,ciso_approval,authority_approval,isolation,isolated,end_of_life\n"
                  "dt-cam1,2024-03-01,2024-04-15,camera VLAN 990,yes,2027-12-31\n")
# The session's `netcomply vendors` runs: registers (CSV text) and options. "vendors" (tests/vendor/test_lab_vendor.py,
# test_recordings.py): dt-sw1 registered as HPE (it is an H3C). "vendor_report" (tests/vendor/test_report_section.py):
# dt-nvr1's exception by asset id and past its end of life, ed-nvr1 not isolated.
VENDOR_RUNS: dict[str, tuple[str, str, list[str]]] = {
    "vendors": ("asset_id,name,address,brand,model,serial,owner\n"
                "CG-001,cg-core1,,Cisco,C9300-48P,,city IT\n"
                "CG-002,cg-dist1,,HPE,5130,,city IT\n"
                "CG-006,cg-cam1,,Hikvision,DS-2CD2143G2-I,,security\n"
                "DT-042,dt-sw1,,HPE,5130,,district IT\n"
                "DT-099,old-printer,,Brother,HL-L2350,,district\n",
                "device,ciso_approval,authority_approval,isolation,isolated,end_of_life\n"
                "dt-cam1,2024-03-01,2024-04-15,camera VLAN 990 without official network,yes,2027-12-31\n"
                "dt-nvr1,2024-03-01,,,no,2025-06-30\n",
                ["--spot-check", "4", "--seed", "7"]),
    "vendor_report": ("asset_id,name,address,brand,model,serial,owner\n"
                      "CG-001,cg-core1,,Cisco,C9300-48P,,city IT\n"
                      "CG-006,cg-cam1,,Hikvision,DS-2CD2143G2-I,,security\n"
                      "DT-044,dt-cam1,,Dahua,IPC-HFW2431S-S-S2,,district\n"
                      "DT-045,dt-nvr1,,Hikvision,DS-7608NI-K2,,district\n"
                      "DT-099,old-printer,,Brother,HL-L2350,,district\n",
                      "device,ciso_approval,authority_approval,isolation,isolated,end_of_life\n"
                      "dt-cam1,2024-03-01,2024-04-15,camera VLAN 990 without official network,yes,2027-12-31\n"
                      "DT-045,2024-03-01,2024-04-15,NVR VLAN 991,yes,2025-06-30\n"
                      "ed-nvr1,2024-03-01,,,no,2028-01-01\n",
                      ["--spot-check", "3", "--seed", "2026"]),
}
NETCOMPLY = [sys.executable, "-m", "netcomply.app.cli.main"]


class LabRuns:
    """The session's command-line runs of the lab (``netcomply audit``, ``netcomply vendors``) in subprocesses,
    each started once: on demand, or early, beside the in-process audit (:func:`lab_audit`), since all of them
    mostly wait for the same slow device. stdout and stderr go to files (a pipe left unread would stall them)."""

    def __init__(self, lab: LabInfo, factory: pytest.TempPathFactory) -> None:
        self.lab, self.factory = lab, factory
        self.procs: dict[str, tuple[subprocess.Popen[bytes], dict[str, Any]]] = {}
        self.done: dict[str, dict[str, Any]] = {}

    def start(self, name: str) -> None:
        if name in self.procs:
            return
        work = self.factory.mktemp(f"lab-{name}")
        args, info = self._cli_audit(work) if name == "cli_audit" else self._vendors(name, work)
        with (work / "stdout.txt").open("wb") as out, info["log"].open("wb") as err:
            self.procs[name] = (subprocess.Popen(args, stdout=out, stderr=err), info)

    def result(self, name: str) -> dict[str, Any]:
        """Wait for the run (started now if it was not) and return what it wrote, its exit code and output."""
        if name not in self.done:
            self.start(name)
            proc, info = self.procs[name]
            info["returncode"] = proc.wait(timeout=600)
            info["stdout"] = (info["work"] / "stdout.txt").read_text(encoding="utf-8")
            said = [line for line in info["log"].read_text(errors="replace").splitlines()
                    if " DEBUG " not in line and " INFO " not in line]
            info["said"] = "\n".join(said[-40:])
            self.done[name] = info
        return self.done[name]

    def stop(self) -> None:
        for proc, _ in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)

    def _cli_audit(self, work: Path) -> tuple[list[str], dict[str, Any]]:
        from reports.evidence import generate_key

        key = work / "keys" / "signing.pem"
        generate_key(key)
        out, db, log = work / "out", work / "audit.db", work / "audit-vv.log"
        return ([*NETCOMPLY, "-vv", "audit", "-i", str(self.lab.inventory), "--out", str(out), "--evidence-key",
                 str(key), "--db", str(db), "--format", "json"],
                {"work": work, "out": out, "db": db, "log": log, "key": key})

    def _vendors(self, name: str, work: Path) -> tuple[list[str], dict[str, Any]]:
        register, exceptions, options = VENDOR_RUNS[name]
        (work / "assets.csv").write_text(register, encoding="utf-8")
        (work / "exceptions.csv").write_text(exceptions, encoding="utf-8")
        db, cpe = work / "vendors.db", work / "vans" / "assets"
        return ([*NETCOMPLY, "vendors", "-i", str(self.lab.inventory), "--db", str(db), "--format", "json",
                 "--register", str(work / "assets.csv"), "--exceptions", str(work / "exceptions.csv"),
                 "--today", "2026-11-22", *options, "--timeout", "20", "--cpe", str(cpe)],
                {"work": work, "db": db, "cpe": cpe, "log": work / "stderr.log"})


@pytest.fixture(scope="session")
def lab_runs(city_lab: LabInfo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabRuns]:
    runs = LabRuns(city_lab, tmp_path_factory)
    try:
        yield runs
    finally:
        runs.stop()


#: The session fixture of each run in :class:`LabRuns`.
LAB_RUN_FIXTURES = {"cli_audit": "lab_cli_audit", "vendors": "lab_vendors_run",
                    "vendor_report": "lab_vendor_report_run"}


@pytest.fixture(scope="session")
def lab_audit(city_lab: LabInfo, lab_runs: LabRuns, request: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One in-process ``run_audit`` of the whole lab with the agency's registers, with every log record (DEBUG,
    through the redacting filter) kept: for tests/integration/test_lab_audit.py and the contracts test.

    The command-line runs this session will also need run beside it, and are waited for before it returns (no
    other test runs beside them)."""
    from netcomply.app.audit import AuditOptions, run_audit
    from netcomply.app.cli.audit_cmd import write_summary
    from netcomply.inventory import load_inventory
    from netcomply.safety.redact import RedactingFilter
    from netcomply.store import Store

    wanted = {fixture for item in request.session.items for fixture in getattr(item, "fixturenames", ())}
    beside = [name for name, fixture in LAB_RUN_FIXTURES.items() if fixture in wanted]
    for name in beside:
        lab_runs.start(name)
    out = tmp_path_factory.mktemp("lab-audit")
    (out / "assets.csv").write_text(LAB_REGISTER, encoding="utf-8")
    (out / "exceptions.csv").write_text(LAB_EXCEPTIONS, encoding="utf-8")
    inv = load_inventory(city_lab.inventory)
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep(level=logging.DEBUG)
    handler.addFilter(RedactingFilter())
    logger = logging.getLogger()
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        with Store.open(out / "audit.db") as store:
            run, outcome = run_audit(inv, store, AuditOptions(operator="pytest", register=str(out / "assets.csv"),
                                                              exceptions=str(out / "exceptions.csv")))
            summary = write_summary(out, run, outcome, store)
            results = store.device_results(run.id)
            observations = list(store.observations(run.id))
            stored = store.artifact_records(run.id)
            artifacts = {r.sha256: store.artifact_content(r.sha256) for r in stored}
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    for name in beside:
        lab_runs.result(name)
    return {"inv": inv, "run": run, "outcome": outcome, "results": results, "observations": observations,
            "artifacts": artifacts, "artifact_records": stored, "summary": summary, "db": out / "audit.db",
            "logs": records, "out": out}


@pytest.fixture(scope="session")
def lab_cli_audit(lab_runs: LabRuns) -> dict[str, Any]:
    """``netcomply -vv audit --out --evidence-key --format json`` of the whole lab in a subprocess: the report
    files, SoA, signed evidence pack, store (``db``), JSON on stdout (``stdout``) and the debug log on stderr
    (``log``), for tests/reports/test_lab_report.py, test_lab_counts.py and tests/safety/test_redact_e2e.py.
    ``work`` holds only what this audit wrote (and its signing key)."""
    return lab_runs.result("cli_audit")


@pytest.fixture(scope="session")
def lab_vendors_run(lab_runs: LabRuns, city_lab: LabInfo) -> dict[str, Any]:
    """``netcomply vendors`` over the lab inventory with the registers of VENDOR_RUNS["vendors"], a spot check
    (seed 7, 4 devices) and the VANS asset list (--cpe), for tests/vendor/test_lab_vendor.py and
    test_recordings.py."""
    return _vendors_result(lab_runs, "vendors", city_lab)


@pytest.fixture(scope="session")
def lab_vendor_report_run(lab_runs: LabRuns, city_lab: LabInfo) -> dict[str, Any]:
    """``netcomply vendors`` with the registers of VENDOR_RUNS["vendor_report"] and a spot check (seed 2026, 3
    devices), for tests/vendor/test_report_section.py."""
    return _vendors_result(lab_runs, "vendor_report", city_lab)


def _vendors_result(lab_runs: LabRuns, name: str, lab: LabInfo) -> dict[str, Any]:
    from netcomply.inventory import load_inventory

    run = lab_runs.result(name)
    assert run["returncode"] == 0, run["said"]
    return {"data": json.loads(run["stdout"]), "db": run["db"], "inv": load_inventory(lab.inventory),
            "cpe": run["cpe"]}


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running the `netcomply` console script in a subprocess."""
    env = dict(os.environ)
    env["NETCOMPLY_DB"] = str(tmp_path / "cli.db")
    env.pop("NETCOMPLY_DEBUG", None)
    return env


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """One real PostgreSQL server (Debian's binaries, netcomply.store.pgtest) for every test that needs one;
    without the binaries those tests are skipped, saying why."""
    try:
        url, stop = start_postgres()
    except PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL server binaries: {exc}")
    try:
        yield url
    finally:
        stop()


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty schema on the session's server (a database per test would cost 0.5 s each)."""
    return create_schema(pg_server)


# The SNMP agents alone (one snmpsim process, no SSH or services), shared by tests/lab/snmp and
# tests/transports/snmp: one lab per pytest run, where each folder used to start its own.
@pytest.fixture(scope="session")
def snmpsim_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SnmpLab]:
    """The default lab's SNMP agents for the whole session."""
    from netcomply.app.lab.snmp.fixtures import snmp_lab

    with snmp_lab(tmp_path_factory.mktemp("snmplab")) as running:
        yield running


@pytest.fixture(scope="session")
def snmp_loop() -> Iterator[asyncio.Runner]:
    """One event loop for the session, so one pysnmp engine serves every test (a new engine costs ~0.5 s)."""
    with asyncio.Runner() as r:
        yield r


@pytest.fixture(scope="session")
def lab_snmp_client(snmp_loop: asyncio.Runner) -> Iterator[SnmpClient]:
    """An SNMP client limited to loopback, on the session's event loop."""
    from collectors.transports.snmp import SnmpClient
    from netcomply.safety.targets import TargetPolicy

    c = SnmpClient(policy=TargetPolicy.loopback_only())
    yield c
    c.close()
