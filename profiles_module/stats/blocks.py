"""ProfileCountBlock: "N households are looking for cohousing in <place>", for any page."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from profiles_module.models import Departement, MapPage, Region
from profiles_module.models.profiles import ProfileKind, Tenure
from profiles_module.stats.counts import SMALLEST_SHOWN, count_profiles


def region_choices():
    return list(Region.objects.order_by("name").values_list("code", "name"))


def departement_choices():
    return [
        (code, f"{name} ({code})")
        for code, name in Departement.objects.order_by("code").values_list("code", "name")
    ]


class ProfileCountBlock(blocks.StructBlock):
    """How many published fiches a territory holds, optionally of one kind and one
    tenure: a figure, cached, that never names anyone (small counts read "fewer than 5")."""

    regions = blocks.MultipleChoiceBlock(
        choices=region_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("régions"),
        help_text=_("Leave régions and départements empty for all of France."),
    )
    departements = blocks.MultipleChoiceBlock(
        choices=departement_choices, required=False, label=_("départements")
    )
    profile_kind = blocks.ChoiceBlock(
        choices=ProfileKind.choices, required=False, label=_("kind of profile")
    )
    tenure = blocks.ChoiceBlock(choices=Tenure.choices, required=False, label=_("tenure"))
    place = blocks.CharBlock(
        required=False,
        max_length=80,
        label=_("place, as written in the sentence"),
        help_text=_(
            'For example "in the Loire". Empty: the names of the chosen places, or "in France".'
        ),
    )
    map_page = blocks.PageChooserBlock(
        page_type=MapPage, required=False, label=_("map page to link to")
    )

    class Meta:
        icon = "user"
        label = _("Count of profiles")
        template = "profiles_module/blocks/profile_count.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        count = count_profiles(
            region_codes=value.get("regions") or (),
            departement_codes=value.get("departements") or (),
            profile_kind=value.get("profile_kind") or "",
            tenure=value.get("tenure") or "",
        )
        kind = value.get("profile_kind") or ""
        tenure = value.get("tenure") or ""
        context.update(
            count=count,
            kind_label=ProfileKind(kind).label if kind and kind != ProfileKind.HOUSEHOLD else "",
            tenure_label=Tenure(tenure).label if tenure else "",
            too_few=count < SMALLEST_SHOWN,
            smallest_shown=SMALLEST_SHOWN,
            place=value.get("place") or self.place_names(value),
        )
        return context

    @staticmethod
    def place_names(value):
        names = list(
            Region.objects.filter(code__in=value.get("regions") or ()).values_list(
                "name", flat=True
            )
        ) + list(
            Departement.objects.filter(code__in=value.get("departements") or ()).values_list(
                "name", flat=True
            )
        )
        if not names:
            return _("in France")
        return _("in %(places)s") % {"places": ", ".join(sorted(names))}


# Host migrations record the block under the app's public blocks module.
DECONSTRUCT_ALIASES = {ProfileCountBlock: "profiles_module.blocks.ProfileCountBlock"}
