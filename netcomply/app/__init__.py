"""The application layer: what wires the areas together (audit orchestration, runner, one pipeline per area,
scheduling, the lab, the CLI).

Why a package of its own: the base (``netcomply`` minus ``netcomply.app``) and the areas (collectors, compliance,
reports) must not import upward; with the application layer in one folder, the import-linter contracts in
``pyproject.toml`` can say so in one line. See ``docs/architecture.md``.
"""
