"""netcomply: network hardware compliance audits for Taiwanese public agencies."""

__version__ = "0.1.0"
