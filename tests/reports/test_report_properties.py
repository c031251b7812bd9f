"""Properties of the report: drill-down anchors are valid and never collide, and the report does not depend on the
order in which findings were stored (only on which findings there are)."""

from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netcomply.store import Store
from reports.audit import build_report
from reports.audit.html import anchor
from reports.audit.write import report_json

from .conftest import T0, make_run

names = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40)


@given(a=names, b=names)
def test_anchors_are_valid_html_ids_and_distinct_names_never_collide(a: str, b: str) -> None:
    for name in (a, b):
        assert re.fullmatch(r"device-[A-Za-z0-9_.-]+", anchor("device", name))
    if a != b:
        assert anchor("device", a) != anchor("device", b)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_report_does_not_depend_on_the_order_findings_were_stored(tmp_path: Path, seed: int) -> None:
    inventory = tmp_path / "city.yaml"
    from .conftest import INVENTORY

    inventory.write_text(INVENTORY, encoding="utf-8")
    db = tmp_path / f"order-{seed}.db"
    db.unlink(missing_ok=True)
    with Store.open(db) as store:
        run_id = make_run(store, inventory, "20260302T013000Z-ord", T0)
        expected = report_json(build_report(store, [run_id]))
        findings = store.findings(run_id)
        random.Random(seed).shuffle(findings)
        for f in findings:
            f.id = None
        store.replace_findings(run_id, findings)
        assert report_json(build_report(store, [run_id])) == expected
