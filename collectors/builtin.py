"""Importing this module registers every built-in collector (each module registers itself)."""

from collectors import cli_facts, running_config, snmp_system  # noqa: F401
from collectors.firewall import collector as _firewall_collector  # noqa: F401
from collectors.hotspot import collector as _hotspot_collector  # noqa: F401
from collectors.ipv6 import devices as _ipv6_devices  # noqa: F401
from collectors.ipv6 import service_pass as _ipv6_service_pass  # noqa: F401
from collectors.vendor import collector as _vendor_collector  # noqa: F401
