"""Importing this module registers every built-in collector (each module registers itself)."""

from collectors import cli_facts, snmp_system  # noqa: F401
