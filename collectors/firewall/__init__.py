"""Firewall rule auditing: one rule model, parsers per platform, exact anomaly analysis, an SSH collector.

Public API::

    from collectors.firewall import parse_text, parse_file, analyze, Rule, RuleSet

``parse_text(text, platform, source)`` returns the rule sets in a saved configuration or command output;
``analyze(ruleset)`` returns its :class:`Anomaly` list (shadowed, redundant, generalization, correlation,
irrelevant).
"""

from collectors.firewall.anomaly import AnalysisOptions, Anomaly, analyze
from collectors.firewall.model import Action, ParseStatus, Provenance, Rule, RuleSet, Service

__all__ = ["Action", "AnalysisOptions", "Anomaly", "ParseStatus", "Provenance", "Rule", "RuleSet", "Service",
           "analyze"]
