"""How many fiches each choice of the search form would find, shown next to it
("coopérative d'habitants (412)", "Loire (38)").

A choice's count is taken over the fiches that match every other criterion of the
search, not the criterion it belongs to: ticking a second tenure adds its count to the
results, so the choices of a criterion stay useful once one is ticked.

Counted on sets of fiches rather than in SQL: for every choice of every counted
criterion, the live fiches that meet it are the bits of a Python integer (bit n stands for
the n-th oldest live fiche, so the newest are the highest bits). They are read in one
query from the index of the live fiches' counted columns (models/facets.py, migration
0022), kept in the shared cache and in each process until a fiche changes
(SEARCHED_FICHES) or ten minutes pass. A search's counts are then a few hundred ANDs and
bit counts: a millisecond or two at 100,000 fiches, where a query counting them scanned
every fiche of the search (150 ms). The fiches the other criteria leave (place, words)
are read as ids when the search has any. The number of results is the same sets' AND,
counted in passing. Each search's counts are kept in the shared cache too.

The same AND gives a page of results newest first (found_newest_first): its highest bits
are the page's fiches, read then by id. Ordering thousands of fiches found around a
commune or by words in SQL, to keep twenty, was the slowest query left under load.
"""

import logging
import time
from array import array
from collections import defaultdict
from datetime import timedelta
from functools import cached_property
from operator import itemgetter

from django.core.cache import cache
from django.core.signals import request_finished
from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from profiles_module.common.versions import SEARCHED_FICHES
from profiles_module.models import Profile
from profiles_module.models.facets import FACET_DEPARTEMENTS, FACET_REGIONS, OPTION_FACETS
from profiles_module.search.filters import (
    CHILDREN_CHOICES,
    CONFIRMED_CHOICES,
    ProfileFilterSet,
    Sort,
    place_choices,
)
from profiles_module.search.query import SEARCH_CACHE_SECONDS

# Criteria that are a column of the fiche, whose value is the choice.
COLUMNS = {
    "kind": "profile_kind",
    "composition": "composition",
    "setting": "setting",
    "tenure": "tenure",
    "horizon": "horizon",
    "role": "role",
}
# Criteria on a list of places or options: a facet column of the fiche each, its codes
# (or option ids) between spaces.
FACET_COLUMNS = {
    "departement": FACET_DEPARTEMENTS,
    "region": FACET_REGIONS,
    **{
        name: OPTION_FACETS[field]
        for name, (field, _category) in ProfileFilterSet.OPTION_FILTERS.items()
    },
}
COUNTED = {
    *COLUMNS,
    *FACET_COLUMNS,
    "age",
    "financing",
    "social_housing",
    "children",
    "place",
    "confirmed",
}
# The other columns read, each for its own criterion.
OTHER_COLUMNS = (
    "age_bands",
    "financing_public",
    "financing_band",
    "social_housing_eligible",
    "children",
    "place_identified",
)
# What the sets are read from, in this order: all in the index of live fiches.
READ = ("pk", "created_at", *COLUMNS.values(), *FACET_COLUMNS.values(), *OTHER_COLUMNS)


def search_counts(filterset):
    """(number of results, {criterion: {choice value: count}}) of the search, for the
    criteria it offers; kept in the shared cache under the search's key."""
    choice_sets()  # First: it may pin the state the search is made from, which the key holds.
    key = "profiles_module:counts:" + filterset.search_key()
    return cache.get_or_set(key, lambda: counted(filterset), SEARCH_CACHE_SECONDS)


def facet_counts(filterset):
    """{criterion: {choice value: count}} for the checkbox criteria the search offers."""
    return search_counts(filterset)[1]


def count_choices(filterset):
    """The counts, not cached."""
    return counted(filterset)[1]


def counted(filterset):
    """(number of results, {criterion: {choice: count}}), computed (see above)."""
    sets, base, used = searched_sets(filterset)
    results = base
    for meeting in used.values():
        results &= meeting
    counts = {}
    for name in filterset.filters:
        if name not in COUNTED:
            continue
        others = base
        for other, meeting in used.items():
            if other != name:
                others &= meeting
        counts[name] = {
            choice: (others & sets.of(filterset, name, choice)).bit_count()
            for choice in choices(filterset, name)
        }
    return results.bit_count(), counts


def found_newest_first(filterset, read):
    """The fiches the search finds, newest first, for a Paginator: a page's ids are taken
    from the sets and its fiches read by id from `read` (a queryset). None when the
    search asks for another order, which SQL keeps."""
    filterset.errors  # noqa: B018  (runs the validation)
    if (getattr(filterset.form, "cleaned_data", {}).get("sort") or Sort.NEWEST) != Sort.NEWEST:
        return None
    sets, found, used = searched_sets(filterset)
    for meeting in used.values():
        found &= meeting
    return FoundFiches(sets, found, read)


class FoundFiches:
    """A search's fiches as a sequence, newest first: its length is counted on the bits,
    a slice reads only its own fiches."""

    def __init__(self, sets, found, read):
        self.sets, self.found, self.read = sets, found, read

    def __len__(self):
        return self.found.bit_count()

    def count(self):
        return len(self)

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("FoundFiches are read by a slice of consecutive fiches.")
        start, stop, _step = index.indices(len(self))
        ids = self.sets.newest(self.found, start, stop)
        # pk__in answers in the database's order: put them back in the search's.
        fiches = {fiche_id(fiche): fiche for fiche in self.read.filter(pk__in=ids)}
        return [fiches[pk] for pk in ids if pk in fiches]


def fiche_id(fiche):
    return fiche["id"] if isinstance(fiche, dict) else fiche.pk


def searched_sets(filterset):
    """(the sets, the fiches the page and the criteria not counted leave, {criterion: the
    fiches meeting its chosen values}) of the search."""
    cleaned = getattr(filterset.form, "cleaned_data", {})
    sets = choice_sets()
    narrowing = {}
    used = {}
    for name, value in cleaned.items():
        if name not in filterset.filters or value in (None, "", []):
            continue
        if name in COUNTED:
            chosen = value if isinstance(value, list) else [value]
            used[name] = union(sets.of(filterset, name, str(choice)) for choice in chosen)
        elif filterset.COMPANIONS.get(name, name) is not None:  # The order narrows nothing.
            narrowing[name] = value
    if set(narrowing) - set(filterset.COMPANIONS):
        base = narrowed_fiches(filterset, narrowing, sets)
    else:
        # The page's territory and kinds, as the sets of the same filters find them.
        base = sets.live
        if not filterset.territory.everywhere:
            departements, _regions = place_choices(filterset.territory)
            base &= union(sets.members.get(("departement", code), 0) for code, _ in departements)
        if filterset.kinds:
            base &= union(sets.members.get(("kind", kind), 0) for kind in filterset.kinds)
    return sets, base, used


def narrowed_fiches(filterset, narrowing, sets):
    """The fiches of the page that the criteria not counted (place, words) leave, read by
    id: kept in the shared cache until a fiche changes, as the same place or words come
    back with other choices ticked (a search around Lyon for words about gardens read
    some 25,000 ids)."""

    def read():
        fiches = filterset.queryset.all()
        for name, value in narrowing.items():
            fiches = filterset.filters[name].filter(fiches, value)
        # In a tuple: Django's Redis cache writes a bare int as its decimal digits, which
        # Python refuses past 4,300 (an int of 100,000 bits has 30,000).
        return (sets.bits_of(fiches.order_by().values_list("pk", flat=True)),)

    criteria = sorted((name, getattr(value, "pk", value)) for name, value in narrowing.items())
    # Numbered as these sets number the fiches: kept with the read they belong to.
    (found,) = SEARCHED_FICHES.remembered(
        ("narrowed fiches", sets.read_at, filterset.territory, filterset.kinds, criteria),
        read,
        SEARCH_CACHE_SECONDS,
        in_process=True,
    )
    return found


def choices(filterset, name):
    return [str(value) for value, _label in filterset.filters[name].extra["choices"]]


def union(parts):
    result = 0
    for part in parts:
        result |= part
    return result


def bits(numbers):
    """The integer whose bits n are set for each number n."""
    numbers = list(numbers)
    array = bytearray(max(numbers, default=0) // 8 + 1)
    for n in numbers:
        array[n >> 3] |= 1 << (n & 7)
    return int.from_bytes(array, "little")


class ChoiceSets:
    """The live fiches meeting each choice of each counted criterion, as bits: bit n is
    the fiche `ids[n]`, the n-th oldest (by creation, then id)."""

    # How long reading them took (copies kept before it was measured: none).
    reading_seconds = 0.0

    def __init__(self, members, live, ids):
        self.members = members  # {(criterion, choice): bits}
        self.live = live
        self.ids = ids
        self.read_at = time.time()

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("number_of", None)  # Made again from ids where needed.
        return state

    @cached_property
    def number_of(self):
        return {pk: n for n, pk in enumerate(self.ids)}

    def bits_of(self, ids):
        """The set of these fiches (those the sets hold)."""
        number_of = self.number_of
        return bits(number_of[pk] for pk in ids if pk in number_of)

    def newest(self, found, start, stop):
        """Ids of the fiches of `found` from its start-th to its stop-th newest."""
        if start:
            # The start-th newest is the highest bit with `start` set bits from it up;
            # found by halving, then it and all above are dropped.
            low, high = 0, found.bit_length()
            while low < high:
                middle = (low + high + 1) // 2
                if (found >> middle).bit_count() >= start:
                    low = middle
                else:
                    high = middle - 1
            found &= (1 << low) - 1
        ids = []
        for _ in range(stop - start):
            if not found:
                break
            n = found.bit_length() - 1
            found ^= 1 << n
            ids.append(self.ids[n])
        return ids

    def of(self, filterset, name, choice):
        """The fiches meeting this choice (none for an option the search does not offer:
        the filter finds none either)."""
        if name in filterset.OPTION_FILTERS:
            choice = filterset.option_ids.get(name, {}).get(choice)
            if choice is None:
                return 0
        return self.members.get((name, str(choice)), 0)

    @classmethod
    def read(cls):
        """From the live fiches, in one query (an index-only scan on PostgreSQL)."""
        started = time.monotonic()
        now = timezone.now()
        confirmed = {}
        for months, _label in CONFIRMED_CHOICES:
            since = now - timedelta(days=round(30.44 * months))
            # As the filter: the last confirmation, or the creation if never confirmed.
            confirmed[f"confirmed_{months}"] = ExpressionWrapper(
                Q(last_confirmed_at__gte=since)
                | Q(last_confirmed_at__isnull=True, created_at__gte=since),
                output_field=BooleanField(),
            )
        queryset = (
            Profile.objects.public().order_by().annotate(**confirmed).values_list(*READ, *confirmed)
        )
        # Raw rows: Django's conversion of each row's age bands took a third of the time.
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(*queryset.query.sql_with_params())
            rows = cursor.fetchall()
        rows.sort(key=itemgetter(READ.index("created_at"), 0))  # Numbered oldest first.
        ids = array("q", (row[0] for row in rows))
        thresholds = [str(number) for number, _label in CHILDREN_CHOICES]
        columns = [(name, READ.index(column)) for name, column in COLUMNS.items()]
        facet_columns = [(name, READ.index(column)) for name, column in FACET_COLUMNS.items()]
        age, public, band, eligible, children, place = map(READ.index, OTHER_COLUMNS)
        months = [(str(m), len(READ) + i) for i, (m, _label) in enumerate(CONFIRMED_CHOICES)]
        members = defaultdict(list)
        for n, row in enumerate(rows):
            for name, i in columns:
                members[name, row[i]].append(n)
            for name, i in facet_columns:
                for code in row[i].split():
                    members[name, code].append(n)
            for code in (row[age] or "").split(","):  # ChoiceListField: "a,b"
                if code:
                    members["age", code].append(n)
            if row[public]:
                members["financing", row[band]].append(n)
                if row[eligible] is not None:
                    members["social_housing", "yes" if row[eligible] else "no"].append(n)
            for threshold in thresholds:
                if row[children] >= int(threshold):
                    members["children", threshold].append(n)
            members["place", "yes" if row[place] else "no"].append(n)
            for choice, i in months:
                if row[i]:
                    members["confirmed", choice].append(n)
        live = (1 << len(rows)) - 1  # Every fiche read, numbered 0 to len(rows) - 1.
        sets = cls({key: bits(numbers) for key, numbers in members.items()}, live, ids)
        sets.reading_seconds = time.monotonic() - started
        return sets


logger = logging.getLogger(__name__)

_read = {}  # This process's copy: {version: ChoiceSets}
# Where every process finds the sets, followed by the fiches' version. Named anew when
# ChoiceSets changes shape: during a deploy, old and new processes share the cache.
SETS_KEY = "profiles_module:facet-sets:numbered-by-age:"


def choice_sets():
    """The sets of the fiches as they are now, read by one process at a time, at most
    once per change of a fiche (and per ten minutes, as "confirmed within N months"
    moves), for all processes.

    Reading them takes a second or more at 100,000 fiches. Every worker reading them at
    once, after a fiche changed or ten minutes passed, stalled every search for seconds
    (3 s on two cores with four workers): so one process reads them while the others
    answer from the copy they have. Ten minutes old, it is still the fiches' current
    state. Older than a change, it is the state before it: the request is then served
    wholly from that state (SEARCHED_FICHES.pin), so the counts and pages it keeps are
    filed under the version they were made from, never under the new one. Its page of
    results reads the fiches themselves as they are now: a fiche withdrawn meanwhile is
    not listed, a new one shows once the sets are read, a second or two later.

    The process that reads them answers from its copy too when the last read took long
    enough for a visitor to notice, and reads them once its answer is sent
    (request_finished): nobody then waits for them. Outside a request (a task, a
    command) the current state is always read at once."""
    version = SEARCHED_FICHES.current()
    sets = _read.get(version)
    if sets is not None and time.time() - sets.read_at <= SEARCH_CACHE_SECONDS:
        return sets
    key = SETS_KEY + version
    shared = cache.get(key)
    if shared is not None and time.time() - shared.read_at <= SEARCH_CACHE_SECONDS:
        return kept(version, shared)
    current = shared if shared is not None else sets  # ten minutes old
    # What this process can answer from while they are read: that copy, else its copy of
    # the state before a change.
    before, older = (
        (version, current) if current is not None else next(iter(_read.items()), (None, None))
    )
    if cache.add(key + ":reading", True, 60):
        if (
            older is not None
            and older.reading_seconds > NOTICEABLE_SECONDS
            and SEARCHED_FICHES.pin(before)
        ):
            request_finished.connect(
                lambda **kwargs: read_when_answered(key, version),
                weak=False,
                dispatch_uid=READ_WHEN_ANSWERED,
            )
            return older
        return kept(version, read_and_share(key))
    if current is not None:  # Another process is reading them.
        return kept(version, current)
    if older is not None and SEARCHED_FICHES.pin(before):
        return older  # The state before the change, meanwhile.
    # Nothing to answer from meanwhile, or outside a request: the current state.
    return kept(version, ChoiceSets.read())


# A read of the sets that took longer is left until the answer is sent, when a copy is at
# hand: at 10,000 fiches a read takes 0.15 s, at 100,000 1.2 s or more.
NOTICEABLE_SECONDS = 0.5
READ_WHEN_ANSWERED = "profiles_module.search.facets.read_when_answered"


def kept(version, sets):
    """The sets, as this process's copy of the fiches' state `version`."""
    _read.clear()
    _read[version] = sets
    return sets


def read_and_share(key):
    """The sets read now, for every process; the read lock (`key`:reading) released."""
    try:
        sets = ChoiceSets.read()
        # Kept past its ten minutes, for the processes waiting for the next read.
        cache.set(key, sets, 2 * SEARCH_CACHE_SECONDS)
    finally:
        cache.delete(key + ":reading")
    return sets


def read_when_answered(key, version):
    request_finished.disconnect(dispatch_uid=READ_WHEN_ANSWERED)
    try:
        kept(version, read_and_share(key))
    except Exception:
        # The answer is sent: the next search that finds no sets reads them.
        logger.exception("The sets of fiches could not be read after the answer.")
