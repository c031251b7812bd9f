"""Social-engineering (phishing) drill reports (issue 9).

Read a drill from GoPhish (REST API or CSV exports), Microsoft Attack Simulation Training exports or the generic
CSV; join the HR roster; discount bot clicks with a reason for each; compute open/click/submit/report rates with
Wilson intervals per agency and department against the pass marks; compare with earlier drills; and write the
report (HTML, PDF, XLSX, JSON) with names only in a restricted annex.

Public API::

    from netcomply.drill import load_drill, load_roster, load_thresholds, Pseudonymiser, load_key
    from netcomply.app.pipelines.drill import run   # the pipeline is the application layer's
    drill = load_drill([Path("results.csv"), Path("events.csv")])
    result = run(drill, load_thresholds(), Pseudonymiser(load_key()), roster=load_roster(Path("hr.csv")))
    result.document   # the JSON report (pseudonymised)
    result.annex      # the restricted annex (names)
"""

from netcomply.drill.analyse import Analysis, analyse
from netcomply.drill.bots import Override, judge, load_overrides
from netcomply.drill.config import Thresholds, load_thresholds
from netcomply.drill.gophish_api import GophishClient
from netcomply.drill.ingest import load_drill
from netcomply.drill.metrics import wilson
from netcomply.drill.model import Action, Drill, Event, Target
from netcomply.drill.privacy import Pseudonymiser, load_key
from netcomply.drill.roster import load_roster

__all__ = [
    "Action", "Analysis", "Drill", "Event", "GophishClient", "Override", "Pseudonymiser", "Target",
    "Thresholds", "analyse", "judge", "load_drill", "load_key", "load_overrides", "load_roster", "load_thresholds",
    "wilson",
]
