"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Fixtures live in conftest.py; the helpers below are imported by the tests.
"""

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import reverse

TEST_PASSWORD = "browser-tests-password"  # noqa: S105
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# The map page's main script (Leaflet, the map, the live search), not its first one
# (map-page-start.js), under its hashed name or not: a route to block it.
MAIN_SCRIPT = re.compile(r"/bundles/map-page(\.[0-9a-f]{12})?\.js$")


def chromium_path():
    """Debian's Chromium (apt-get install chromium), or None when it is not installed."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def only_hosts(urls):
    """Chromium's switch that fails every other host's name (map tiles included) at once.

    Not Playwright's routing: it would pass each of the page's own requests through the
    driver and back, a delay per request that a visitor's browser never has."""
    hosts = sorted({urlsplit(url).hostname for url in urls})
    return "--host-resolver-rules=MAP * ~NOTFOUND, " + ", ".join(f"EXCLUDE {h}" for h in hosts)


def is_local(url):
    return urlsplit(url).scheme in {"data", "blob"} or urlsplit(url).hostname in LOCAL_HOSTS


def make_admin_user(username="admin", *, superuser=True, groups=(), **fields):
    """A user able to sign into the Wagtail admin, with the shared test password."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    create = user_model.objects.create_superuser if superuser else user_model.objects.create_user
    user = create(
        username=username, email=f"{username}@example.org", password=TEST_PASSWORD, **fields
    )
    user.groups.add(*groups)
    return user


def admin_login(page, base_url, user, password=TEST_PASSWORD):
    """Sign into the Wagtail admin through its login form; leaves the page on the dashboard."""
    page.goto(f"{base_url}/admin/login/")
    page.locator("#id_username").fill(user.get_username())
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").first.click()
    if urlsplit(page.url).path.startswith("/admin/login/"):
        raise AssertionError(f"Could not sign into the admin as {user.get_username()}")
    settle(page)


def settle(page):
    """Wait until the page has no request in flight; call it before using the ORM again.

    On SQLite the live server thread shares the test's in-memory database connection,
    so an ORM call in the test while the server is still answering the page (its
    background fetches included) can fail with "cannot start a transaction within a
    transaction". Harmless and cheap on PostgreSQL.
    """
    page.wait_for_load_state("networkidle")


def map_requests(tab):
    """The map data requests the tab makes, from now on."""
    endpoint = reverse("profiles_module:api_map")
    asked = []
    tab.on("request", lambda request: endpoint in request.url and asked.append(request.url))
    return asked


def listed_names(page):
    """The names of the map page's result cards, sorted. Read as text content: cards
    below the screen are laid out only once scrolled to (content-visibility), and
    innerText gives nothing for what is not laid out, though the name is in the page
    for screen readers and find-in-page alike."""
    return sorted(page.locator(".fv-card__name a").all_text_contents())
