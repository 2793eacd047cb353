"""The import of the projects from the national database, a YesWiki Bazar form.

The source is the form's JSON API (`?api/forms/<id>/entries`, or `?api/fiches`) or a
file saved from it. Its answer is an object keyed by entry id, a list of entries, or
`null` (no entry). Each entry is a JSON object; what a Project takes from it:

    id_fiche                      -> bazar_id: the key, a project is updated in place
    bf_titre                      -> name (required)
    listeListeType…, checkboxListeType…     -> kind (a checkbox list's keys joined)
    listeListeEtat…, listeListeStatut…, listeListeAvancement… -> status
    bf_ville, bf_code_postal      -> commune_name, postal_code, and the commune of the
                                     reference data with that postal code and name
    bf_latitude + bf_longitude, else geolocation ({"latitude", "longitude"} or
                                     [lat, lng]), else the commune's centre -> the point
    url                           -> source_url (http and https only)
    date_maj_fiche, else date_creation_fiche -> source_updated_at

Missing fields leave the value empty; every other field is ignored: only what our
pages show is copied. A list field holds the keys of the national database's list, not
its labels (those are in the form's definition): kind and status show those keys as they
are, which reads well as long as the lists use words as keys.

What an import does, in one transaction: a new entry creates a project, a changed one
updates it, an identical one is counted unchanged, and a project no longer in the answer
is marked gone (hidden everywhere, kept for the fiches that point to it, back if the
entry comes back).

Failures. The source unreachable, too slow, too large, not JSON, not shaped like a Bazar
answer, or empty while projects are current (a broken export rather than every project
closing on the same day): the import is refused and nothing changes. One entry with bad
data (no id, no name, a name too long…) is skipped and listed by id with the reason; the
others are imported, and the skipped entry keeps its previous version (it is not marked
gone). One mistyped entry among hundreds should not freeze the map for everyone until
the national database is corrected; the log says which entry to fix.

Every import, done or refused, leaves a ProjectImport row: the admin's import log.
"""

import json
import logging
import re
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles_module.conf import app_settings
from profiles_module.models import Commune, Project, ProjectImport, normalize_place_name
from profiles_module.models.projects import PROJECTS_VERSION

logger = logging.getLogger(__name__)

ID_PATTERN = re.compile(r"[\w.-]{1,150}")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]+")
KIND_PREFIXES = ("listelistetype", "checkboxlistetype")
STATUS_PREFIXES = (
    "listelisteetat",
    "listelistestatut",
    "listelisteavancement",
    "checkboxlisteetat",
    "checkboxlistestatut",
)
# The fields a changed entry may change: an entry whose values are all equal is unchanged.
COMPARED = [
    "name",
    "kind",
    "status",
    "commune_name",
    "postal_code",
    "commune_id",
    "latitude",
    "longitude",
    "source_url",
    "source_updated_at",
]


class ImportRefused(Exception):
    """The whole answer is refused: nothing is imported, the reason goes to the log."""


class BadEntry(Exception):
    """One entry cannot be read: it is skipped, its id and the reason go to the log."""


def fetch(url):
    """The bytes of the source's answer, within the time and size limits."""
    if not url.startswith(("https://", "http://")):
        raise ImportRefused(_("Only http and https addresses can be imported: %s") % url[:200])
    timeout = app_settings.PROJECTS_TIMEOUT_SECONDS
    limit = app_settings.PROJECTS_MAX_BYTES
    headers = {"Accept": "application/json", "User-Agent": "futurs-voisins"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked)
    # The socket's timeout bounds each read; the deadline bounds the whole answer (a
    # server sending one byte at a time would otherwise never time out).
    deadline = time.monotonic() + timeout
    chunks, size = [], 0
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            while chunk := response.read(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise ImportRefused(
                        _("The answer is larger than %(limit)d bytes.") % {"limit": limit}
                    )
                if time.monotonic() > deadline:
                    raise ImportRefused(
                        _("The answer took more than %(seconds)d seconds.") % {"seconds": timeout}
                    )
                chunks.append(chunk)
    except urllib.error.HTTPError as error:
        raise ImportRefused(
            _("The national database answered with the HTTP error %(code)d.") % {"code": error.code}
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ImportRefused(
            _("The national database could not be reached: %(reason)s") % {"reason": reason}
        ) from error
    return b"".join(chunks)


def read_file(path):
    """The bytes of a saved answer, within the size limit."""
    limit = app_settings.PROJECTS_MAX_BYTES
    try:
        with Path(path).open("rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise ImportRefused(_("The file cannot be read: %s") % error) from error
    if len(data) > limit:
        raise ImportRefused(_("The answer is larger than %(limit)d bytes.") % {"limit": limit})
    return data


def parse(data):
    """The entries of a Bazar answer: a list of whatever the answer holds per entry."""
    try:
        answer = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportRefused(_("The answer is not valid JSON: %s") % error) from error
    if answer is None:
        return []
    if isinstance(answer, dict):
        return list(answer.values())
    if isinstance(answer, list):
        return answer
    raise ImportRefused(_("The answer is neither a list nor an object of entries."))


def text(value, max_length):
    """A single line of plain text, or BadEntry when it is not text."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise BadEntry(_("a text field holds %s") % type(value).__name__)
    return " ".join(CONTROL_CHARACTERS.sub(" ", value).split())[:max_length]


def list_value(entry, prefixes, max_length):
    """The first list field named with one of `prefixes`; a checkbox list's keys joined."""
    for key, value in entry.items():
        if isinstance(key, str) and key.lower().startswith(prefixes) and value:
            if isinstance(value, list):
                value = ",".join(str(item) for item in value)
            return text(", ".join(part.strip() for part in str(value).split(",")), max_length)
    return ""


def coordinate(value, bound):
    """A latitude or longitude within ±bound, or None."""
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return round(number, 6) if -bound <= number <= bound else None


def point(entry):
    """(latitude, longitude) of an entry, or (None, None)."""
    latitude = coordinate(entry.get("bf_latitude"), 90)
    longitude = coordinate(entry.get("bf_longitude"), 180)
    geolocation = entry.get("geolocation")
    if (latitude is None or longitude is None) and geolocation:
        if isinstance(geolocation, dict):
            latitude = coordinate(geolocation.get("latitude"), 90)
            longitude = coordinate(geolocation.get("longitude"), 180)
        elif isinstance(geolocation, list) and len(geolocation) == 2:
            latitude, longitude = coordinate(geolocation[0], 90), coordinate(geolocation[1], 180)
    if latitude is None or longitude is None:
        return None, None
    return latitude, longitude


def date(value):
    """An aware datetime from Bazar's "2024-01-15 10:30:00", or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip()[:32])
    except ValueError:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class CommuneResolver:
    """The commune of the reference data for a postal code and a name.

    The communes are read once, on the first entry that names a place (some 35,000 short
    rows): a query per entry would scan them for every project.
    """

    def __init__(self):
        self.by_postal_code = None
        self.by_name = None

    def load(self):
        self.by_postal_code, self.by_name = {}, {}
        for commune in Commune.objects.only(
            "pk", "name", "search_name", "postal_codes", "latitude", "longitude"
        ).iterator(chunk_size=5000):
            for code in commune.postal_codes.split():
                self.by_postal_code.setdefault(code, []).append(commune)
            self.by_name.setdefault(commune.search_name, []).append(commune)

    def __call__(self, postal_code, name):
        if not (postal_code or name):
            return None
        if self.by_postal_code is None:
            self.load()
        search_name = normalize_place_name(name)
        communes = self.by_postal_code.get(postal_code, [])
        named = [commune for commune in communes if commune.search_name == search_name]
        if named or len(communes) == 1:
            return (named or communes)[0]
        # A name alone only when no other commune of France bears it.
        homonyms = self.by_name.get(search_name, []) if search_name else []
        return homonyms[0] if len(homonyms) == 1 else None


def map_entry(entry, resolve_commune):
    """The values of a Project for one entry, or BadEntry."""
    if not isinstance(entry, dict):
        raise BadEntry(_("not a JSON object"))
    bazar_id = entry.get("id_fiche")
    if not isinstance(bazar_id, str) or not ID_PATTERN.fullmatch(bazar_id):
        raise BadEntry(_("no valid id_fiche"))
    name = entry.get("bf_titre")
    if not isinstance(name, str) or not name.strip():
        raise BadEntry(_("no name (bf_titre)"))
    if len(name) > 200:
        raise BadEntry(_("a name longer than 200 characters"))
    source_url = text(entry.get("url"), 500)
    if not source_url.startswith(("https://", "http://")):
        source_url = ""
    commune_name = text(entry.get("bf_ville"), 100)
    postal_code = text(entry.get("bf_code_postal"), 10)
    commune = resolve_commune(postal_code, commune_name)
    latitude, longitude = point(entry)
    if latitude is None and commune is not None:
        latitude, longitude = round(commune.latitude, 6), round(commune.longitude, 6)
    return {
        "bazar_id": bazar_id,
        "name": text(name, 200),
        "kind": list_value(entry, KIND_PREFIXES, 200),
        "status": list_value(entry, STATUS_PREFIXES, 200),
        "commune_name": commune_name or (commune.name if commune else ""),
        "postal_code": postal_code,
        "commune_id": commune.pk if commune else None,
        "latitude": latitude,
        "longitude": longitude,
        "source_url": source_url,
        "source_updated_at": date(entry.get("date_maj_fiche"))
        or date(entry.get("date_creation_fiche")),
    }


def apply(entries, log, now):
    """Create, update and mark gone to match `entries`; counts go into `log`."""
    existing = {project.bazar_id: project for project in Project.objects.all()}
    seen, skipped, new, changed = set(), [], [], []
    resolve_commune = CommuneResolver()
    for position, entry in enumerate(entries, start=1):
        try:
            values = map_entry(entry, resolve_commune)
        except BadEntry as error:
            bazar_id = entry.get("id_fiche") if isinstance(entry, dict) else None
            label = bazar_id if isinstance(bazar_id, str) and bazar_id else f"#{position}"
            skipped.append(f"{label[:150]}: {error}")
            # Still in the source, only unreadable: keep its previous version.
            if isinstance(bazar_id, str):
                seen.add(bazar_id)
            continue
        bazar_id = values["bazar_id"]
        if bazar_id in seen:
            skipped.append(f"{bazar_id}: {_('the same id_fiche twice')}")
            continue
        seen.add(bazar_id)
        project = existing.get(bazar_id)
        if project is None:
            new.append(Project(**values))
        elif project.gone_at is not None or any(
            getattr(project, name) != values[name] for name in COMPARED
        ):
            for name, value in values.items():
                setattr(project, name, value)
            project.gone_at, project.changed_at = None, now
            changed.append(project)
        else:
            log.unchanged += 1
    # In batches: a national import creates or changes thousands of rows.
    log.created = len(Project.objects.bulk_create(new, batch_size=500))
    log.updated = len(changed)
    Project.objects.bulk_update(changed, [*COMPARED, "gone_at", "changed_at"], batch_size=500)
    current = sum(project.is_current for project in existing.values())
    if current and not (log.created + log.updated + log.unchanged):
        raise ImportRefused(
            _("The answer holds no readable project while %(count)d are current: refused.")
            % {"count": current}
        )
    gone = [p.pk for bazar_id, p in existing.items() if bazar_id not in seen and p.is_current]
    log.removed = Project.objects.filter(pk__in=gone).update(gone_at=now)
    # Bulk writes send no signal: the pages that show the projects follow this version.
    PROJECTS_VERSION.forget()
    log.skipped = len(skipped)
    log.skipped_ids = "\n".join(skipped)


def import_projects(*, url=None, path=None, now=None):
    """Import from `url` (the JSON API) or `path` (a saved answer); returns the log row."""
    now = now or timezone.now()
    source = url if url is not None else str(path)
    log = ProjectImport(source=source[:500], status=ProjectImport.Status.FAILED)
    try:
        entries = parse(fetch(url) if url is not None else read_file(path))
        with transaction.atomic():
            apply(entries, log, now)
        log.status = ProjectImport.Status.DONE
    except ImportRefused as error:
        log.error = str(error)
    except Exception as error:  # noqa: BLE001 (any failure: logged, nothing half-imported)
        logger.exception("Import of the projects from %s failed", source)
        log.error = _("Unexpected error: %s") % error
    if log.status == ProjectImport.Status.FAILED:
        # Counts of a rolled-back transaction would describe nothing that happened.
        log.created = log.updated = log.unchanged = log.removed = 0
        logger.warning("Import of the projects from %s refused: %s", source, log.error)
    else:
        logger.info(
            "Projects imported from %s: %d created, %d updated, %d unchanged, %d gone, %d skipped",
            source,
            log.created,
            log.updated,
            log.unchanged,
            log.removed,
            log.skipped,
        )
    log.finished_at = timezone.now()
    log.save()
    return log


def import_due(now=None):
    """Whether the scheduled import should run now: PROJECTS_SOURCE_URL is set and the last
    import from it is old enough (a failed one is tried again an hour later)."""
    url = app_settings.PROJECTS_SOURCE_URL
    if not url:
        return False
    now = now or timezone.now()
    last = ProjectImport.objects.filter(source=url[:500]).first()
    if last is None:
        return True
    hours = app_settings.PROJECTS_IMPORT_HOURS if last.status == last.Status.DONE else 1
    # A few minutes early is on time: an hourly pass must not slip an hour every day.
    return last.started_at <= now - timedelta(hours=hours) + timedelta(minutes=5)
