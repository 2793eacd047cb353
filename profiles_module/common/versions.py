"""Versions in the shared cache, which the keys of cached entries carry.

Replacing a version forgets, in every process at once, every entry stored under it:
nobody asks for the old keys any more, and they expire. A process that read rows before a
change was committed may store what it computed after the change replaced the version;
so a change replaces it again once committed, and that late copy, under a version nobody
reads, is never seen (deleting one key instead once left old partners in place for an
hour).
"""

import hashlib
import uuid
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

# {key: version} of the request being served (VersionsReadOncePerRequest), else None.
_read_in_request = ContextVar("profiles_module_versions", default=None)


class CacheVersion:
    def __init__(self, key):
        self.key = key

    def current(self):
        read = _read_in_request.get()
        if read is not None and self.key in read:
            return read[self.key]
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            version = cache.get(self.key)
        if read is not None:
            read[self.key] = version
        return version

    def replace(self):
        version = uuid.uuid4().hex
        cache.set(self.key, version, None)
        read = _read_in_request.get()
        if read is not None:
            read[self.key] = version  # The request sees its own change.

    def forget(self, **kwargs):
        """A signal handler: a new version now, and again once the change is committed."""
        self.replace()
        transaction.on_commit(self.replace)

    def remembered(self, parts, compute, seconds):
        """compute(), kept in the shared cache under these key parts until the version is
        replaced (or `seconds` pass: only a change the signals miss waits that long)."""
        name = repr((self.current(), *parts)).encode()
        key = f"{self.key}:{hashlib.sha256(name).hexdigest()}"
        return cache.get_or_set(key, compute, seconds)


def current_versions(*versions):
    """[version.current() for version in versions]; in a request, those not read yet
    are asked of the shared cache in one round trip."""
    read = _read_in_request.get()
    if read is not None:
        missing = [version.key for version in versions if version.key not in read]
        if len(missing) > 1:
            read.update(cache.get_many(missing))
    return [version.current() for version in versions]


# Replaced whenever a fiche, its sectors or its options change (see apps.py and the
# lifecycle's direct updates): what was computed from the fiches and cached under a
# search's key (facet counts, map cells, number of results) is then computed again,
# rather than showing a fiche in the list but not in the counts.
SEARCHED_FICHES = CacheVersion("profiles_module:search:version")

# Replaced whenever a région, a département or an option of the fiches changes (apps.py,
# and load_geography's bulk writes): the search form's lists of choices and the communes
# suggested are read again.
CHOICE_LISTS = CacheVersion("profiles_module:choice-lists:version")


class VersionsReadOncePerRequest:
    """Middleware: each version is read from the shared cache once per request.

    A search page asked for the same four versions eleven times (its route, frame,
    lists, counts, partner), a round trip to Redis each: a seventh of a worker's time
    under load.

    A request now serves one state of the site, the one it started with, plus its own
    changes; the next request sees every other process's. Outside a request (tasks,
    commands) versions are read each time, as without this middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _read_in_request.set({})
        try:
            return self.get_response(request)
        finally:
            _read_in_request.reset(token)
