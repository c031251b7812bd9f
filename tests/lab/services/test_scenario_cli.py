"""The scenario file, its validation, the derived truth, and the `python -m netcomply.app.lab.services` runner."""

from __future__ import annotations

import copy
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import pytest
import yaml

from netcomply.app.lab.services import load_scenario
from netcomply.app.lab.services.runtime import inventory_services
from netcomply.app.lab.services.scenario import derive_truth, parse_scenario
from netcomply.errors import InputError
from netcomply.models import Service

CITY = Path(__file__).resolve().parents[3] / "netcomply" / "app" / "lab" / "data" / "city.yaml"


def test_every_city_service_has_a_truth() -> None:
    city = yaml.safe_load(CITY.read_text(encoding="utf-8"))
    truth = derive_truth(parse_scenario(load_scenario()))
    missing = [f"{s['kind']}:{s['name']}" for s in city["services"] if f"{s['kind']}:{s['name']}" not in truth]
    assert not missing


def test_truth_follows_the_scenario_not_a_table() -> None:
    scenario = load_scenario()
    before = derive_truth(parse_scenario(scenario))
    assert not before["dns:edu.lab.example"].ipv6_ready
    fixed = copy.deepcopy(scenario)
    fixed["name_servers"]["ns2.edu.lab.example"]["ipv6"] = True
    fixed["web"]["www.edu.lab.example"]["tls6"] = "same"
    after = derive_truth(parse_scenario(fixed))
    assert after["dns:edu.lab.example"].ipv6_ready
    assert after["web:www.edu.lab.example"].ipv6_ready
    assert "1 of 2 name servers" in before["dns:edu.lab.example"].reason
    assert "ns2.edu.lab.example" in before["dns:edu.lab.example"].reason


def test_bad_scenario_names_the_key() -> None:
    scenario = load_scenario()
    scenario["zones"]["city.lab.example"]["name_servers"].append("ns9.city.lab.example")
    scenario["web"]["www.city.lab.example"]["https"] = "not-a-port"
    with pytest.raises(InputError) as err:
        parse_scenario(scenario, source="services.yaml")
    text = str(err.value)
    assert "web.www.city.lab.example.https" in text
    bad_ref = load_scenario()
    bad_ref["zones"]["city.lab.example"]["name_servers"].append("ns9.city.lab.example")
    with pytest.raises(InputError, match=r"unknown name server ns9\.city\.lab\.example"):
        parse_scenario(bad_ref)


def check_inventory_entries(services_dir: Path) -> None:
    """The entries the lab writes into the inventory validate as Services and carry ports that answer."""
    entries = inventory_services(services_dir)
    city = yaml.safe_load(CITY.read_text(encoding="utf-8"))["services"]
    assert [(e["name"], e["kind"]) for e in entries] == [(c["name"], c["kind"]) for c in city]
    for entry in entries:
        service = Service.model_validate(entry)
        assert service.endpoints is not None and service.endpoints.resolver
        resolver_port = int(service.endpoints.resolver.rsplit(":", 1)[1])
        assert service.endpoints.ca_file and Path(service.endpoints.ca_file).is_file()
        hosts = service.endpoints.hosts
        if service.kind == "dns":
            ns_ports = {h: p.dns for h, p in hosts.items()}
            assert ns_ports and all(ns_ports.values())
            for ns, port in ns_ports.items():
                answer = dns.query.tcp(dns.message.make_query(service.name, "SOA"), "127.0.0.1", port=port,
                                       timeout=2)
                assert answer.rcode() == dns.rcode.NOERROR, ns
        if service.kind == "mail":
            assert hosts and all(p.smtp for p in hosts.values())
        if service.kind == "web":
            assert service.url and service.url.endswith(f":{hosts[service.name].https}/")
        answer = dns.query.udp(dns.message.make_query(service.name, "SOA" if service.kind != "web" else "A"),
                               "::1", port=resolver_port, timeout=2)
        assert answer.rcode() == dns.rcode.NOERROR and answer.answer


def _wait_for(path: Path, proc: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else b""
        assert time.monotonic() < deadline, "services never became ready"
        time.sleep(0.05)


@pytest.mark.lab
def test_runner_writes_ready_file_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    proc = subprocess.Popen(
        [sys.executable, "-m", "netcomply.app.lab.services", "--state-dir", str(tmp_path), "--ready-file", str(ready),
         "--auto-ports"], stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(CITY.parents[4])})
    try:
        _wait_for(ready, proc, 20)
        state = json.loads((tmp_path / "services.json").read_text())
        assert Path(state["ca_file"]).is_file()
        answer = dns.query.tcp(dns.message.make_query("www.city.lab.example", "AAAA"), "::1",
                               port=state["dns_port"], timeout=2)
        assert answer.rcode() == dns.rcode.NOERROR and answer.answer
        web = state["endpoints"]["www.city.lab.example"]
        socket.create_connection(("::1", web["ports"]["https"]), timeout=2).close()
        assert set(state["name_servers"]) >= {"ns1.city.lab.example", "ns2.edu.lab.example"}
        assert state["truth"]["dns:city.lab.example"]["ipv6_ready"] is True
        check_inventory_entries(tmp_path)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    assert not ready.exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("::1", web["ports"]["https"]), timeout=2).close()


def test_scale_scenario_validates_and_mixes_verdicts() -> None:
    from netcomply.app.lab.services.scenario import scale_scenario

    scaled = scale_scenario(load_scenario(), 137)
    truth = derive_truth(parse_scenario(scaled))
    assert len(scaled["services"]) == len(truth) == 137
    kinds = {t.kind for t in truth.values()}
    assert kinds == {"web", "dns", "mail"}
    ready = sum(t.ipv6_ready for t in truth.values())
    assert 0 < ready < len(truth)
    web = [t for t in truth.values() if t.kind == "web"]
    assert {t.hosts[0].host for t in web} == set(load_scenario()["web"])  # aliases cycle over every web host
