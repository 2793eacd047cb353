"""Member associations (partners) that embed the tool in their own site ("marque blanche").

A partner has a territory (régions and/or départements), colours and a logo for its
embedded pages, the web origins allowed to frame them, and one Wagtail group whose
editors look after the fiches of that territory only.
"""

import re
from urllib.parse import urlsplit

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel

from profiles_module.common.versions import CacheVersion

from .contact import ContactMessage
from .geography import Departement, Region
from .profiles import Profile
from .territory import NOWHERE, Territory

HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG AA for normal text: the colour carries white text (buttons) and is the colour of
# links on a white background.
MIN_CONTRAST = 4.5


def relative_luminance(colour):
    def channel(hex_pair):
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_with_white(colour):
    return 1.05 / (relative_luminance(colour) + 0.05)


def validate_colour(value):
    if not HEX_COLOUR_RE.match(value or ""):
        raise ValidationError(
            _("Write the colour as # followed by six hexadecimal digits, e.g. #1d5f8a."),
            code="colour_format",
        )
    ratio = contrast_with_white(value)
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _(
                "This colour is too light to be read on white (contrast %(ratio).1f:1, "
                "at least %(minimum).1f:1 is needed): choose a darker shade."
            ),
            code="colour_contrast",
            params={"ratio": ratio, "minimum": MIN_CONTRAST},
        )


def parse_origins(text):
    """The origins of a text with one origin per line, normalised (scheme://host[:port])."""
    return [line.strip().rstrip("/").lower() for line in (text or "").splitlines() if line.strip()]


def validate_origins(text):
    for origin in parse_origins(text):
        try:
            parts = urlsplit(origin)
            parts.port  # noqa: B018 -- raises ValueError on a bad port
        except ValueError:
            parts = None
        if (
            parts is None
            or parts.scheme not in {"https", "http"}
            or not parts.hostname
            or parts.path
            or parts.query
            or parts.fragment
            or parts.username
            or "*" in origin
            or re.search(r"[\s;,'\"]", origin)
        ):
            raise ValidationError(
                _(
                    "“%(origin)s” is not a web origin: write one per line, like "
                    "https://www.example.org (no path, no wildcard)."
                ),
                code="origin",
                params={"origin": origin[:100]},
            )
        if parts.scheme == "http" and parts.hostname not in {"localhost", "127.0.0.1"}:
            raise ValidationError(
                _("“%(origin)s”: only https origins may embed the pages (http for localhost)."),
                code="origin_insecure",
                params={"origin": origin[:100]},
            )


class Partner(ClusterableModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=50,
        unique=True,
        help_text=_("Used in the addresses of the embedded pages, e.g. /integration/<slug>/…"),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    colour = models.CharField(
        _("main colour"),
        max_length=7,
        default="#1d5f8a",
        validators=[validate_colour],
        help_text=_("Buttons and links of the embedded pages; dark enough to read on white."),
    )
    regions = ParentalManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("régions")
    )
    departements = ParentalManyToManyField(
        Departement, blank=True, related_name="+", verbose_name=_("départements")
    )
    allowed_origins = models.TextField(
        _("sites allowed to embed the pages"),
        blank=True,
        validators=[validate_origins],
        help_text=_(
            "One web origin per line, e.g. https://www.habitat-participatif-exemple.fr. "
            "Any other site is refused."
        ),
    )
    # Private: never shown on a page; used by the network to reach the association.
    contact_email = models.EmailField(_("contact address (private)"), blank=True)
    site = models.OneToOneField(
        "wagtailcore.Site",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partner",
        verbose_name=_("own site"),
        help_text=_(
            "A site of this instance (its own hostname) whose map and forms default to "
            "the partner's territory."
        ),
    )
    group = models.OneToOneField(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="partner",
        verbose_name=_("editors' group"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner association")
        verbose_name_plural = _("partner associations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.group_id is None:
            self.group = partner_group(self)
            super().save(update_fields=["group"])

    @property
    def origins(self):
        return parse_origins(self.allowed_origins)

    def get_territory(self):
        """Its régions and départements (read from the prefetch when there is one)."""
        if not hasattr(self, "_territory"):
            self._territory = Territory(
                tuple(region.pk for region in self.regions.all()),
                tuple(departement.pk for departement in self.departements.all()),
            )
        return self._territory

    @classmethod
    def by_slug(cls, slug):
        return cached_partners()["slug"].get(slug)

    @classmethod
    def of_site(cls, site_id):
        return cached_partners()["site"].get(site_id)


# What a partner's editors may do: in the admin, on the fiches of their territory only
# (see permissions.py), see the contact statistics of that territory and handle the abuse
# reports about messages to its fiches. Never the private details: addresses stay with
# the relay and the national administrators. Migration 0014 gave the abuse report
# permissions to the groups created before: update existing groups likewise when
# changing this list.
PARTNER_GROUP_PERMISSIONS = [
    ("wagtailadmin", "admin", "access_admin"),
    ("profiles_module", "profile", "view_profile"),
    ("profiles_module", "profile", "change_profile"),
    ("profiles_module", "profile", "publish_profile"),
    ("profiles_module", "contactmessage", "view_contact_statistics"),
    ("profiles_module", "abusereport", "view_abusereport"),
    ("profiles_module", "abusereport", "change_abusereport"),
]


def partner_group(partner):
    """The Wagtail group of a partner's editors, created with its permissions."""

    group, _created = Group.objects.get_or_create(name=f"Partenaire : {partner.name}"[:150])
    for app_label, _model, codename in PARTNER_GROUP_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            group.permissions.add(permission)
    return group


CACHE_KEY = "profiles_module:partners"
# Every change to a partner replaces it (common/versions.py).
PARTNERS_VERSION = CacheVersion("profiles_module:partners:version")


def cached_partners():
    """Every partner by slug and by site id, with its territory loaded, from the cache.

    Partners are few (one per member association) and rarely change, and embedded
    pages and partner sites need theirs on every request: two cache reads instead of
    three queries. Saving or deleting a partner replaces the version (see the signal
    handlers in partners/signals.py).
    """
    key = f"{CACHE_KEY}:{PARTNERS_VERSION.current()}"
    index = cache.get(key)
    if index is None:
        index = {"slug": {}, "site": {}}
        for partner in Partner.objects.prefetch_related("regions", "departements"):
            partner.get_territory()  # computed now, so that the cached copy carries it
            index["slug"][partner.slug] = partner
            if partner.site_id:
                index["site"][partner.site_id] = partner
        cache.set(key, index, 3600)
    return index


forget_partners = PARTNERS_VERSION.forget


def editor_territory(user):
    """The Territory a user's admin view of the fiches is limited to; None for no limit."""
    if user is None or not user.is_active:
        return NOWHERE
    if user.is_superuser:
        return None
    if not hasattr(user, "_profiles_territory"):
        territories = [
            partner.get_territory()
            for partner in Partner.objects.filter(group__in=user.groups.all()).prefetch_related(
                "regions", "departements"
            )
        ]
        if not territories:
            territory = None
        else:
            territory = Territory(
                tuple({pk for each in territories for pk in each.region_ids}),
                tuple({pk for each in territories for pk in each.departement_ids}),
            )
            if territory.everywhere:
                territory = NOWHERE  # Partners without a territory: no fiche, not all.
        user._profiles_territory = territory
    return user._profiles_territory


def scope_to_editor(queryset, user):
    """The fiches of `queryset` a user may see in the admin."""
    territory = editor_territory(user)
    return queryset if territory is None else territory.apply(queryset)


def editor_can_see(user, profile):
    """Whether a user may see this fiche in the admin (see scope_to_editor)."""
    if editor_territory(user) is None:
        return True
    return scope_to_editor(type(profile).objects.filter(pk=profile.pk), user).exists()


def contact_messages_for(user, queryset):
    """Contact messages a user may see the metadata of: for partner editors, those
    whose recipient lived (when the message was written) in their territory."""
    territory = editor_territory(user)
    if territory is None:
        return queryset
    departements = territory.departements_queryset().values_list("code", flat=True)
    regions = Departement.objects.filter(code__in=departements).values_list(
        "region__code", flat=True
    )
    return queryset.filter(
        Q(departement_code__in=list(departements))
        | Q(departement_code="", region_code__in=list(regions))
    )


def abuse_reports_for(user, queryset):
    """Abuse reports a user may see and handle: for partner editors, those about a
    message to a fiche of their territory (the fiches they look after, whatever the
    fiche's sectors were when the message was written). Once the fiche is erased, the
    territory stored with the message decides, as for the statistics
    (contact_messages_for). Messages to a contact block's fixed address store no
    territory, so their reports stay with the national team."""
    territory = editor_territory(user)
    if territory is None:
        return queryset
    fiches = scope_to_editor(Profile.objects.all(), user)
    without_fiche = contact_messages_for(user, ContactMessage.objects.filter(recipient=None))
    return queryset.filter(Q(message__recipient__in=fiches) | Q(message__in=without_fiche))
