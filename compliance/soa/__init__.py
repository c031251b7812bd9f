"""Statement of Applicability: the agency's decisions plus what the audit showed, per ISO/IEC 27001:2022 control.

:mod:`compliance.soa.model` builds it; :mod:`compliance.soa.xlsx` and :mod:`compliance.soa.html` write it.
"""

from compliance.soa.decisions import Decision, Decisions, load_decisions
from compliance.soa.model import Implemented, Soa, SoaEntry, build_soa

__all__ = ["Decision", "Decisions", "Implemented", "Soa", "SoaEntry", "build_soa", "load_decisions"]
