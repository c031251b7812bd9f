"""The inventory's ``services:`` entries for a running lab, with where each service really listens.

Real services sit on 53/80/443/25; the lab cannot use those ports, so each entry carries
:class:`~netcomply.models.ServiceEndpoints`::

    endpoints:
      resolver: "[::1]:5353"            # the lab's authoritative server for every lab zone (the resolver)
      ca_file: .../services-tls/lab-ca.pem
      hosts:                            # the port of each server behind the service
        ns1.city.lab.example: {dns: 5354}
        mail.city.lab.example: {smtp: 12525}
        www.city.lab.example: {http: 18080, https: 18443}

The full picture (families per endpoint, the expected verdicts) is in ``services.json`` (:func:`read_state`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from netcomply.app.lab.services.runtime import ENDPOINTS_FILE

CITY = Path(__file__).resolve().parent.parent / "data" / "city.yaml"


def read_state(services_dir: Path) -> dict[str, Any]:
    """``services.json`` as the running services wrote it."""
    state: dict[str, Any] = json.loads((Path(services_dir) / ENDPOINTS_FILE).read_text(encoding="utf-8"))
    return state


def _entry_endpoints(kind: str, name: str, state: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """(url, endpoints) of one service: the resolver, the CA, and the ports of the hosts behind it."""
    endpoints = state["endpoints"]
    truth = state["truth"].get(f"{kind}:{name}")
    names = [h["host"] for h in truth["hosts"]] if truth else []
    hosts = {h: dict(endpoints[h]["ports"]) for h in names if h in endpoints}
    url = None
    if kind == "web" and names:
        url = f"https://{name}:{hosts[names[0]]['https']}/"
        hosts[name] = dict(hosts[names[0]])  # the service name (a CNAME maybe) is reached on its target's ports
    out: dict[str, Any] = {"resolver": f"[{state['host6']}]:{state['dns_port']}", "hosts": hosts}
    if state.get("ca_file"):
        out["ca_file"] = state["ca_file"]
    return url, out


def inventory_services(services_dir: Path, topology: Path = CITY) -> list[dict[str, Any]]:
    """The topology's services (name, kind, agency, phase) plus the running lab's ``url`` and ``endpoints``."""
    state = read_state(services_dir)
    listed = yaml.safe_load(topology.read_text(encoding="utf-8")).get("services") or []
    out: list[dict[str, Any]] = []
    for svc in listed:
        entry = dict(svc)
        url, endpoints = _entry_endpoints(svc["kind"], svc["name"], state)
        if url:
            entry["url"] = url
        entry["endpoints"] = endpoints
        out.append(entry)
    return out
