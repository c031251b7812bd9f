"""A separate process that holds or claims a run, for the run-lock tests.

Usage: python lock_child.py URL create
       python lock_child.py URL claim RUN_ID

``create`` opens the store, creates a run (owned, hence locked, by this process) and prints ``run ID``;
``claim`` tries to claim RUN_ID and prints ``claimed`` or ``locked MESSAGE``. Either then keeps the store open
and its lock held until its stdin is closed (or it is killed), so the parent decides how long it lives.
"""

from __future__ import annotations

import sys

from netcomply.models import Run, utcnow
from netcomply.store import Store, new_run_id
from netcomply.store.runlock import RunLocked


def main(url: str, action: str, run_id: str | None = None) -> None:
    with Store.open(url) as store:
        if action == "create":
            run = store.create_run(Run(id=new_run_id(), started_at=utcnow(), operator="lock-child", tool_version="t"))
            print(f"run {run.id}", flush=True)
        else:
            assert run_id is not None
            try:
                store.claim_run(run_id)
            except RunLocked as exc:
                print(f"locked {exc}", flush=True)
            else:
                print("claimed", flush=True)
        sys.stdin.read()  # hold until the parent closes our stdin


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *sys.argv[3:4])
