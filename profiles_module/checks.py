from django.conf import settings
from django.core.checks import Error, register

from .conf import DEFAULTS, MAY_BE_ZERO, AppSettings


@register()
def check_settings(app_configs, **kwargs):
    """Wrong app settings fail at start-up with a hint, not with a 500 at first use."""
    errors = []
    for name, default in DEFAULTS.items():
        full_name = AppSettings.prefix + name
        value = getattr(settings, full_name, default)
        minimum, kind = (0, "non-negative") if name in MAY_BE_ZERO else (1, "positive")
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            errors.append(
                Error(
                    f"{full_name} must be a {kind} integer, got {value!r}.",
                    hint=f"Remove it to use the default ({default}) or set a {kind} integer.",
                    id="profiles_module.E001",
                )
            )
    return errors
