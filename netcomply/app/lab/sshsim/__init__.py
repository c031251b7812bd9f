"""Simulated SSH CLI devices for the lab: one asyncssh engine playing several network platforms.

Public API: :class:`DeviceProfile`, :func:`profiles_from_topology`, :class:`SshLab`. Run as a process with
``python -m netcomply.app.lab.sshsim --profiles FILE.json --host-keys DIR --ready-file PATH``.
"""

from netcomply.app.lab.sshsim.profile import DeviceProfile, ap_is_up, profiles_from_topology
from netcomply.app.lab.sshsim.server import LabPortInUse, SshLab

__all__ = ["DeviceProfile", "LabPortInUse", "SshLab", "ap_is_up", "profiles_from_topology"]
