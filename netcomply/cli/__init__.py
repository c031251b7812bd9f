"""Left-over of the old CLI package: only ``vendor_cmd`` waits here until it joins :mod:`netcomply.app.cli`.

Why: the vendor area was being edited while the CLI moved (issue 15); it moves as soon as that work is committed.
Application layer by contract (``pyproject.toml`` [tool.importlinter]); nothing new goes here.
"""
