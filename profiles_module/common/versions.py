"""Versions in the shared cache, which the keys of cached entries carry.

Replacing a version forgets, in every process at once, every entry stored under it:
nobody asks for the old keys any more, and they expire. A process that read rows before a
change was committed may store what it computed after the change replaced the version;
so a change replaces it again once committed, and that late copy, under a version nobody
reads, is never seen (deleting one key instead once left old partners in place for an
hour).
"""

import hashlib
import time
import uuid
from collections import OrderedDict
from contextlib import suppress
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

# {key: version} of the request being served (VersionsReadOncePerRequest), else None.
_read_in_request = ContextVar("profiles_module_versions", default=None)


class CacheVersion:
    # The key of every version: a request reads them all at once (VersionsReadOncePerRequest).
    keys = []

    def __init__(self, key):
        self.key = key
        CacheVersion.keys.append(key)

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

    def pin(self, version):
        """The rest of the request being served reads `version` as the current one, so
        that everything it computes and keeps is filed under the state it was made from.
        False outside a request (a task, a command), which always reads the current one."""
        read = _read_in_request.get()
        if read is None:
            return False
        read[self.key] = version
        return True

    def forget(self, **kwargs):
        """A signal handler: a new version now, and again once the change is committed."""
        self.replace()
        transaction.on_commit(self.replace)

    def remembered(self, parts, compute, seconds, *, in_process=False):
        """compute(), kept in the shared cache under these key parts until the version is
        replaced (or `seconds` pass: only a change the signals miss waits that long).

        in_process: kept in this process's memory too, for what most requests read and
        none changes (plain data, not model instances a request could alter): each read
        of the shared cache is a round trip and an unpickling, and a search page made
        seven such reads.
        """
        version = self.current()
        name = repr((version, *parts)).encode()
        key = f"{self.key}:{hashlib.sha256(name).hexdigest()}"
        # Without a version (a dummy cache keeps none) the key would never change.
        if not in_process or version is None:
            return cache.get_or_set(key, compute, seconds)
        return IN_PROCESS.get(key, lambda: cache.get_or_set(key, compute, seconds), seconds)


class KeptInProcess:
    """Values by key, each until its time is up; bounded, the least recently used are
    dropped. A key holds everything its value depends on: a change makes a new key."""

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()  # {key: (monotonic time it expires, value)}

    def get(self, key, read, seconds=float("inf")):
        """The value kept under key, else read() kept for seconds (without them, until
        dropped as least recently used)."""
        now = time.monotonic()
        expires, value = self.entries.get(key, (float("-inf"), None))
        if expires <= now:
            value = read()
            self.entries[key] = (now + seconds, value)
        # A thread of a threaded server may have dropped it meanwhile.
        with suppress(KeyError):
            self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            with suppress(KeyError):
                self.entries.popitem(last=False)
        return value


# remembered()'s copies: their keys hold their version, so a change makes new keys here as
# in the shared cache, and the old entries are never read again.
IN_PROCESS = KeptInProcess(1024)


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
    under load. They are now asked for together, in one round trip, as the request
    starts: nearly every request but a static file's reads two or more.

    A request now serves one state of the site, the one it started with, plus its own
    changes; the next request sees every other process's. Outside a request (tasks,
    commands) versions are read each time, as without this middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            read = cache.get_many(CacheVersion.keys)
        except Exception:
            # The cache is down: each version is then asked for where it is used, so that
            # only what needs one fails (the health check still answers 503, not 500).
            read = {}
        token = _read_in_request.set(read)
        try:
            return self.get_response(request)
        finally:
            _read_in_request.reset(token)
