"""Local development: debug on, console email, SQLite unless DATABASE_URL says otherwise."""

import os

from .base import *  # noqa: F403
from .base import MAILERS

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")  # noqa: F405

# The console backend prints the MIME source, where long links are cut by
# quoted-printable line breaks; development prints the readable text instead.
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    MAILERS = {
        **MAILERS,
        "default": {**MAILERS["default"], "BACKEND": "home.mail.ReadableConsoleEmailBackend"},
    }

# A template edited while runserver runs shows at the map page's next reload, not once the
# page kept whole for browsers without cookies expires (profiles_module/search/page_cache.py).
PROFILES_MAP_PAGE_CACHE_SECONDS = 0

# Immediate tasks log two INFO lines each (dozens per page saved), burying the emails
# printed in the same terminal.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {"django.tasks": {"level": "WARNING"}},
}
