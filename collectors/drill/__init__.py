"""Drill importers (issue 15): GoPhish (REST API and CSV exports), Microsoft Attack Simulation Training, the generic
CSV and the HR roster, each read into the base's :class:`netcomply.drill.model.Drill`; no judgement here."""
