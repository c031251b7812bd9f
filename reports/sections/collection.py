"""The core "collection" section: which collectors ran, how each fared on each device, why a device failed, and
how much of the inventory each collector covered.

It comes first among the sections (order 10) because every later number depends on it: a finding count means
little if a third of the devices could not be read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, ClassVar

from markupsafe import Markup

from reports.audit.locale import LANGS, Labels
from reports.charts import stacked_bar_chart
from reports.sections.base import ReportSection, SectionContext, Sheet, section

_STATUSES = ("ok", "error", "skipped")
_STATUS_COLOURS = {"ok": "#009E73", "error": "#D55E00", "skipped": "#999999"}


def _zh(lang: str) -> bool:
    return lang == "zh-TW"


@section
class CollectionSection(ReportSection):
    key = "collection"
    order = 10
    title: ClassVar[dict[str, str]] = {"en": "Collection: what could be read", "zh-TW": "資料蒐集：可讀取之範圍"}
    template = "sections/collection.html.j2"

    def build(self, ctx: SectionContext) -> dict[str, Any] | None:
        results = ctx.device_results()
        if not results:
            return None
        per_collector: dict[str, Counter[str]] = defaultdict(Counter)
        devices: dict[str, set[str]] = defaultdict(set)
        ok_devices: dict[str, set[str]] = defaultdict(set)
        errors = []
        by_class: Counter[str] = Counter()
        for r in results:
            per_collector[r.collector][r.status.value] += 1
            devices[r.collector].add(r.device)
            if r.status.value == "ok":
                ok_devices[r.collector].add(r.device)
            else:
                errors.append({"device": r.device, "collector": r.collector, "status": r.status.value,
                               "error_class": r.error_class.value if r.error_class else None,
                               "cause": r.cause, "attempts": r.attempts})
                if r.status.value == "error":
                    by_class[r.error_class.value if r.error_class else "unclassified"] += 1
        all_devices = {r.device for r in results}
        inventory_devices = len(ctx.inventory.devices) if ctx.inventory is not None else None
        collectors = [{
            "collector": name,
            "devices": len(devices[name]),
            **{s: per_collector[name].get(s, 0) for s in _STATUSES},
            "coverage": round(len(ok_devices[name]) / len(devices[name]), 4) if devices[name] else None,
        } for name in sorted(per_collector)]
        failed_everywhere = sorted(d for d in all_devices
                                   if not any(d in ok for ok in ok_devices.values()))
        return {
            "combined": len(ctx.runs) > 1,
            "devices_tried": len(all_devices),
            "inventory_devices": inventory_devices,
            "collectors": collectors,
            "errors": sorted(errors, key=lambda e: (e["device"], e["collector"])),
            "errors_by_class": dict(sorted(by_class.items())),
            "devices_without_any_data": failed_everywhere,
        }

    def charts(self, data: dict[str, Any], lang: str) -> dict[str, str]:
        names = [c["collector"] for c in data["collectors"]]
        label = Labels(lang if lang in LANGS else "en")  # legend in the reader's language, not ok/error/skipped
        stacks = {label.of("collection_status", s): [float(c[s]) for c in data["collectors"]] for s in _STATUSES}
        colours = {label.of("collection_status", s): colour for s, colour in _STATUS_COLOURS.items()}
        title = "各蒐集項目之結果（設備數）" if _zh(lang) else "Outcome per collector (devices)"
        chart: Markup = stacked_bar_chart("chart-collection", title, names, stacks, colours=colours)
        return {"outcomes": str(chart)}

    def sheets(self, data: dict[str, Any], lang: str) -> list[Sheet]:
        zh = _zh(lang)
        coverage = Sheet(
            "蒐集涵蓋率" if zh else "Collection coverage",
            ["蒐集項目", "設備數", "成功", "錯誤", "略過", "涵蓋率"] if zh else
            ["collector", "devices", "ok", "error", "skipped", "coverage"],
            [[c["collector"], c["devices"], c["ok"], c["error"], c["skipped"], c["coverage"]]
             for c in data["collectors"]])
        errors = Sheet(
            "蒐集錯誤" if zh else "Collection errors",
            ["設備", "蒐集項目", "狀態", "錯誤類別", "原因", "嘗試次數"] if zh else
            ["device", "collector", "status", "error class", "cause", "attempts"],
            [[e["device"], e["collector"], e["status"], e["error_class"], e["cause"], e["attempts"]]
             for e in data["errors"]])
        return [coverage, errors]

    def summary(self, data: dict[str, Any], lang: str) -> list[str]:
        failed = sum(c["error"] for c in data["collectors"])
        skipped = sum(c["skipped"] for c in data["collectors"])
        names = Labels(lang if lang in LANGS else "en")
        classes = ("、" if _zh(lang) else ", ").join(f"{names.of('error_classes', k)} {v}"
                                                     for k, v in data["errors_by_class"].items())
        if _zh(lang):
            line = (f"{len(data['collectors'])} 個蒐集項目對 {data['devices_tried']} 台設備執行："
                    f"{failed} 次失敗、{skipped} 次因先前失敗而略過")
            line += f"（{classes}）。" if classes else "。"
            out = [line]
            if data["devices_without_any_data"]:
                out.append(f"{len(data['devices_without_any_data'])} 台設備完全無法取得資料："
                           + "、".join(data["devices_without_any_data"][:8]) + "。")
            return out
        line = (f"{len(data['collectors'])} collectors ran on {data['devices_tried']} devices: {failed} failed, "
                f"{skipped} skipped after an earlier failure")
        line += f" ({classes})." if classes else "."
        out = [line]
        if data["devices_without_any_data"]:
            out.append(f"{len(data['devices_without_any_data'])} device(s) gave no data at all: "
                       + ", ".join(data["devices_without_any_data"][:8]) + ".")
        return out
