"""`manage.py seed_demo`: plausible, valid, reproducible demo profiles, found by search."""

import io
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.search.backends import get_search_backend

from profiles_module import schedule
from profiles_module.demo.profiles import DemoProfiles, Geography
from profiles_module.models import (
    Commune,
    OutgoingEmail,
    Profile,
    ProfileEvent,
    ProfileOption,
    Region,
    Sector,
)
from tests.factories import make_partner, make_profile

pytestmark = pytest.mark.django_db

REFERENCE_DATE = "2026-06-01"
REFERENCE = datetime(2026, 6, 1, tzinfo=UTC)
# Reserved for documentation and tests (RFC 2606, RFC 6761): nobody can receive mail there.
RESERVED_DOMAIN_RE = re.compile(
    r"(^|\.)(example\.(org|com|net)|[\w-]+\.(invalid|test|example|localhost))$"
)
OPTION_CATEGORIES = {"project_kinds": "project_kind", "steps": "step", "values": "value"}


def seed_demo(count, *args, seed=7):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "seed_demo",
        "--profiles",
        str(count),
        "--seed",
        str(seed),
        "--reference-date",
        REFERENCE_DATE,
        *args,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def demo_profiles():
    return Profile.objects.prefetch_related(
        "sectors__commune", "sectors__departement", "sectors__region", *OPTION_CATEGORIES
    ).order_by("email")


def snapshot():
    """Everything stored about the profiles, except their database ids."""
    rows = []
    for profile in demo_profiles():
        row = {
            f.attname: getattr(profile, f.attname)
            for f in Profile._meta.concrete_fields
            if f.attname != "id"
        }
        row["sectors"] = [
            (s.sort_order, s.kind, s.commune_id, s.radius_km, s.departement_id, s.region_id)
            for s in profile.sectors.all()
        ]
        for name in OPTION_CATEGORIES:
            row[name] = sorted(o.slug for o in getattr(profile, name).all())
        rows.append(row)
    return rows


def test_adds_the_requested_number_of_profiles_with_their_sectors():
    out, err = seed_demo(150)

    assert Profile.objects.count() == 150
    sectors = Counter(Sector.objects.values_list("profile_id", flat=True))
    assert len(sectors) == 150 and set(sectors.values()) <= {1, 2, 3}
    kinds = Counter(Profile.objects.values_list("profile_kind", flat=True))
    assert kinds["household"] > 0.7 * 150 and len(kinds) > 1
    assert 0.85 * 150 < Profile.objects.filter(live=True).count() < 150
    assert "Added 150 demo profiles" in out and "--seed 7" in out
    assert not Profile.objects.filter(partner__isnull=False).exists()  # no partner yet
    assert "[" + "#" * 30 + "] 150/150 profiles" in err

    seed_demo(30, seed=8)
    assert Profile.objects.count() == 180


def test_every_profile_is_valid_and_coherent():
    seed_demo(200)
    profiles = list(demo_profiles())

    for profile in profiles[:50]:
        profile.full_clean()
        for sector in profile.sectors.all():
            sector.full_clean()
    for profile in profiles:
        adults, children = profile.adults, profile.children
        expected = {
            "single": adults == 1 and children == 0,
            "couple": adults == 2 and children == 0,
            "family": adults >= 2 and children >= 1,
            "single_parent": adults == 1 and children >= 1,
        }
        assert expected.get(profile.composition, adults >= 1), profile.composition
        assert len(profile.age_bands) <= adults
        assert not profile.place_commune_id or profile.place_identified
        assert profile.news_consent_at if profile.news_consent else not profile.news_consent_at
        assert REFERENCE - timedelta(days=731) < profile.created_at < REFERENCE
        assert profile.publication_consent_at == profile.created_at
        if profile.awaiting_confirmation:
            assert not profile.live and profile.email_confirmed_at is None
            assert profile.last_confirmed_at is None
        else:
            assert profile.live != bool(profile.hidden_reason)
            assert profile.created_at < profile.email_confirmed_at <= profile.last_confirmed_at
            assert profile.last_confirmed_at < REFERENCE
        for name, category in OPTION_CATEGORIES.items():
            assert {o.category for o in getattr(profile, name).all()} <= {category}
    assert len({p.public_name for p in profiles}) > 100
    assert sum(bool(p.presentation) for p in profiles) > 150


def test_the_map_point_is_the_centre_of_the_first_sector_as_save_computes_it():
    seed_demo(40)

    for profile in demo_profiles():
        stored = (profile.location, profile.latitude, profile.longitude, profile.located_from)
        first = min(profile.sectors.all(), key=lambda s: s.sort_order)
        assert profile.located_from == first.key
        profile.location = profile.located_from = ""
        profile.save()
        assert (profile.location, profile.latitude, profile.longitude, profile.located_from) == (
            stored
        )


def test_the_publication_lifecycle_has_nothing_to_do_on_the_seeding_day():
    """No reminder, hiding or erasure (nor their emails) for data that was just made."""
    seed_demo(200)
    states = Counter(Profile.objects.values_list("live", "awaiting_confirmation", "hidden_reason"))
    assert states[(False, True, "")] and states[(False, False, "stale")]
    assert Profile.objects.filter(live=True, reminders_sent__gt=0).exists()

    done = schedule.run(now=REFERENCE + timedelta(hours=12))

    assert not any(done.values()), done
    assert not OutgoingEmail.objects.exists()
    assert Profile.objects.count() == 200


def test_the_history_of_each_profile_is_in_its_events_over_many_months():
    """The editors' monthly figures read the lifecycle's events: the demo logs them."""
    seed_demo(200)
    Event = ProfileEvent.Kind
    for profile in Profile.objects.all():
        events = dict(profile.events.values_list("kind", "created_at"))
        assert events[Event.SUBMITTED] == profile.created_at
        assert events.get(Event.CONFIRMED) == profile.email_confirmed_at
        assert events.get(Event.PUBLISHED) == profile.first_published_at
        assert (Event.HIDDEN in events) == bool(profile.hidden_reason)
    submitted = ProfileEvent.objects.filter(
        kind=Event.SUBMITTED, created_at__gte=REFERENCE - timedelta(days=365)
    )
    months = {(when.year, when.month) for when in submitted.values_list("created_at", flat=True)}
    assert len(months) >= 12


def test_sectors_are_mostly_around_a_commune_where_people_live():
    seed_demo(200)

    kinds = Counter(Sector.objects.values_list("kind", flat=True))
    assert kinds["commune"] > kinds["departement"] + kinds["region"]
    assert kinds["departement"] and kinds["region"]
    populations = list(
        Sector.objects.filter(kind="commune").values_list("commune__population", flat=True)
    )
    # Uniformly drawn communes would have a median population of about 450.
    assert sorted(populations)[len(populations) // 2] > 5000


def test_some_fiches_of_a_partner_territory_are_attributed_to_it():
    """As in `make run`, where the demo partner exists before the profiles are seeded."""
    partner = make_partner(
        slug="aura", name="Habitat participatif AURA", departements=(), regions=("84",)
    )
    aura = Region.objects.get(code="84")

    seed_demo(300)

    attributed = Profile.objects.filter(partner=partner)
    assert attributed.exists()
    # Only fiches its form would have accepted: every sector in the région.
    assert not (
        Sector.objects.filter(profile__partner=partner).exclude(territory_region=aura).exists()
    )
    # And only some of them: others were published on the national site.
    assert Profile.objects.filter(partner=None, sectors__territory_region=aura).exists()


def test_the_same_seed_gives_the_same_profiles():
    seed_demo(40)
    first = snapshot()
    Profile.objects.all().delete()

    seed_demo(40)

    assert snapshot() == first


def test_another_seed_gives_other_profiles():
    seed_demo(40)
    first = snapshot()
    Profile.objects.all().delete()

    seed_demo(40, seed=8)

    second = snapshot()
    assert {p["uid"] for p in first}.isdisjoint(p["uid"] for p in second)
    assert [p["public_name"] for p in first] != [p["public_name"] for p in second]


def test_a_profile_depends_only_on_its_seed_and_number():
    """What lets several processes make the batches of one run, in any order."""
    generator = DemoProfiles(Geography(), seed=3, reference_date=date(2026, 6, 1))

    def describe(demo):
        options = [[o.slug for o in demo.options[name]] for name in OPTION_CATEGORIES]
        p = demo.profile
        return (p.uid, p.public_name, p.presentation, p.created_at, options) + tuple(
            s.key for s in demo.sectors
        )

    forward = [describe(generator.make(n)) for n in range(12)]
    backward = [describe(generator.make(n)) for n in reversed(range(12))]
    assert backward[::-1] == forward


def test_a_seed_already_in_the_database_is_refused():
    seed_demo(20)

    with pytest.raises(CommandError, match="seed 7 are already in the database"):
        seed_demo(20)
    assert Profile.objects.count() == 20


def test_emails_are_unique_and_on_reserved_domains_only():
    seed_demo(100)

    emails = list(Profile.objects.values_list("email", flat=True))
    assert len(set(emails)) == 100
    assert all(RESERVED_DOMAIN_RE.search(email.rsplit("@", 1)[1]) for email in emails)
    texts = Profile.objects.values_list("public_name", "presentation", "values_other")
    assert not any("@" in text for row in texts for text in row)


def rare_name_word():
    """A word of one profile's public name that no other profile's name contains."""
    names = list(Profile.objects.values_list("public_name", flat=True))
    words = Counter(w for name in names for w in set(re.findall(r"\w{5,}", name)))
    word = next(w for w, n in sorted(words.items()) if n == 1)
    return word, next(name for name in names if word in name)


def test_profiles_are_found_by_the_admin_search(admin_client):
    seed_demo(60)
    word, name = rare_name_word()

    found = get_search_backend().search(word, Profile)
    assert name in [p.public_name for p in found]
    listing = reverse("wagtailsnippets_profiles_module_profile:list")
    response = admin_client.get(listing, {"q": word})
    assert response.status_code == 200
    assert name in response.content.decode()


def test_no_index_leaves_the_search_index_alone():
    out, _err = seed_demo(60, "--no-index")
    word, _name = rare_name_word()

    assert "not indexed" in out
    assert list(get_search_backend().search(word, Profile)) == []


def test_if_empty_adds_profiles_only_to_an_empty_database():
    make_profile()

    out, _err = seed_demo(10, "--if-empty")
    assert Profile.objects.count() == 1
    assert "no demo profile added" in out

    Profile.objects.all().delete()
    seed_demo(10, "--if-empty")
    assert Profile.objects.count() == 10


def test_quiet_runs_print_no_progress_bar():
    out = io.StringIO()
    err = io.StringIO()
    call_command("seed_demo", "--profiles", "5", verbosity=0, stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert "Added 5 demo profiles" in out.getvalue()


def test_without_geography_the_command_says_what_to_run():
    Profile.objects.all().delete()  # Sectors protect the communes they point to.
    Commune.objects.all().delete()

    with pytest.raises(CommandError, match="Run python manage.py load_geography first"):
        seed_demo(10)
    assert not Profile.objects.exists()


def test_editors_new_options_are_used_too():
    ProfileOption.objects.create(category="value", label="musique", slug="music")

    seed_demo(150)

    assert Profile.objects.filter(values__slug="music").exists()
