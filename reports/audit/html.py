"""The audit report as one self-contained HTML page, and the same page prepared for WeasyPrint's PDF.

Everything is inline (CSS, SVG charts, a few lines of script for filtering): the page is opened offline on an
auditor's laptop years later, so it must not reference any URL. Templates are autoescaped; section templates get
``data``, ``charts``, ``lang``, ``L(en, zh)`` and ``sev(severity)`` as :mod:`reports.sections.base` promises.
A section whose charts or template fail is shown as an error box naming it; the rest of the page is unaffected.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from compliance.catalog import catalogs
from netcomply import i18n
from netcomply.safety.redact import REDACTOR
from netcomply.timefmt import DEFAULT_ZONE, Style, format_date, format_datetime, local_date
from reports.audit.charts import summary_charts
from reports.audit.locale import Labels
from reports.audit.paper import control_digest, finding_groups
from reports.audit.sections_run import describe_error, safe_sections
from reports.sections.base import ReportSection, finding_anchor

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
#: Element ids the report itself owns (its drill-down targets). A section template that gives an element one of
#: them (instead of linking to it) gets its id suffixed with the section key, so every id stays unique and a
#: link ``#finding-F0001`` always reaches the finding.
_OWN_IDS = re.compile(r'\bid="((?:finding|device|control|agency|framework)-[^"]*)"')
log = logging.getLogger(__name__)


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["local"] = local_time
    env.filters["day"] = local_day
    env.filters["anchor"] = anchor
    env.globals["anchor"] = anchor
    env.globals["finding_anchor"] = finding_anchor
    env.globals["ident"] = ident
    env.globals["tr"] = section_text
    env.globals["shown"] = shown_message
    return env


@pass_context
def section_text(ctx: Context, key: str, **params: Any) -> str:
    """A section's own text (``section.yaml``: ``tr("vendor.to_settle")``, ``tr("firewall.line_ref", line=3)``) in
    the template's ``lang``; with parameters, markup-safe HTML."""
    texts = i18n.Messages("section", _zone_lang(ctx)[1], html=True)
    return texts.fmt(key, **params) if params else texts(key)


@pass_context
def shown_message(ctx: Context, message: Any, fallback: str | None = "") -> str:
    """A stored catalog message (a finding's ``details["msg"]``, a fix's ``fix_msg``) as HTML in the template's
    ``lang``; without one, ``fallback`` (the stored English) matched against the catalog."""
    return i18n.Messages("audit", _zone_lang(ctx)[1], html=True).msg(message, fallback or "")


def _zone_lang(ctx: Context) -> tuple[str, str]:
    """The report's zone and language: the page template has the report as ``r``; a section template is given
    ``timezone`` (its ``r`` may be a loop variable of its own)."""
    report = ctx.get("r") if isinstance(ctx.get("r"), dict) else {}
    zone_name = ctx.get("timezone") or report.get("timezone") or DEFAULT_ZONE
    return str(zone_name), str(ctx.get("lang") or "zh-TW")


@pass_context
def local_time(ctx: Context, value: str | None, style: Style = "table") -> str:
    """An ISO time as wall-clock time in the report's zone (what an agency's staff read), seconds precision;
    the ROC calendar for zh-TW (115/12/04 01:30:00), ISO dates otherwise."""
    if not value:
        return ""
    tz, lang = _zone_lang(ctx)
    return format_datetime(value, lang, tz, style)


@pass_context
def local_day(ctx: Context, value: str | date | None, style: Style = "table") -> str:
    """A calendar date (already the zone's, like the evaluation date) in the report's language: 民國115年12月4日
    (``style='prose'``) or 115/12/04 for zh-TW, 2026-12-04 otherwise."""
    if not value:
        return ""
    tz, lang = _zone_lang(ctx)
    try:
        if isinstance(value, date):
            day = value
        elif len(value) > 10:  # a time: its day in the report's zone
            day = local_date(value, tz)
        else:
            day = date.fromisoformat(value)
    except ValueError:  # not a date (an agency's free text in a register column): shown as written
        return value if isinstance(value, str) else str(value)
    return format_date(day, lang, style)


def ident(value: Any) -> Markup:
    """An identifier inside translated text (a responsibility level letter, a zone name): marked translate="no",
    HTML's own way of saying it is not prose to translate."""
    return Markup('<span translate="no">{}</span>').format(value)


def anchor(kind: str, *parts: Any) -> str:
    """A stable, valid HTML id for a drill-down target: ``kind-part-part``; characters outside ``[A-Za-z0-9_.-]``
    are replaced and a short hash keeps two different names from colliding."""
    raw = "-".join(str(p) for p in parts if p not in (None, ""))
    clean = re.sub(r"[^A-Za-z0-9_.-]", "_", raw)
    if clean != raw:
        clean += "-" + hashlib.sha256(raw.encode()).hexdigest()[:6]
    return f"{kind}-{clean}"


#: The evaluation's two fixed reasons for a control without findings: explained once above each controls table and
#: marked in the rows, instead of repeated 170 times.
STANDARD_REASONS = {
    "no automated evidence: needs the agency's own records and an auditor's review": "*",
    "a check can evidence this control but found nothing in this run": "**",
}


def reason_text(t: Labels) -> Callable[[str | None], str]:
    """A control's basis in the report's language (the evaluation writes it in English; see i18n.reason)."""

    def reason(text: str | None) -> str:
        return i18n.reason(text, t.lang)

    return reason


def finding_text(lang: str, *, html: bool = False) -> Callable[[dict[str, Any]], str]:
    """A finding's message in ``lang``: its catalog message (``details.msg``), else the stored English; ``html``:
    markup with quoted output as code."""

    def fmsg(finding: dict[str, Any]) -> str:
        return i18n.finding_text(finding.get("details"), finding.get("message") or "", lang, html=html)

    return fmsg


@cache
def translated_controls() -> frozenset[str]:
    """Controls whose Chinese title is the project's translation, not the CNS 27001 wording (marked 譯)."""
    return frozenset(c.qid for c in catalogs().by_qid.values() if c.zh_source != "cns")


def parameter_text(t: Labels) -> Callable[[str, Any], Markup]:
    """One run parameter as a person reads it: its name from the catalog (the key itself if unknown), yes/no for
    flags, lists joined, values that are identifiers (collector names, numbers) as code. Never Python's repr."""

    def param(key: str, value: Any) -> Markup:
        name = t.of("param_names", key)
        if isinstance(value, bool):
            shown: Any = t("word_yes") if value else t("word_no")
        elif isinstance(value, list | tuple | set):
            shown = Markup("、" if t.lang == "zh-TW" else ", ").join(
                Markup("<code>{}</code>").format(v) for v in value)
        elif isinstance(value, dict):
            shown = Markup("、" if t.lang == "zh-TW" else ", ").join(
                Markup("<code>{}={}</code>").format(k, v) for k, v in value.items())
        else:
            shown = Markup("<code>{}</code>").format(value)
        return Markup("{}{}{}").format(name, "：" if t.lang == "zh-TW" else ": ", shown)

    return param


def severity_badge(t: Labels) -> Callable[[str | None], Markup]:
    def sev(severity: str | None) -> Markup:
        name = severity or "info"
        return Markup('<span class="nc-sev nc-sev-{}">{}</span>').format(name, t.of("severity_names", name))

    return sev


def status_badge(t: Labels) -> Callable[[str | None, str], Markup]:
    def badge(status: str | None, group: str = "control_status") -> Markup:
        value = status or "unknown"
        return Markup('<span class="nc-st nc-st-{}">{}</span>').format(value, t.of(group, value))

    return badge


def _section_parts(report: dict[str, Any], lang: str, t: Labels, sections: Sequence[ReportSection] | None,
                   for_pdf: bool) -> tuple[list[dict[str, Any]], list[str]]:
    """Each section's rendered HTML (or an error box) and its summary sentences, in report order."""
    instances = {s.key: s for s in (sections if sections is not None else safe_sections())}
    env = environment()
    L = t.pick
    sev = severity_badge(t)
    parts: list[dict[str, Any]] = []
    sentences: list[str] = []
    for entry in report["section_index"]:
        key = entry["key"]
        title = t.pick(entry["title"].get("en"), entry["title"].get("zh-TW"))
        part = {"key": key, "title": title, "html": Markup(""), "error": entry.get("error")}
        data = report["sections"].get(key)
        if part["error"] is None:
            try:
                if entry["generic"]:
                    charts: dict[str, Markup] = {}
                else:
                    sec = instances[key]
                    charts = {k: Markup(REDACTOR.redact(str(v))) for k, v in sorted(sec.charts(data, lang).items())}
                    sentences.extend(REDACTOR.redact(line) for line in sec.summary(data, lang))
                template = env.get_template(entry["template"])
                html = template.render(data=data, charts=charts, lang=lang, L=L, sev=sev, t=t, key=key,
                                       for_pdf=for_pdf, stored=t.stored, timezone=report.get("timezone"),
                                       status_name=lambda value: t.of("finding_status", value))
                part["html"] = Markup(_OWN_IDS.sub(rf'id="\1-{key}"', html))
            except Exception as exc:
                part["error"] = describe_error(exc)
                log.error("report section %s could not be rendered: %s", key, part["error"])
        parts.append(part)
    return parts, sentences


def render_html(report: dict[str, Any], *, lang: str, for_pdf: bool = False,
                sections: Sequence[ReportSection] | None = None) -> str:
    """The report page in ``lang``. ``for_pdf`` opens every drill-down (paper has no clicks), drops the script
    and sticky headers, and adds page numbers."""
    t = Labels(lang, html=True)
    parts, sentences = _section_parts(report, lang, t, sections, for_pdf)
    charts = summary_charts(report, t)
    findings_by_ref = {f["ref"]: f for f in report["findings"]}
    devices_by_agency: dict[str, list[dict[str, Any]]] = {}
    for d in report["devices"]:
        devices_by_agency.setdefault(d["agency"] or "", []).append(d)
    findings_by_device: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for f in report["findings"]:
        if f["device"]:
            findings_by_device.setdefault((f["run"], f["device"]), []).append(f)
    controls_by_framework: dict[str, list[dict[str, Any]]] = {}
    for c in report["controls"]:
        controls_by_framework.setdefault(c["framework"], []).append(c)
    html = environment().get_template("audit/report.html.j2").render(
        r=report, t=t, lang=lang, html_lang="zh-Hant-TW" if lang == "zh-TW" else "en", for_pdf=for_pdf,
        sections=parts, section_sentences=sentences, charts=charts, findings_by_ref=findings_by_ref,
        devices_by_agency=devices_by_agency, findings_by_device=findings_by_device, reason=reason_text(t),
        standard_reasons=STANDARD_REASONS,
        finding_groups=finding_groups(report["findings"]) if for_pdf else [],
        control_digest=control_digest(report["controls"], STANDARD_REASONS) if for_pdf else {},
        controls_by_framework=controls_by_framework, sev=severity_badge(t), badge=status_badge(t), L=t.pick,
        fmsg=finding_text(lang, html=True), param=parameter_text(t), translated=translated_controls(),
        esc=escape,
    )
    if for_pdf:
        html = _unlink_missing(html)
    # Every value on the page comes from the report dict, which was redacted string by string when it was built;
    # section summaries and charts are drawn from that dict. Only those derived strings are redacted again here.
    return html


def _unlink_missing(html: str) -> str:
    """Drop in-page links whose target the PDF leaves out (passing findings are listed only on screen), so the
    PDF has no dead links and WeasyPrint has nothing to complain about."""
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    return re.sub(r'\shref="#([^"]*)"', lambda m: m.group(0) if m.group(1) in ids else "", html)


def write_html(report: dict[str, Any], path: Path, *, lang: str,
               sections: Sequence[ReportSection] | None = None) -> Path:
    path.write_text(render_html(report, lang=lang, sections=sections), encoding="utf-8")
    return path
