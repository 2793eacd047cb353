"""The household profile (fiche) and its wished sectors."""

import functools
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin
from wagtailgeowidget.helpers import geosgeometry_str_to_struct

from profiles_module.common.fields import ChoiceListField
from profiles_module.common.images import resize_photo, validate_photo_size
from profiles_module.common.paths import profile_path
from profiles_module.common.validators import (
    validate_no_contact_details,
    validate_plain_text,
    validate_single_line,
)

from ..conf import app_settings
from . import facets
from .geography import Commune, Departement, Region
from .options import ProfileOption


class ProfileKind(models.TextChoices):
    HOUSEHOLD = "household", _("future resident (person or household)")
    GROUP = "group", _("group being formed, looking for members")
    RESIDENT = "resident", _("resident of a cohousing project")
    RESOURCE = "resource", _("resource person (facilitator, local authority, social landlord…)")


class Composition(models.TextChoices):
    SINGLE = "single", _("single person")
    COUPLE = "couple", _("couple")
    FAMILY = "family", _("family with child(ren)")
    SINGLE_PARENT = "single_parent", _("single-parent family")
    FLATSHARE = "flatshare", _("flatshare / friends")
    OTHER = "other", _("other")


class AgeBand(models.TextChoices):
    UNDER_30 = "u30", _("under 30")
    FROM_30 = "30_44", _("30–44")
    FROM_45 = "45_59", _("45–59")
    FROM_60 = "60_74", _("60–74")
    OVER_75 = "75p", _("75 and over")


class Setting(models.TextChoices):
    URBAN = "urban", _("urban")
    PERIURBAN = "periurban", _("periurban")
    RURAL = "rural", _("rural")
    ANY = "any", _("no preference")


class Tenure(models.TextChoices):
    OWNERSHIP = "ownership", _("ownership (self-development)")
    COOPERATIVE = "cooperative", _("housing cooperative")
    RENTAL = "rental", _("rental (including social housing)")
    SOLIDARITY_LEASE = "solidarity_lease", _("solidarity lease (BRS) / assisted ownership")
    ANY = "any", _("no preference")


class FinancingBand(models.TextChoices):
    UNDER_20K = "lt20k", _("less than €20k")
    FROM_20K = "20k_75k", _("€20k–75k")
    FROM_75K = "75k_150k", _("€75k–150k")
    FROM_150K = "150k_300k", _("€150k–300k")
    OVER_300K = "gt300k", _("more than €300k")
    UNDISCLOSED = "undisclosed", _("I prefer not to say")


class Horizon(models.TextChoices):
    UNDER_1_YEAR = "lt1", _("less than a year")
    ONE_TO_3_YEARS = "1_3", _("1 to 3 years")
    OVER_3_YEARS = "gt3", _("more than 3 years")


class Role(models.TextChoices):
    CREATE = "create", _("start a group")
    JOIN = "join", _("join an existing group")
    BOTH = "both", _("both")


class ProjectRelation(models.TextChoices):
    MEMBER = "member", _("I am part of this project")
    INTERESTED = "interested", _("This project interests me")


class HiddenReason(models.TextChoices):
    STALE = "stale", _("not confirmed for too long")


# When a fiche was last said to be current: confirmed by its owner, else published.
CONFIRMED_ON = Coalesce("last_confirmed_at", "created_at")
# The public search's order "most recently confirmed first": one definition for the order
# and for its index (Profile.Meta, profile_live_confirmed_idx), which PostgreSQL uses only
# while both say the same.
MOST_RECENTLY_CONFIRMED = (CONFIRMED_ON.desc(), F("id").desc())


# Fields owned by the owner's links and the lifecycle, not by an edit: publishing a
# revision (e.g. one approved after days in moderation) keeps their current values.
LIFECYCLE_FIELDS = [
    "language",
    "last_confirmed_at",
    "site",
    "partner",
    "awaiting_confirmation",
    "email_confirmed_at",
    "paused",
    "hidden_reason",
    "reminders_sent",
    "erasure_warned_at",
    "update_requested_at",
]


@functools.cache
def choice_labels(field):
    """{value: label} of a model field's choices; the labels stay lazy (translated when shown)."""
    return {make_hashable(value): label for value, label in field.flatchoices}


class ProfileQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def public(self):
        """Profiles anyone may see: the one definition of "publicly visible".

        Every public page, the API and the map go through it, so a new hidden state
        (paused, expired…) only needs to be excluded here.
        """
        return self.filter(live=True)

    def refresh_facets(self):
        """Recompute the facet columns of these fiches (see models/facets.py)."""
        return facets.refresh_facets(self.model, Sector, self.values_list("pk", flat=True))


def facet_field():
    return models.TextField(blank=True, default="", editable=False)


class Profile(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    # Public, stable identifier for URLs and the API (the numeric id stays internal).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    profile_kind = models.CharField(
        _("kind of profile"), max_length=20, choices=ProfileKind, default=ProfileKind.HOUSEHOLD
    )
    public_name = models.CharField(
        _("public name"),
        max_length=60,
        validators=[validate_single_line, validate_no_contact_details],
        help_text=_("A first name or a pseudonym, shown publicly. Never an email address."),
    )
    composition = models.CharField(_("household composition"), max_length=20, choices=Composition)
    adults = models.PositiveSmallIntegerField(
        _("adults"), default=1, validators=[MaxValueValidator(30)]
    )
    children = models.PositiveSmallIntegerField(
        _("children"), default=0, validators=[MaxValueValidator(30)]
    )
    age_bands = ChoiceListField(
        _("age bands of the adults"),
        choices=AgeBand,
        help_text=_("Age bands only, never birth dates."),
    )

    setting = models.CharField(_("setting"), max_length=20, choices=Setting, blank=True)
    tenure = models.CharField(_("tenure"), max_length=20, choices=Tenure, blank=True)
    project_kinds = ParentalManyToManyField(
        ProfileOption,
        blank=True,
        related_name="+",
        limit_choices_to={"category": ProfileOption.Category.PROJECT_KIND},
        verbose_name=_("kinds of project"),
    )
    financing_band = models.CharField(
        _("personal contribution"), max_length=20, choices=FinancingBand, blank=True
    )
    financing_public = models.BooleanField(
        _("show the contribution publicly"),
        default=False,
        help_text=_("The owner chooses; hidden by default."),
    )
    social_housing_eligible = models.BooleanField(
        _("eligible for social housing"), null=True, blank=True
    )
    horizon = models.CharField(_("horizon"), max_length=10, choices=Horizon, blank=True)
    role = models.CharField(_("role wished"), max_length=10, choices=Role, blank=True)
    steps = ParentalManyToManyField(
        ProfileOption,
        blank=True,
        related_name="+",
        limit_choices_to={"category": ProfileOption.Category.STEP},
        verbose_name=_("steps already taken"),
    )
    place_identified = models.BooleanField(_("place identified"), default=False)
    place_commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune of the place"),
    )
    values = ParentalManyToManyField(
        ProfileOption,
        blank=True,
        related_name="+",
        limit_choices_to={"category": ProfileOption.Category.VALUE},
        verbose_name=_("values and themes"),
    )
    values_other = models.CharField(
        _("other values"),
        max_length=120,
        blank=True,
        validators=[validate_single_line, validate_no_contact_details],
    )
    presentation = models.TextField(
        _("presentation"),
        blank=True,
        validators=[validate_plain_text, validate_no_contact_details],
        help_text=_("Plain text, shown publicly."),
    )
    photo = models.ImageField(
        _("photo"),
        upload_to="profiles_module/photos/",
        blank=True,
        validators=[validate_photo_size],
        help_text=_("Optional. Resized, and its metadata (GPS position…) removed."),
    )
    national_project_url = models.URLField(
        _("entry in the national projects database"),
        blank=True,
        help_text=_("Link to the project's entry, for groups and residents."),
    )
    project = models.ForeignKey(
        "profiles_module.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("project of the national database"),
        help_text=_("Type its name or its commune, then pick it."),
    )
    project_relation = models.CharField(
        _("this project and you"), max_length=12, choices=ProjectRelation, blank=True
    )

    # Private: only the relay and reminders use it. Never rendered publicly.
    email = models.EmailField(_("contact email (private)"))
    publication_consent_at = models.DateTimeField(
        _("consent to publication given on"),
        help_text=_("Required: the household agreed to publish this profile."),
    )
    news_consent = models.BooleanField(_("agrees to receive news from the network"), default=False)
    news_consent_at = models.DateTimeField(_("news consent given on"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr", editable=False)

    # Public map point: "SRID=4326;POINT(lng lat)" as wagtailgeowidget stores it,
    # mirrored into floats for queries. It starts at the centre of the first sector.
    location = models.CharField(_("map point"), max_length=100, blank=True)
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    # Which sector the point was taken from: the point follows a new first sector,
    # but an editor's manual move is kept while the first sector stays the same.
    located_from = models.CharField(max_length=40, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    last_confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)

    # Copies of the départements, régions and options of the fiche, for the counts next
    # to the search's choices (models/facets.py): derived, never edited.
    facet_departements = facet_field()
    facet_regions = facet_field()
    facet_project_kinds = facet_field()
    facet_steps = facet_field()
    facet_values = facet_field()

    # Publication lifecycle: set by the public form, the owner's links and run_lifecycle,
    # never by editors. Kept out of revisions (see LIFECYCLE_FIELDS).
    site = models.ForeignKey(
        "wagtailcore.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("site"),
    )
    # The member association through whose embedded pages or own site the fiche was
    # published (attribution, for its editors and the network's statistics).
    partner = models.ForeignKey(
        "profiles_module.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="profiles",
        verbose_name=_("published through"),
    )
    awaiting_confirmation = models.BooleanField(
        _("awaiting email confirmation"), default=False, editable=False
    )
    email_confirmed_at = models.DateTimeField(
        _("email confirmed on"), null=True, blank=True, editable=False
    )
    paused = models.BooleanField(_("paused by the owner"), default=False, editable=False)
    hidden_reason = models.CharField(
        _("hidden because"), max_length=20, choices=HiddenReason, blank=True, editable=False
    )
    reminders_sent = models.PositiveSmallIntegerField(
        _("reminders sent"), default=0, editable=False
    )
    erasure_warned_at = models.DateTimeField(
        _("erasure warning sent on"), null=True, blank=True, editable=False
    )
    update_requested_at = models.DateTimeField(
        _("update last requested on"), null=True, blank=True, editable=False
    )

    objects = ProfileQuerySet.as_manager()

    search_fields = [
        index.SearchField("public_name"),
        index.AutocompleteField("public_name"),
        index.SearchField("presentation"),
        index.FilterField("profile_kind"),
        index.FilterField("composition"),
        index.FilterField("live"),
        # Partner editors search within their territory, a filter on the primary key.
        index.FilterField("id"),
    ]

    class Meta:
        ordering = ["-created_at"]
        # For the public search: bounding boxes, sorting and "confirmed within N months".
        indexes = [
            # Leading on live: the public map and "around a commune" read only live points
            # (an index-only scan for the counts per grid cell).
            models.Index(fields=["live", "latitude", "longitude"], name="profile_live_point_idx"),
            models.Index(fields=["live", "-created_at"], name="profile_live_created_idx"),
            models.Index(fields=["last_confirmed_at"], name="profile_confirmed_idx"),
            # The public search's order "most recently confirmed": its first page read in
            # this order, not every live fiche sorted.
            models.Index(
                *MOST_RECENTLY_CONFIRMED,
                condition=Q(live=True),
                name="profile_live_confirmed_idx",
            ),
            models.Index(fields=["updated_at"], name="profile_updated_idx"),
        ]
        verbose_name = _("household profile")
        verbose_name_plural = _("household profiles")
        permissions = [
            ("view_private_details", _("Can see and export private contact details")),
        ]

    def __str__(self):
        return self.public_name

    @property
    def news_address(self):
        """The address, for a confirmed household that agreed to receive the network's
        news; "" for any other: what the administrators' export may hold."""
        return self.email if self.news_consent and not self.awaiting_confirmation else ""

    def get_absolute_url(self):
        """The public profile page (only answers while the profile is public)."""

        return profile_path(self)

    def clean(self):
        super().clean()
        errors = {}
        if self.profile_kind == ProfileKind.HOUSEHOLD and not self.adults:
            errors["adults"] = ValidationError(
                _("A household has at least one adult."), code="no_adult"
            )
        if self.adults is not None and len(self.age_bands) > self.adults:
            errors["age_bands"] = ValidationError(
                _("Tick at most one age band per adult."), code="too_many_bands"
            )
        limit = app_settings.PRESENTATION_MAX_LENGTH
        if len(self.presentation) > limit:
            errors["presentation"] = ValidationError(
                _("The presentation may have at most %(limit)d characters (it has %(count)d)."),
                code="too_long",
                params={"limit": limit, "count": len(self.presentation)},
            )
        if self.place_commune_id and not self.place_identified:
            self.place_commune = None
        # A relation says nothing without its project; a project needs one.
        if not self.project_id:
            self.project_relation = ""
        elif not self.project_relation:
            errors["project_relation"] = ValidationError(
                _("Say whether you are part of this project or interested in it."),
                code="no_relation",
            )
        if self.news_consent and not self.news_consent_at:
            errors["news_consent_at"] = ValidationError(
                _("Record when the news consent was given."), code="required"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.photo and not self.photo._committed:
            self.photo.save("photo.jpg", resize_photo(self.photo.file), save=False)
        self.place_point_on_first_sector()
        parsed = geosgeometry_str_to_struct(self.location or "")
        self.longitude = float(parsed["x"]) if parsed else None
        self.latitude = float(parsed["y"]) if parsed else None
        # The sectors saved by the commit of the relations leave the facets to this
        # save (sector_changed), which refreshes them once, after them all.
        self._committing_relations = True
        try:
            super().save(*args, **kwargs)
        finally:
            self._committing_relations = False
        update_fields = kwargs.get("update_fields")
        if update_fields is None or FACET_INPUTS.intersection(update_fields):
            self.refresh_facets()

    def refresh_facets(self):
        """Recompute the facet columns from the saved sectors and options."""
        columns = Profile.objects.filter(pk=self.pk).refresh_facets().get(self.pk, {})
        for field, value in columns.items():
            setattr(self, field, value)

    @property
    def first_sector(self):
        sectors = sorted(self.sectors.all(), key=lambda s: s.sort_order or 0)
        return sectors[0] if sectors else None

    def place_point_on_first_sector(self):
        """Put the public map point on the centre of the first sector, unless already there."""
        sector = self.first_sector
        if sector is None or (self.location and sector.key == self.located_from):
            return
        place = sector.place
        if place is not None:
            # Fixed decimals: str(-4e-05) would give a point wagtailgeowidget cannot parse.
            self.location = f"SRID=4326;POINT({place.longitude:.5f} {place.latitude:.5f})"
            self.located_from = sector.key

    def sectors_label(self):
        return ", ".join(str(sector) for sector in self.sectors.all())

    sectors_label.short_description = _("wished sectors")

    def age_bands_label(self):
        return ", ".join(str(AgeBand(code).label) for code in self.age_bands)

    def _get_FIELD_display(self, field):
        # Django's get_<field>_display() rebuilds a dict of the field's choices at each
        # call, translating every label to hash it: cards and the API call it hundreds
        # of times per page. Same result, from a dict built once per field.
        value = make_hashable(getattr(self, field.attname))
        return force_str(choice_labels(field).get(value, value), strings_only=True)

    @property
    def financing_band_public(self):
        """The contribution band, or '' when the owner chose to hide it."""
        return self.financing_band if self.financing_public else ""

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in LIFECYCLE_FIELDS:
            attname = self._meta.get_field(name).attname
            setattr(obj, attname, getattr(self, attname))
        return obj

    def get_preview_template(self, request, mode_name):
        return "profiles_module/profile_preview.html"


# What the facet columns are made of (a save of other fields leaves them as they are).
FACET_INPUTS = frozenset({"sectors", *facets.OPTION_FACETS})


def set_territories(sectors):
    """Fill the territory columns of sectors from their places, in two queries at most.

    The territory of a sector is the département it lies in (the commune's or the
    département itself; none for a région) and its région. Copied on save so that the
    public search filters on two indexed columns of the sector, without joins.
    """
    commune_ids = {s.commune_id for s in sectors if s.kind == Sector.Kind.COMMUNE and s.commune_id}
    departement_ids = {
        s.departement_id for s in sectors if s.kind == Sector.Kind.DEPARTEMENT and s.departement_id
    }
    communes = {}
    if commune_ids:
        communes = {
            pk: (departement_id, region_id)
            for pk, departement_id, region_id in Commune.objects.filter(
                pk__in=commune_ids
            ).values_list("pk", "departement_id", "departement__region_id")
        }
    regions = {}
    if departement_ids:
        regions = dict(
            Departement.objects.filter(pk__in=departement_ids).values_list("pk", "region_id")
        )
    for sector in sectors:
        if sector.kind == Sector.Kind.COMMUNE:
            territory = communes.get(sector.commune_id, (None, None))
        elif sector.kind == Sector.Kind.DEPARTEMENT:
            territory = (sector.departement_id, regions.get(sector.departement_id))
        else:
            territory = (None, sector.region_id)
        sector.territory_departement_id, sector.territory_region_id = territory


class SectorQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        set_territories(objs)
        return super().bulk_create(objs, *args, **kwargs)

    def refresh_territories(self):
        """Recompute the territory columns in SQL (after the geography changed)."""
        communes = Commune.objects.filter(pk=models.OuterRef("commune_id"))
        departements = Departement.objects.filter(pk=models.OuterRef("departement_id"))
        self.filter(kind=Sector.Kind.COMMUNE).update(
            territory_departement=models.Subquery(communes.values("departement_id")[:1]),
            territory_region=models.Subquery(communes.values("departement__region_id")[:1]),
        )
        self.filter(kind=Sector.Kind.DEPARTEMENT).update(
            territory_departement=models.F("departement_id"),
            territory_region=models.Subquery(departements.values("region_id")[:1]),
        )
        self.filter(kind=Sector.Kind.REGION).update(
            territory_departement=None, territory_region=models.F("region_id")
        )


class Sector(Orderable):
    """A wished sector: a commune with a radius, a département or a région."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("around a commune")
        DEPARTEMENT = "departement", _("a département")
        REGION = "region", _("a région")

    RADIUS_CHOICES = [(5, "5 km"), (10, "10 km"), (20, "20 km"), (50, "50 km")]

    profile = ParentalKey(Profile, on_delete=models.CASCADE, related_name="sectors")
    kind = models.CharField(_("kind of sector"), max_length=20, choices=Kind, default=Kind.COMMUNE)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
        db_index=False,  # See Meta.indexes.
    )
    radius_km = models.PositiveSmallIntegerField(
        _("radius"),
        choices=RADIUS_CHOICES,
        default=10,
        validators=[MinValueValidator(1)],
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("département"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("région"),
    )

    # Where the sector lies, copied from its place by save() and bulk_create() (see
    # set_territories): the département (none for a région) and the région.
    territory_departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
    )
    territory_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        db_index=False,
    )

    objects = SectorQuerySet.as_manager()

    class Meta(Orderable.Meta):
        verbose_name = _("wished sector")
        verbose_name_plural = _("wished sectors")
        # The public search ("around a commune", territory filters): profile ids from the
        # index alone.
        indexes = [
            models.Index(fields=["commune", "radius_km", "profile"], name="sector_commune_idx"),
            models.Index(
                fields=["territory_departement", "profile"], name="sector_territory_dep_idx"
            ),
            models.Index(fields=["territory_region", "profile"], name="sector_territory_reg_idx"),
        ]

    def save(self, *args, **kwargs):
        set_territories([self])
        super().save(*args, **kwargs)

    def __str__(self):
        if self.kind == self.Kind.COMMUNE and self.commune_id:
            return self.commune_label(self.commune.name, self.radius_km)
        return str(self.place or "")

    @staticmethod
    def commune_label(name, radius_km):
        """How a sector around a commune reads: "Saint-Étienne, within 10 km"."""
        return _("%(commune)s, within %(radius)d km") % {"commune": name, "radius": radius_km}

    @property
    def place(self):
        return {
            self.Kind.COMMUNE: self.commune,
            self.Kind.DEPARTEMENT: self.departement,
            self.Kind.REGION: self.region,
        }[self.kind]

    @property
    def key(self):
        """A short text that changes when the sector's place changes."""
        place = self.place
        return f"{self.kind}:{place.pk if place else ''}"

    def clean(self):
        super().clean()
        required = {
            self.Kind.COMMUNE: "commune",
            self.Kind.DEPARTEMENT: "departement",
            self.Kind.REGION: "region",
        }[self.kind]
        if getattr(self, f"{required}_id") is None:
            raise ValidationError({required: _("Choose the place of this sector.")})
        # Keep only the place that matches the kind, so a sector never means two things.
        for name in {"commune", "departement", "region"} - {required}:
            setattr(self, name, None)


def sector_changed(sender, instance, raw=False, origin=None, **kwargs):
    """post_save and post_delete of Sector: its fiche's facets follow, unless its fiche is
    being saved (Profile.save refreshes them after its sectors) or deleted."""
    if raw or isinstance(origin, Profile) or getattr(origin, "model", None) is Profile:
        return
    if Sector.profile.is_cached(instance) and getattr(
        instance.profile, "_committing_relations", False
    ):
        return
    Profile.objects.filter(pk=instance.profile_id).refresh_facets()


def option_deleting(sender, instance, **kwargs):
    """pre_delete of ProfileOption: the fiches that chose it, before their links go."""
    instance._facet_profiles = list(instance.profiles_using().values_list("pk", flat=True))


def option_deleted(sender, instance, **kwargs):
    """post_delete of ProfileOption: its id leaves the facets of the fiches that had it."""
    Profile.objects.filter(pk__in=getattr(instance, "_facet_profiles", [])).refresh_facets()


# The largest radius of a sector around a commune: how far away a sector's centre can
# be and its circle still reach a place.
MAX_SECTOR_RADIUS_KM = max(km for km, _label in Sector.RADIUS_CHOICES)

# Every field a public card, the profile page or the API shows; nothing private.
PUBLIC_FIELDS = [
    "id",
    "uid",
    "profile_kind",
    "public_name",
    "composition",
    "adults",
    "children",
    "age_bands",
    "setting",
    "tenure",
    "financing_band",
    "financing_public",
    "social_housing_eligible",
    "horizon",
    "role",
    "place_identified",
    "place_commune",
    "values_other",
    "presentation",
    "photo",
    "national_project_url",
    "project",
    "project_relation",
    "latitude",
    "longitude",
    "created_at",
    "last_confirmed_at",
]


def with_public_relations(queryset):
    """Only the public columns, and the relations cards show, in a constant number of queries."""
    return queryset.only(*PUBLIC_FIELDS).prefetch_related(
        Prefetch(
            "sectors",
            queryset=Sector.objects.select_related("commune", "departement", "region"),
        ),
        "project_kinds",
        "values",
        "steps",
    )
