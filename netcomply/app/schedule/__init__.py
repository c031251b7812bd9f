"""Scheduled audits: a systemd timer (or a crontab line where systemd is not running) that runs
``netcomply schedule run``, which runs the audit into a timestamped report folder, keeps the last N folders,
logs, records the outcome for monitoring and exits with the audit's own exit code."""

from netcomply.app.schedule.spec import Every, ScheduleSpec

__all__ = ["Every", "ScheduleSpec"]
