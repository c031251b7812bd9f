"""Rapid7 Recog's banner databases on what a scan reads from services (collectors/vendor/recog_banners.py, the banner
half of recog.py, from_nmap_host and from_lldp in evidence.py, the scripts of collectors/vendor/scan.py).

Real things only: Recog's own examples (strings its authors saw real devices send), the XML of a real nmap run with
netcomply's arguments against loopback services that send such strings (fixtures/nmap_banners, SOURCES there), a
live nmap run against the same services, LibreNMS recordings' sysDescrs as LLDP neighbour descriptions.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.transports.nmap import SUBJECT_KEY, NmapScanner, parse_nmap_xml
from collectors.vendor import corpus, recog, recog_banners
from collectors.vendor.evidence import Evidence, from_lldp, from_nmap_host
from collectors.vendor.identify import identify
from collectors.vendor.kb import load_kb
from collectors.vendor.scan import BANNER_SCRIPT_ARGS, BANNER_SCRIPTS
from netcomply.safety.targets import TargetPolicy
from tests.vendor.recog_banner_faces import can_bind, faces, serving

FIXTURE = Path(__file__).parent / "fixtures" / "nmap_banners" / "faces.xml"
BANNER_DATABASES = [n for n in recog.FILES if n not in ("sysdescr", "sysobjid")]
#: PRC brands (the knowledge base's family names) whose Recog examples must never be judged "not PRC".
PRC_BRANDS = ("Hikvision", "Dahua", "Huawei", "H3C", "TP-Link", "ZTE", "Ruijie", "Xiongmai")


@lru_cache(maxsize=1)
def _hosts() -> dict[str, dict[str, Any]]:
    return {h.address: h.to_dict() for h in parse_nmap_xml(FIXTURE.read_text(encoding="utf-8"))}


def _verdict(host: dict[str, Any]) -> Any:
    kb = load_kb()
    return identify(kb, from_nmap_host(kb, host, "nmap"))


def _no_banner_recog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recog, "banner_evidence", lambda *a, **k: [])


# --------------------------------------------------------------------------------------------- the databases


def _examples(name: str) -> Iterator[tuple[recog.Fingerprint, recog.Example]]:
    db = recog.load().database(name)
    return ((fp, ex) for fp in db.fingerprints for ex in fp.examples)


def test_the_faces_send_recogs_own_examples() -> None:
    """Every string the loopback faces send (but the lab's own SSH version) is an example of the database that
    reads it: nothing in the nmap fixture was invented here."""
    examples = {name: {ex.text.rstrip("\n") for _, ex in _examples(name)} for name in BANNER_DATABASES}
    for face in faces("127.78.1"):
        sent = {"telnet_banner": face.telnet, "ftp_banner": face.ftp,
                "http_server": face.http[0] if face.http else None,
                "http_wwwauth": face.http[1] if face.http else None,
                "ssh_banner": face.ssh if face.name != "switch" else None,
                "x509_subject": ",".join(f"{k}={v}" for k, v in zip(
                    ("CN", "OU", "O", "L", "ST", "C"), [v for _, v in reversed(face.tls_subject)], strict=False))
                if face.tls_subject else None}
        for name, text in sent.items():
            if text:
                assert text.rstrip("\n") in examples[name], (face.name, name, text)


def test_every_banner_database_is_read_only_when_asked_for() -> None:
    """Loading the snapshot reads no database; matching an SSH banner reads the SSH database alone, once. (Load time
    and memory per database are measured in the report, not asserted here.)"""
    recog.database.cache_clear()
    rc = recog.load()
    assert recog.database.cache_info().currsize == 0
    assert rc.match("ssh_banner", "HUAWEI-1.5") is not None and rc.match("ssh_banner", "RGOS_SSH_1.0") is not None
    assert recog.database.cache_info().currsize == 1 and rc.database("ssh_banner") is rc.database("ssh_banner")
    counts = {name: len(rc.database(name).fingerprints) for name in BANNER_DATABASES}
    assert sum(counts.values()) >= 1500, counts
    with pytest.raises(KeyError, match="no Recog database"):
        rc.database("smtp_banners")


def test_prc_is_never_wrong_on_recogs_own_banner_examples() -> None:
    """Each banner example alone, as a port that said only that: a verdict that names a PRC answer gives the knowledge
    base's answer for the brand Recog names, and a PRC brand's example (Hikvision, Dahua, Huawei, H3C, TP-Link, ZTE,
    Ruijie, Xiongmai) is never judged "not PRC"."""
    kb = load_kb()
    prc_families = {kb.family(kb.canonical(b) or b) for b in PRC_BRANDS}
    judged = prc_yes = 0
    for name in BANNER_DATABASES:
        for fp, ex in _examples(name):
            ev = recog.banner_evidence(kb, name, ex.text, f"nmap.{name}", "test", "http_banner")
            v = identify(kb, ev)
            if not ev or v.brand is None:
                continue
            brand = kb.canonical(v.brand)
            judged += 1
            if brand is not None and kb.prc(brand) is not None and v.prc_brand is not None:
                assert v.prc_brand == kb.prc(brand), (name, fp.line, ex.text[:60], v.brand, v.prc_brand)
            if kb.family(brand or v.brand) in prc_families:
                assert v.prc_brand is not False, (name, fp.line, ex.text[:60])
                prc_yes += v.prc_brand is True
    assert judged > 1000 and prc_yes >= 40, (judged, prc_yes)


@pytest.mark.parametrize(("name", "text"), [
    ("ssh_banner", "OpenSSH_6.6.1p1 Ubuntu-2ubuntu2.13"),
    ("ssh_banner", "dropbear_2019.78"),
    ("http_server", "Apache/2"),
    ("http_server", "nginx/1.14.0"),
    ("http_server", "Microsoft-IIS/10.0"),
    ("http_server", "lighttpd/1.4.35"),
    ("http_server", "GoAhead-Webs"),
    ("http_server", "Boa/0.94.14rc21"),
    ("http_server", "uc-httpd 1.0.0"),  # Xiongmai's, named by Recog as HiSilicon's (the chip): no brand
])
def test_general_purpose_servers_and_chips_name_no_brand(name: str, text: str) -> None:
    """The web and SSH servers every maker embeds (and the SoC inside) say nothing of the product's brand."""
    assert recog.banner_evidence(load_kb(), name, text, f"nmap.{name}", "test", "http_banner") == []


def test_general_purpose_publishers_measured() -> None:
    """Across the banner examples, the fingerprints that match without naming a hardware brand (service.vendor only:
    Apache, nginx, Microsoft, OpenSSH, Dropbear, lighttpd, GoAhead, Boa...) are counted, and none of them claims."""
    kb = load_kb()
    silent = claims = 0
    for name in ("http_server", "ssh_banner"):
        for _fp, ex in _examples(name):
            m = recog.load().match(name, ex.text)
            if m is not None and m.vendor is None and m.facts.get("service.vendor"):
                silent += 1
                assert not recog.banner_evidence(kb, name, ex.text, "nmap.x", "t", "http_banner")
            elif m is not None and m.vendor is not None:
                claims += 1
    assert silent > 500 and claims > 100, (silent, claims)


def test_an_os_built_for_several_brands_names_the_maker_only() -> None:
    """'Comware-7.1.064' (the lab's HPE/H3C platform): H3C builds Comware for HPE too, so the banner names the maker."""
    kb = load_kb()
    (ev,) = recog.banner_evidence(kb, "ssh_banner", "Comware-7.1.064", "nmap.ssh_banner", "t", "ssh_banner")
    assert (ev.brand, ev.manufacturer, ev.kind, ev.weight) == (None, "H3C", "maker", 0.0)
    assert ev.version == "7.1.064"


def test_a_device_class_is_not_a_model() -> None:
    """'KONICA MINOLTA FTP server ready.' (Recog: hw.product="Printer", hw.device="Printer"): the brand, no model."""
    (ev,) = recog.banner_evidence(load_kb(), "ftp_banner", "KONICA MINOLTA FTP server ready.", "nmap.ftp_banner",
                                  "t", "http_banner")
    assert ev.brand == "Konica Minolta" and ev.model is None
    # a device word the pattern captured from the text is the text's own model (VRP: os.device "S2700")
    m = recog.load().match_descr("S2700-9TP-EI-AC Huawei Versatile Routing Platform Software VRP (R) software,"
                                 "Version 5.70 (S2700 V100R006C05)")
    assert m is not None and m.model == "S2700"


# --------------------------------------------------------------------------------------------- nmap's output


def test_script_outputs_become_the_strings_recog_reads() -> None:
    hosts = _hosts()
    got = {(a, p["port"]): [(b.database, b.text) for b in recog_banners.port_banners(p)]
           for a, h in hosts.items() for p in h["ports"] if p["state"] == "open"}
    assert got[("127.78.1.1", 80)] == [("http_server", "Hikvision-Webs")]
    assert got[("127.78.1.1", 443)] == [
        ("x509_subject", "CN=www.hikvision.com,OU=DVRNVR,O=HIKVISION,L=HangZhou,ST=ZheJiang,C=CN")]
    assert ("ssh_banner", "HUAWEI-1.5") in got[("127.78.1.2", 22)]
    # the banner script cuts a long greeting after two lines; -sV's fingerprint-strings holds it whole
    assert ("telnet_banner", "Warning: Telnet is not a secure protocol, and it is recommended to use Stelnet.\r\n"
            "Login authentication\r\nUsername:") in got[("127.78.1.2", 23)]
    assert got[("127.78.1.3", 21)] == [("ftp_banner", "Welcome to TP-LINK FTP server")]
    assert ("http_wwwauth", 'Basic realm="TP-LINK Wireless N Router WR841N"') in got[("127.78.1.3", 80)]
    assert ("telnet_banner", "ZXHN H108N\r\nLogin:") in got[("127.78.1.4", 23)]
    assert got[("127.78.1.5", 22)] == [("ssh_banner", "OpenSSH_6.6.1p1 Ubuntu-2ubuntu2.13")]


def test_the_certificate_subject_comes_from_the_xml_table() -> None:
    """nmap's text output leaves out the unit and the locality ('DVRNVR', 'HangZhou'); the XML table has them."""
    port = next(p for p in _hosts()["127.78.1.1"]["ports"] if p["port"] == 443)
    assert "DVRNVR" not in port["scripts"]["ssl-cert"]
    assert port["scripts"][SUBJECT_KEY].startswith("CN=www.hikvision.com,OU=DVRNVR,")


@pytest.mark.parametrize(("address", "brand", "prc", "model"), [
    ("127.78.1.1", "Hikvision", True, None),  # HTTP Server header and TLS subject: no SNMP, no nmap product
    ("127.78.1.2", "Huawei", True, None),
    ("127.78.1.3", "TP-Link", True, "Wireless N Router WR841N"),
    ("127.78.1.4", "ZTE", True, "H108N"),
    ("127.78.1.5", None, None, None),  # OpenSSH and Apache on a server: unknown, never "not PRC"
])
def test_a_scan_names_devices_from_their_banners(address: str, brand: str | None, prc: bool | None,
                                                 model: str | None) -> None:
    v = _verdict(_hosts()[address])
    assert (v.brand, v.prc_brand, v.model) == (brand, prc, model)


def test_before_recogs_banner_databases_only_nmaps_own_names_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the banner databases (the code before this change), the camera, the router and the ONT were unknown:
    nmap's service fingerprints name none of them; the switch was named by nmap's 'Huawei WAP sshd'."""
    _no_banner_recog(monkeypatch)
    named = {a: _verdict(h).brand for a, h in _hosts().items()}
    assert named["127.78.1.1"] is None and named["127.78.1.3"] is None and named["127.78.1.4"] is None
    assert named["127.78.1.2"] == "Huawei"


def test_each_claim_names_its_fingerprint_and_port() -> None:
    kb = load_kb()
    ev = [e for e in from_nmap_host(kb, _hosts()["127.78.1.1"], "nmap") if e.signal == "nmap.x509_subject"]
    assert ev and ev[0].source == "nmap tcp/443 ssl-cert" and ev[0].kind == "label"
    assert ev[0].weight == kb.weight("http_banner")
    assert "Rapid7 Recog fingerprint" in (ev[0].note or "")


_OUTPUT = st.one_of(st.text(max_size=300), st.sampled_from([
    "SSH-2.0-", "220 ", "\n  Server: ", "\n  GetRequest, NULL: \n    HTTP/1.1 200 OK\n    Server: x",
    "Site doesn't have a title", "\\x0D\\x0A", "\\xFF\\xFB\\x01", "RTSP/1.0 200 OK"])).map(str)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["banner", "http-headers", "http-title", SUBJECT_KEY, "fingerprint-strings",
                                        "snmp-info"]), st.lists(_OUTPUT, max_size=4).map("".join), max_size=5),
       st.sampled_from(["ssh", "telnet", "ftp", "http", "https", "unknown", "rtsp", ""]))
def test_any_script_output_never_raises_and_is_deterministic(scripts: dict[str, str], service: str) -> None:
    port = {"protocol": "tcp", "port": 23, "state": "open", "service": service, "scripts": scripts}
    kb = load_kb()
    first = from_nmap_host(kb, {"ports": [port]}, "nmap")
    assert first == from_nmap_host(kb, {"ports": [port]}, "nmap")
    assert all(isinstance(e, Evidence) and len(e.value) <= 300 for e in first)
    assert all(len(b.text) <= recog_banners.MAX_BANNER for b in recog_banners.port_banners(port))


# --------------------------------------------------------------------------------------------- the scan itself


def test_banner_scripts_are_safe_and_read_only() -> None:
    """Each script the scan adds is in nmap's "safe" category and in none that probes harder (script.db)."""
    db = Path("/usr/share/nmap/scripts/script.db")
    if not db.exists():
        pytest.skip("nmap's script.db is not installed")
    text = db.read_text(encoding="utf-8")
    for script in BANNER_SCRIPTS:
        m = re.search(rf'filename = "{re.escape(script)}\.nse", categories = \{{([^}}]*)\}}', text)
        assert m, script
        categories = set(re.findall(r'"([\w-]+)"', m.group(1)))
        assert "safe" in categories and not categories & {"intrusive", "brute", "auth", "exploit", "dos", "vuln",
                                                          "malware", "fuzzer"}, (script, categories)
    argv = NmapScanner(TargetPolicy.loopback_only()).build_command(
        ["127.0.0.1"], tcp_ports="22", service_detection=True, scripts=BANNER_SCRIPTS, script_args=BANNER_SCRIPT_ARGS)
    assert argv[argv.index("--script") + 1] == ",".join(BANNER_SCRIPTS)
    assert argv[argv.index("--script-args") + 1] == "banner.timeout=2s"
    assert argv[argv.index("--") + 1:] == ["127.0.0.1/32"]


def test_the_scan_asks_nmap_for_the_banner_scripts(monkeypatch: pytest.MonkeyPatch) -> None:
    """collectors.vendor.scan.scan hands the scripts to nmap with service detection, and none without it."""
    from collectors.transports.nmap import ScanResult
    from collectors.vendor import scan as scan_module

    calls: list[dict[str, Any]] = []

    def fake_scan(self: NmapScanner, targets: list[str], **options: Any) -> ScanResult:
        calls.append(options)
        return ScanResult([], self.build_command(targets, **{k: v for k, v in options.items() if k != "timeout"}), "")

    monkeypatch.setattr(NmapScanner, "scan", fake_scan)
    monkeypatch.setattr(scan_module, "can_scan_udp", lambda: False)
    scan_module.scan(scan_module.ScanOptions(targets=["127.0.0.1"]))
    scan_module.scan(scan_module.ScanOptions(targets=["127.0.0.1"], service_detection=False))
    assert calls[0]["scripts"] == BANNER_SCRIPTS and calls[0]["script_args"] == BANNER_SCRIPT_ARGS
    assert calls[1]["scripts"] == () and calls[1]["script_args"] is None


def _net() -> str:
    offset = int(os.environ.get("NETCOMPLY_TEST_PORT_OFFSET", "0")) // 1000
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    return f"127.79.{(offset * 8 + worker) % 250 + 1}"


@pytest.mark.lab
def test_a_live_scan_reads_the_banners_and_names_the_devices() -> None:
    """nmap itself (no -sV: the service named from its port; the fixture above is the -sV run) with the scan's
    scripts against the faces on loopback: the same strings reach Recog, the same brands come out."""
    net = _net()
    if subprocess.run(["which", "nmap"], capture_output=True, check=False).returncode or not can_bind(f"{net}.1"):
        pytest.skip("needs nmap and root (the faces listen on ports below 1024)")
    with serving(faces(net)):
        result = NmapScanner(TargetPolicy.of([f"{net}.0/29"], reason="test")).scan(
            [f"{net}.0/29"], tcp_ports="21,22,23,80,443", scripts=BANNER_SCRIPTS, script_args=BANNER_SCRIPT_ARGS,
            ping=False, timeout=60)
    hosts = {h.address: h.to_dict() for h in result.hosts if any(p.state == "open" for p in h.ports)}
    brands = {a.rsplit(".", 1)[1]: _verdict(h).brand for a, h in hosts.items()}
    assert brands == {"1": "Hikvision", "2": "Huawei", "3": "TP-Link", "4": "ZTE", "5": None}


# --------------------------------------------------------------------------------------------- LLDP


@lru_cache(maxsize=1)
def _rows() -> dict[str, dict[str, Any]]:
    return {str(r["id"]): r for r in corpus.load_rows()}


def test_an_lldp_neighbour_description_is_read_by_the_sysdescr_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """A neighbour announcing the sysDescr of a real APC card (LibreNMS apc_smart1500) in lldpRemSysDesc: Recog's
    fingerprint names APC with the card's model and firmware, on the LLDP signal at the LLDP weight."""
    kb = load_kb()
    row = {"sys_desc": _rows()["apc_smart1500"]["sys_descr"], "sys_name": "ups-1"}
    ev = [e for e in from_lldp(kb, row, "lldp") if "Recog" in (e.note or "")]
    assert ev and ev[0].signal == "lldp.sysDesc" and ev[0].source == "lldp lldpRemSysDesc"
    assert (ev[0].model, ev[0].version) == ("AP9631", "7.1.2")
    monkeypatch.setattr(recog, "descr_evidence", lambda *a, **k: [])
    assert not [e for e in from_lldp(kb, row, "lldp") if "Recog" in (e.note or "")]


def test_an_lldp_neighbour_named_by_the_knowledge_base_is_not_counted_twice() -> None:
    kb = load_kb()
    ev = from_lldp(kb, {"sys_desc": _rows()["vrp_4"]["sys_descr"]}, "lldp")
    recog_ev = [e for e in ev if "Recog" in (e.note or "")]
    assert recog_ev and recog_ev[0].weight == 0 and any(e.brand == "Huawei" and e.weight > 0 for e in ev)
