"""Settings shared by every environment of the Futurs voisins host site.

Everything that differs between machines comes from environment variables, each
listed in the README with its default.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

SITE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SITE_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "home",
    "profiles_module",
    "wagtailgeowidget",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "anymail",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Needed by the search backend on PostgreSQL (postgres.E005), harmless on SQLite.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    # Outermost: compresses what every other middleware wrote (Django's adds random bytes
    # against BREACH); then an ETag for every page, and 304 when the browser has it.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Permissions-Policy, and the admin's own Content-Security-Policy (home/security.py).
    "home.security.SecurityHeadersMiddleware",
    # The shared cache's versions read once per request (profiles_module/common/versions.py).
    "profiles_module.common.versions.VersionsReadOncePerRequest",
    # Before anything reads the path: /integration/<partner>/… (profiles_module/embed.py).
    "profiles_module.partners.embed.EmbedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's, plus Origin-checked POSTs without the cookie in embedded frames.
    "profiles_module.partners.embed.EmbedCsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Wagtail's Site and page route of each request from the shared cache (five queries).
    "profiles_module.common.routes.CachedRoutesMiddleware",
]

# security.W003 looks for Django's CsrfViewMiddleware by its exact name; MIDDLEWARE holds
# its subclass EmbedCsrfViewMiddleware, which keeps every check of Django's and only adds
# the Origin-checked POSTs of embedded frames (tests/test_embed.py checks it is a subclass).
SILENCED_SYSTEM_CHECKS = ["security.W003"]

ROOT_URLCONF = "urls"
WSGI_APPLICATION = "wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "profiles_module.partners.context_processors.embed",
            ],
        },
    },
]

# The embedded SQLite file lets a newcomer run the site with nothing installed;
# production sets DATABASE_URL=postgres://…
# Connections are kept for a minute: opening one per request (PostgreSQL forks a process
# for each) costs every request. The health check reopens a connection the database
# closed (a restart), so the site recovers by itself.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# A read replica (PostgreSQL streaming replication) for the public search and the API,
# which show published fiches only; every other read and every write stays on the primary.
DATABASE_ROUTERS = ["profiles_module.common.replica.ReplicaRouter"]
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    PROFILES_READ_REPLICA = "replica"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    # The map page's stylesheet and script, each one file made of several.
    "profiles_module.common.bundles.BundleFinder",
]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Logs go to stderr (gunicorn, systemd or the container keep them), as plain lines or one
# JSON object per line (LOG_FORMAT=json, production's default), errors with their
# traceback; with ADMINS set ("Name <address>,…"), errors are also mailed to those
# addresses (with ADMINS empty Django's AdminEmailHandler sends nothing). Neither holds a
# link's token or an email address, and the emails leave out the request itself
# (settings/error_reports.py).
ADMINS = env_list("ADMINS")
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "settings.error_reports.RedactTokens"}},
    "formatters": {
        "plain": {
            "()": "settings.error_reports.RedactingFormatter",
            "format": "{asctime} {levelname} {name}: {message}",
            "style": "{",
        },
        "json": {"()": "settings.error_reports.JsonFormatter"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": LOG_FORMAT,
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["redact_tokens"],
            "reporter_class": "settings.error_reports.RequestlessReporter",
        },
    },
    "root": {"handlers": ["stderr", "mail_admins"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Django's own default handlers on "django" print only with DEBUG and would mail twice;
    # its INFO lines are one per request in development.
    "loggers": {"django": {"handlers": [], "level": "WARNING", "propagate": True}},
}

DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Futurs voisins <ne-pas-repondre@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def mailers_from_env():
    """Build MAILERS from EMAIL_PROVIDER: console, file, smtp or an anymail ESP name."""
    provider = os.environ.get("EMAIL_PROVIDER", "console")
    if provider == "console":
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    if provider == "file":
        path = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": path},
            }
        }
    if provider == "smtp":
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": os.environ.get("EMAIL_HOST", "localhost"),
                    "port": int(os.environ.get("EMAIL_PORT", "587")),
                    "username": os.environ.get("EMAIL_HOST_USER", ""),
                    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                    "use_tls": os.environ.get("EMAIL_USE_TLS", "true") == "true",
                },
            }
        }
    # Any anymail provider: EMAIL_PROVIDER=brevo, mailjet, postmark, sendgrid, …
    return {
        "default": {
            "BACKEND": f"anymail.backends.{provider}.EmailBackend",
            "OPTIONS": {"api_key": os.environ.get("EMAIL_API_KEY", "")},
        }
    }


MAILERS = mailers_from_env()

# Django tasks: emails and scheduled work. The database queue is the real one
# (run `python manage.py db_worker`); development runs tasks immediately.
TASK_BACKEND = os.environ.get("TASK_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django.tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.backend.DatabaseBackend",
        }[TASK_BACKEND]
    }
}

WAGTAIL_SITE_NAME = "Futurs voisins"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Pages exist in French and in English (URLs under /en/), each language a tree of its own
# under the same Site; an editor translates a page from its "Translate" menu.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# A page created in one language appears at once in the other (as an alias showing the
# original until it is translated): a language switch never leads to a missing page.
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français"), ("en", "English")]
# The site must work offline and must not call third parties from the admin.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]

# wagtailgeowidget: OpenStreetMap tiles, France by default. The public maps use the same
# tile server (profiles_module/common/leaflet.py), the only outside host a page calls.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")
GEO_WIDGET_LEAFLET_TILE_LAYER = MAP_TILE_URL
GEO_WIDGET_DEFAULT_LOCATION = {"lat": 46.6, "lng": 2.5}
GEO_WIDGET_ZOOM = 6

# Wagtail's Draftail, answering a hand-made POST that is not the editor's JSON with the
# text shown back, not a server error (home/rich_text.py).
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {"WIDGET": "home.rich_text.TolerantDraftailRichTextArea"},
}


def tile_source(url):
    """The Content-Security-Policy source of a Leaflet tile URL: its scheme and host, with
    Leaflet's {s} subdomain placeholder as a wildcard."""
    scheme, _sep, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].replace('{s}', '*')}"


# What a page may load and run: only this site's files, scripts and styles; the few inline
# <style> elements carry the request's nonce; images also from the tile server. An
# embedded page replaces frame-ancestors with its partner's origins
# (profiles_module/partners/embed.py).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", tile_source(MAP_TILE_URL)],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}
# Only the origin leaves for other sites: OpenStreetMap's tile policy asks for a Referer,
# and the path of a search holds the visitor's criteria.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# The browser features no page uses, refused for the page and every frame in it.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
