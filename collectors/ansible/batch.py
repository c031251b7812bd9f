"""One ansible-runner run for all of an audit's Ansible hosts, its events handed out per host as they arrive.

The runner (:mod:`netcomply.app.runner`) asks per device and collector; Ansible works best as one playbook run
over many hosts (``forks`` at once). :class:`AnsibleBatch` bridges the two: the first question starts the
playbook in a worker thread, each ``netcomply collect`` event resolves that host's future, and the runner
stores the device's results the moment they are resolved. A host that failed is not retried within the run
(asking again returns the same outcome; a fresh ansible-runner run per retry costs seconds and, with the
runner's per-device time budget, turned real causes into timeouts): `--resume RUN` or the next scheduled run
collects it again.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectors.ansible.events import HostOutcome, outcome_of
from collectors.ansible.platforms import (
    COLLECT_PLAYBOOK,
    ansible_bin_dir,
    collections_path,
    missing_collections,
    read_only_commands,
)
from collectors.ansible.workspace import HostEntry, Workspace, host_entry
from collectors.base import CollectContext
from netcomply.errors import DeviceError, ErrorClass, TargetNotAllowed
from netcomply.models import Device
from netcomply.safety.redact import REDACTOR

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AnsibleOptions:
    forks: int = 50
    keep_dir: bool = False  # keep (redacted) private data dirs for inspection
    work_dir: Path | None = None  # where the private data dirs go (default: the system temp dir)
    command_timeout: float = 60.0
    job_timeout: float = 600.0  # the whole playbook run; collectors wait a little longer (wall_timeout)


def runner_environment(ws: Workspace, entries: list[HostEntry], *, insecure_host_keys: bool = False,
                       command_timeout: float = 60.0) -> dict[str, str]:
    """The ansible-runner process environment: this interpreter's ansible on PATH, the project's collections,
    a private HOME (known_hosts, no operator keys), host key checking unless turned off, and the secrets the
    inventory's lookups read (never written to disk: ``suppress_env_files``)."""
    env = {
        "PATH": f"{ansible_bin_dir()}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(ws.home),
        "ANSIBLE_HOME": str(ws.home / ".ansible"),
        "ANSIBLE_LOCAL_TEMP": str(ws.home / ".ansible" / "tmp"),
        "ANSIBLE_PERSISTENT_CONTROL_PATH_DIR": str(ws.control_dir),
        "ANSIBLE_COLLECTIONS_PATH": str(collections_path()),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "False",
        "ANSIBLE_HOST_KEY_CHECKING": "False" if insecure_host_keys else "True",
        "ANSIBLE_PARAMIKO_HOST_KEY_AUTO_ADD": "False",
        "ANSIBLE_PARAMIKO_LOOK_FOR_KEYS": "False",  # never the operator's own keys
        "ANSIBLE_PERSISTENT_COMMAND_TIMEOUT": str(int(command_timeout)),
        "ANSIBLE_DEPRECATION_WARNINGS": "False",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_NOCOLOR": "True",
        "ANSIBLE_FORCE_COLOR": "False",
    }
    for entry in entries:
        env.update(entry.secrets)
    return env


class AnsibleBatch:
    """Every host of one audit that goes through Ansible, and the ansible-runner runs serving them."""

    def __init__(self, ctx: CollectContext, hosts: dict[str, tuple[Device, list[str]]], options: AnsibleOptions):
        self.ctx = ctx
        self.hosts = hosts
        self.options = options
        self._lock = threading.Lock()
        self._futures: dict[str, concurrent.futures.Future[HostOutcome]] = {}
        self._started = False
        self._closing = False
        self._threads: list[threading.Thread] = []
        self.kept_dirs: list[Path] = []
        self.runs = 0

    # ------------------------------------------------------------------ what collectors call
    async def outcome(self, host: str) -> HostOutcome:
        """This host's result from the batch run (starting it on first use)."""
        with self._lock:
            if not self._started:
                self._started = True
                self._launch(list(self.hosts))
            future = self._futures[host]
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        """Stop any playbook still running (ansible-runner's cancel callback) and wait for its clean-up."""
        self._closing = True
        for thread in self._threads:
            thread.join(timeout=60)

    # ------------------------------------------------------------------ internals
    def _launch(self, names: list[str]) -> None:
        """Resolve what can be decided without Ansible, then run the playbook for the rest (lock held)."""
        entries: list[HostEntry] = []
        for name in names:
            future: concurrent.futures.Future[HostOutcome] = concurrent.futures.Future()
            self._futures[name] = future
            device, commands = self.hosts[name]
            try:
                self.ctx.targets.check(device.address)
                assert device.platform is not None
                checked = read_only_commands(commands, device.platform, name)  # refused here, never sent
                entries.append(host_entry(device, checked, self.ctx.secrets))
            except TargetNotAllowed as exc:
                future.set_result(HostOutcome(name, error=DeviceError(ErrorClass.CONFIG, str(exc), name)))
            except DeviceError as exc:
                future.set_result(HostOutcome(name, error=exc))
        if not entries:
            return
        missing = missing_collections()
        if missing:
            error = DeviceError(ErrorClass.CONFIG, f"Ansible collections not installed: {', '.join(missing)} "
                                f"(run tools/ansible-collections.sh, or `make deps`)", None)
            for entry in entries:
                self._futures[entry.name].set_result(HostOutcome(entry.name, error=DeviceError(
                    error.error_class, error.cause, entry.name)))
            return
        self.runs += 1
        thread = threading.Thread(target=self._run, args=(entries,), name=f"nc-ansible-{self.runs}", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _run(self, entries: list[HostEntry]) -> None:
        import ansible_runner

        ws = Workspace(self.options.work_dir, self.ctx.run_id, keep=self.options.keep_dir)
        names = [e.name for e in entries]
        try:
            ws.write_inventory(entries)
            ws.install_known_hosts(self.ctx.known_hosts)
            result = ansible_runner.run(
                private_data_dir=str(ws.root),
                playbook=COLLECT_PLAYBOOK,
                forks=max(1, min(self.options.forks, len(entries))),
                envvars=runner_environment(ws, entries, insecure_host_keys=self.ctx.insecure_host_keys,
                                           command_timeout=self.options.command_timeout),
                suppress_env_files=True,  # the secrets in envvars are never written into the data dir
                quiet=True,
                event_handler=self._on_event,
                cancel_callback=lambda: self._closing,
                timeout=int(self.options.job_timeout),
            )
            detail = f"ansible-runner finished {result.status} (rc {result.rc}) without a result for this host"
            error_class = ErrorClass.TIMEOUT if result.status == "timeout" else ErrorClass.PROTOCOL
            if result.status == "timeout":
                detail += f" (the whole run is limited to {self.options.job_timeout:g} s)"
            for name in names:
                self._resolve(HostOutcome(name, error=DeviceError(error_class, detail, name)))
        except Exception as exc:  # ansible itself broke: every host of this run says why, the audit goes on
            log.exception("ansible-runner failed")
            cause = REDACTOR.redact(f"ansible-runner failed: {type(exc).__name__}: {exc}")
            for name in names:
                self._resolve(HostOutcome(name, error=DeviceError(ErrorClass.INTERNAL, cause, name)))
        finally:
            kept = ws.finish()
            if kept is not None:
                self.kept_dirs.append(kept)

    def _on_event(self, event: dict[str, Any]) -> bool:
        outcome = outcome_of(event)
        if outcome is not None:
            self._resolve(outcome)
        # False: ansible-runner does not write the event (device output) into job_events/; kept dirs keep them.
        return self.options.keep_dir

    def _resolve(self, outcome: HostOutcome) -> None:
        """First result wins (the end-of-run sweep only fills hosts the events never mentioned)."""
        with self._lock:
            future = self._futures.get(outcome.host)
        if future is not None and not future.done():
            with contextlib.suppress(concurrent.futures.InvalidStateError):
                future.set_result(outcome)
