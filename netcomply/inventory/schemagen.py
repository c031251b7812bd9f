"""JSON Schema of the inventory file format, generated from :mod:`netcomply.inventory.spec`.

Kept apart from ``schema.py`` (the ``python -m`` entry point) so that importing the package does not import
the module ``-m`` is about to run.
"""

from __future__ import annotations

import json
from typing import Any

from netcomply.inventory.spec import InventoryFile

SCHEMA_ID = "https://netcomply.example/schemas/inventory.json"


def inventory_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of an inventory file."""
    schema = InventoryFile.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def render() -> str:
    """The schema as the text of ``inventory/schema.json`` (stable key order, trailing newline)."""
    return json.dumps(inventory_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
