"""Find secrets where they must not be, and secret references that point nowhere.

An inventory is shared, versioned and attached to evidence packs, so a password written into it has leaked.
We look for secret-named keys anywhere in the document (a ``password`` under ``vars`` is as bad as one under
``ssh``) and refuse them, telling the user which ``*_env`` key to use instead. The offending *value* is
registered with the redactor, so even if it turns up in some later message it is masked, and it is never put
into a problem's text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from netcomply.inventory.yamlsrc import Path
from netcomply.safety.redact import REDACTOR

#: Keys that hold a secret value (compared lower-case, with '-' read as '_').
SECRET_KEYS = frozenset(
    {"password", "passwd", "secret", "enable_secret", "enable_password", "auth_key", "priv_key", "psk",
     "private_key", "auth_password", "priv_password", "api_key"}
)
#: Ansible-style names such as ``ansible_password`` or ``ansible_become_password``.
SECRET_SUFFIXES = ("_password", "_passwd", "_secret", "_psk", "_private_key")

_REPLACEMENT = {
    "password": "password_env", "passwd": "password_env", "secret": "secret_env", "enable_secret": "secret_env",
    "enable_password": "secret_env", "auth_key": "auth_key_env", "auth_password": "auth_key_env",
    "priv_key": "priv_key_env", "priv_password": "priv_key_env",
}


def is_secret_key(key: object) -> bool:
    if not isinstance(key, str):
        return False
    norm = key.strip().lower().replace("-", "_")
    return norm in SECRET_KEYS or norm.endswith(SECRET_SUFFIXES)


def inline_secret_message(key: str) -> str:
    norm = key.strip().lower().replace("-", "_")
    if norm.endswith("private_key"):
        return "secret written inline; use key_file: PATH (a key file kept outside the inventory)"
    use = _REPLACEMENT.get(norm, f"{norm}_env")
    return f"secret written inline; use {use}: VARIABLE (read from the environment or env_file)"


def _children(data: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(data, Mapping):
        return iter(data.items())
    if isinstance(data, list):
        return enumerate(data)
    return iter(())


def walk(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every (path, value) in ``data``, depth first, mapping entries and list items alike.

    With an explicit stack: nested generators cost a frame per level for every value, which made this the
    slowest step of loading a 110,000-host inventory."""
    stack: list[tuple[Path, Iterator[tuple[Any, Any]]]] = [(path, _children(data))]
    while stack:
        base, items = stack[-1]
        for key, value in items:
            here = (*base, key)
            yield here, value
            if isinstance(value, Mapping | list):
                stack.append((here, _children(value)))
                break
        else:
            stack.pop()


def inline_secrets(doc: Mapping[Any, Any]) -> list[Path]:
    """Paths of secret-named keys with a value, anywhere in the document (values registered for redaction)."""
    found: list[Path] = []
    for path, value in walk(doc):
        if path and is_secret_key(path[-1]) and value is not None:
            found.append(path)
            if isinstance(value, str | int) and not isinstance(value, bool):
                REDACTOR.add_secret(str(value))
    return found


@dataclass(frozen=True)
class EnvRef:
    """A ``*_env`` reference in a host, group or defaults layer, e.g. ``ssh.password_env: NC_SSH_PASSWORD``."""

    path: Path
    variable: str


def layer_paths(doc: Mapping[Any, Any]) -> Iterator[tuple[Path, Mapping[Any, Any]]]:
    """The layers that carry ssh/snmp settings: defaults, each group, each host (when they are mappings)."""
    if isinstance(doc.get("defaults"), Mapping):
        yield ("defaults",), doc["defaults"]
    for section in ("groups", "hosts"):
        entries = doc.get(section)
        if isinstance(entries, Mapping):
            for name, layer in entries.items():
                if isinstance(layer, Mapping):
                    yield (section, name), layer


def env_refs(doc: Mapping[Any, Any]) -> list[EnvRef]:
    refs: list[EnvRef] = []
    for path, layer in layer_paths(doc):
        for block in ("ssh", "snmp"):
            settings = layer.get(block)
            if not isinstance(settings, Mapping):
                continue
            for key, value in settings.items():
                if isinstance(key, str) and key.endswith("_env") and isinstance(value, str) and value.strip():
                    refs.append(EnvRef((*path, block, key), value.strip()))
    return refs


def inline_communities(doc: Mapping[Any, Any]) -> list[Path]:
    out: list[Path] = []
    for path, layer in layer_paths(doc):
        snmp = layer.get("snmp")
        if isinstance(snmp, Mapping) and snmp.get("community") not in (None, ""):
            out.append((*path, "snmp", "community"))
            if isinstance(snmp["community"], str):
                REDACTOR.add_secret(snmp["community"])
    return out
