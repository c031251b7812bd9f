"""What goes into a pack, read from the store: the run, its findings, and which artifacts back them.

Pure reads and plain dicts; the builder turns them into bytes. Everything is sorted here, so the same
store always yields the same pack.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from netcomply.models import Finding, Run
from netcomply.store import ArtifactRecord, Store


def utc_iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC (naive datetimes are UTC by the store's rule)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat()


def run_dict(run: Run) -> dict[str, Any]:
    return {
        "id": run.id,
        "operator": run.operator,
        "tool_version": run.tool_version,
        "started_at": utc_iso(run.started_at),
        "finished_at": utc_iso(run.finished_at),
        "status": run.status.value,
        "inventory_sha256": run.inventory_sha256,
        "inventory_source": run.inventory_source,
        "parameters": run.parameters,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return utc_iso(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    return value


def finding_dicts(findings: list[Finding]) -> list[dict[str, Any]]:
    return [_plain(asdict(f)) for f in sorted(findings, key=lambda f: (f.id or 0, f.check_id, f.subject))]


def selected_artifacts(store: Store, run_id: str, findings: list[Finding]) -> set[str]:
    """SHA-256 of every artifact the findings rest on: cited directly, or through an observation they cite.

    A run that has not been judged yet has no findings; its pack then carries all of the run's artifacts,
    so evidence can be sealed right after collection.
    """
    if not findings:
        return {rec.sha256 for rec in store.artifact_records(run_id)}
    wanted = {sha.lower() for f in findings for sha in f.artifacts}
    cited_obs = {oid for f in findings for oid in f.observations}
    if cited_obs:
        for obs in store.observations(run_id):
            if obs.id in cited_obs:
                wanted.update(sha.lower() for sha in obs.artifacts)
    return wanted


def capture_entry(rec: ArtifactRecord, run: Run, member: str) -> dict[str, Any]:
    """One manifest line: where and how this content was captured, and which member holds it."""
    return {
        "member": member,
        "sha256": rec.sha256,
        "size": rec.size,
        "device": rec.device,
        "source": rec.source,
        "collector": rec.collector,
        "collected_at": utc_iso(rec.collected_at),
        "media_type": rec.media_type,
        "run_id": rec.run_id,
        "operator": run.operator,
        "tool_version": run.tool_version,
    }
