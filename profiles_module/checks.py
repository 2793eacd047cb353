from django.conf import settings
from django.core.checks import Error, register

from .conf import DEFAULTS, AppSettings


@register()
def check_settings(app_configs, **kwargs):
    """Wrong app settings fail at start-up with a hint, not with a 500 at first use."""
    errors = []
    for name, default in DEFAULTS.items():
        full_name = AppSettings.prefix + name
        value = getattr(settings, full_name, default)
        if not isinstance(value, int) or value <= 0:
            errors.append(
                Error(
                    f"{full_name} must be a positive integer, got {value!r}.",
                    hint=f"Remove it to use the default ({default}) or set a positive integer.",
                    id="profiles_module.E001",
                )
            )
    return errors
