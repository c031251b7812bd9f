"""The check contract (Prowler-style: code judges, data describes).

A check is a pure function of stored observations (and of the agency's own registers and policy data) that
yields :class:`netcomply.models.Finding` objects. It never talks to the network, so a stored run can be
re-judged months later with the same result. Everything a human reads about a check -- title (English and
Traditional Chinese), severity, rationale, remediation, and the controls it evidences -- lives in YAML under
``compliance/data/checks/``, keyed by the check id, not in code.

Control ids always carry their framework and edition: ``iso27001:2022/A.8.20``, ``iso27001:2013/A.13.1.1``,
``tw-cyber:A/...``.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import yaml

from netcomply import i18n
from netcomply.errors import InputError, InputProblem
from netcomply.models import Finding, FindingStatus, Observation, Severity

CHECKS_DATA = Path(__file__).resolve().parent.parent / "data" / "checks"


@dataclass(frozen=True)
class CheckMeta:
    id: str
    title: str
    title_zh: str
    severity: Severity
    rationale: str
    remediation: str
    controls: tuple[str, ...]
    area: str
    #: Traditional Chinese rationale and remediation (the official terms of 資通安全管理法); tests/i18n requires them.
    rationale_zh: str = ""
    remediation_zh: str = ""

    def text(self, field_name: str, lang: str) -> str:
        """``title``, ``rationale`` or ``remediation`` in ``lang`` (zh-TW falls back to English if missing)."""
        english = str(getattr(self, field_name))
        return (getattr(self, f"{field_name}_zh") or english) if lang == "zh-TW" else english


@dataclass
class JudgeContext:
    """What a check may read besides observations: the run's inventory facts and the agency's own data
    (registers, exception lists, policy thresholds), all loaded before judging."""

    run_id: str
    devices: Mapping[str, Any] = field(default_factory=dict)  # name -> netcomply.models.Device
    data: Mapping[str, Any] = field(default_factory=dict)  # e.g. {"asset_register": [...], "thresholds": {...}}
    #: The store the run is judged from (a :class:`netcomply.store.Store`), so a check may read *earlier* runs'
    #: stored observations (e.g. hit counters going down = a counter reset). None when judging without a store.
    store: Any = None


class Check(abc.ABC):
    """Subclasses set ``id`` (which must exist in the checks YAML) and implement :meth:`run`."""

    id: ClassVar[str]

    @property
    def meta(self) -> CheckMeta:
        return check_meta(self.id)

    @abc.abstractmethod
    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        """Yield findings. Use :meth:`finding` so metadata (severity, controls) comes from the YAML."""

    def finding(
        self,
        subject: str,
        status: FindingStatus,
        message: str | Mapping[str, Any],
        *,
        observations: Iterable[Observation] = (),
        severity: Severity | None = None,
        details: dict[str, Any] | None = None,
    ) -> Finding:
        """A finding with this check's metadata. ``message`` is preferably a catalog message (``i18n.msg(...)``):
        it is kept in ``details["msg"]`` so reports render it in the reader's language, and the English
        ``message`` (for the store and JSON consumers) is rendered from the same entry."""
        obs = list(observations)
        details = dict(details or {})
        if not isinstance(message, str):
            details["msg"] = dict(message)
            message = i18n.render(message, "en") or str(message.get("id"))
        return Finding(
            check_id=self.id,
            subject=subject,
            status=status,
            severity=severity or self.meta.severity,
            message=message,
            observations=[o.id for o in obs if o.id is not None],
            artifacts=sorted({a for o in obs for a in o.artifacts}),
            controls=list(self.meta.controls),
            details=details,
        )


_REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    check_meta(cls.id)  # fail at import time if the check has no metadata
    _REGISTRY[cls.id] = cls
    return cls


def registered() -> dict[str, type[Check]]:
    return dict(_REGISTRY)


@cache
def _all_meta() -> dict[str, CheckMeta]:
    """Every check's metadata, from every YAML file in ``compliance/data/checks/``."""
    out: dict[str, CheckMeta] = {}
    problems: list[InputProblem] = []
    for path in sorted(CHECKS_DATA.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for check_id, m in (doc.get("checks") or {}).items():
            try:
                out[check_id] = CheckMeta(
                    id=check_id, title=m["title"], title_zh=m["title_zh"], severity=Severity(m["severity"]),
                    rationale=m["rationale"], remediation=m["remediation"],
                    controls=tuple(m.get("controls") or ()), area=doc.get("area", path.stem),
                    rationale_zh=str(m.get("rationale_zh") or ""), remediation_zh=str(m.get("remediation_zh") or ""),
                )
            except (KeyError, ValueError) as exc:
                problems.append(InputProblem(str(path), None, f"check {check_id}: missing or invalid {exc}"))
    if problems:
        raise InputError(problems)
    return out


def check_meta(check_id: str) -> CheckMeta:
    try:
        return _all_meta()[check_id]
    except KeyError:
        raise KeyError(f"check {check_id!r} has no metadata in {CHECKS_DATA}") from None
