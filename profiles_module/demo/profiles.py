"""Fictitious but plausible profiles for demos and load tests (`manage.py seed_demo`).

Nothing comes from a real person: names are common French first names or playful
pseudonyms, email addresses are on a reserved domain that can never receive mail, and
the same seed and reference date always give the same profiles, field for field.
"""

import multiprocessing as mp
import os
import random
import uuid
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from string import ascii_uppercase

from django.db import connection, connections, transaction
from wagtail.search.backends import get_search_backend
from wagtailgeowidget.helpers import geosgeometry_str_to_struct

from profiles_module.demo.vocabulary import (
    ADULTS,
    AGE_GROUP,
    AGE_SENTENCE,
    BANDS,
    CHILDREN,
    CLOSING,
    COMPOSITION,
    EXTRA_SECTOR,
    EXTRA_SECTORS,
    FINANCING_BY_TENURE,
    FIRST_BAND,
    FIRST_NAMES,
    FIRST_SECTOR,
    HORIZON,
    HORIZON_SENTENCE,
    INTRO,
    KIND,
    KIND_SENTENCE,
    NUMBERS,
    OPTION_WEIGHTS,
    PLACE_SENTENCE,
    PLACES,
    PLURAL_PSEUDONYMS,
    PROJECT_SENTENCE,
    PSEUDONYMS,
    RADIUS_BY_SIZE,
    RESIDENT_SECTOR_SENTENCE,
    ROLE,
    SECTOR_SENTENCE,
    SETTING_BY_SIZE,
    TENURE,
    TENURE_SENTENCE,
    VALUE_SENTENCE,
    VALUES_OTHER,
    Weighted,
    capitalized,
    of_name,
    of_place,
    size_of,
)
from profiles_module.models import (
    Commune,
    Departement,
    Partner,
    Profile,
    ProfileEvent,
    ProfileOption,
    Region,
    Sector,
    SuggestionEmails,
)
from profiles_module.models.profiles import Composition, HiddenReason, ProfileKind
from profiles_module.publication.forms import TerritoryLimit

# RFC 2606 reserves .invalid: mail sent there can never reach anyone.
EMAIL_DOMAIN = "demo.futurs-voisins.invalid"
PROJECTS_URL = "https://projets.example.org/projets/{}"
BATCH_SIZE = 2000
HISTORY = timedelta(days=730)
# Days since the last sign of life of a confirmed profile, in each state of the lifecycle.
# Each range stays clear of the default LifecycleSettings (reminders after 6 and 11 months,
# hidden after 12, erased after 24 with 30 days' warning, unconfirmed drafts erased after
# 7 days), so a lifecycle run on the seeding day has nothing to do.
ACTIVITY_STATES = {"fresh": 80, "reminded": 12, "reminded_twice": 5, "hidden": 3}
ACTIVITY_DAYS = {
    "fresh": (0, 175),
    "reminded": (190, 325),
    "reminded_twice": (340, 360),
    "hidden": (372, 660),
}
AWAITING_DAYS = 6
# The share of the fiches of a partner's territory published through its embedded pages
# or its own site (attributed to it), when the partner exists at seeding time.
PARTNER_SHARE = 0.3
M2M_FIELDS = {
    "project_kinds": ProfileOption.Category.PROJECT_KIND,
    "steps": ProfileOption.Category.STEP,
    "values": ProfileOption.Category.VALUE,
}


class SeedAlreadyUsed(Exception):
    """The profiles this seed generates are already in the database."""


@dataclass
class DemoProfile:
    profile: Profile
    sectors: list
    options: dict = field(default_factory=dict)
    # When the weekly email of suggestions last looked at it (published fiches only).
    suggestions_checked_at: datetime | None = None


class Geography:
    """Communes weighted by population, and the option lists, loaded once per run."""

    def __init__(self):
        # Sorted by stable codes, never by primary key: the same seed must pick the same
        # places in any database where the geography was loaded.
        communes = list(
            Commune.objects.filter(population__gt=0)
            .only("name", "population", "latitude", "longitude", "departement_id")
            .order_by("insee_code")
        )
        self.departements = {d.pk: d for d in Departement.objects.order_by("code")}
        self.regions = {r.pk: r for r in Region.objects.order_by("code")}
        self.communes = Weighted((c, c.population) for c in communes)
        by_departement = defaultdict(list)
        for commune in communes:
            by_departement[commune.departement_id].append((commune, commune.population))
        self.communes_by_departement = {pk: Weighted(pairs) for pk, pairs in by_departement.items()}
        self.options = {}
        for category, weights in OPTION_WEIGHTS.items():
            options = ProfileOption.objects.filter(category=category).order_by("sort_order", "slug")
            self.options[category] = [(o, weights.get(o.slug, 1)) for o in options]
        # The partners' territories, as their publication forms limit the sectors; by
        # slug, a stable order.
        partners = Partner.objects.prefetch_related("regions", "departements").order_by("slug")
        limits = (TerritoryLimit.of(partner) for partner in partners)
        self.partners = [limit for limit in limits if limit is not None]


class DemoProfiles:
    """Makes the profiles of one seed; the n-th profile depends only on the seed and n."""

    def __init__(self, geography, *, seed, reference_date):
        self.geo = geography
        self.seed = seed
        self.rng = None  # The generator of the profile being made.
        self.now = datetime.combine(reference_date, time(), tzinfo=UTC)

    def make(self, number):
        """The profile number `number` (from 0) of this seed, with its sectors and options."""
        # One generator per profile, so that batches can be made in any order or in parallel.
        # Demo data, not secrets: a reproducible generator is the point.
        rng = self.rng = random.Random(f"{self.seed}:{number}")  # noqa: S311
        uid = uuid.UUID(int=rng.getrandbits(128), version=4)
        kind = KIND(rng)
        composition, adults, children = self.household(kind)
        age_bands = self.age_bands(kind, composition, adults)
        home = self.geo.communes(rng)
        sectors = self.sectors(kind, home)
        resource = kind == ProfileKind.RESOURCE
        profile = Profile(
            uid=uid,
            profile_kind=kind,
            composition=composition,
            adults=adults,
            children=children,
            age_bands=age_bands,
            setting="" if resource or rng.random() < 0.08 else SETTING_BY_SIZE[size_of(home)](rng),
            tenure="" if resource or rng.random() < 0.1 else TENURE(rng),
            horizon="" if resource or rng.random() < 0.05 else HORIZON(rng),
            role=ROLE[kind](rng),
            email=f"foyer-{self.seed}-{number + 1}@{EMAIL_DOMAIN}",
            language="en" if rng.random() < 0.03 else "fr",
        )
        self.financing(profile)
        self.place(profile, sectors[0])
        options = self.options(profile)
        if kind in (ProfileKind.GROUP, ProfileKind.RESIDENT) and rng.random() < 0.5:
            profile.national_project_url = PROJECTS_URL.format(rng.randint(100, 9999))
        if rng.random() < 0.06:
            profile.values_other = rng.choice(VALUES_OTHER)
        profile.public_name = self.public_name(profile, sectors[0])
        profile.presentation = self.presentation(profile, sectors[0], options)
        self.dates(profile)
        # The map point is the centre of the first sector, exactly as Profile.save() puts it.
        profile.sectors = sectors
        profile.place_point_on_first_sector()
        point = geosgeometry_str_to_struct(profile.location)
        profile.longitude = float(point["x"]) if point else None
        profile.latitude = float(point["y"]) if point else None
        # Drawn last: whether partners exist changes nothing else of the profile.
        profile.partner = self.partner(sectors)
        # As if the weekly email of suggestions had been running: each household's last
        # look falls in the six days before, so the scheduled pass emails the demo
        # households a few at a time from the next day on, not all on the day they appear.
        checked_at = None
        if profile.live:
            checked_at = self.now - timedelta(hours=1 + profile.uid.int % (6 * 24 - 1))
        return DemoProfile(profile, sectors, options, checked_at)

    def partner(self, sectors):
        """A partner through whose pages the fiche was published, or None: some fiches
        whose every sector lies in a partner's territory (its form accepts only those)."""
        partners = [
            limit.partner
            for limit in self.geo.partners
            if all(limit.contains(sector.kind, sector.place) for sector in sectors)
        ]
        if partners and self.rng.random() < PARTNER_SHARE:
            return self.rng.choice(partners)
        return None

    def household(self, kind):
        rng = self.rng
        if kind == ProfileKind.GROUP:
            return Composition.OTHER, rng.randint(3, 16), rng.choice([0, 0, 1, 2, 3, 5, 8])
        if kind == ProfileKind.RESOURCE:
            return rng.choice([Composition.SINGLE] * 3 + [Composition.OTHER]), 1, 0
        composition = COMPOSITION(rng)
        return composition, ADULTS[composition](rng), CHILDREN[composition](rng)

    def age_bands(self, kind, composition, adults):
        """Distinct bands (one tick box per band), never more than the adults."""
        rng = self.rng
        if rng.random() < (0.6 if kind == ProfileKind.RESOURCE else 0.1):
            return []
        index = BANDS.index(FIRST_BAND[composition](rng))
        bands = {index}
        for _adult in range(adults - 1):
            if rng.random() < 0.4:
                bands.add(min(max(index + rng.choice([-1, 1]), 0), len(BANDS) - 1))
        return [BANDS[i] for i in sorted(bands)]

    def sectors(self, kind, home):
        rng = self.rng
        sectors = [self.sector(FIRST_SECTOR[kind](rng), home)]
        for _extra in range(EXTRA_SECTORS[kind](rng)):
            choice = EXTRA_SECTOR(rng)
            if choice == "nearby":
                sector = self.sector(
                    "commune", self.geo.communes_by_departement[home.departement_id](rng)
                )
            elif choice == "elsewhere":
                sector = self.sector("commune", self.geo.communes(rng))
            else:
                sector = self.sector(choice, home)
            if all(sector.key != other.key for other in sectors):
                sector.sort_order = len(sectors)
                sectors.append(sector)
        return sectors

    def sector(self, kind, commune):
        if kind == Sector.Kind.COMMUNE:
            radius = RADIUS_BY_SIZE[size_of(commune)](self.rng)
            return Sector(kind=kind, commune=commune, radius_km=radius, sort_order=0)
        departement = self.geo.departements[commune.departement_id]
        if kind == Sector.Kind.DEPARTEMENT:
            return Sector(kind=kind, departement=departement, sort_order=0)
        return Sector(kind=kind, region=self.geo.regions[departement.region_id], sort_order=0)

    def financing(self, profile):
        rng = self.rng
        if profile.profile_kind in (ProfileKind.RESOURCE, ProfileKind.GROUP) or rng.random() < 0.15:
            band = ""
        else:
            band = FINANCING_BY_TENURE.get(profile.tenure, FINANCING_BY_TENURE[""])(rng)
        profile.financing_band = band
        profile.financing_public = bool(band) and rng.random() < 0.3
        if profile.profile_kind == ProfileKind.RESOURCE or rng.random() < 0.35:
            profile.social_housing_eligible = None
        else:
            likely = profile.tenure == "rental" or band == "lt20k"
            profile.social_housing_eligible = rng.random() < (0.7 if likely else 0.15)

    def options(self, profile):
        rng = self.rng
        kind = profile.profile_kind
        bands = profile.age_bands
        # How much likelier (or less likely) an option is for this profile than for others.
        boost = {
            "senior": 4 if bands and bands[-1] in ("60_74", "75p") else 0.1 if bands else 1,
            "intergenerational": 2 if bands and bands[-1] in ("60_74", "75p") else 1,
            "group_member": 20 if kind in (ProfileKind.GROUP, ProfileKind.RESIDENT) else 1,
            # The step and the criterion "place identified" tell the same story.
            "land_identified": 0 if not profile.place_identified else 1,
        }
        counts = {
            "project_kinds": rng.choice([0, 1, 1, 2, 2, 3]),
            "steps": rng.choice([0, 0, 1, 1, 2, 3]) if kind == "household" else rng.randint(1, 4),
            "values": 0 if kind == "resource" else rng.randint(1, 4),
        }
        chosen = {}
        for name, category in M2M_FIELDS.items():
            pool = self.geo.options[category]
            weights = [weight * boost.get(option.slug, 1) for option, weight in pool]
            chosen[name] = [pool[i][0] for i in self.sample(weights, counts[name])]
        if profile.place_identified and rng.random() < 0.8:
            land = [option for option, _weight in self.geo.options["step"]]
            land = [o for o in land if o.slug == "land_identified" and o not in chosen["steps"]]
            chosen["steps"] = sorted(chosen["steps"] + land, key=lambda o: (o.sort_order, o.slug))
        # "No preference" alone means what it says.
        if any(o.slug == "any" for o in chosen["project_kinds"]):
            chosen["project_kinds"] = [o for o in chosen["project_kinds"] if o.slug == "any"]
        return chosen

    def sample(self, weights, count):
        """Up to `count` distinct indexes drawn by weight, in increasing order."""
        remaining = [i for i, weight in enumerate(weights) if weight > 0]
        picked = []
        while remaining and len(picked) < count:
            index = self.rng.choices(remaining, weights=[weights[i] for i in remaining])[0]
            picked.append(index)
            remaining.remove(index)
        return sorted(picked)

    def place(self, profile, first_sector):
        rng = self.rng
        chance = {"group": 0.4, "resident": 0.3, "resource": 0.0}.get(profile.profile_kind, 0.08)
        if rng.random() >= chance:
            return
        profile.place_identified = True
        if rng.random() < 0.8:
            if first_sector.kind == Sector.Kind.COMMUNE and rng.random() < 0.5:
                profile.place_commune = first_sector.commune
            else:
                departement = self.departement_of(first_sector)
                profile.place_commune = self.geo.communes_by_departement[departement.pk](self.rng)

    def departement_of(self, sector):
        if sector.kind == Sector.Kind.COMMUNE:
            return self.geo.departements[sector.commune.departement_id]
        if sector.kind == Sector.Kind.DEPARTEMENT:
            return sector.departement
        departements = [
            d for d in self.geo.departements.values() if d.region_id == sector.region_id
        ]
        return self.rng.choice(departements)

    def first_name(self, band=None):
        return self.rng.choice(
            FIRST_NAMES[AGE_GROUP.get(band) or self.rng.choice(list(FIRST_NAMES))]
        )

    def public_name(self, profile, first_sector):
        rng = self.rng
        band = profile.age_bands[0] if profile.age_bands else None
        first = self.first_name(band)
        second = first
        while second == first:
            second = self.first_name(profile.age_bands[-1] if profile.age_bands else None)
        place = rng.choice(PLACES)
        pseudonym = rng.choice(PSEUDONYMS)
        plural = "Les " + rng.choice(PLURAL_PSEUDONYMS)
        if profile.profile_kind == ProfileKind.GROUP:
            commune = first_sector.commune.name if first_sector.commune_id else ""
            names = [
                f"Collectif {capitalized(place)}",
                f"Habitat participatif {capitalized(place)}",
                f"Projet {of_place(place)}",
            ]
            if commune:
                names.append(f"{capitalized(place)} – {commune}")
        elif profile.profile_kind == ProfileKind.RESIDENT:
            names = [f"{first} {of_place(place)}"]
            if profile.adults > 1:
                names.append(f"Les habitants {of_place(place)}")
        elif profile.profile_kind == ProfileKind.RESOURCE:
            names = [
                f"{first} – accompagnement de projets",
                f"{first}, conseil en habitat participatif",
                f"{first} – chargé·e de mission habitat",
            ]
        else:
            child = "ses enfants" if profile.children > 1 else rng.choice(["sa fille", "son fils"])
            names = {
                "single": [
                    first,
                    first,
                    f"{first} {rng.choice(ascii_uppercase)}.",
                    pseudonym,
                    f"{pseudonym}{rng.randint(1, 99)}",
                ],
                "couple": [f"{first} et {second}", f"{first} et {second}", plural],
                "family": [f"{first}, {second} et les enfants", f"Famille {pseudonym}", plural],
                "single_parent": [
                    f"{first} et {child}",
                    f"{first} et sa tribu",
                ],
                "flatshare": [f"La coloc {of_place(place)}", f"Les amis {of_place(place)}", plural],
                "other": [first, pseudonym, plural],
            }[profile.composition]
        name = rng.choice(names)
        return name if len(name) <= 60 else first

    def presentation(self, profile, first_sector, options):
        rng = self.rng
        if rng.random() < 0.08:
            return ""
        kind = profile.profile_kind
        voice = 0 if profile.adults == 1 and kind not in ("group", "resident") else 1
        if kind == "resident" and profile.adults == 1:
            voice = 0
        key = kind if kind != ProfileKind.HOUSEHOLD else profile.composition
        intros = [pair[voice] for pair in INTRO[key] if pair[voice]]
        words = {
            "children": self.count(profile.children, "enfant"),
            "adults": NUMBERS[min(profile.adults, 16)],
        }
        sentences = [rng.choice(intros).format(**words)] if intros else []
        if kind == ProfileKind.HOUSEHOLD and len(profile.age_bands) == 1 and rng.random() < 0.4:
            sentences.append(AGE_SENTENCE[profile.age_bands[0]][voice])
        middle = [
            VALUE_SENTENCE[o.slug][voice] for o in options["values"] if o.slug in VALUE_SENTENCE
        ]
        if kind in (ProfileKind.HOUSEHOLD, ProfileKind.GROUP):
            # Residents already live in their project; resource persons help others'.
            middle += [
                PROJECT_SENTENCE[o.slug][voice]
                for o in options["project_kinds"]
                if o.slug in PROJECT_SENTENCE
            ]
            for table, value in (
                (TENURE_SENTENCE, profile.tenure),
                (HORIZON_SENTENCE, profile.horizon),
            ):
                if value in table:
                    middle.append(table[value][voice])
        if kind != ProfileKind.RESOURCE:
            place = first_sector.commune.name if first_sector.commune_id else ""
            sentence = RESIDENT_SECTOR_SENTENCE if kind == "resident" else SECTOR_SENTENCE
            middle.append(sentence[first_sector.kind][voice].format(place=of_name(place)))
        if profile.place_identified and kind != ProfileKind.RESIDENT:
            middle.append(PLACE_SENTENCE[voice])
        sentences += rng.sample(middle, min(len(middle), rng.randint(1, 3)))
        if kind in KIND_SENTENCE and KIND_SENTENCE[kind][voice]:
            sentences.append(KIND_SENTENCE[kind][voice])
        if rng.random() < 0.5:
            sentences.append(rng.choice(CLOSING))
        return " ".join(sentences)

    @staticmethod
    def count(number, noun):
        if number == 1:
            return f"un {noun}"
        return f"{NUMBERS[min(number, 16)]} {noun}s"

    def dates(self, profile):
        """A history before the reference date that the publication lifecycle agrees with.

        More recent profiles than old ones; a few drafts awaiting their confirmation link;
        owners confirming "still looking" when reminded, and a few who never did.
        """
        rng = self.rng
        if rng.random() < 0.04:
            created = self.now - timedelta(seconds=rng.randint(600, AWAITING_DAYS * 86400))
            profile.live = False
            profile.has_unpublished_changes = True
            profile.awaiting_confirmation = True
            profile.updated_at = created
        else:
            delay = timedelta(seconds=rng.randint(120, 36 * 3600))
            age = max(HISTORY * rng.random() ** 1.6, delay + timedelta(hours=1))
            created = self.now - timedelta(seconds=int(age.total_seconds()))
            published = created + delay
            # The last sign of life: publication or a later "still looking".
            published_days = (self.now - published).total_seconds() / 86400
            state = Weighted(
                (state, weight)
                for state, weight in ACTIVITY_STATES.items()
                if ACTIVITY_DAYS[state][0] <= published_days
            )(rng)
            low, high = ACTIVITY_DAYS[state]
            if state == "fresh" and published_days <= high and rng.random() < 0.35:
                confirmed = published
            else:
                days = rng.uniform(low, min(high, published_days))
                confirmed = self.now - timedelta(seconds=int(days * 86400))
            profile.email_confirmed_at = profile.first_published_at = published
            profile.last_published_at = published
            profile.last_confirmed_at = confirmed
            profile.reminders_sent = {"reminded": 1, "reminded_twice": 2, "hidden": 2}.get(state, 0)
            if state == "hidden":
                profile.live = False
                profile.has_unpublished_changes = True
                profile.hidden_reason = HiddenReason.STALE
                # Unpublishing saved it, twelve months after its last sign of life.
                profile.updated_at = min(confirmed + timedelta(days=366), self.now)
            else:
                profile.live = True
                profile.updated_at = published
        profile.created_at = profile.publication_consent_at = created
        if rng.random() < 0.45:
            profile.news_consent = True
            profile.news_consent_at = created


def lifecycle_events(profile):
    """The events the publication lifecycle would have logged for this history, so that
    the editors' monthly figures (stats.admin) have months to show."""
    Event = ProfileEvent.Kind
    happened = [(Event.SUBMITTED, profile.created_at, "")]
    if profile.email_confirmed_at:
        happened += [
            (Event.CONFIRMED, profile.email_confirmed_at, ""),
            (Event.PUBLISHED, profile.first_published_at, ""),
        ]
    if profile.hidden_reason:
        happened.append((Event.HIDDEN, profile.updated_at, "stale"))
    return [
        ProfileEvent(
            profile=profile, profile_uid=profile.uid, kind=kind, created_at=when, detail=detail
        )
        for kind, when, detail in happened
    ]


def check_seed_unused(profiles):
    if Profile.objects.filter(uid__in=[p.uid for p in profiles]).exists():
        raise SeedAlreadyUsed


@contextmanager
def given_timestamps():
    """Keep the generated created_at/updated_at: bulk_create would stamp them with now."""
    fields = [Profile._meta.get_field(name) for name in ("created_at", "updated_at")]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def insert(batch, *, index=True):
    """Store one batch of demo profiles with a handful of queries, all or nothing."""
    profiles = [item.profile for item in batch]
    with transaction.atomic():
        check_seed_unused(profiles)
        with given_timestamps():
            Profile.objects.bulk_create(profiles)
        sectors = []
        for item in batch:
            for sector in item.sectors:
                sector.profile_id = item.profile.pk
                sectors.append(sector)
        Sector.objects.bulk_create(sectors)
        ProfileEvent.objects.bulk_create(
            event for profile in profiles for event in lifecycle_events(profile)
        )
        SuggestionEmails.objects.bulk_create(
            SuggestionEmails(profile_id=item.profile.pk, checked_at=item.suggestions_checked_at)
            for item in batch
            if item.suggestions_checked_at
        )
        for name in M2M_FIELDS:
            through = getattr(Profile, name).through
            through.objects.bulk_create(
                through(profile_id=item.profile.pk, profileoption_id=option.pk)
                for item in batch
                for option in item.options[name]
            )
        # Neither does it send the signals that keep the facet columns.
        Profile.objects.filter(pk__in=[profile.pk for profile in profiles]).refresh_facets()
        if index:
            # bulk_create sends no post_save signal, so Wagtail's indexing never sees them.
            get_search_backend().add_bulk(Profile, profiles)
    return len(batch)


def default_jobs():
    """Processes worth running: one per CPU on PostgreSQL, one on SQLite (a single writer)."""
    if connection.vendor != "postgresql" or "fork" not in mp.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 4)


# What a forked worker inherits from the parent: the loaded geography and the options.
_worker_state = {}


def _insert_range(bounds):
    generator, index = _worker_state["generator"], _worker_state["index"]
    try:
        return insert([generator.make(number) for number in range(*bounds)], index=index)
    finally:
        # A forked worker must not leave its own connection to the next task or to exit.
        connections.close_all()


def create_demo_profiles(count, *, seed, reference_date, index=True, jobs=1, progress=None):
    """Add `count` demo profiles in batches, in `jobs` processes; report progress(done, count).

    Profile number n depends only on the seed, n and the reference date, so the result is
    the same whatever the number of processes. Several processes need the fork start method
    and no open transaction: the workers commit on their own connections.
    """
    generator = DemoProfiles(Geography(), seed=seed, reference_date=reference_date)
    ranges = [(start, min(start + BATCH_SIZE, count)) for start in range(0, count, BATCH_SIZE)]
    done = 0
    if jobs > 1 and len(ranges) > 1 and not connection.in_atomic_block:
        # Checked here too: a worker's error arrives after the other workers' commits.
        check_seed_unused([generator.make(0).profile])
        _worker_state.update(generator=generator, index=index)
        connections.close_all()
        try:
            with ProcessPoolExecutor(jobs, mp_context=mp.get_context("fork")) as executor:
                futures = [executor.submit(_insert_range, bounds) for bounds in ranges]
                try:
                    for future in as_completed(futures):
                        done += future.result()
                        if progress:
                            progress(done, count)
                except BaseException:
                    executor.shutdown(cancel_futures=True)
                    raise
        finally:
            _worker_state.clear()
        return done
    for start, stop in ranges:
        done += insert([generator.make(number) for number in range(start, stop)], index=index)
        if progress:
            progress(done, count)
    return done


# --- demo contact messages (the owners' contact history and the editors' statistics)
