"""Report sections: one module per area (vendor, firewall, ipv6, hotspot, ...), discovered, not listed.

Each module defines a :class:`~reports.sections.base.ReportSection` subclass decorated with
:func:`~reports.sections.base.section`. The audit report renderer calls :func:`load_sections`, builds every
section's data (which goes to ``report.json`` under ``sections.<key>``), renders each one's Jinja2 partial into
the HTML and PDF, and appends its sheets to the XLSX. A new area adds a module here and a template under
``reports/templates/sections/``; nothing else changes.
"""

from reports.sections.base import ReportSection, SectionContext, Sheet, load_sections, section

__all__ = ["ReportSection", "SectionContext", "Sheet", "load_sections", "section"]
