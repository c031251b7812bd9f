"""The audit report: one JSON-able dict built from the store (:func:`build_report`), written as report.json,
report.<lang>.html, report.<lang>.pdf and report.xlsx (:func:`write_report`)."""

from reports.audit.builder import build_report
from reports.audit.write import FORMATS, write_report

__all__ = ["FORMATS", "build_report", "write_report"]
