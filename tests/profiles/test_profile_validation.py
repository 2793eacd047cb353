"""Every validation rule of the profile: bad input gets a field error and nothing is saved."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from PIL import Image

from profiles_module.models import Commune, Departement, Profile, Region, Sector
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def errors_of(profile):
    with pytest.raises(ValidationError) as caught:
        profile.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("public_name", "", "blank"),
        ("public_name", "x" * 61, "max_length"),
        ("public_name", "<script>alert(1)</script>", "markup"),
        ("public_name", "Camille <b>", "markup"),
        ("public_name", "Camille\r\nBcc: victim@example.org", "line_break"),
        ("public_name", "Cam\x00ille", "control"),
        ("public_name", "camille@example.org", "email_in_text"),
        ("public_name", "Camille 06 12 34 56 78", "phone_in_text"),
        ("presentation", "Écrivez-moi : camille [at] example.org", "email_in_text"),
        ("presentation", "Appelez le +33 6 12 34 56 78", "phone_in_text"),
        ("presentation", "<img src=x onerror=alert(1)>", "markup"),
        ("presentation", "&lt;b&gt;", "markup"),
        ("presentation", "x" * 2001, "too_long"),
        ("values_other", "a\nb", "line_break"),
        ("composition", "castle", "invalid_choice"),
        ("profile_kind", "robot", "invalid_choice"),
        ("tenure", "squat", "invalid_choice"),
        ("age_bands", ["u30", "ancient"], "invalid_choice"),
        ("adults", 31, "max_value"),
        ("children", 99, "max_value"),
        ("email", "not-an-email", "invalid"),
        ("email", "a@b.c\r\nBcc: x@y.z", "invalid"),
        ("national_project_url", "javascript:alert(1)", "invalid"),
        ("publication_consent_at", None, "null"),
    ],
)
def test_bad_input_is_a_field_error(field, value, code):
    profile = make_profile(save=False, **{field: value})
    with pytest.raises(ValidationError) as caught:
        profile.full_clean()
    # Codes, not messages: the messages are translated (French first).
    assert code in [error.code for error in caught.value.error_dict[field]]


def test_plain_text_with_angle_brackets_that_is_not_markup_is_accepted():
    profile = make_profile(presentation="Budget < 20 k€ et > 10 k€, voilà.\nÀ bientôt !")
    assert Profile.objects.get(pk=profile.pk).presentation.startswith("Budget < 20")


def test_a_household_has_at_least_one_adult():
    errors = errors_of(make_profile(save=False, profile_kind="household", adults=0))
    assert len(errors["adults"]) == 1


def test_a_group_may_have_no_adult_count():
    group = make_profile(profile_kind="group", adults=0)  # full_clean() passes
    assert Profile.objects.get(pk=group.pk).adults == 0
    assert "adults" in errors_of(make_profile(save=False, profile_kind="household", adults=0))


def test_at_most_one_age_band_per_adult():
    errors = errors_of(make_profile(save=False, adults=1, age_bands=["u30", "30_44"]))
    assert "age_bands" in errors


def test_news_consent_needs_its_date():
    errors = errors_of(make_profile(save=False, news_consent=True, news_consent_at=None))
    assert "news_consent_at" in errors


@override_settings(PROFILES_PRESENTATION_MAX_LENGTH=50, LANGUAGE_CODE="en")
def test_presentation_limit_follows_the_setting():
    with translation.override("en"):
        errors = errors_of(make_profile(save=False, presentation="x" * 51))
    assert errors["presentation"] == [
        "The presentation may have at most 50 characters (it has 51)."
    ]


def test_age_bands_round_trip_and_filter():
    profile = make_profile(adults=2, age_bands=["30_44", "60_74"])
    stored = Profile.objects.get(pk=profile.pk)
    assert stored.age_bands == ["30_44", "60_74"]
    assert list(Profile.objects.filter(age_bands__contains="60_74")) == [stored]
    assert not Profile.objects.filter(age_bands__contains="u30").exists()


class TestSectors:
    def test_a_commune_sector_needs_its_commune(self):
        sector = Sector(kind=Sector.Kind.COMMUNE, radius_km=10)
        with pytest.raises(ValidationError) as caught:
            sector.clean()
        assert "commune" in caught.value.message_dict

    def test_a_departement_sector_needs_its_departement(self):
        with pytest.raises(ValidationError) as caught:
            Sector(kind=Sector.Kind.DEPARTEMENT).clean()
        assert "departement" in caught.value.message_dict

    def test_a_sector_keeps_only_the_place_of_its_kind(self):
        loire = Departement.objects.get(code="42")
        sector = Sector(kind=Sector.Kind.DEPARTEMENT, departement=loire, region=loire.region)
        sector.clean()
        assert sector.departement == loire and sector.region is None

    def test_radius_is_a_closed_list(self):
        profile = make_profile()
        sector = profile.sectors.first()
        sector.radius_km = 7
        with pytest.raises(ValidationError) as caught:
            sector.full_clean(exclude=["profile"])
        assert "radius_km" in caught.value.message_dict


class TestMapPoint:
    def test_point_is_the_centre_of_the_first_sector(self):
        profile = make_profile(commune="42218")
        assert (profile.latitude, profile.longitude) == (45.43025, 4.37861)
        assert profile.location == "SRID=4326;POINT(4.37861 45.43025)"

    def test_a_centre_next_to_the_greenwich_meridian_is_stored(self):
        ibos = Commune.objects.get(insee_code="65226")  # longitude -0.00004
        profile = make_profile(commune="65226")
        assert profile.location == f"SRID=4326;POINT(-0.00004 {ibos.latitude:.5f})"
        assert (profile.latitude, profile.longitude) == (ibos.latitude, -0.00004)

    def test_region_sector_uses_the_region_centre(self):
        bretagne = Region.objects.get(code="53")
        profile = make_profile(save=False)
        profile.sectors = [Sector(kind=Sector.Kind.REGION, region=bretagne)]
        profile.save()
        assert (profile.latitude, profile.longitude) == (bretagne.latitude, bretagne.longitude)

    def test_an_editors_move_is_kept_until_the_first_sector_changes(self):
        profile = make_profile(commune="42218")
        profile.location = "SRID=4326;POINT(4.4 45.5)"
        profile.save()
        assert (profile.latitude, profile.longitude) == (45.5, 4.4)

        profile.sectors = [
            Sector(kind=Sector.Kind.DEPARTEMENT, departement=Departement.objects.get(code="29"))
        ]
        profile.save()
        finistere = Departement.objects.get(code="29")
        assert (profile.latitude, profile.longitude) == (finistere.latitude, finistere.longitude)


class TestPhoto:
    def jpeg_with_gps(self, size=(2400, 1600)):
        image = Image.new("RGB", size, "teal")
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (45.0, 26.0, 0.0)}  # GPSInfo
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", exif=exif)
        buffer.seek(0)
        return buffer.getvalue()

    def test_photo_is_resized_and_stripped_of_metadata(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("me.jpg", self.jpeg_with_gps(), content_type="image/jpeg")
        profile = make_profile(photo=upload)
        with Image.open(Profile.objects.get(pk=profile.pk).photo) as stored:
            assert max(stored.size) == 800
            assert not stored.getexif()

    def test_a_file_that_is_not_an_image_is_refused(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("me.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
        with pytest.raises(ValidationError):
            make_profile(photo=upload)
        assert not Profile.objects.exists()


def test_errors_are_in_french_by_default():
    errors = errors_of(make_profile(save=False, profile_kind="household", adults=0))
    assert errors["adults"] == ["Un foyer compte au moins un adulte."]


# The patterns as they were before they were made linear: the new ones must find the same.
QUADRATIC_PATTERNS = {
    "EMAIL_RE": (r"[\w.+-]+\s*(@|\(at\)|\[at\])\s*[\w-]+\.[\w.-]+", re.IGNORECASE),
    "MARKUP_RE": (r"<\s*[a-zA-Z/!?]|&#?\w+;", 0),
}


@pytest.mark.parametrize("name", QUADRATIC_PATTERNS)
def test_the_linear_patterns_find_what_the_quadratic_ones_found(name):
    import random

    from profiles_module.common import validators

    old = re.compile(*QUADRATIC_PATTERNS[name])
    new = getattr(validators, name)
    pieces = [*"aZé1._+-@ ()[]<>&#;/!?\n\t", "(at)", "[AT]", " (at) ", "example.org"]
    rng = random.Random(7)
    for _ in range(50_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        assert bool(new.search(text)) == bool(old.search(text)), text


def test_the_commune_label_pattern_reads_the_same_names():
    from profiles_module.search.filters import LABEL_RE

    old = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d{5})\)$")
    for text in [
        "Saint-Étienne (42000)",
        "Saint-Étienne   (42000)",
        "Paris (75001) (75002)",
        "A(42000)",
        "(42000)",
        "x (4200)",
        "Lyon (69001) extra",
        "Le Puy (43000)\n",
    ]:
        before, after = old.match(text), LABEL_RE.match(text)
        assert (before and before.groupdict()) == (after and after.groupdict()), text
