"""Demo projects: the sample answer of the national database (projects.json, twenty-two
fictional projects over France), imported like the real one, and some demo fiches near
each project linked to it."""

import math
from pathlib import Path

from profiles_module.models import Profile, Project
from profiles_module.models.profiles import ProfileKind, ProjectRelation
from profiles_module.projects.importer import import_projects

SAMPLE = Path(__file__).with_name("projects.json")
# Fiches linked to each project: the nearest, within this distance of it.
PER_PROJECT = 3
WITHIN_KM = 60


def distance_km(a, b):
    """Great-circle distance between two (latitude, longitude), in kilometres."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 6371 * 2 * math.asin(math.sqrt(h))


def load_demo_projects():
    """Import the sample (idempotent) and link fiches once; returns the import's log row."""
    log = import_projects(path=SAMPLE)
    if not Profile.objects.filter(project__isnull=False).exists():
        link_demo_fiches()
    return log


def link_demo_fiches():
    """The nearest public fiches of each project say they are part of it (groups and
    residents) or interested in it (everyone else); returns how many were linked."""
    candidates = list(
        Profile.objects.public()
        .filter(project__isnull=True, latitude__isnull=False)
        .values_list("pk", "latitude", "longitude", "profile_kind")
    )
    taken, linked = set(), 0
    for project in Project.objects.current().filter(latitude__isnull=False):
        here = (project.latitude, project.longitude)
        near = sorted(
            (distance_km(here, (lat, lng)), pk, kind)
            for pk, lat, lng, kind in candidates
            if pk not in taken
        )
        for distance, pk, kind in near[:PER_PROJECT]:
            if distance > WITHIN_KM:
                break
            member = kind in (ProfileKind.GROUP, ProfileKind.RESIDENT)
            relation = ProjectRelation.MEMBER if member else ProjectRelation.INTERESTED
            # Demo data: straight to the rows, as seed_demo writes its fiches.
            Profile.objects.filter(pk=pk).update(project=project, project_relation=relation)
            taken.add(pk)
            linked += 1
    return linked
