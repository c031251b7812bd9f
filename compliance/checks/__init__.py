"""Compliance checks: pure, offline judgements of stored observations (no network, ever)."""
