"""The audit report as PDF: the same HTML (rendered ``for_pdf``) through WeasyPrint, offline, with the Noto CJK
font Debian ships (fonts-noto-cjk, "Noto Sans CJK TC") so Traditional Chinese prints as text, not boxes.

Reproducible where WeasyPrint allows: the document's dates come from the run (``dcterms.created`` in the page),
the PDF identifier is derived from the run id and the page's bytes, and no URL is ever fetched (a fetcher that
refuses everything: the page has nothing external, and a section that slipped one in must not reach the network).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from netcomply.errors import NetcomplyError

log = logging.getLogger(__name__)


class PdfError(NetcomplyError):
    """WeasyPrint (or the fonts and libraries it needs) is not usable on this machine."""


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the report fetches nothing: refused {url!r}")


def _refuser() -> Any:
    """A WeasyPrint fetcher that refuses every URL through :func:`_no_fetch`. WeasyPrint 70 wants a
    ``URLFetcher`` (a bare function made any URL in the page crash the PDF with an AttributeError); a refused
    URL is now a warning and the page prints without it."""
    from weasyprint.urls import URLFetcher

    class _Refuser(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            return _no_fetch(url)

    return _Refuser()


def write_pdf(html: str, path: Path, *, report: dict[str, Any], title: str | None = None) -> Path:
    """Render ``html`` (from :func:`reports.audit.html.render_html` with ``for_pdf=True``, or another deliverable's
    page such as the drill report's, with its own ``title``) to ``path``."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: pango/harfbuzz missing (tools/system-deps.sh installs them)
        raise PdfError(f"cannot write PDF: WeasyPrint is not usable here ({exc}); "
                       "run tools/system-deps.sh or leave pdf out of --formats") from exc
    identifier = hashlib.sha256((report["run"]["id"] + "\0").encode() + html.encode("utf-8")).hexdigest()[:32]
    document = HTML(string=html, base_url=None, url_fetcher=_refuser()).render()
    document.metadata.title = title or f"netcomply audit report {report['run']['id']}"
    document.metadata.generator = f"netcomply {report['run'].get('tool_version') or ''}".strip()
    started = report["run"].get("started_at")
    if started:
        document.metadata.created = started
        document.metadata.modified = report["run"].get("finished_at") or started
    document.write_pdf(path, pdf_identifier=identifier.encode("ascii"))
    return path
