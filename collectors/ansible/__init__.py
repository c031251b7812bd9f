"""The Ansible transport: SSH CLI collection through Ansible's network_cli, run by ansible-runner.

``netcomply audit --transport ansible`` routes every SSH CLI collector (those built on
:class:`collectors.ssh_collector.SshCollector`) of every device whose platform has an Ansible ``network_os``
through ``playbooks/collect.yml``: one ansible-runner run per audit (a private data dir per run), whose events
are turned into device results as they arrive. The command outputs are replayed into the native collectors'
own ``collect_cli``/``judge_output``, so the observations have the same kinds and shapes whichever transport
collected them. Everything else (SNMP, platforms without a ``network_os``, collectors that open their own
session) runs natively; the run's parameters record which collector went which way.
"""

from collectors.ansible.routing import prepare_ansible_transport, route_collectors

__all__ = ["prepare_ansible_transport", "route_collectors"]
