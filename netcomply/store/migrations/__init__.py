"""Alembic migration environment of the store (package data: the scripts ship inside the wheel).

Nothing here is imported by netcomply; Alembic runs ``env.py`` and the files in ``versions/`` by path,
driven by :mod:`netcomply.store.migrate`. The ``__init__.py`` files only make setuptools include the scripts
in an installed (non-editable) package; Alembic skips them when it lists revisions.
"""
