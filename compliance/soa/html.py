"""The SoA as one self-contained HTML page (Jinja2, autoescaped, no external CSS, fonts or scripts: it is
opened offline, on an auditor's laptop, years later)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from compliance.soa.labels import labels
from compliance.soa.model import DEFAULT_JUSTIFICATION, Soa
from netcomply import i18n

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _env() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def render_html(soa: Soa, *, lang: str = "zh-TW") -> str:
    return _env().get_template("soa.html.j2").render(soa=soa, t=labels(lang), lang=lang,
                                                     default=DEFAULT_JUSTIFICATION,
                                                     reason=lambda text: i18n.reason(text, lang))


def write_html(soa: Soa, path: str | Path, *, lang: str = "zh-TW") -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(soa, lang=lang), encoding="utf-8")
    return out
