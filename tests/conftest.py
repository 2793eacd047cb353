import importlib
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation
from wagtail.models import Site

from profiles_module.geography.loader import load_geography
from profiles_module.models import PublishPage
from tests.factories import make_map_page, make_partner


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference geography once: every test sees all French communes."""
    with django_db_blocker.unblock():
        load_geography()


@pytest.fixture(scope="session")
def geography_rows(django_db_setup, django_db_blocker):
    """The reference geography's rows, read once from the database django_db_setup
    loaded it into: (table, columns, rows) of régions, départements and communes."""
    from profiles_module.models import Commune, Departement, Region

    with django_db_blocker.unblock():
        tables = []
        for model in (Region, Departement, Commune):
            columns = [field.column for field in model._meta.concrete_fields]
            tables.append((model._meta.db_table, columns, list(model.objects.values_list())))
        return tables


@pytest.fixture
def geography(transactional_db, geography_rows):
    """Make sure the reference geography is in the database.

    django_db_setup loads it once per session, but live-server tests (and the others
    that commit) are transactional: the database is emptied after each of them, geography included.
    The rows read once are inserted again in plain SQL (a few tenths of a second, where
    load_geography() reads the data files and builds some 35,000 model instances).
    """
    from django.db import connection

    from profiles_module.models import Commune

    if Commune.objects.exists():
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, columns, rows in geography_rows:
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            # Table and column names come from the models, quoted; the values are parameters.
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language, as a new process does: a request under
    /en/ leaves English active in the thread after it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits count in the cache: every test starts from zero, and without the sets
    of fiches a previous test left in this process (a new process has none)."""
    from profiles_module.search import facets

    cache.clear()
    facets._read.clear()
    yield
    cache.clear()
    facets._read.clear()


@pytest.fixture
def home():
    """The root page of the default site (the host's home page)."""
    return Site.objects.get(is_default_site=True).root_page


@pytest.fixture
def map_page(home):
    """A published map page of all France at /trouver/."""
    return make_map_page(slug="trouver")


@pytest.fixture
def publish_page(home):
    """A published publication page at /publier/."""
    page = PublishPage(title="Publier ma fiche", slug="publier")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def partner():
    """Habitat participatif Loire: a partner covering the Loire (42) only."""
    return make_partner()


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.net", "pw")


@pytest.fixture
def production_settings(monkeypatch):
    """settings.production, imported afresh with the environment of the test (with a base
    of its own: production changes some of base's dicts in place)."""
    import settings

    monkeypatch.setenv("SECRET_KEY", "tests-only-production-import")
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/9")
    for name in ("base", "production"):
        monkeypatch.delitem(sys.modules, f"settings.{name}", raising=False)
        monkeypatch.delattr(settings, name, raising=False)
    yield lambda: importlib.import_module("settings.production")
    sys.modules.pop("settings.production", None)
    sys.modules.pop("settings.base", None)
