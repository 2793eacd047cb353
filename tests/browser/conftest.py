"""Fixtures of the browser tests (see tests/browser/__init__.py for the helpers).

Every browser test carries ``@pytest.mark.browser`` and uses ``page`` (or
``mobile_page``, or ``admin_page``): a fresh browser context on Django's live server
with a complete database (``live_site``), cut off from every other host.
"""

import os

import pytest

from tests.browser import admin_login, chromium_path, is_local, make_admin_user

# Playwright's sync API keeps its asyncio event loop marked as running in this thread,
# even between calls, so Django's async-safety guard raises SynchronousOnlyOperation
# as soon as the test uses the ORM (to build data or check results) while Playwright
# is active. The test code itself is plain synchronous code: the guard is a false alarm.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
MOBILE_VIEWPORT = {"width": 390, "height": 844}


@pytest.fixture(scope="session", autouse=True)
def one_request_at_a_time_on_sqlite():
    """On SQLite, every thread of Django's live server shares the test's one in-memory
    connection: two requests at once (a page and its frames, a page and its fetches)
    interleave on it and fail at random. There the server still accepts connections in
    threads (a browser keeps idle ones open) but runs the site for one request at a time."""
    import threading

    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return
    threaded = LiveServerThread.server_class
    lock = threading.Lock()

    class OneAtATime(threaded):
        def set_app(self, application):
            def serialized(environ, start_response):
                with lock:
                    response = application(environ, start_response)
                    try:
                        body = b"".join(response)
                    finally:
                        if hasattr(response, "close"):
                            response.close()
                return [body]

            super().set_app(serialized)

    LiveServerThread.server_class = OneAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session: Debian's, never a Playwright download."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing (apt-get install chromium): required in CI.")
        pytest.skip("Chromium not installed: apt-get install chromium")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Between two sync calls Playwright leaves its event loop marked as running in
    # this thread. Django keeps database connections in an asgiref Local that, when
    # a loop is running, switches from thread-local to context-local storage: the
    # test code would then get a second set of connections, without the state the
    # test machinery keeps on the first (the serialized_rollback snapshot) and, on
    # SQLite, different from the one handed to the live server. Register the
    # connections of this thread in that storage too, so the test code keeps using
    # the same ones whether or not Playwright is active.
    thread_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_site(django_db_serialized_rollback, live_server, geography):
    """Django's live server over a complete database; returns its base URL.

    ``live_server`` makes the test transactional, and the database is flushed after
    it: that removes what migrations created (Wagtail's root page, the home page, the
    default Site and Locale, content types, permissions, profile options). With
    ``serialized_rollback`` Django saves that migrated state once per session and
    restores it before each test, so every live-server test starts from a freshly
    migrated site. The reference geography, loaded after that snapshot, is reloaded
    by ``geography`` (tests/conftest.py) when missing.

    Every live-server test should use this fixture (directly or through ``page``):
    after a serialized test the flush skips post_migrate, so a live-server test
    without it would start without content types or permissions.
    """
    return live_server.url


@pytest.fixture
def page_viewport():
    """The viewport of ``page``; override this fixture in a module to change it."""
    return DESKTOP_VIEWPORT


@pytest.fixture
def blocked_requests():
    """URLs of requests to non-local hosts that the browser attempted (all aborted)."""
    return []


def _new_context(browser, viewport, blocked):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    # Generous: on a two-core machine a live server and Chromium share the CPU with the
    # test process (and with whatever else runs); a real failure still fails.
    context.set_default_timeout(20_000)

    def keep_local(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    # Tests never touch the internet (OpenStreetMap tiles included: the map works
    # without them, on a grey background).
    context.route("**/*", keep_local)
    return context


@pytest.fixture
def page(browser, live_site, page_viewport, blocked_requests):
    """A page in a fresh browser context, cut off from every host but the live server."""
    context = _new_context(browser, page_viewport, blocked_requests)
    yield context.new_page()
    context.close()


@pytest.fixture
def mobile_page(browser, live_site, blocked_requests):
    """Like ``page``, on a phone-sized viewport (390x844)."""
    context = _new_context(browser, MOBILE_VIEWPORT, blocked_requests)
    yield context.new_page()
    context.close()


@pytest.fixture
def admin_user_for_browser(live_site):
    """A superuser with the browser tests' password."""
    return make_admin_user()


@pytest.fixture
def admin_page(page, live_site, admin_user_for_browser):
    """``page`` signed into the Wagtail admin as a superuser."""
    admin_login(page, live_site, admin_user_for_browser)
    return page
