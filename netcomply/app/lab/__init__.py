"""The lab: a simulated agency network on loopback (SSH CLI devices, SNMP agents, IPv6 services, faults)."""
