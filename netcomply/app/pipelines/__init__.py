"""One pipeline per area: the steps that join collectors, compliance and reports for one command or audit.

Why here and not in the CLI modules: tests and other entry points (schedule, AWX, the demo) call the same
pipeline; the typer commands in :mod:`netcomply.app.cli` only parse options and print.
"""
