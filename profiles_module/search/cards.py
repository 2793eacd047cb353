"""The result cards of a map page, built from rows rather than model instances."""

from urllib.parse import quote

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.timezone import get_current_timezone, localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from profiles_module.common.paths import profile_path_parts, profile_slug
from profiles_module.models.facets import OPTION_FACETS
from profiles_module.models.geography import Departement
from profiles_module.models.options import ProfileOption
from profiles_module.models.profiles import Profile, Sector, choice_labels
from profiles_module.search.filters import option_rows
from profiles_module.search.rendered import RENDERED_CARDS

FACET_PROJECT_KINDS = OPTION_FACETS["project_kinds"]

# What a card of the map page shows (cards()), and the map's bounds.
CARD_FIELDS = [
    "id",
    "uid",
    "profile_kind",
    "public_name",
    "composition",
    "children",
    "setting",
    "tenure",
    "horizon",
    "presentation",
    "latitude",
    "longitude",
    "created_at",
    "last_confirmed_at",
    # Its kinds of project, as option ids between spaces (models/facets.py).
    FACET_PROJECT_KINDS,
]


def public_sectors(profile_ids):
    """{profile id: [its sectors]} read as rows in one query, without model instances.

    Each sector: ``kind``, ``label`` (as str(Sector)), ``commune`` (INSEE code) and
    ``radius_km`` for a commune, ``departement`` and ``region`` codes for those kinds: what
    cards and the API show, for up to 500 profiles a request.
    """
    rows = (
        Sector.objects.filter(profile_id__in=profile_ids)
        .order_by("sort_order")
        .values_list(
            "profile_id",
            "kind",
            "radius_km",
            "commune__insee_code",
            "commune__name",
            "departement__code",
            "departement__name",
            "region__code",
            "region__name",
        )
    )
    sectors = {}
    for profile_id, kind, radius_km, insee, commune, code, departement, region_code, region in rows:
        if kind == Sector.Kind.COMMUNE:
            label = Sector.commune_label(commune, radius_km) if insee else ""
        elif kind == Sector.Kind.DEPARTEMENT:
            label = Departement.format_label(departement, code) if code else ""
        else:
            label = region or ""
        sectors.setdefault(profile_id, []).append(
            {
                "kind": kind,
                "label": label,
                "commune": insee,
                "radius_km": radius_km if insee else None,
                "departement": code,
                "region": region_code,
            }
        )
    return sectors


def project_kind_labels():
    """{option id, as text: label} of the kinds of project, in their order: from the
    lists of choices every search reads (option_rows), so that a card's kinds of project
    cost no query of their own."""
    return {
        str(pk): ProfileOption.display_label(label, label_en)
        for pk, category, _slug, label, label_en in option_rows()
        if category == ProfileOption.Category.PROJECT_KIND
    }


# A result of the map page; a host site may override it.
CARD_TEMPLATE = "profiles_module/map/card.html"


def cards(profiles, back, show_distance=False):
    """What each card of the map page shows, as text, and its HTML (CARD_TEMPLATE).

    Computed here once per card, from rows rather than model instances, the labels of the
    sectors read as rows too (one query): as template tags, filters
    and related objects, the same work (some fifty variables and tags, and a dozen model
    instances per card) took a third of the page's time. ``profiles``: a page of the
    search, as dicts of CARD_FIELDS (and ``distance_km`` to show it); ``back``: the search
    the profile page links back to.
    """
    profiles = list(profiles)
    ids = [profile["id"] for profile in profiles]
    sectors = public_sectors(ids) if ids else {}
    kind_labels = project_kind_labels()
    back_param = quote(back)  # As the urlencode filter.
    # As profile_page_path() and localtime() do for each, once for the page.
    before, middle, after = profile_path_parts(get_script_prefix(), get_urlconf(), get_language())
    timezone = get_current_timezone()
    # Every text that recurs from card to card is translated once per page, not per card:
    # the translation machinery was a third of this function's time.
    headings = {
        "sectors": _("Wished sectors"),
        "distance": _("Distance"),
        "tenure": _("Tenure"),
        "setting": _("Setting"),
        "horizon": _("Horizon"),
        "projects": _("Kind of project"),
    }
    texts = {}  # Labels of choices, children counts, months: (kind, value) -> text.

    def display(profile, field):  # As get_<field>_display().
        key = (field, profile[field])
        if key not in texts:
            label = choice_labels(Profile._meta.get_field(field)).get(profile[field])
            texts[key] = profile[field] if label is None else str(label)
        return texts[key]

    language = get_language()
    result = []
    for profile in profiles:
        kind = f"{capfirst(display(profile, 'profile_kind'))} · {display(profile, 'composition')}"
        if profile["children"]:
            count = profile["children"]
            if ("children", count) not in texts:
                texts["children", count] = ngettext(
                    "%(counter)s child", "%(counter)s children", count
                ) % {"counter": count}
            kind += " · " + texts["children", count]
        labels = [sector["label"] for sector in sectors.get(profile["id"], ())]
        facts = [(headings["sectors"], ", ".join(labels))]
        if show_distance:
            km = floatformat(profile["distance_km"], 0)
            facts.append((headings["distance"], _("%(km)s km") % {"km": km}))
        for field in ("tenure", "setting", "horizon"):
            if profile[field]:
                facts.append((headings[field], display(profile, field)))
        chosen = profile[FACET_PROJECT_KINDS].split()
        if chosen:
            labels = [label for pk, label in kind_labels.items() if pk in chosen]
            facts.append((headings["projects"], ", ".join(labels)))
        confirmed = localtime(profile["last_confirmed_at"] or profile["created_at"], timezone)
        month = ("month", confirmed.year, confirmed.month)
        if month not in texts:
            texts[month] = _("Up to date in %(date)s") % {"date": date_format(confirmed, "F Y")}
        card = {
            "uid": profile["uid"],
            "url": f"{before}{profile['uid']}{middle}{profile_slug(profile['public_name'])}"
            f"{after}?back={back_param}",
            "name": profile["public_name"],
            "kind": kind,
            "facts": facts,
            "presentation": Truncator(profile["presentation"]).words(40, truncate=" …"),
            "date": texts[month],
        }
        key = (language, *(value for name, value in card.items() if name != "facts"), *facts)
        card["html"] = RENDERED_CARDS.get(
            key, lambda card=card: render_to_string(CARD_TEMPLATE, {"card": card})
        )
        result.append(card)
    return result
