"""App settings: every name carries the PROFILES_ prefix and is read at call time.

    from profiles_module.conf import app_settings
    app_settings.PRESENTATION_MAX_LENGTH

Reading at call time (not import time) keeps `override_settings` working.
"""

from django.conf import settings

DEFAULTS = {
    # Longest presentation text a household may write, in characters.
    "PRESENTATION_MAX_LENGTH": 2000,
    # Longest side of a profile photo once resized, in pixels.
    "PHOTO_MAX_SIZE": 800,
    # Largest photo upload accepted, in bytes.
    "PHOTO_MAX_UPLOAD_BYTES": 8 * 1024 * 1024,
    # How many communes the autocomplete endpoint returns.
    "AUTOCOMPLETE_LIMIT": 10,
}


class AppSettings:
    prefix = "PROFILES_"

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown profiles_module setting: {name}")
        return getattr(settings, self.prefix + name, DEFAULTS[name])


app_settings = AppSettings()
