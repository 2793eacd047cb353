"""The production settings refuse what would break once several processes serve the site,
and serve the static files compressed under hashed names."""

import pytest
from django.core.exceptions import ImproperlyConfigured


def test_production_needs_a_shared_cache(production_settings, monkeypatch):
    monkeypatch.delenv("CACHE_URL")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL=redis://"):
        production_settings()


def test_production_serves_compressed_static_files_and_host_only_cookies(production_settings):
    settings = production_settings()
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    middleware = settings.MIDDLEWARE
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == security + 1
    assert settings.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    assert settings.SESSION_COOKIE_NAME.startswith("__Host-") and settings.SESSION_COOKIE_SECURE
    assert settings.CSRF_COOKIE_NAME.startswith("__Host-") and settings.CSRF_COOKIE_SECURE
