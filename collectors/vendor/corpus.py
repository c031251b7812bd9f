"""The development corpus: published SNMP recordings of real devices, their labels, and the measure.

A corpus row (``tests/vendor/corpus/librenms.jsonl``, built by ``tools/vendor_corpus.py``) holds what netcomply
reads from one device (sysDescr, sysObjectID, ENTITY rows, engine id, brand scalars) and its source. The label
comes from the source, never from netcomply: the LibreNMS OS in the file name, mapped to a vendor through the OS
definition's icon (``librenms_os.json``) and ``label_vendors.yaml``. ``measure`` runs identification over every
row and counts what the issue's goals count: brand right, ``prc_brand`` wrong, unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from collectors.vendor.identify import Verdict
from collectors.vendor.kb import KnowledgeBase
from collectors.vendor.pen import name_key
from collectors.vendor.recordings import cli_verdict_of
from collectors.vendor.recordings import evidence_of as evidence_of  # re-exported: the corpus tools read it here
from collectors.vendor.recordings import verdict_of as verdict_of

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "vendor" / "corpus"


@dataclass(frozen=True)
class Label:
    """What the source says a recording is: its LibreNMS OS, the vendor (None: an OS, not a vendor), and the
    vendor's PRC status (None: the label cannot settle it)."""

    os: str
    vendor: str | None
    prc: bool | None
    accept: tuple[str, ...] = ()  # the names that count as this vendor (itself, aliases, an ``either`` set)


@dataclass
class Labels:
    os_defs: Mapping[str, Mapping[str, Any]]
    vendors: Mapping[str, str | None]
    aliases: Mapping[str, Sequence[str]]
    prc: Mapping[str, bool | None]
    either: Mapping[str, Sequence[str]]
    recordings: Mapping[str, Mapping[str, Any]]
    cli_platforms: Mapping[str, Any]

    def of_platform(self, platform: str) -> Label:
        """The label of a CLI capture: its ntc-templates platform directory (``hp_comware`` names two brands)."""
        vendor = self.cli_platforms.get(platform)
        if isinstance(vendor, list):
            return Label(platform, " / ".join(vendor), None, tuple(vendor))
        if vendor is None:
            return Label(platform, None, None)
        return self._vendor_label(platform, str(vendor))

    def of(self, os_name: str, recording: str | None = None) -> Label:
        definition = self.os_defs.get(os_name) or {}
        key = str(definition.get("icon") or os_name)
        vendor = self.vendors.get(key, key)
        if recording is not None and recording in self.recordings:
            vendor = str(self.recordings[recording]["vendor"])
        if os_name in self.either:
            names = tuple(self.either[os_name])
            return Label(os_name, " / ".join(names), None, names)
        if vendor is None:
            return Label(os_name, None, None)
        return self._vendor_label(os_name, vendor)

    def _vendor_label(self, os_name: str, vendor: str) -> Label:
        canon = next((k for k in self.prc if name_key(k) == name_key(vendor)), vendor)
        prc = self.prc.get(canon, False)
        names = (vendor, *self.aliases.get(vendor, ()),
                 *(a for k, v in self.aliases.items() if name_key(k) == name_key(vendor) for a in v))
        return Label(os_name, vendor, prc, tuple(dict.fromkeys(names)))


def load_labels(directory: Path = CORPUS) -> Labels:
    doc = yaml.safe_load((directory / "label_vendors.yaml").read_text(encoding="utf-8"))
    os_defs = json.loads((directory / "librenms_os.json").read_text(encoding="utf-8"))
    return Labels(os_defs, dict(doc.get("vendors") or {}), dict(doc.get("aliases") or {}), dict(doc.get("prc") or {}),
                  dict(doc.get("either") or {}), dict(doc.get("recordings") or {}),
                  dict(doc.get("cli_platforms") or {}))


def load_rows(path: Path = CORPUS / "librenms.jsonl") -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def same_vendor(kb: KnowledgeBase, verdict: Verdict, label: Label) -> bool:
    """Does the verdict name the label's vendor? By brand or manufacturer, through the label's aliases and the
    knowledge base's families (Meraki is Cisco's, Aruba HPE's)."""
    names = [n for n in (verdict.brand, verdict.manufacturer) if n]
    if not names or not label.accept:
        return False
    keys = {name_key(a) for a in label.accept}
    families = {kb.family(c) for a in label.accept if (c := kb.canonical(a))}
    for n in names:
        k = name_key(n)
        if k in keys or any(_prefix(k, other) for other in keys):
            return True
        canon = kb.canonical(n)
        if canon and kb.family(canon) in families:
            return True
        if any(b in families or kb.family(b) in families for b, _ in kb.brands_in_text(n)):
            return True
    return False


def _prefix(a: str, b: str) -> bool:
    """``zyxel`` / ``zyxel communications``; ``eltek`` / ``eltek energy``: one key is the other's first words."""
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return long_.startswith(short + " ") or long_.replace(" ", "") == short.replace(" ", "")


@dataclass
class Outcome:
    row: Mapping[str, Any]
    label: Label
    verdict: Verdict
    right: bool | None  # None: the label names no vendor
    prc_wrong: bool


@dataclass
class Measure:
    outcomes: list[Outcome] = field(default_factory=list)

    def labelled(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.label.vendor is not None]

    def summary(self) -> dict[str, Any]:
        lab = self.labelled()
        right = sum(1 for o in lab if o.right)
        unknown = sum(1 for o in lab if o.verdict.brand is None)
        review = sum(1 for o in lab if o.verdict.brand is not None and o.verdict.prc_brand is None)
        prc_wrong = [o.row["id"] for o in self.outcomes if o.prc_wrong]
        return {"recordings": len(self.outcomes), "labelled": len(lab), "brand_right": right,
                "brand_accuracy": round(right / len(lab), 4) if lab else None, "unknown": unknown,
                "unknown_rate": round(unknown / len(lab), 4) if lab else None,
                "prc_wrong": len(prc_wrong), "prc_wrong_ids": prc_wrong, "prc_needs_review": review,
                "os_only_labels": len(self.outcomes) - len(lab),
                "vendors": len({o.label.vendor for o in lab})}


def measure(kb: KnowledgeBase, rows: Iterable[Mapping[str, Any]], labels: Labels) -> Measure:
    out = Measure()
    for row in rows:
        label = labels.of(str(row["os"]), str(row["id"]))
        verdict = verdict_of(kb, row)
        right = same_vendor(kb, verdict, label) if label.vendor is not None else None
        prc_wrong = label.prc is not None and verdict.prc_brand is not None and verdict.prc_brand != label.prc
        out.outcomes.append(Outcome(row, label, verdict, right, prc_wrong))
    return out


def load_cli(path: Path = CORPUS / "ntc_cli.jsonl") -> list[dict[str, Any]]:
    return load_rows(path)


def cli_verdict(kb: KnowledgeBase, row: Mapping[str, Any]) -> Verdict:
    """One CLI capture as the judge sees raw command output (``device.cli_facts`` artifacts)."""
    return cli_verdict_of(kb, str(row["command"]), str(row["text"]), str(row["path"]), str(row["id"]))


def measure_cli(kb: KnowledgeBase, rows: Iterable[Mapping[str, Any]], labels: Labels) -> Measure:
    out = Measure()
    for row in rows:
        label = labels.of_platform(str(row["platform"]))
        verdict = cli_verdict(kb, row)
        right = same_vendor(kb, verdict, label) if label.vendor is not None else None
        prc_wrong = label.prc is not None and verdict.prc_brand is not None and verdict.prc_brand != label.prc
        out.outcomes.append(Outcome(row, label, verdict, right, prc_wrong))
    return out


#: Salt of the held-out split. Round 1 (no salt) had its held-out misses seen while tuning; round 2 drew a new
#: fifth with this salt and fixed it before any miss was printed, and tuned on the other families only.
HOLDOUT_SALT = b"issue16-round2:"


def holdout(vendor: str | None) -> bool:
    """The held-out part: vendor families whose salted name key hashes into one fifth (stable across runs)."""
    import zlib

    return vendor is not None and zlib.crc32(HOLDOUT_SALT + name_key(vendor).encode()) % 5 == 0


@dataclass
class WalkLabels:
    """Labels of the independent corpus (``walks.jsonl``): the source project's spelling of a maker -> the vendor
    it is measured against (``walks_labels.yaml``), written from the names alone, never from netcomply."""

    manufacturers: Mapping[str, Mapping[str, Any]]
    aliases: Mapping[str, Sequence[str]]

    def of(self, spelling: str | None, brand: str | None = None) -> Label:
        """``brand``: the source's brand when it names one apart from the maker (fusioninventory's VENDOR: a Dell
        printer made by Lexmark); a verdict naming either counts, PRC status is the maker's."""
        entry = self.manufacturers.get(spelling or "")
        if not spelling or entry is None:
            return Label(spelling or "", None, None)
        vendor = str(entry["vendor"])
        names = [vendor, *self.aliases.get(vendor, ())]
        if brand and (other := self.manufacturers.get(brand)):
            names += [str(other["vendor"]), *self.aliases.get(str(other["vendor"]), ())]
        return Label(spelling, vendor, entry.get("prc"), tuple(dict.fromkeys(names)))


def load_walks(directory: Path = CORPUS) -> tuple[list[dict[str, Any]], WalkLabels]:
    """The independent corpus's rows (built by ``tools/vendor_corpus_walks.py``) and its labels."""
    doc = yaml.safe_load((directory / "walks_labels.yaml").read_text(encoding="utf-8"))
    return (load_rows(directory / "walks.jsonl"),
            WalkLabels(dict(doc.get("manufacturers") or {}), dict(doc.get("aliases") or {})))


def measure_walks(kb: KnowledgeBase, rows: Iterable[Mapping[str, Any]], labels: WalkLabels) -> Measure:
    """``measure`` for the independent corpus: each row's label is its source's spelling (``row['label']``)."""
    out = Measure()
    for row in rows:
        label = labels.of(row.get("label"), row.get("label_brand"))
        verdict = verdict_of(kb, row)
        right = same_vendor(kb, verdict, label) if label.vendor is not None else None
        prc_wrong = label.prc is not None and verdict.prc_brand is not None and verdict.prc_brand != label.prc
        out.outcomes.append(Outcome(row, label, verdict, right, prc_wrong))
    return out
