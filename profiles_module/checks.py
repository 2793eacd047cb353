"""System checks of the app's settings: a wrong value fails `manage.py check` (and so
the server's start) with a hint, not a 500 at first use."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from profiles_module.conf import DEFAULTS, KINDS, AppSettings
from profiles_module.models.partners import validate_colour


def check_number(name, value, default):
    minimum, kind = (0, "non-negative") if KINDS.get(name) == "count" else (1, "positive")
    if isinstance(value, int) and not isinstance(value, bool) and value >= minimum:
        return None
    return Error(
        f"{AppSettings.prefix}{name} must be a {kind} integer, got {value!r}.",
        hint=f"Remove it to use the default ({default}) or set a {kind} integer.",
        id="profiles_module.E001",
    )


def check_colour(name, value, default):
    try:
        validate_colour(value)
    except (ValidationError, TypeError, ValueError) as error:
        reason = " ".join(getattr(error, "messages", [str(error)]))
        return Error(
            f"{AppSettings.prefix}{name} must be a colour like #0b5d50 that reads on "
            f"white, got {value!r}: {reason}",
            hint=f"Remove it to use the default ({default}) or choose a darker colour.",
            id="profiles_module.E002",
        )
    return None


def check_template(name, value, default):
    try:
        get_template(value)
    except (TemplateDoesNotExist, TypeError, ValueError):
        return Error(
            f"{AppSettings.prefix}{name} names a template that cannot be loaded: {value!r}.",
            hint=f"Name the host site's base template (default: {default!r}).",
            id="profiles_module.E003",
        )
    return None


def check_url(name, value, default):
    if value == "" or (
        isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) < 2000
    ):
        return None
    return Error(
        f"{AppSettings.prefix}{name} must be empty or an http(s) address, got {value!r}.",
        hint="Set the address of the national database's JSON API, or leave it empty.",
        id="profiles_module.E005",
    )


CHECKS = {
    "count": check_number,
    "colour": check_colour,
    "template": check_template,
    "url": check_url,
}


@register()
def check_settings(app_configs, **kwargs):
    """Each app setting is checked for its kind of value (conf.KINDS)."""
    errors = []
    for name, default in DEFAULTS.items():
        value = getattr(settings, AppSettings.prefix + name, default)
        error = CHECKS.get(KINDS.get(name), check_number)(name, value, default)
        if error is not None:
            errors.append(error)
    low, high = (
        getattr(settings, AppSettings.prefix + name, DEFAULTS[name])
        for name in ("CONTACT_FORM_MIN_SECONDS", "CONTACT_FORM_MAX_SECONDS")
    )
    if not errors and low >= high:
        errors.append(
            Error(
                f"{AppSettings.prefix}CONTACT_FORM_MIN_SECONDS ({low}) must be less than "
                f"{AppSettings.prefix}CONTACT_FORM_MAX_SECONDS ({high}).",
                hint="Nobody could send the contact forms in time.",
                id="profiles_module.E004",
            )
        )
    return errors


BUNDLE_FINDER = "profiles_module.common.bundles.BundleFinder"


@register()
def check_bundle_finder(app_configs, **kwargs):
    """The map page asks for its stylesheet and its script as one file each (bundles.py):
    without the finder, they would not exist and the map page would show no map."""
    if BUNDLE_FINDER in settings.STATICFILES_FINDERS:
        return []
    return [
        Error(
            f"STATICFILES_FINDERS must include {BUNDLE_FINDER!r}.",
            hint="Add it after Django's two default finders: it serves the map page's "
            "stylesheet and script, each made of several static files.",
            id="profiles_module.E006",
        )
    ]
