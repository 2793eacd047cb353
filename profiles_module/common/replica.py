"""Reads that may come from a read replica: the public search and the API show only
published fiches, where a copy a few seconds behind the primary does no harm.

The host names the replica's database alias in PROFILES_READ_REPLICA and adds
ReplicaRouter to DATABASE_ROUTERS; without it every query goes to the default database.
"""

import contextvars
from contextlib import contextmanager

from django.conf import settings

_replica_allowed = contextvars.ContextVar("profiles_replica_allowed", default=False)


@contextmanager
def replica_reads():
    """Inside this block, reads may go to the replica (writes never do)."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def replica_alias():
    return getattr(settings, "PROFILES_READ_REPLICA", None)


class ReplicaRouter:
    """Sends the reads made inside replica_reads() to PROFILES_READ_REPLICA; leaves
    every other query, and every write, to Django's default choice."""

    def db_for_read(self, model, **hints):
        if _replica_allowed.get():
            return replica_alias()
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is migrated by replication, never directly.
        return False if db == replica_alias() else None
