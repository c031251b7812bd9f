"""Per-brand recipes (netcomply/app/lab/data/snmp/*.yaml): how each brand's SNMP agent looks.

Data, not code, so that adding a brand or correcting a sysDescr is a YAML edit reviewed against a real walk.
"""

from __future__ import annotations

import functools
import random
import string
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RECIPE_DIR = Path(__file__).resolve().parent.parent / "data" / "snmp"
_NOT_RECIPES = {"neighbours.yaml"}


@dataclass(frozen=True)
class Interfaces:
    names: tuple[str, ...]
    count: int
    type: int = 6  # ethernetCsmacd
    speed_mbps: int = 1000
    first: int = 1
    extra: tuple[Mapping[str, Any], ...] = ()
    wlan: tuple[str, ...] = ()  # interfaces whose state follows the AP schedule (plus the uplink)
    loopback: str | None = None

    def physical_names(self) -> list[str]:
        """Concrete names: a single pattern with ``{i}`` is expanded ``count`` times, else names as given."""
        if len(self.names) == 1 and "{i}" in self.names[0]:
            return [self.names[0].format(i=self.first + k) for k in range(self.count)]
        return list(self.names)[: self.count]


@dataclass(frozen=True)
class Model:
    """One model of a brand: what its agent says about itself."""

    brand: str
    model: str
    manufacturer: str
    enterprise: int
    sysobjectid: str
    descr: str
    software: str
    entity_descr: str
    model_name: str
    entity: bool
    serial_pattern: str
    ouis: tuple[str, ...]
    ipv6: bool
    lldp: bool
    interfaces: Interfaces
    extra: tuple[tuple[str, str, str], ...]

    def fill(self, template: str, *, name: str, serial: str) -> str:
        return template.format(model=self.model, software=self.software, serial=serial, name=name)

    def serial(self, seed: str) -> str:
        """A stable, realistic-looking serial number from the pattern (``{digits8}``, ``{alnum4}``, ``{hex6}``)."""
        rng = random.Random(zlib.crc32(seed.encode()))
        pools = {"digits": string.digits, "alnum": string.ascii_uppercase + string.digits, "hex": "0123456789ABCDEF"}
        out, pat, i = [], self.serial_pattern, 0
        while i < len(pat):
            if pat[i] == "{":
                j = pat.index("}", i)
                token = pat[i + 1 : j]
                kind = token.rstrip("0123456789")
                if kind in pools:
                    out.append("".join(rng.choice(pools[kind]) for _ in range(int(token[len(kind) :]))))
                elif token == "model":
                    out.append(self.model.removeprefix("DS-"))
                i = j + 1
            else:
                out.append(pat[i])
                i += 1
        return "".join(out)


def _interfaces(raw: Mapping[str, Any]) -> Interfaces:
    return Interfaces(
        names=tuple(raw["names"]),
        count=int(raw.get("count", len(raw["names"]))),
        type=int(raw.get("type", 6)),
        speed_mbps=int(raw.get("speed_mbps", 1000)),
        first=int(raw.get("first", 1)),
        extra=tuple(raw.get("extra", ())),
        wlan=tuple(raw.get("wlan", ())),
        loopback=raw.get("loopback"),
    )


@functools.cache
def load_recipes(directory: str | None = None) -> dict[str, dict[str, Any]]:
    """Brand name -> raw recipe."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(directory or RECIPE_DIR).glob("*.yaml")):
        if path.name in _NOT_RECIPES:
            continue
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[raw["brand"]] = raw
    return out


def model_for(brand: str, model: str, directory: str | None = None) -> Model:
    """The recipe of ``brand``/``model``; a model the recipe does not list gets the brand's first model's
    sysObjectID and a generic sysDescr, so scale mode and new inventory entries still work."""
    recipes = load_recipes(directory)
    if brand not in recipes:
        raise KeyError(f"no SNMP recipe for brand {brand!r} (have: {', '.join(sorted(recipes))})")
    raw = recipes[brand]
    models: Mapping[str, Any] = raw.get("models", {})
    spec = models.get(model) or {**next(iter(models.values())), "descr": f"{brand} {model}"}
    ifaces = _interfaces(spec.get("interfaces") or raw["interfaces"])
    return Model(
        brand=brand,
        model=model,
        manufacturer=raw["manufacturer"],
        enterprise=int(spec.get("enterprise", raw["enterprise"])),
        sysobjectid=str(spec["sysobjectid"]),
        descr=spec["descr"],
        software=str(spec.get("software", "1.0")),
        entity_descr=spec.get("entity_descr", model),
        model_name=spec.get("model_name", model),
        entity=bool(spec.get("entity", raw.get("entity", True))),
        serial_pattern=raw.get("serial", "{alnum10}"),
        ouis=tuple(raw["ouis"]),
        ipv6=bool(raw.get("ipv6", True)),
        lldp=bool(raw.get("lldp", True)),
        interfaces=ifaces,
        extra=tuple((str(o), str(t), str(v)) for o, t, v in raw.get("extra", ())),
    )


def load_neighbours(directory: str | None = None) -> dict[str, Any]:
    return yaml.safe_load((Path(directory or RECIPE_DIR) / "neighbours.yaml").read_text(encoding="utf-8"))
