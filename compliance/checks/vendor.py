"""Banned-vendor checks: judge ``vendor.identity`` / ``vendor.neighbour_identity`` observations against the
agency's asset register, exception register and policy. Pure: no network, no collector imports; a stored run
is re-judged with the same result.

``JudgeContext.data`` keys used (all optional):

* ``asset_register`` -- list of :class:`netcomply.inventory.registers.AssetRecord`; without it the register
  checks are not run (they would say nothing true);
* ``exceptions`` -- list of :class:`netcomply.inventory.registers.ExceptionRecord`;
* ``today`` -- :class:`datetime.date` to judge end-of-life against (default: today, UTC);
* ``vendor_policy`` -- ``{"min_confidence": 0.5, "manufacturer_review": True}``;
* ``register_brands`` -- per asset id, the register's brand column read through the knowledge base
  (``{"text", "brand", "family", "prc", "prc_rule", "prc_detail"}``, ``collectors.vendor.register_brands``, handed
  over by the application layer): a device whose own answers leave its brand or its PRC status open is judged by
  the register's brand, and "HUAWEI 華為" in the register agrees with "Huawei" on the device;
* ``brand_families`` -- the family (top of the ownership chain) of each brand and manufacturer the verdicts name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from compliance.checks.base import Check, JudgeContext, register
from netcomply.contracts.vendor import prc_state
from netcomply.i18n import listing, msg, parsed, render
from netcomply.inventory.registers import AssetRecord, ExceptionRecord, exception_for, match_asset
from netcomply.models import Finding, FindingStatus, Observation, utcnow

KINDS = ("vendor.identity", "vendor.neighbour_identity")
DEFAULT_POLICY = {"min_confidence": 0.5, "manufacturer_review": True}


def _latest(observations: Iterable[Observation]) -> list[Observation]:
    latest: dict[tuple[str, str], Observation] = {}
    for o in observations:
        if o.kind not in KINDS:
            continue
        key = (o.kind, o.device if o.kind == "vendor.identity" else str(o.data.get("chassis_id") or o.data.get("name")))
        if key not in latest or (o.id or 0) >= (latest[key].id or 0):
            latest[key] = o
    return sorted(latest.values(), key=lambda o: (o.kind, _subject(o)))


def _subject(o: Observation) -> str:
    if o.kind == "vendor.identity":
        return o.device
    return f"neighbour:{o.data.get('name')} (via {o.device})"


def _policy(ctx: JudgeContext) -> dict[str, Any]:
    return {**DEFAULT_POLICY, **dict(ctx.data.get("vendor_policy") or {})}


def _keys(o: Observation) -> dict[str, str | None]:
    d = o.data
    return {"name": o.device if o.kind == "vendor.identity" else d.get("name"), "address": d.get("address"),
            "serial": d.get("serial")}


def _exception(o: Observation, ctx: JudgeContext) -> ExceptionRecord | None:
    exceptions: Sequence[ExceptionRecord] = ctx.data.get("exceptions") or ()
    keys = _keys(o)
    asset = _asset(o, ctx)
    if asset is not None:
        keys["asset_id"] = asset.asset_id
    return exception_for(exceptions, keys)


def _asset(o: Observation, ctx: JudgeContext) -> AssetRecord | None:
    register_: Sequence[AssetRecord] = ctx.data.get("asset_register") or ()
    k = _keys(o)
    return match_asset(register_, name=k["name"], address=k["address"], serial=k["serial"])


def _reading(asset: AssetRecord | None, ctx: JudgeContext) -> Mapping[str, Any] | None:
    """The register's brand column of ``asset`` as the knowledge base reads it (None: no brand or not read)."""
    if asset is None:
        return None
    readings: Mapping[str, Mapping[str, Any]] = ctx.data.get("register_brands") or {}
    return readings.get(asset.asset_id)


def _family(name: object, ctx: JudgeContext) -> str:
    families: Mapping[str, str] = ctx.data.get("brand_families") or {}
    return str(families.get(str(name)) or name).casefold()


def _agrees(asset: AssetRecord, o: Observation, ctx: JudgeContext) -> bool:
    """Register and device name the same maker: the same words, or the same family as the brand or the manufacturer
    the device names (an HPE-branded switch that H3C built agrees with a register saying either)."""
    if str(asset.brand).strip().casefold() == str(o.data.get("brand")).casefold():
        return True
    reading = _reading(asset, ctx)
    if reading is None:
        return False
    theirs = str(reading.get("family") or "").casefold()
    return bool(theirs) and theirs in {_family(n, ctx) for n in (o.data.get("brand"), o.data.get("manufacturer")) if n}


def _register_prc(o: Observation, ctx: JudgeContext) -> tuple[AssetRecord, Mapping[str, Any]] | None:
    """The register row and its reading when the register records a PRC brand for a device whose own answers left
    the question open: its brand unknown, or the register's maker the same as the device's. A register that names
    another maker than the device is a disagreement (``vendor.register_brand_mismatch``), not a verdict."""
    asset = _asset(o, ctx)
    reading = _reading(asset, ctx)
    if asset is None or reading is None or reading.get("prc") is not True:
        return None
    if o.data.get("brand") is not None and not _agrees(asset, o, ctx):
        return None
    return asset, reading


def register_judgement(prc: bool | None) -> dict[str, Any]:
    """What the register's brand is, as a catalog message: a PRC brand, not one, or unknown."""
    return msg({True: "finding.vendor.register_says_prc", False: "finding.vendor.register_says_not_prc",
                None: "finding.vendor.register_says_unknown"}[prc])


def _registered(reading: Mapping[str, Any]) -> str:
    """The register's words, with the knowledge base's name of the brand when it spells it otherwise."""
    text, brand = str(reading.get("text") or ""), reading.get("brand")
    return f"{text} ({brand})" if brand and str(brand).casefold() != text.casefold() else text


def _exception_problems(e: ExceptionRecord, today: date) -> list[dict[str, Any]]:
    """What makes the exception invalid, as catalog messages (``_english`` gives the stored English list)."""
    problems = []
    if e.ciso_approval is None:
        problems.append(msg("finding.vendor.no_ciso"))
    if e.authority_approval is None:
        problems.append(msg("finding.vendor.no_authority"))
    if not e.isolated:
        problems.append(msg("finding.vendor.not_isolated"))
    if e.end_of_life is None:
        problems.append(msg("finding.vendor.no_eol"))
    elif e.end_of_life < today:
        problems.append(msg("finding.vendor.past_eol", day=e.end_of_life.isoformat()))
    return problems


def _english(messages: Iterable[dict[str, Any]]) -> list[str]:
    return [render(m, "en") for m in messages]


def _label(o: Observation) -> dict[str, Any] | str:
    """Brand and model as the reader sees them; "unknown brand" is a message (it is words, not a name)."""
    d = o.data
    if d.get("brand"):
        return f"{d['brand']} {d['model']}" if d.get("model") else str(d["brand"])
    return msg("finding.vendor.unknown_brand_model", model=d["model"]) if d.get("model") else \
        msg("finding.vendor.unknown_brand")


@register
class PrcBrandOnNetwork(Check):
    id = "vendor.prc_brand_on_network"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        today = ctx.data.get("today") or utcnow().date()
        for o in _latest(observations):
            prc = o.data.get("prc_brand")
            details = {"brand": o.data.get("brand"), "manufacturer": o.data.get("manufacturer"),
                       "model": o.data.get("model"), "confidence": o.data.get("confidence")}
            if prc_state(prc) == "unknown":
                by_register = _register_prc(o, ctx)
                if by_register is None:
                    continue  # vendor.unknown_vendor asks a human: never read as "not PRC"
                yield self._by_register(o, ctx, today, by_register, details)
                continue
            if prc is False:
                yield self.finding(_subject(o), FindingStatus.PASS, msg("finding.vendor.not_prc", product=_label(o)),
                                   observations=[o], details=details)
                continue
            exc = _exception(o, ctx)
            if exc is not None and not _exception_problems(exc, today):
                yield self.finding(_subject(o), FindingStatus.PASS,
                                   msg("finding.vendor.prc_listed", product=_label(o), line=exc.line), observations=[o],
                                   details={**details, "exception_line": exc.line})
                continue
            stranger = o.kind == "vendor.neighbour_identity"
            where = msg("finding.vendor.one_hop" if stranger else "finding.vendor.in_inventory")
            yield self.finding(_subject(o), FindingStatus.FAIL,
                               msg("finding.vendor.prc_invalid_exception" if exc else "finding.vendor.prc_on_network",
                                   product=_label(o), where=where),
                               observations=[o], details=details)

    def _by_register(self, o: Observation, ctx: JudgeContext, today: date,
                     by_register: tuple[AssetRecord, Mapping[str, Any]], details: dict[str, Any]) -> Finding:
        """The register records a PRC brand that the device's own answers did not settle: judged by the register
        (its rule stated), with the exception register as for any PRC brand."""
        asset, reading = by_register
        details = {**details, "decided_by": "asset_register", "asset_id": asset.asset_id,
                   "register_brand": reading.get("text"), "register_prc": True,
                   "register_prc_rule": reading.get("prc_rule"), "register_prc_detail": reading.get("prc_detail")}
        exc = _exception(o, ctx)
        if exc is not None and not _exception_problems(exc, today):
            return self.finding(_subject(o), FindingStatus.PASS,
                                msg("finding.vendor.prc_listed", product=_registered(reading), line=exc.line),
                                observations=[o], details={**details, "exception_line": exc.line})
        stranger = o.kind == "vendor.neighbour_identity"
        where = msg("finding.vendor.one_hop" if stranger else "finding.vendor.in_inventory")
        return self.finding(_subject(o), FindingStatus.FAIL,
                            msg("finding.vendor.prc_by_register_invalid_exception" if exc else
                                "finding.vendor.prc_by_register", asset=asset.asset_id,
                                registered=_registered(reading), product=_label(o), where=where),
                            observations=[o], details=details)


@register
class PrcExceptionInvalid(Check):
    id = "vendor.prc_exception_invalid"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        today = ctx.data.get("today") or utcnow().date()
        exceptions: Sequence[ExceptionRecord] = ctx.data.get("exceptions") or ()
        seen = {id(e): o for o in _latest(observations) if (e := _exception(o, ctx)) is not None}
        for e in exceptions:
            obs = seen.get(id(e))
            problems = _exception_problems(e, today)
            subject = f"exception:{e.device}"
            details = {"exception": e.to_dict(), "problems": _english(problems), "problem_msgs": problems,
                       "seen": obs is not None}
            if problems:
                yield self.finding(subject, FindingStatus.FAIL,
                                   msg("finding.vendor.exception_problems", device=e.device,
                                       problems=listing(problems, "; ")),
                                   observations=[obs] if obs else [], details=details)
            else:
                yield self.finding(subject, FindingStatus.PASS,
                                   msg("finding.vendor.exception_ok", device=e.device, until=str(e.end_of_life)),
                                   observations=[obs] if obs else [], details=details)


@register
class NotInRegister(Check):
    id = "vendor.not_in_register"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        if ctx.data.get("asset_register") is None:
            return
        for o in _latest(observations):
            if o.kind == "vendor.neighbour_identity" and o.data.get("via") != "lldp":
                continue  # an ARP entry is a host (laptop, phone), not registered network hardware
            asset = _asset(o, ctx)
            if asset is None:
                address = o.data.get("address") or msg("finding.vendor.unknown_address")
                yield self.finding(_subject(o), FindingStatus.FAIL,
                                   msg("finding.vendor.not_registered", product=_label(o), address=address),
                                   observations=[o])
            else:
                yield self.finding(_subject(o), FindingStatus.PASS,
                                   msg("finding.vendor.registered", asset=asset.asset_id), observations=[o],
                                   details={"asset_id": asset.asset_id})


@register
class RegisterNotSeen(Check):
    id = "vendor.register_not_seen"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        register_: Sequence[AssetRecord] | None = ctx.data.get("asset_register")
        if register_ is None:
            return
        matched = {a.asset_id for o in _latest(observations) if (a := _asset(o, ctx)) is not None}
        for a in register_:
            if a.asset_id in matched:
                continue
            yield self.finding(f"asset:{a.asset_id}", FindingStatus.FAIL,
                               msg("finding.vendor.not_seen", asset=a.asset_id,
                                   what=f"{a.name or a.address or a.serial}, {a.brand or '?'}"),
                               details={"asset": a.to_dict()})


@register
class RegisterBrandMismatch(Check):
    id = "vendor.register_brand_mismatch"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        if ctx.data.get("asset_register") is None:
            return
        for o in _latest(observations):
            asset = _asset(o, ctx)
            brand = o.data.get("brand")
            if asset is None or not asset.brand or not brand:
                continue
            if _agrees(asset, o, ctx):
                yield self.finding(_subject(o), FindingStatus.PASS, msg("finding.vendor.agree", brand=brand),
                                   observations=[o])
            else:
                yield self.finding(_subject(o), FindingStatus.FAIL,
                                   msg("finding.vendor.disagree", asset=asset.asset_id, registered=asset.brand,
                                       brand=brand),
                                   observations=[o], details={"asset_id": asset.asset_id, "register": asset.brand,
                                                              "device": brand})


@register
class UnknownVendor(Check):
    id = "vendor.unknown_vendor"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        floor = float(_policy(ctx)["min_confidence"])
        for o in _latest(observations):
            brand, conf = o.data.get("brand"), float(o.data.get("confidence") or 0)
            if brand is None:
                why = msg("finding.vendor.no_answer" if o.data.get("status") == "no_answer" else
                          "finding.vendor.no_signal")
                asset = _asset(o, ctx)
                reading = _reading(asset, ctx)
                if asset is None or reading is None:
                    yield self.finding(_subject(o), FindingStatus.MANUAL, msg("finding.vendor.unknown", why=why),
                                       observations=[o], details={"manufacturer": o.data.get("manufacturer")})
                    continue
                yield self.finding(_subject(o), FindingStatus.MANUAL,
                                   msg("finding.vendor.unknown_registered", why=why, asset=asset.asset_id,
                                       registered=_registered(reading), judged=register_judgement(reading.get("prc"))),
                                   observations=[o],
                                   details={"manufacturer": o.data.get("manufacturer"), "asset_id": asset.asset_id,
                                            "register_brand": reading.get("text"),
                                            "register_brand_known": reading.get("brand"),
                                            "register_prc": reading.get("prc")})
            elif prc_state(o.data.get("prc_brand")) == "unknown":
                # A brand no rule can place is never "not PRC" by default: a human decides and records it.
                detail = o.data.get("prc_detail")
                yield self.finding(_subject(o), FindingStatus.MANUAL,
                                   msg("finding.vendor.prc_unknown", product=_label(o),
                                       detail=parsed("legacy", str(detail)) if detail else
                                       msg("finding.vendor.no_rule")),
                                   observations=[o], details={"manufacturer": o.data.get("manufacturer"),
                                                              "prc_rule": o.data.get("prc_rule")})
            elif conf < floor:
                yield self.finding(_subject(o), FindingStatus.MANUAL,
                                   msg("finding.vendor.low_confidence", brand=_label(o), confidence=f"{conf:.2f}",
                                       minimum=f"{floor:.2f}"),
                                   observations=[o])


@register
class SignalConflict(Check):
    id = "vendor.signal_conflict"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        for o in _latest(observations):
            conflicts = o.data.get("conflicts") or []
            if conflicts:
                others = sorted({str(c.get("brand")) for c in conflicts})
                yield self.finding(_subject(o), FindingStatus.MANUAL,
                                   msg("finding.vendor.conflict", product=_label(o),
                                       signal=listing(str(c["signal"]) for c in conflicts), other=listing(others)),
                                   observations=[o], details={"conflicts": conflicts})


@register
class PrcManufacturerReview(Check):
    id = "vendor.prc_manufacturer_review"

    def run(self, observations: Iterable[Observation], ctx: JudgeContext) -> Iterator[Finding]:
        if not _policy(ctx)["manufacturer_review"]:
            return
        for o in _latest(observations):
            d = o.data
            if d.get("prc_brand") is False and d.get("manufacturer_prc") is True:
                yield self.finding(_subject(o), FindingStatus.MANUAL,
                                   msg("finding.vendor.built_by", product=_label(o), maker=d["manufacturer"]),
                                   observations=[o])


VENDOR_CHECKS: tuple[type[Check], ...] = (PrcBrandOnNetwork, PrcExceptionInvalid, NotInRegister, RegisterNotSeen,
                                          RegisterBrandMismatch, UnknownVendor, SignalConflict, PrcManufacturerReview)


def run_vendor_checks(observations: Iterable[Observation], ctx: JudgeContext) -> list[Finding]:
    obs = list(observations)
    return [f for cls in VENDOR_CHECKS for f in cls().run(obs, ctx)]
