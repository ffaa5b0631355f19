"""Alembic migrations of the question log, run by :func:`usage.database.migrate` (never by hand).

``env.py`` runs on the connection :func:`usage.database.migrate` passes in; ``versions/`` holds
one module per revision. See :mod:`usage.database` for how to write a new one.
"""
