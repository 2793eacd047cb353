"""Production: every secret comes from the environment; HTTPS everywhere.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL), CACHE_URL (Redis),
EMAIL_PROVIDER. `make prod` (scripts/serve-production) runs them all on one machine.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")  # noqa: F405
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies append the visitor's address to X-Forwarded-For, for the
# per-IP rate limits. None unless told: if gunicorn can be reached directly, a trusted
# header lets any client pick the address its requests are counted under.
PROFILES_TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true") == "true"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix makes the browser refuse these cookies unless they are Secure, for
# the whole site and set by this very host: a sibling subdomain cannot plant or shadow
# them. The contact form's proof cookie follows the session cookie's prefix.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Several processes serve the site: the rate limits, the partners' settings and the
# cached map extents must be the same in all of them, so the cache is shared (Redis).
if not CACHE_URL.startswith(("redis://", "rediss://")):  # noqa: F405
    raise ImproperlyConfigured(
        "CACHE_URL=redis://host:6379/0 is required in production: a per-process cache "
        "would give each worker its own rate limits and partner settings."
    )

# One JSON object per line, for the log collector (LOG_FORMAT=plain for plain lines).
LOGGING["handlers"]["stderr"]["formatter"] = os.environ.get("LOG_FORMAT", "json")  # noqa: F405

# Static files served by the app itself, compressed (gzip and Brotli) under hashed names
# cached for a year, so no separate file server is needed behind the proxy.
MIDDLEWARE.insert(  # noqa: F405
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
)

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
TASKS["default"]["BACKEND"] = os.environ.get(  # noqa: F405
    "TASK_BACKEND_PATH", "django_tasks_db.backend.DatabaseBackend"
)
