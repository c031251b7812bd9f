"""The drill report (issue 15/18): the pseudonymised document and its HTML, PDF, XLSX and JSON, rendered through the
same report stack as the audit report (charts, message catalog, XLSX cells, the PDF path with its fetch blocker)."""
