import pytest
from django.core.cache import cache

from profiles_module.geography.loader import load_geography


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference geography once: every test sees all French communes."""
    with django_db_blocker.unblock():
        load_geography()


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits count in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()
