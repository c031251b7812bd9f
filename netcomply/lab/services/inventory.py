"""The inventory's ``services:`` entries for a running lab, with where each service really listens.

The inventory's :class:`~netcomply.models.Service` has no port fields (real services sit on 53/80/443/25), and
the lab cannot use those ports, so the lab's ports travel in ``url`` (web) and in ``tags`` of the form
``lab:KEY=VALUE``, which a collector reads only when it audits the lab:

* ``lab:resolver=[::1]:5353`` -- the lab's authoritative server for every lab zone (use it as the resolver);
* ``lab:ns-port:ns1.city.lab.example=5354`` -- the port of each name server of a DNS service;
* ``lab:smtp-port:mail.city.lab.example=12525`` -- the port of each MX host of a mail service;
* ``lab:http-port=18080`` / ``lab:https-port=18443`` -- a web service's ports (also in its ``url``).

The full picture (families per endpoint, the expected verdicts) is in ``services.json`` (:func:`read_state`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from netcomply.lab.services.runtime import ENDPOINTS_FILE

CITY = Path(__file__).resolve().parent.parent / "data" / "city.yaml"


def read_state(services_dir: Path) -> dict[str, Any]:
    """``services.json`` as the running services wrote it."""
    state: dict[str, Any] = json.loads((Path(services_dir) / ENDPOINTS_FILE).read_text(encoding="utf-8"))
    return state


def parse_lab_tags(tags: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["lab:ns-port:ns1.x=5354", "web"]`` -> ``{"ns-port:ns1.x": "5354"}`` (other tags are ignored)."""
    out: dict[str, str] = {}
    for tag in tags:
        if tag.startswith("lab:") and "=" in tag:
            key, value = tag[4:].split("=", 1)
            out[key] = value
    return out


def _tags(kind: str, name: str, state: dict[str, Any]) -> tuple[str | None, list[str]]:
    endpoints = state["endpoints"]
    host6 = state["host6"]
    tags = [f"lab:resolver=[{host6}]:{state['dns_port']}"]
    truth = state["truth"].get(f"{kind}:{name}")
    hosts = [h["host"] for h in truth["hosts"]] if truth else []
    url = None
    if kind == "web" and hosts:
        ports = endpoints[hosts[0]]["ports"]
        url = f"https://{name}:{ports['https']}/"
        tags += [f"lab:http-port={ports['http']}", f"lab:https-port={ports['https']}"]
    elif kind == "dns":
        tags += [f"lab:ns-port:{h}={endpoints[h]['ports']['dns']}" for h in hosts]
    elif kind == "mail":
        tags += [f"lab:smtp-port:{h}={endpoints[h]['ports']['smtp']}" for h in hosts]
    return url, tags


def inventory_services(services_dir: Path, topology: Path = CITY) -> list[dict[str, Any]]:
    """The topology's services (name, kind, agency, phase) plus the running lab's ``url`` and ``lab:`` tags."""
    state = read_state(services_dir)
    listed = yaml.safe_load(topology.read_text(encoding="utf-8")).get("services") or []
    out: list[dict[str, Any]] = []
    for svc in listed:
        entry = dict(svc)
        url, tags = _tags(svc["kind"], svc["name"], state)
        if url:
            entry["url"] = url
        entry["tags"] = [*entry.get("tags", []), *tags]
        out.append(entry)
    return out
