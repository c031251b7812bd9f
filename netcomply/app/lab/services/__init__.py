"""The lab's IPv6 services: authoritative DNS, web (HTTP/HTTPS) and SMTP on 127.0.0.1 and ::1.

Public API::

    scenario = load_scenario()                      # netcomply/app/lab/data/services.yaml, validated
    services = await start_services(scenario, state_dir)
    services.dns_port, services.endpoints, services.name_servers, services.truth(), services.ca_file
    await services.close()

``python -m netcomply.app.lab.services --state-dir DIR --ready-file PATH`` serves until SIGTERM.
"""

from netcomply.app.lab.services.runtime import Endpoint, LabServices, start_services
from netcomply.app.lab.services.scenario import HostTruth, ServiceTruth, load_scenario

__all__ = ["Endpoint", "HostTruth", "LabServices", "ServiceTruth", "load_scenario", "start_services"]
