"""The YAML inventory: what to audit, with Nornir-style hosts, groups and defaults.

``load_inventory`` is what every command calls; ``validate_inventory`` is what ``netcomply inventory
validate`` calls (it also returns warnings); ``resolved_hosts`` feeds ``netcomply inventory show``. The file
format is documented in ``inventory/README.md``.
"""

from netcomply.inventory.loader import ValidationReport, load_inventory, validate_inventory
from netcomply.inventory.schemagen import inventory_json_schema
from netcomply.inventory.show import resolved_hosts

__all__ = ["ValidationReport", "inventory_json_schema", "load_inventory", "resolved_hosts", "validate_inventory"]
