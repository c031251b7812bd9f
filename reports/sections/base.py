"""The contract between an area's report section and the audit report renderer.

Why a contract and not one big template: each collector area (vendor, firewall, IPv6, hotspots) knows what its
readers need; the renderer knows the page, the languages and the output formats. A section turns what the store
holds about one run into plain JSON-able data (deterministic: re-rendering a stored run gives the same bytes),
optionally SVG charts (:mod:`reports.charts`) and XLSX sheets; the renderer does the rest.

Rules every section keeps:

- ``build`` reads only the context (store, run, observations, findings, evaluation): never the network, never
  the clock. Windows of time are anchored on the run (``ctx.run.started_at``), never on "now".
- Its output is JSON-able (str, int, float, bool, None, lists, dicts with str keys), sorted where order is not
  meaningful, so ``report.json`` is byte-identical when a run is re-rendered.
- ``build`` returns ``None`` when the run has nothing for this area (the section is then left out).
- Templates get ``data`` (what ``build`` returned), ``charts`` (what ``charts`` returned: id -> SVG markup),
  ``lang`` and ``L(en, zh)`` (picks the string of the report's language), and ``sev(severity)`` for a badge;
  also ``t`` (the report's catalog messages: ``t.msg(finding_msg, english)``) and ``stored(english)`` (a text code
  stored in English, in the report's language: :func:`netcomply.i18n.stored`) and ``status_name(status)``.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, ClassVar, TypeVar

from netcomply.models import DeviceResult, Finding, Inventory, Observation, Run
from netcomply.timefmt import local_date

_REGISTRY: dict[str, type[ReportSection]] = {}

S = TypeVar("S", bound="type[ReportSection]")


@dataclass(frozen=True)
class Sheet:
    """One XLSX worksheet a section contributes: a name (<= 31 chars), column headers and rows of plain values."""

    name: str
    headers: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class SectionContext:
    """Everything a section may read about one stored run.

    ``store`` is a :class:`netcomply.store.Store` (typed ``Any`` so this module stays importable without a
    database); ``evaluation`` is the :class:`compliance.evaluate.Evaluation` of the run; ``inventory`` is given
    when the caller has one (``audit --out`` does; ``report --run`` may not), so sections must work without it.
    """

    store: Any
    run: Run
    observations: Sequence[Observation]
    findings: Sequence[Finding]
    evaluation: Any
    inventory: Inventory | None = None
    lang: str = "zh-TW"
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: Every run of the report, oldest first (a combined report has several; ``run`` is the latest of them).
    runs: Sequence[Run] = ()
    #: The runs' device results (how each collector fared on each device), when the renderer has read them.
    results: Sequence[DeviceResult] | None = None
    #: The agency's time zone (IANA name): dates a section shows or judges by are this zone's.
    timezone: str = "Asia/Taipei"

    @property
    def day(self) -> date:
        """The run's date in the agency's zone: what "as of" means for the run (its evaluation date)."""
        return local_date(self.run.started_at, self.timezone)

    def device_results(self) -> list[DeviceResult]:
        """How each collector fared on each device: the renderer's copy (all runs of a combined report), else the
        store's for ``run``."""
        if self.results is not None:
            return list(self.results)
        return list(self.store.device_results(self.run.id))

    def observations_of(self, kind_prefix: str) -> list[Observation]:
        """Observations whose kind is ``kind_prefix`` or starts with ``kind_prefix + '.'``, in stored order."""
        dotted = kind_prefix + "."
        return [o for o in self.observations if o.kind == kind_prefix or o.kind.startswith(dotted)]

    def findings_of(self, check_prefix: str) -> list[Finding]:
        """Findings whose check id is ``check_prefix`` or starts with ``check_prefix + '.'``."""
        dotted = check_prefix + "."
        return [f for f in self.findings if f.check_id == check_prefix or f.check_id.startswith(dotted)]

    @cached_property
    def earlier_runs(self) -> list[Run]:
        """Runs of the same store that started before this one, oldest first: the history a trend is drawn from.
        Runs started later are excluded so re-rendering an old run gives the same report."""
        runs = self.store.list_runs(limit=10_000)
        return sorted((r for r in runs if r.started_at < self.run.started_at), key=lambda r: r.started_at)


class ReportSection(ABC):
    """One area's part of the audit report. Subclass, set the class attributes, implement :meth:`build`."""

    key: ClassVar[str]  # report.json key and anchor id, e.g. "ipv6"
    order: ClassVar[int]  # position in the report (lower first); core parts use < 100, areas 100..900
    title: ClassVar[dict[str, str]]  # {"en": ..., "zh-TW": ...}
    template: ClassVar[str]  # Jinja2 partial, relative to reports/templates/, e.g. "sections/ipv6.html.j2"
    #: Collectors whose observations this section presents, besides those whose observation kinds start with the
    #: section's key (``firewall.rule`` -> "firewall"); a collector no section presents gets a generic one.
    collectors: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    def build(self, ctx: SectionContext) -> dict[str, Any] | None:
        """The section's data for report.json (JSON-able, deterministic), or None when there is nothing to show."""

    def charts(self, data: dict[str, Any], lang: str) -> dict[str, str]:
        """SVG charts (id -> markup from :mod:`reports.charts`) drawn from :meth:`build`'s data."""
        return {}

    def sheets(self, data: dict[str, Any], lang: str) -> list[Sheet]:
        """XLSX worksheets drawn from :meth:`build`'s data."""
        return []

    def summary(self, data: dict[str, Any], lang: str) -> list[str]:
        """One to three sentences for the report's summary page (the reader who stops at page one)."""
        return []


def finding_anchor(finding_id: int | None) -> str:
    """The HTML anchor of a finding in the audit report. The renderer gives sections findings whose ``id`` is
    their stable number in the report (not the store's row id, which re-judging changes): link with this
    (``href="#..."``). The id itself belongs to the report's finding; a section element given it is renamed."""
    return f"finding-F{finding_id or 0:04d}"


def section(cls: S) -> S:
    """Class decorator: register a section by its key (a second class with the same key is a bug)."""
    key = cls.key
    if key in _REGISTRY and _REGISTRY[key] is not cls:
        raise ValueError(f"report section {key!r} registered twice ({_REGISTRY[key].__qualname__}, {cls.__qualname__})")
    _REGISTRY[key] = cls
    return cls


def load_sections(import_module: Callable[[str], Any] = importlib.import_module) -> list[ReportSection]:
    """Import every module of :mod:`reports.sections` and return one instance of each section, in report order."""
    import reports.sections as pkg

    for info in pkgutil.iter_modules(pkg.__path__, "reports.sections."):
        if info.name != "reports.sections.base":
            import_module(info.name)
    return [cls() for cls in sorted(_REGISTRY.values(), key=lambda c: (c.order, c.key))]
