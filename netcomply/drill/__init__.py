"""The drill's shared vocabulary in the base: the normalised drill model, safe CSV reading and source time parsing.

Why only these here (issue 15): the drill area is laid out like the others, so its importers live in
:mod:`collectors.drill`, its rates, pass rule and bot judgement in :mod:`compliance.drill` (with the checks in
:mod:`compliance.checks.drill`) and its rendering in :mod:`reports.drill`; the pipeline that wires them is
:mod:`netcomply.app.pipelines.drill`. The importers write and the metrics read the same :class:`Drill`, and a
collector may not import compliance nor compliance a collector, so the shape both sides share sits below them.

Typical use::

    from collectors.drill.ingest import load_drill
    from collectors.drill.roster import load_roster
    from compliance.drill.config import load_thresholds
    from compliance.drill.privacy import Pseudonymiser, load_key
    from netcomply.app.pipelines.drill import run
    drill = load_drill([Path("results.csv"), Path("events.csv")])
    result = run(drill, load_thresholds(), Pseudonymiser(load_key()), roster=load_roster(Path("hr.csv")))
    result.document   # the JSON report (pseudonymised)
    result.annex      # the restricted annex (names)
"""
