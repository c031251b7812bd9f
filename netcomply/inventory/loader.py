"""Load and validate an inventory file: YAML -> checked layers -> inheritance -> :class:`Inventory`.

Every check runs even after an earlier one failed, so a user sees all problems of a file in one pass
(like a compiler, not like a script that stops at the first KeyError). The order:

1. read bytes (their SHA-256 identifies the inventory in every run), decode, parse with line numbers;
2. refuse inline secrets; validate every section against the file-format models (:mod:`.spec`);
3. cross-references: groups, parent groups and cycles, agencies, platforms, hotspot devices, env_file;
4. resolve each host's inheritance and validate the result as a :class:`~netcomply.models.Device`,
   mapping any error back to the line of the layer that supplied the value.

Warnings (inline SNMP community, an unset ``*_env`` variable, v3 without a user ...) never stop a load.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ValidationError

from netcomply.errors import InputError, InputProblem
from netcomply.inventory import secretscan
from netcomply.inventory.problems import dotted, suggest, translate, type_name
from netcomply.inventory.resolve import Layer, find_cycles, group_chain, resolve_layers
from netcomply.inventory.spec import DefaultsSpec, GroupSpec, HostSpec, InventoryFile
from netcomply.inventory.yamlsrc import LineMap, Path, parse_yaml
from netcomply.models import Agency, Device, Hotspot, Inventory, Service, Settings
from netcomply.secrets import read_env_file

log = logging.getLogger("netcomply.inventory")

_SECTIONS = tuple(InventoryFile.model_fields)


@dataclass
class ValidationReport:
    """What :func:`validate_inventory` found. ``inventory`` is None whenever there is a problem."""

    file: str
    problems: list[InputProblem] = field(default_factory=list)
    warnings: list[InputProblem] = field(default_factory=list)
    inventory: Inventory | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


@lru_cache(maxsize=1)
def netmiko_platforms() -> frozenset[str]:
    """Every device_type netmiko can drive (imported lazily: netmiko takes a third of a second to import)."""
    from netmiko.ssh_dispatcher import CLASS_MAPPER

    return frozenset(CLASS_MAPPER)


def load_inventory(path: str | os.PathLike[str], *, environ: Mapping[str, str] | None = None) -> Inventory:
    """Load, validate and resolve the inventory at ``path``.

    Raises :class:`InputError` listing every problem (file, line, key, what was expected). Warnings are logged.
    ``environ`` (default: the process environment) is only used to check that ``*_env`` variables exist.
    """
    report = validate_inventory(path, environ=environ)
    for warning in report.warnings:
        log.warning("%s", warning)
    if report.problems or report.inventory is None:
        raise InputError(report.problems or [InputProblem(str(path), None, "inventory could not be loaded")])
    return report.inventory


def validate_inventory(path: str | os.PathLike[str], *, environ: Mapping[str, str] | None = None) -> ValidationReport:
    """Check the inventory at ``path`` and report problems and warnings; never raises for bad input."""
    return _Validation(FsPath(path), os.environ if environ is None else environ).run()


class _Validation:
    def __init__(self, path: FsPath, environ: Mapping[str, str]) -> None:
        self.path = path
        self.file = str(path)
        self.base = path.resolve().parent
        self.environ = environ
        self.report = ValidationReport(self.file)
        self.lines = LineMap()
        self.doc: dict[Any, Any] = {}
        self.skip: list[Path] = []
        #: the whole file validated at once, when it is valid: its host specs are reused instead of validated again
        self.validated: InventoryFile | None = None

    # ------------------------------------------------------------------ helpers

    def problem(self, line: int | None, message: str, path: Path | None = None) -> None:
        self.report.problems.append(InputProblem(self.file, line, message, dotted(path) if path else None))

    def warn(self, line: int | None, message: str, path: Path | None = None) -> None:
        self.report.warnings.append(InputProblem(self.file, line, message, dotted(path) if path else None))

    def section(self, name: str) -> Any:
        return self.doc.get(name)

    def entries(self, name: str) -> dict[Any, Any]:
        value = self.doc.get(name)
        return value if isinstance(value, dict) else {}

    def relative(self, value: str) -> str:
        """A path written in the inventory, made absolute relative to the inventory file's folder."""
        return os.path.normpath(self.base / FsPath(value).expanduser())

    # ------------------------------------------------------------------ pipeline

    def run(self) -> ValidationReport:
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            self.problem(None, f"cannot read inventory: {exc.strerror or exc}")
            return self.finish()
        digest = hashlib.sha256(raw).hexdigest()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.problem(raw.count(b"\n", 0, exc.start) + 1, "not UTF-8 text; save the file as UTF-8")
            return self.finish()
        parsed = parse_yaml(text, self.file)
        self.lines = parsed.lines
        self.report.problems.extend(parsed.problems)
        for dup_path, line, first in parsed.duplicates:
            self.duplicate(dup_path, line, first)
        if parsed.data is None and not parsed.problems:
            self.problem(1, "the inventory is empty; expected a mapping with hosts, groups, defaults ...")
        if parsed.data is None:
            return self.finish()
        if not isinstance(parsed.data, dict):
            self.problem(self.lines.value_line(()), "the top level must be a mapping (hosts:, groups:, defaults: ...)"
                         f"; got {type_name(parsed.data)}")
            return self.finish()
        self.doc = parsed.data
        self.check_inline_secrets()
        self.check_structure()
        self.check_settings()
        parents = self.check_groups()
        self.check_hosts(parents)
        self.check_platforms()
        self.check_agencies()
        self.check_hotspots()
        file_values = self.check_env_file()
        self.check_env_refs(file_values)
        devices = self.build_devices(parents)
        if not self.report.problems:
            self.report.inventory = self.assemble(devices, digest)
        return self.finish()

    def finish(self) -> ValidationReport:
        def order(p: InputProblem) -> tuple[int, int]:
            return (p.line is None, p.line or 0)

        self.report.problems = sorted(_unique(self.report.problems), key=order)
        self.report.warnings = sorted(_unique(self.report.warnings), key=order)
        return self.report

    def duplicate(self, path: Path, line: int, first: int | None) -> None:
        where = f" (first defined at line {first})" if first else ""
        what = {"hosts": "host name", "groups": "group name", "agencies": "agency"}.get(
            str(path[0]) if len(path) == 2 else "", "key")
        self.problem(line, f"duplicate {what} {path[-1]!r}{where}; YAML would silently keep only the last one", path)

    # ------------------------------------------------------------------ checks

    def check_inline_secrets(self) -> None:
        for path in secretscan.inline_secrets(self.doc):
            self.problem(self.lines.key_line(path), secretscan.inline_secret_message(str(path[-1])), path)
            self.skip.append(path)
        for path in secretscan.inline_communities(self.doc):
            self.warn(self.lines.key_line(path), "SNMP community written inline; prefer community_env: VARIABLE",
                      path)

    def check_structure(self) -> None:
        # Empty sections (`hosts:` with nothing under it) are allowed; so are empty group and host entries.
        doc = {k: v for k, v in self.doc.items() if not (k in _SECTIONS and v is None)}
        try:
            self.validated = InventoryFile.model_validate(doc)
        except ValidationError as exc:
            self.report.problems.extend(
                translate(exc, file=self.file, lines=self.lines, root=InventoryFile, skip=self.skip)
            )

    def check_settings(self) -> None:
        settings = self.section("settings")
        if not isinstance(settings, dict):
            return
        ranges = settings.get("allowed_ranges")
        if isinstance(ranges, list):
            for index, item in enumerate(ranges):
                if not isinstance(item, str):
                    continue
                try:
                    ipaddress.ip_network(item.strip(), strict=False)
                except ValueError:
                    where: Path = ("settings", "allowed_ranges", index)
                    self.problem(self.lines.value_line(where),
                                 f"not an IP prefix: {item!r}; expected e.g. 192.0.2.0/24 or 2001:db8::/32", where)
        known_hosts = settings.get("known_hosts")
        if isinstance(known_hosts, str) and known_hosts and not os.path.exists(self.relative(known_hosts)):
            path: Path = ("settings", "known_hosts")
            self.warn(self.lines.value_line(path), f"known_hosts file {self.relative(known_hosts)} does not exist",
                      path)

    def check_groups(self) -> dict[str, list[str]]:
        """Parent references and cycles. Returns group -> parent groups (known or not) for resolution."""
        groups = self.entries("groups")
        parents: dict[str, list[str]] = {}
        for name, spec in groups.items():
            listed = spec.get("groups") if isinstance(spec, dict) else None
            parents[str(name)] = [p for p in listed if isinstance(p, str)] if isinstance(listed, list) else []
        for name, spec in groups.items():
            listed = spec.get("groups") if isinstance(spec, dict) else None
            if not isinstance(listed, list):
                continue
            for index, parent in enumerate(listed):
                if isinstance(parent, str) and parent not in groups:
                    path: Path = ("groups", name, "groups", index)
                    self.problem(self.lines.value_line(path),
                                 f"unknown parent group {parent!r}{_did_you_mean(parent, groups)}", path)
        for cycle in find_cycles(parents):
            first, second = cycle[0], cycle[1]
            index = parents[first].index(second)
            path = ("groups", first, "groups", index)
            self.problem(self.lines.value_line(path), "group cycle: " + " -> ".join(cycle), path)
        return parents

    def check_hosts(self, parents: Mapping[str, list[str]]) -> None:
        groups = self.entries("groups")
        group_names = {str(g) for g in groups}
        for name, spec in self.entries("hosts").items():
            if str(name) in group_names:
                path: Path = ("hosts", name)
                self.warn(self.lines.key_line(path), f"host {name!r} has the same name as a group; --limit "
                          f"{name} selects both", path)
            if spec is None or (isinstance(spec, dict) and spec.get("address") in (None, "")):
                path = ("hosts", name)
                self.problem(self.lines.key_line(path), f"host {name!r} has no address; expected address: "
                             "IP or DNS name", path)
            listed = spec.get("groups") if isinstance(spec, dict) else None
            if not isinstance(listed, list):
                continue
            for index, group in enumerate(listed):
                if isinstance(group, str) and group not in groups:
                    path = ("hosts", name, "groups", index)
                    self.problem(self.lines.value_line(path),
                                 f"unknown group {group!r}{_did_you_mean(group, groups)}", path)

    def check_platforms(self) -> None:
        known = netmiko_platforms()
        for path, layer in secretscan.layer_paths(self.doc):
            platform = layer.get("platform")
            if isinstance(platform, str) and platform.strip() and platform.strip() not in known:
                where = (*path, "platform")
                self.problem(self.lines.value_line(where), f"unknown platform {platform!r}: not a netmiko "
                             f"device_type{_did_you_mean(platform, known)}", where)

    def check_agencies(self) -> None:
        if "agencies" not in self.doc or not isinstance(self.doc["agencies"], dict):
            return
        agencies = self.doc["agencies"]
        refs: list[tuple[Path, Any]] = [((*path, "agency"), layer.get("agency"))
                                        for path, layer in secretscan.layer_paths(self.doc)]
        for section in ("services", "hotspots"):
            items = self.section(section)
            if isinstance(items, list):
                refs.extend(((section, i, "agency"), item.get("agency"))
                            for i, item in enumerate(items) if isinstance(item, dict))
        for path, agency in refs:
            if isinstance(agency, str) and agency not in agencies:
                self.problem(self.lines.value_line(path),
                             f"unknown agency {agency!r}{_did_you_mean(agency, agencies)}", path)

    def check_hotspots(self) -> None:
        hosts = self.entries("hosts")
        items = self.section("hotspots")
        if not isinstance(items, list):
            return
        seen: dict[str, int | None] = {}
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            device = item.get("device")
            if isinstance(device, str) and device not in hosts:
                path: Path = ("hotspots", index, "device")
                self.problem(self.lines.value_line(path), f"hotspot device {device!r} is not a host in this "
                             f"inventory{_did_you_mean(device, hosts)}", path)
            name = item.get("name")
            if isinstance(name, str):
                line = self.lines.value_line(("hotspots", index, "name"))
                if name in seen:
                    self.warn(line, f"hotspot {name!r} listed twice (first at line {seen[name]})",
                              ("hotspots", index, "name"))
                seen.setdefault(name, line)

    def check_env_file(self) -> dict[str, str]:
        env_file = self.doc.get("env_file")
        if not isinstance(env_file, str) or not env_file.strip():
            return {}
        full = self.relative(env_file.strip())
        path: Path = ("env_file",)
        if not os.path.isfile(full):
            self.problem(self.lines.value_line(path), f"env_file {full} does not exist", path)
            return {}
        try:
            return read_env_file(full)
        except InputError as exc:
            self.report.problems.extend(exc.problems)
            return {}
        except UnicodeDecodeError as exc:  # read_env_file reads text; say where the bad byte is
            line = FsPath(full).read_bytes().count(b"\n", 0, exc.start) + 1
            self.report.problems.append(InputProblem(full, line, "env_file is not UTF-8 text"))
            return {}

    def check_env_refs(self, file_values: Mapping[str, str]) -> None:
        for ref in secretscan.env_refs(self.doc):
            if not (self.environ.get(ref.variable) or file_values.get(ref.variable)):
                self.warn(self.lines.value_line(ref.path), f"environment variable {ref.variable} is not set "
                          "(nor in env_file), or is empty", ref.path)

    # ------------------------------------------------------------------ resolution

    def layer(self, path: Path, model: type[BaseModel], raw: Any) -> Layer | None:
        """A validated layer, or None when it is broken (its problems were reported by check_structure)."""
        known = self.validated.hosts if self.validated is not None and path[0] == "hosts" else None
        spec: BaseModel | None = known.get(str(path[1])) if known else None
        if spec is None:
            try:
                spec = model.model_validate(raw or {})
            except ValidationError:
                return None
        data: dict[str, Any] = {}
        for name in spec.model_fields_set:
            value = getattr(spec, name)
            if isinstance(value, BaseModel):
                value = value.model_dump(exclude_none=True)
            if value is not None:
                data[name] = value
        return Layer(path, data)

    def build_devices(self, parents: Mapping[str, list[str]]) -> list[Device]:
        defaults_raw = self.doc.get("defaults")
        defaults = self.layer(("defaults",), DefaultsSpec, defaults_raw if isinstance(defaults_raw, dict) else {})
        groups = {str(n): self.layer(("groups", n), GroupSpec, g) for n, g in self.entries("groups").items()}
        agencies = self.agencies()
        devices: list[Device] = []
        for name, raw in self.entries("hosts").items():
            host = self.layer(("hosts", name), HostSpec, raw)
            if host is None or defaults is None:
                continue
            chain = group_chain([str(g) for g in host.data.get("groups", [])], parents)
            layers = [groups.get(g) for g in chain]
            if any(layer is None for layer in layers):
                continue  # an unknown or broken group: already reported
            resolved = resolve_layers([host, *[layer for layer in layers if layer], defaults])
            device = self.device(str(name), host, chain, resolved.values, resolved.provenance, agencies)
            if device is not None:
                devices.append(device)
        return devices

    def device(self, name: str, host: Layer, chain: list[str], values: dict[str, Any],
               provenance: dict[Path, Path], agencies: Mapping[str, Agency]) -> Device | None:
        agency = agencies.get(values.get("agency") or "")
        if values.get("level") is None and agency is not None:
            values["level"] = agency.level
        elif agency is not None and values["level"] != agency.level:
            src = provenance.get(("level",), (*host.path, "level"))
            self.warn(self.lines.value_line(src), f"{name}: level {values['level']} differs from agency "
                      f"{values['agency']}'s level {agency.level}", src)
        for block in ("ssh", "snmp"):
            settings = values.get(block)
            if block == "ssh" and isinstance(settings, dict) and isinstance(settings.get("key_file"), str):
                settings["key_file"] = self.relative(settings["key_file"])
                src = provenance.get(("ssh", "key_file"), host.path)
                if not os.path.exists(settings["key_file"]):
                    self.warn(self.lines.value_line(src), f"key_file {settings['key_file']} does not exist", src)
        snmp = values.get("snmp")
        if isinstance(snmp, dict) and snmp.get("version") == "3" and not snmp.get("user"):
            src = provenance.get(("snmp", "version"), host.path)
            self.warn(self.lines.value_line(src), f"{name}: SNMP v3 without user; expected snmp.user", src)
        try:
            return Device(
                name=name, address=host.data.get("address", ""), groups=tuple(chain), **{
                    k: v for k, v in values.items() if k != "groups"},
            )
        except ValidationError as exc:
            reported = {p.line for p in self.report.problems}
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                src = provenance.get(loc) or ((*host.path, *loc) if loc and loc[0] == "address" else host.path)
                line = self.lines.value_line(src)
                if line in reported:
                    continue
                message = error["msg"].removeprefix("Value error, ")
                self.problem(line, f"{name}: {dotted(loc)}: {message}", src)
            return None

    def agencies(self) -> dict[str, Agency]:
        out: dict[str, Agency] = {}
        for key, raw in self.entries("agencies").items():
            try:
                out[str(key)] = Agency.model_validate(raw)
            except ValidationError:
                continue
        return out

    def assemble(self, devices: list[Device], digest: str) -> Inventory | None:
        """Everything validated: build the result (any error here is a bug we still report as input)."""
        try:
            settings_raw = self.doc.get("settings") or {}
            settings = Settings.model_validate(settings_raw)
            if settings.known_hosts:
                settings = settings.model_copy(update={"known_hosts": self.relative(settings.known_hosts)})
            env_file = self.doc.get("env_file")
            return Inventory(
                source=str(self.path.resolve()),
                sha256=digest,
                devices=tuple(devices),
                services=tuple(Service.model_validate(s) for s in self.doc.get("services") or ()),
                hotspots=tuple(Hotspot.model_validate(h) for h in self.doc.get("hotspots") or ()),
                agencies=self.agencies(),
                settings=settings,
                env_file=self.relative(env_file.strip()) if isinstance(env_file, str) and env_file.strip() else None,
            )
        except (ValidationError, TypeError, ValueError) as exc:  # pragma: no cover - earlier checks cover these
            self.problem(None, f"inventory could not be assembled: {str(exc).splitlines()[0]}")
            return None


def _did_you_mean(word: str, choices: Any) -> str:
    close = suggest(word, [str(c) for c in choices])
    return f"; did you mean {close!r}?" if close else ""


def _unique(problems: list[InputProblem]) -> list[InputProblem]:
    seen: set[tuple[int | None, str]] = set()
    out: list[InputProblem] = []
    for p in problems:
        if (p.line, p.message) not in seen:
            seen.add((p.line, p.message))
            out.append(p)
    return out


__all__ = ["ValidationReport", "load_inventory", "netmiko_platforms", "validate_inventory"]
