"""Run the registered report sections for a report, each in isolation, and add a generic section for every
collector no section presents (so report.json has "a section per collector").

A section whose ``build`` raises does not take the report down: its key gets ``{"error": ...}`` and the HTML shows
an error box naming it. Section output is checked to be JSON-able here, so a section returning a ``datetime`` is
reported as that section's error instead of breaking the JSON writer later.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from netcomply.models import Finding, Inventory, Observation, Run
from reports.audit.gather import RunData
from reports.sections.base import ReportSection, SectionContext, load_sections

log = logging.getLogger(__name__)

GENERIC_PREFIX = "collector."
GENERIC_TEMPLATE = "sections/generic_collector.html.j2"
GENERIC_ORDER = 950


def describe_error(exc: BaseException) -> str:
    """``Type: message (file:line)`` of where it was raised: enough to find the bug, no traceback in a report."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    place = f" ({Path(where.filename).name}:{where.lineno})" if where else ""
    return f"{type(exc).__name__}: {exc}{place}"


def _json_able(value: Any) -> Any:
    """Round-trip through JSON (sorted keys): proves the data is JSON-able and normalises tuples to lists."""
    return json.loads(json.dumps(value, sort_keys=True, ensure_ascii=False, allow_nan=False))


def safe_sections(import_errors: dict[str, str] | None = None) -> list[ReportSection]:
    """:func:`load_sections`, with a module that cannot be imported reported instead of stopping the report."""
    errors = import_errors if import_errors is not None else {}

    def importer(name: str) -> Any:
        import importlib

        try:
            return importlib.import_module(name)
        except Exception as exc:
            errors[name.rsplit(".", 1)[-1]] = describe_error(exc)
            log.error("report section module %s cannot be imported: %s", name, exc)
            return None

    return load_sections(importer)


def run_sections(
    store: Any,
    run: Run,
    observations: Sequence[Observation],
    findings: Sequence[Finding],
    evaluation: Any,
    inventory: Inventory | None,
    lang: str,
    data: list[RunData],
    sections: Sequence[ReportSection] | None = None,
    timezone: str = "Asia/Taipei",
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(key -> data, index of sections in report order with title, template and error)."""
    import_errors: dict[str, str] = {}
    chosen = list(sections) if sections is not None else safe_sections(import_errors)
    ctx = SectionContext(store=store, run=run, observations=observations, findings=findings, evaluation=evaluation,
                         inventory=inventory, lang=lang, runs=[d.run for d in data],
                         results=[r for d in data for r in d.results], timezone=timezone)
    out: dict[str, Any] = {}
    index: list[dict[str, Any]] = []
    presented: set[str] = set()
    for sec in chosen:
        entry = {"key": sec.key, "order": sec.order, "title": dict(sorted(sec.title.items())),
                 "template": sec.template, "generic": False, "error": None}
        try:
            built = sec.build(ctx)
            if built is None:
                continue
            out[sec.key] = _json_able(built)
            presented.add(sec.key)
            presented.update(sec.collectors)
        except Exception as exc:
            entry["error"] = describe_error(exc)
            out[sec.key] = {"error": entry["error"]}
            log.error("report section %s failed: %s", sec.key, entry["error"])
        index.append(entry)
    for module, error in sorted(import_errors.items()):
        out[module] = {"error": error}
        index.append({"key": module, "order": 999, "title": {"en": module, "zh-TW": module}, "template": None,
                      "generic": False, "error": error})
    for key, generic in _generic_sections(data, presented).items():
        out[key] = generic
        name = key[len(GENERIC_PREFIX):]
        index.append({"key": key, "order": GENERIC_ORDER, "title": {"en": f"Collector {name}",
                                                                    "zh-TW": f"蒐集項目 {name}"},
                      "template": GENERIC_TEMPLATE, "generic": True, "error": None})
    index.sort(key=lambda e: (e["order"], e["key"]))
    return dict(sorted(out.items())), index


def _presented_by(collector: str, kinds: set[str], presented: set[str]) -> bool:
    """A collector is presented when a built section names it, has its name as key, or owns every kind it
    stored (kind ``firewall.rule`` belongs to section ``firewall``)."""
    if collector in presented:
        return True
    return bool(kinds) and all(kind.split(".", 1)[0] in presented for kind in kinds)


def _generic_sections(data: list[RunData], presented: set[str]) -> dict[str, dict[str, Any]]:
    """For each collector no section presents: its observation kinds and counts per device, and its outcomes."""
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    per_device: dict[str, dict[tuple[str, str], Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    outcomes: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for d in data:
        for o in d.observations:
            kinds[o.collector][o.kind] += 1
            per_device[o.collector][(d.run.id, o.device)][o.kind] += 1
        for r in d.results:
            outcomes[r.collector][(d.run.id, r.device)] = {
                "status": r.status.value, "error_class": r.error_class.value if r.error_class else None}
    out = {}
    for collector in sorted(set(kinds) | set(outcomes)):
        if _presented_by(collector, set(kinds[collector]), presented):
            continue
        keys = sorted(set(per_device[collector]) | set(outcomes[collector]))
        out[GENERIC_PREFIX + collector] = {
            "collector": collector,
            "kinds": dict(sorted(kinds[collector].items())),
            "outcomes": dict(sorted(Counter(v["status"] for v in outcomes[collector].values()).items())),
            "devices": [{"run": run_id, "device": device,
                         "status": outcomes[collector].get((run_id, device), {}).get("status"),
                         "error_class": outcomes[collector].get((run_id, device), {}).get("error_class"),
                         "kinds": dict(sorted(per_device[collector][(run_id, device)].items()))}
                        for run_id, device in keys],
        }
    return out
