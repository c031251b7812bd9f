"""Drill judgement (issue 15): thresholds, bot judgement, outcomes, rates with Wilson intervals and the one ``below``
pass rule, analysis, history and pseudonyms; the checks over the report's figures are :mod:`compliance.checks.drill`."""
