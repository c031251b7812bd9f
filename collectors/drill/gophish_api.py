"""GoPhish REST client (read-only): the campaigns of one drill with their results and timelines.

``GET /api/campaigns/{id}/results`` returns the results and timeline without the templates; the key goes in an
``Authorization: Bearer`` header and comes from the environment (``GOPHISH_API_KEY``), never from a flag, so it
stays out of shell history and process lists. GoPhish ships with a self-signed certificate: ``verify`` can name
a CA file, or be turned off explicitly.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import httpx

from collectors.drill.gophish import load_campaign_json, settle
from netcomply.drill.model import Drill
from netcomply.errors import InputError, InputProblem

KEY_ENV = "GOPHISH_API_KEY"


class GophishClient:
    """A thin, typed wrapper over the few GET endpoints a drill report needs."""

    def __init__(self, base_url: str, api_key: str | None = None, *, verify: bool | str = True,
                 timeout: float = 30.0, transport: httpx.BaseTransport | None = None) -> None:
        key = api_key or os.environ.get(KEY_ENV)
        if not key:
            raise InputError(InputProblem(KEY_ENV, None, "GoPhish API key missing: set the environment variable"))
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers={"Authorization": f"Bearer {key}"},
                                    verify=verify, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> GophishClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self, path: str) -> Any:
        try:
            response = self._client.get(path)
        except httpx.HTTPError as exc:
            raise InputError(InputProblem(str(self._client.base_url) + path, None, f"GoPhish unreachable: {exc}"))\
                from None
        if response.status_code in (401, 403):
            raise InputError(InputProblem(KEY_ENV, None, f"GoPhish refused the API key (HTTP {response.status_code})"))
        if response.status_code != 200:
            raise InputError(InputProblem(path, None, f"GoPhish answered HTTP {response.status_code}"))
        try:
            return response.json()
        except ValueError as exc:
            raise InputError(InputProblem(path, getattr(exc, "lineno", None), "GoPhish answered with something "
                                          f"that is not JSON: {exc}")) from None
        except RecursionError:
            raise InputError(InputProblem(path, None, "GoPhish answered with JSON nested too deeply to be a GoPhish "
                                          "answer")) from None

    def campaigns(self) -> list[dict[str, Any]]:
        """``GET /api/campaigns/summary``: id, name, created/launch dates and stats of every campaign."""
        doc = self._get("/api/campaigns/summary")
        found = doc.get("campaigns") if isinstance(doc, dict) else None
        return [c for c in found if isinstance(c, dict)] if isinstance(found, list) else []

    def results(self, campaign_id: int | str) -> dict[str, Any]:
        doc = self._get(f"/api/campaigns/{campaign_id}/results")
        if not isinstance(doc, dict):
            raise InputError(InputProblem(f"/api/campaigns/{campaign_id}/results", None, "expected a JSON object"))
        return doc

    def drill(self, campaign_ids: Iterable[int | str], name: str = "") -> Drill:
        """One drill from several campaigns (agencies often send one campaign per department or wave)."""
        drill = Drill(name=name, kind="gophish")
        for cid in campaign_ids:
            doc = self.results(cid)
            origin = f"{self._client.base_url}/api/campaigns/{cid}/results"
            load_campaign_json(drill, doc, origin)
            drill.sources.append(origin)
            if not drill.name:
                drill.name = str(doc.get("name") or f"campaign {cid}")
        settle(drill)
        return drill
