"""The verdict: which brand a device is, who made it, and how sure we are -- from all evidence at once.

How the evidence is weighed (and why):

* Claims are grouped by brand *family* (EZVIZ and Hikvision are one family, HP and HPE another): a sub-brand and
  its owner agree, they do not conflict.
* The family with the most weight wins. Inside it, the brand is the best *label* claim (text the product writes
  about itself: entPhysicalMfgName, sysDescr, CLI, a self-naming OID), falling back to *maker* claims (enterprise
  number, engine id, OUI), because the national rule judges the brand on the product, and makers build for
  other brands (H3C builds HPE's Comware switches, chip makers' OUIs sit in everyone's radios).
* The manufacturer is the strongest maker claim (25506 -> H3C), else the brand's owner, else the brand.
* Any other family's claim is a conflict: it is reported, and it lowers the confidence in proportion.
* Confidence = 1 - prod(1 - w) over the winning family's claims, scaled by its share of all claim weight.
* ``prc_brand`` is tri-state (True / False / None = unknown, needs review) and comes from the rule chain of
  :mod:`collectors.vendor.makers`; ``prc_rule`` / ``prc_detail`` say which rule decided. No rule: None, never False.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from collectors.vendor.evidence import HOSTNAME_SUFFIX, Evidence
from collectors.vendor.kb import KnowledgeBase
from collectors.vendor.makers import RULE_GROUP, RULE_OUI, RULE_PLACE, MakerJudgement, judge_maker
from collectors.vendor.pen import name_key
from collectors.vendor.standard_identity import UPS_MAKER_SIGNAL as _UPS_MAKER
from netcomply.contracts.vendor import PrcState, prc_state

STATUS_IDENTIFIED = "identified"
STATUS_CONFLICT = "conflict"
STATUS_UNKNOWN = "unknown"
STATUS_NO_ANSWER = "no_answer"


@dataclass
class Verdict:
    name: str
    address: str | None
    brand: str | None
    manufacturer: str | None
    model: str | None
    serial: str | None
    prc_brand: bool | None
    confidence: float
    evidence: list[Evidence] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    status: str = STATUS_UNKNOWN
    model_from: str | None = None  # which signal gave the model: "snmp.sysDescr (snmp (device.snmp_system#3) ...)"
    prc_rule: str | None = None  # which rule decided prc_brand (collectors.vendor.makers: knowledge_base, ...)
    prc_detail: str | None = None  # why, in words: the registrant, the place, the group, the OUI country
    version: str | None = None  # firmware / software version a signal stated

    @property
    def prc_state(self) -> PrcState:
        """``yes`` / ``no`` / ``unknown`` (needs review): never a silent "no"."""
        return prc_state(self.prc_brand)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "address": self.address, "brand": self.brand, "manufacturer": self.manufacturer,
            "model": self.model, "serial": self.serial, "prc_brand": self.prc_brand, "confidence": self.confidence,
            "evidence": [e.to_dict() for e in self.evidence], "conflicts": list(self.conflicts),
            "status": self.status, "model_from": self.model_from, "prc_state": self.prc_state,
            "prc_rule": self.prc_rule, "prc_detail": self.prc_detail, "version": self.version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Verdict:
        ev = [Evidence(**{k: v for k, v in e.items() if k in Evidence.__dataclass_fields__})
              for e in data.get("evidence") or []]
        return cls(data.get("name", ""), data.get("address"), data.get("brand"), data.get("manufacturer"),
                   data.get("model"), data.get("serial"), data.get("prc_brand"), float(data.get("confidence", 0)),
                   ev, list(data.get("conflicts") or []), data.get("status", STATUS_UNKNOWN), data.get("model_from"),
                   data.get("prc_rule"), data.get("prc_detail"), data.get("version"))


def _combine(weights: Iterable[float]) -> float:
    miss = 1.0
    for w in weights:
        miss *= 1.0 - max(0.0, min(1.0, w))
    return 1.0 - miss


_MODEL_NOISE = re.compile(r"\s+(?:chassis|switch)$", re.IGNORECASE)


def _pick(values: Sequence[str | None]) -> str | None:
    for v in values:
        if v and v.strip() and v.strip().lower() not in ("unknown", "n/a", "none", "-"):
            return _MODEL_NOISE.sub("", v.strip())
    return None


def _model_from(evidence: Sequence[Evidence], model: str | None) -> str | None:
    """The first (best-ranked) evidence that states ``model``: its signal and source, for the auditor."""
    if model is None:
        return None
    for e in evidence:
        if e.model and _pick([e.model]) == model:
            return f"{e.signal} ({e.source})"
    return None


#: Signals that name only the maker of a network interface (OUIs), never the agent's or the product's.
_NIC_SIGNALS = ("mac", "chassisId", "oui")

_SOURCE_RANK = {  # where the model/serial is most trustworthy first
    "snmp.entPhysicalMfgName": 0, "snmp.entPhysicalModelName": 0, "snmp.entPhysicalDescr": 1, "snmp.vendorOID": 1,
}


def _rank(e: Evidence) -> int:
    """Where a model or serial is most trustworthy: ENTITY-MIB, then vendor scalars and CLI inventories, CLI, rest."""
    if e.signal.startswith("snmp.entPhysical"):
        return 0
    if e.signal in ("snmp.vendorOID",) or e.signal.endswith(".inventory"):
        return 1
    if e.signal.startswith("ssh."):
        return 2
    return 3


#: Signals that decide only when nothing else names a brand: a private MIB the agent also implements (Cisco WLCs
#: still answer Airespace's, white-label switches their chip maker's) is a maker's trace, not the product's label;
#: the UPS-MIB's manufacturer is the managed UPS's, which a network card of another maker may report
#: (:data:`collectors.vendor.standard_identity.UPS_MAKER_SIGNAL`).
FALLBACK_SIGNALS = ("snmp.enterpriseSubtree", _UPS_MAKER)
#: Weaker still: the OUIs of the device's own interface MACs (collectors.vendor.own_macs) decide only when neither
#: the primary nor the fallback signals name a brand, and never make ``prc_brand`` "no" alone.
LAST_RESORT_SIGNALS = ("snmp.interface.mac",)
#: Besides a private MIB, the agent's own: the enterprise in its SNMPv3 engine id.
_AGENT_OWN = ("snmp.engineID",)


def registry_only(kb: KnowledgeBase, e: Evidence) -> bool:
    """A maker claim read from a registry alone (an enterprise number the knowledge base does not know)."""
    return e.kind == "maker" and e.registrant is not None and kb.canonical(e.brand) is None


def _families(kb: KnowledgeBase, evidence: Sequence[Evidence]) -> dict[str, list[Evidence]]:
    """Brand claims by family. Fallback signals count only when nothing else claims; a registry-only maker claim
    does not compete with the product's own label, whether the label names a knowledge-base brand or another
    IANA registrant ("Lantronix UDS1100" under Pronet's number, "TOSHIBA e-STUDIO" under Lexmark's): the label
    names the brand, the registrant of the sysObjectID the manufacturer (an OEM product, or a maker registered
    under its former name). Nor with the agent's own engine id when that names a knowledge-base maker: a Megatec
    NetAgent card answers Phoenixtec's UPS-MIB number (935) as its sysObjectID, while its SNMPv3 engine id carries
    Megatec's own enterprise (13409), the maker of the agent that answers."""
    by_family: dict[str, list[Evidence]] = defaultdict(list)
    claims = [e for e in evidence if e.brand and e.weight > 0]
    primary = [e for e in claims if e.signal not in FALLBACK_SIGNALS + LAST_RESORT_SIGNALS]
    if any((e.kind == "label" and (kb.canonical(e.brand) or e.registrant))
           or (e.signal in _AGENT_OWN and kb.canonical(e.brand)) for e in primary):
        primary = [e for e in primary if not registry_only(kb, e)]
    for e in primary or [e for e in claims if e.signal not in LAST_RESORT_SIGNALS] or claims:
        if e.brand and e.weight > 0:
            by_family[kb.family_of(e.brand)].append(e)
    return _one_organisation(kb, by_family) if len(by_family) > 1 else by_family


def _one_organisation(kb: KnowledgeBase, by_family: dict[str, list[Evidence]]) -> dict[str, list[Evidence]]:
    """Two spellings of one organisation are one family, not a conflict: a name the knowledge base doesn't know
    ("Barracuda Networks", the registrant; "ELTEK Energy") joins the family whose name is its first words
    ("Barracuda", "Eltek"): :func:`same_name`, also how an OUI registrant is matched to a label's brand."""
    order = sorted(by_family, key=lambda f: (f not in kb.brands, len(name_key(f)), f))
    names = {f: {f, *(kb.canonical(e.brand) or e.brand for e in evs if e.brand)} for f, evs in by_family.items()}
    target: dict[str, str] = {}
    for i, fam in enumerate(order):
        if fam in kb.brands:
            continue
        into = next((other for other in order[:i] if target.get(other, other) == other
                     and any(same_name(fam, n) for n in names[other])), None)
        if into is not None:
            target[fam] = into
    merged: dict[str, list[Evidence]] = defaultdict(list)
    for fam, evs in by_family.items():
        into = target.get(fam, fam)
        # joining a knowledge-base brand, the claim names that brand ("Zebra Technologies" is Zebra's legal name)
        spelled = next((n for n in names[into] if kb.canonical(n) and same_name(fam, n)), None) if into != fam else None
        merged[into].extend(replace(e, brand=spelled) if spelled else e for e in evs)
    return merged


def same_name(a: str, b: str) -> bool:
    """``Barracuda`` / ``Barracuda Networks``; ``Last Mile`` / ``Last Mile Gear``: one name key is the other's
    first words (legal forms and filler words already dropped by :func:`name_key`)."""
    ka, kb_ = name_key(a), name_key(b)
    if not ka or not kb_:
        return False
    short, long_ = sorted((ka, kb_), key=len)
    return long_ == short or (len(short) >= 3 and long_.startswith(short + " ")) or long_.replace(" ", "") == short


def _corroborated(kb: KnowledgeBase, evidence: Sequence[Evidence], by_family: dict[str, list[Evidence]]
                  ) -> tuple[dict[str, list[Evidence]], list[Evidence]]:
    """When the text names several brands, the one whose name the device's own MACs' OUI registrant also carries
    ("Xerox Phaser" and an OUI of Xerox Corporation; "TANDBERG Codec" and Tandberg Telecom's) gains a maker claim:
    two independent registries agreeing with the label. Registrants the knowledge base doesn't know count too
    (they never decide alone, see LAST_RESORT_SIGNALS); chip and part makers' OUIs are already notes without one."""
    macs = [e for e in evidence if e.signal in LAST_RESORT_SIGNALS and e.registrant and not e.weight]
    out = {fam: list(evs) for fam, evs in by_family.items()}
    added: list[Evidence] = []
    for fam, evs in by_family.items():
        for e in evs:
            mac = next((m for m in macs if e.kind == "label" and e.brand and same_name(e.brand, m.registrant or "")),
                       None)
            if mac is not None:
                added.append(replace(mac, brand=e.brand, manufacturer=mac.registrant, kind="maker",
                                     weight=kb.weight("oui"),
                                     note=f"OUI registrant {mac.registrant!r} carries the label's name {e.brand!r}"))
                out[fam].append(added[-1])
                break
    return out, added


def _claims(by_family: Mapping[str, list[Evidence]]) -> list[Evidence]:
    return [e for evs in by_family.values() for e in evs]


def _winner(by_family: Mapping[str, list[Evidence]], score: Mapping[str, float]) -> str:
    """Highest weight wins; ties go to the family with the strongest single label claim, then by name (stable)."""
    return max(score, key=lambda f: (round(score[f], 6),
                                     max((e.weight for e in by_family[f] if e.kind == "label"), default=0.0), f))


def _brand_in(kb: KnowledgeBase, mine: Sequence[Evidence]) -> str:
    """The family's best-supported label (a maker claim when no label); on a tie the more specific brand."""
    labels = [e for e in mine if e.kind == "label"]
    per_brand: dict[str, float] = defaultdict(float)
    for e in labels or mine:
        per_brand[kb.canonical(e.brand) or str(e.brand)] += e.weight
    return max(per_brand, key=lambda b: (round(per_brand[b], 6),
                                         kb.brands[b].owner is not None if b in kb.brands else False, b))


def _conflicts(kb: KnowledgeBase, by_family: Mapping[str, list[Evidence]], winner: str,
               own_makers: Sequence[Evidence]) -> tuple[list[dict[str, Any]], float]:
    """Other families' claims, except a maker claim (an OUI) naming the maker the agent itself named (H3C's OUI on
    an HPE-branded switch H3C built): those agree. Only the agent's own maker claim counts here, so an OEM camera
    whose sole maker signal is its OUI still shows the conflict."""
    agent_maker = _best_manufacturer([e for e in own_makers if not e.signal.endswith(_NIC_SIGNALS)])
    maker_family = kb.family_of(agent_maker) if agent_maker else None
    conflicts: list[dict[str, Any]] = []
    agreeing = 0.0
    for fam, evs in sorted(by_family.items()):
        if fam == winner:
            continue
        for e in evs:
            if e.kind == "maker" and fam == maker_family:
                agreeing += e.weight
                continue
            conflicts.append({"signal": e.signal, "value": e.value, "source": e.source,
                              "brand": e.brand, "weight": e.weight})
    return conflicts, agreeing


def _own_makers(kb: KnowledgeBase, evidence: Sequence[Evidence], by_family: Mapping[str, list[Evidence]],
                winner: str) -> list[Evidence]:
    """Maker claims that may name the winner's manufacturer: its family's, brand-less ones, zero-weight notes, and
    registry-only makers that yielded to the label."""
    claims = _claims(by_family)
    return [e for e in evidence if e.manufacturer and e.kind == "maker"
            and (not e.brand or kb.family_of(e.brand) == winner or e.weight == 0
                 or (registry_only(kb, e) and e not in claims))]


def _first(mine: Sequence[Evidence], ordered: Sequence[Evidence], attr: str) -> str | None:
    """A fact (model, serial, version): what the winning family's evidence states first, else any signal's."""
    return _pick([getattr(e, attr) for e in sorted(mine, key=_rank) if getattr(e, attr)]
                 + [getattr(e, attr) for e in ordered if getattr(e, attr)])


def _registrants(kb: KnowledgeBase, evidence: Sequence[Evidence], manufacturer: str | None) -> tuple[str, ...]:
    """The registered names behind the brand's own claims, and the manufacturer when only a registry names it
    (a manufacturer that is another knowledge-base brand, H3C behind HPE, is judged separately, not here)."""
    names = [e.registrant for e in evidence if e.registrant and e.weight > 0]
    maker = [manufacturer] if manufacturer and kb.canonical(manufacturer) is None else []
    return tuple(dict.fromkeys([*names, *maker]))


def _answered(evidence: Sequence[Evidence]) -> bool:
    """Any signal read at all (a sysDescr naming nothing, an ENTITY row, a CLI output): the device answered."""
    return bool(evidence)


def _unknown(kb: KnowledgeBase, evidence: Sequence[Evidence], name: str, address: str | None) -> Verdict:
    ordered = sorted(evidence, key=_rank)
    makers = [e for e in evidence if e.manufacturer and e.kind == "maker"]
    model = _pick([e.model for e in ordered if e.model])
    judged = judge_maker(kb, None)
    return Verdict(name, address, None, _best_manufacturer(makers), model, _pick([e.serial for e in ordered
                                                                                  if e.serial]),
                   None, 0.0, list(evidence), [], STATUS_UNKNOWN if _answered(evidence) else STATUS_NO_ANSWER,
                   _model_from(ordered, model), judged.rule, judged.detail)


def identify(kb: KnowledgeBase, evidence: Sequence[Evidence], *, name: str = "", address: str | None = None
             ) -> Verdict:
    """Weigh ``evidence`` into a :class:`Verdict` (pure; the same evidence always gives the same verdict)."""
    borrowed = borrowed_numbers(kb, evidence)
    by_family = _families(kb, [e for e in evidence if not any(e is b for b in borrowed)])
    if not by_family:
        return _unknown(kb, evidence, name, address)
    if len(by_family) > 1:
        by_family, agreeing_oui = _corroborated(kb, evidence, by_family)
        evidence = [*evidence, *agreeing_oui]
    score = {fam: sum(e.weight for e in evs) for fam, evs in by_family.items()}
    winner = _winner(by_family, score)
    mine = [*by_family[winner], *_same_maker_ups(kb, evidence, by_family[winner], winner)]
    brand = _brand_in(kb, mine)
    own_makers = _own_makers(kb, evidence, by_family, winner)
    manufacturer = _best_manufacturer(own_makers)
    if manufacturer is None:
        owner = kb.brands[brand].owner if brand in kb.brands else None
        manufacturer = owner or brand
    conflicts, agreeing = _conflicts(kb, by_family, winner, own_makers)
    conflicts += [{"signal": e.signal, "value": e.value, "source": e.source, "brand": e.brand, "weight": e.weight,
                   "note": "borrowed number: the device's text and its own private MIB name another brand"}
                  for e in borrowed]
    confidence = round(_combine(e.weight for e in mine) * (score[winner] / (sum(score.values()) - agreeing)), 2)
    ordered = sorted(evidence, key=_rank)
    model, serial, version = (_first(mine, ordered, f) for f in ("model", "serial", "version"))
    judged = _prc(kb, brand, mine, manufacturer, evidence, winner)
    judged = _borrowed_prc(kb, judged, borrowed)
    judged = _rivals_prc(kb, judged, by_family, winner)
    judged = _same_text_prc(kb, judged, by_family, winner)
    return Verdict(
        name, address, brand, manufacturer, model, serial, judged.prc, confidence, list(evidence), conflicts,
        STATUS_CONFLICT if conflicts else STATUS_IDENTIFIED, _model_from([*sorted(mine, key=_rank), *ordered], model),
        judged.rule, judged.detail, version,
    )


def _same_maker_ups(kb: KnowledgeBase, evidence: Sequence[Evidence], mine: Sequence[Evidence], winner: str
                    ) -> list[Evidence]:
    """The UPS-MIB's claim when the UPS is the agent's own maker's (a Huawei UPS2000 answering Huawei's number): it
    agrees, and its model ("UPS2000 6kVA") is the product's."""
    return [e for e in evidence if e.signal == _UPS_MAKER and e.brand and e.weight > 0
            and kb.family_of(e.brand) == winner and not any(e is m for m in mine)]


RULE_MAKER_ONLY = "maker_only"
RULE_DISAGREE = "signals_disagree"
RULE_BORROWED = "borrowed_number"
RULE_HOSTNAME = "host_name_only"



def borrowed_numbers(kb: KnowledgeBase, evidence: Sequence[Evidence]) -> list[Evidence]:
    """sysObjectID brand claims that the device itself contradicts twice: its text (sysDescr, ENTITY, CLI) names
    another brand, and it answers that brand's own private MIB (or its engine id names that brand's enterprise),
    while nothing it says names the number's brand.
    A number is easy to borrow or squat (a SyncServer under Hikvision's 39165, its own Symmetricom 9070 MIB
    answered, "SyncServer" in its sysDescr); text and MIB together are the product's own. Such a claim does not
    compete for the brand; it stays on the verdict as a conflict, and the PRC answer becomes "needs review" when
    the number's brand is judged the other way (:func:`_borrowed_prc`)."""
    claims = [e for e in evidence if e.brand and e.weight > 0 and e.signal != _UPS_MAKER]  # the UPS's, not its own
    labelled = {kb.family_of(e.brand) for e in claims if e.kind == "label"}
    answered = {kb.family_of(e.brand) for e in claims if e.signal in (*FALLBACK_SIGNALS, *_AGENT_OWN)}
    if not labelled & answered:
        return []
    return [e for e in claims if e.signal == "snmp.sysObjectID" and kb.family_of(e.brand) not in labelled | answered]


def _borrowed_prc(kb: KnowledgeBase, judged: MakerJudgement, borrowed: Sequence[Evidence]) -> MakerJudgement:
    """A borrowed number whose brand is judged the other way: neither side decides alone (never a PRC "yes" on a
    squatted number, nor a "no" that only the device's own words support against a PRC maker's number)."""
    for e in borrowed:
        other = judge_maker(kb, kb.canonical(e.brand) or e.brand, (e.registrant,) if e.registrant else ())
        if judged.prc is not None and other.prc is not None and other.prc != judged.prc:
            return MakerJudgement(None, RULE_BORROWED, f"{judged.detail}; but the sysObjectID {e.value} is "
                                  f"{e.brand}'s ({other.detail}), a number the device's text and private MIB "
                                  "contradict: needs review")
    return judged


def _prc(kb: KnowledgeBase, brand: str, mine: Sequence[Evidence], manufacturer: str | None,
         evidence: Sequence[Evidence], winner: str) -> MakerJudgement:
    """The PRC judgement of the brand, made cautious where the evidence is thin or split:

    * a brand known only from a registry (no label, not in the knowledge base) whose maker the registration places
      in the PRC: the product may carry another brand (OEM), so "needs review", not "yes";
    * a maker trace (a private MIB the agent also answers) whose maker the rules judge the other way: the two
      signals disagree on the question that matters, so "needs review";
    * a registry label and another registry maker judged the other way (:func:`_oem_split`), and a brand that
      only host names of OS banners name (:func:`_host_name_only`): "needs review".
    """
    split = _oem_split(kb, brand, mine, manufacturer)
    if split is not None:
        return split
    judged = judge_maker(kb, brand, _registrants(kb, mine, manufacturer))
    if judged.prc is not None and _host_name_only(kb, evidence, winner):
        return MakerJudgement(None, RULE_HOSTNAME, f"{judged.detail}; only the host name in an OS banner names the "
                              "brand (anyone who installs a device can set it): needs review")
    labelled = any(e.kind == "label" for e in mine)
    if judged.prc is False and all(e.signal in LAST_RESORT_SIGNALS for e in mine):
        return MakerJudgement(None, RULE_MAKER_ONLY, f"{judged.detail}; only the OUI of the device's own MACs names "
                              "the brand (the NIC's buyer: a part maker's or an OEM's product may carry another "
                              "brand): needs review")
    if judged.prc is True and not labelled and judged.rule in (RULE_PLACE, RULE_OUI):
        return MakerJudgement(None, RULE_MAKER_ONLY, f"{judged.detail}; only the maker's registration names it, no "
                              "label confirms the brand (an OEM product may carry another): needs review")
    return judged if judged.prc is None else _trace_disagrees(kb, judged, evidence, winner)


def _trace_disagrees(kb: KnowledgeBase, judged: MakerJudgement, evidence: Sequence[Evidence], winner: str
                     ) -> MakerJudgement:
    """A maker trace (a private MIB the agent also answers, the maker of the UPS it manages) of another family
    judged the other way: needs review (a card of a Taiwanese maker in a PRC maker's UPS is neither a plain "no" nor
    a plain "yes")."""
    for e in evidence:
        if e.signal in FALLBACK_SIGNALS and e.brand and kb.family_of(e.brand) != winner:
            other = judge_maker(kb, kb.canonical(e.brand) or e.brand, (e.registrant,) if e.registrant else ())
            if other.prc is not None and other.prc != judged.prc:
                what = ("the UPS it manages is" if e.signal == _UPS_MAKER
                        else "the agent also answers")
                return MakerJudgement(None, RULE_DISAGREE, f"{judged.detail}; but {what} {e.value} ({e.brand}: "
                                      f"{other.detail}): needs review")
    return judged


RULE_OEM_SPLIT = "label_and_maker_disagree"


#: Signals that name a product outright: the number its agent answers under, the engine id, and text labels.
_RIVAL_SIGNALS = ("snmp.sysObjectID", "snmp.engineID")


def _rivals_prc(kb: KnowledgeBase, judged: MakerJudgement, by_family: Mapping[str, list[Evidence]], winner: str
                ) -> MakerJudgement:
    """A brand that only a number names (no label of the product names it) beat another family whose own claim
    (its enterprise number, or a label: not a host name, a private MIB or a MAC, which have their own rules) is
    judged the other way: the weights chose a brand, but on the question that matters the device's own signals
    disagree, so "needs review" (an OEM camera whose sysDescr names a non-PRC brand under a PRC maker's number, or
    the reverse). A brand the product's own label names keeps its judgement; the rival stays a conflict."""
    if judged.prc is None or any(e.kind == "label" for e in by_family[winner]):
        return judged
    for fam, evs in sorted(by_family.items()):
        if fam == winner:
            continue
        for e in evs:
            if not (e.signal in _RIVAL_SIGNALS or (e.kind == "label" and not e.signal.endswith(HOSTNAME_SUFFIX))):
                continue
            other = judge_maker(kb, kb.canonical(e.brand) or e.brand, (e.registrant,) if e.registrant else ())
            if other.prc is not None and other.prc != judged.prc and _rival_counts(kb, e, other):
                return MakerJudgement(None, RULE_DISAGREE, f"{judged.detail}; but {e.signal} names {e.brand} "
                                      f"({other.detail}): needs review")
    return judged


def _same_text_prc(kb: KnowledgeBase, judged: MakerJudgement, by_family: Mapping[str, list[Evidence]],
                   winner: str) -> MakerJudgement:
    """The text that names the winning brand also names a PRC brand ("<brand> Switch X100, <PRC brand> inside"):
    the brand a description leads with wins, but the PRC name in the product's own words is a question for a
    reviewer, never a silent "no"."""
    if judged.prc is not False:
        return judged
    texts = {e.value for e in by_family[winner] if e.kind == "label"}
    for fam, evs in sorted(by_family.items()):
        if fam == winner:
            continue
        for e in evs:
            if e.kind == "label" and e.value in texts and kb.canonical(e.brand) and kb.prc(e.brand):
                return MakerJudgement(None, RULE_DISAGREE, f"{judged.detail}; but the same {e.signal} also names "
                                      f"the PRC brand {e.brand}: needs review")
    return judged


def _rival_counts(kb: KnowledgeBase, e: Evidence, judged: MakerJudgement) -> bool:
    """A number, a knowledge-base brand or a registrant is judged for what it names; a word that merely leads some
    registrations ("JetStream" of TP-Link's switches, "Orion" of Delta's controllers) only by what is known of that
    name itself (a PRC group's brand: "Lenovo"), never by a namesake's registered place or IEEE country."""
    if e.signal in _RIVAL_SIGNALS or kb.canonical(e.brand) is not None or e.registrant is not None:
        return True
    return judged.rule == RULE_GROUP


def _host_name_only(kb: KnowledgeBase, evidence: Sequence[Evidence], winner: str) -> bool:
    """Is the winning family named by nothing but host names of OS banners (no number, private MIB, MAC, other
    text of the same family corroborates it)?"""
    named = [e for e in evidence if e.brand and e.weight > 0 and kb.family_of(e.brand) == winner]
    return bool(named) and all(e.signal.endswith(HOSTNAME_SUFFIX) for e in named)


def _oem_split(kb: KnowledgeBase, brand: str, mine: Sequence[Evidence], manufacturer: str | None
               ) -> MakerJudgement | None:
    """A label that names a registry organisation (not a knowledge-base brand) over another registry-only maker's
    enterprise number: an OEM product ("Rittal IT Chiller" under CAREL's number) or the maker's own product line
    that happens to share a registered name ("Switched PDU" under DigiPower's). The two are judged apart: when one
    is judged PRC and the other not, the answer is "needs review", so neither a maker's place nor a namesake's
    country decides alone. None when this is not such a case (then the usual chain decides)."""
    if kb.canonical(brand) is not None or not manufacturer or kb.canonical(manufacturer) is not None:
        return None
    own = tuple(dict.fromkeys(e.registrant for e in mine if e.registrant and e.kind == "label"))
    if not own or any(name_key(manufacturer) == name_key(pen_brand) for pen_brand in (brand, *own)):
        return None
    label = judge_maker(kb, brand, own)
    maker = judge_maker(kb, manufacturer)
    if label.prc is None or maker.prc is None or label.prc == maker.prc:
        return None
    return MakerJudgement(None, RULE_OEM_SPLIT, f"the label names {brand} ({label.detail}); the agent's maker is "
                          f"{manufacturer} ({maker.detail}): an OEM product or the maker's own product line, "
                          "needs review")


def _best_manufacturer(makers: Sequence[Evidence]) -> str | None:
    """Enterprise numbers, engine ids and vendor subtrees say who built the agent; OUIs only who built the NIC,
    so they decide only when nothing else names a maker."""
    strong = [e for e in makers if not e.signal.endswith(_NIC_SIGNALS)]
    chosen = strong or list(makers)
    if not chosen:
        return None
    totals: dict[str, float] = defaultdict(float)
    for e in chosen:
        if e.manufacturer:
            totals[e.manufacturer] += e.weight + 0.01  # a zero-weight maker note still names a manufacturer
    return max(totals, key=lambda m: (totals[m], m)) if totals else None
