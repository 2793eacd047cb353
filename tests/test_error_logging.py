"""A 500 leaves a trace: its traceback on stderr (which gunicorn keeps), and, when ADMINS
is set, an email to them; the error page promises nothing more than that."""

import io
import logging
import sys

import pytest
import urls as site_urls
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import path
from django.utils.log import configure_logging


class Broken(Exception):
    pass


def broken_view(request, **kwargs):
    raise Broken("something went wrong deep inside")


urlpatterns = [
    path("broken/", broken_view),
    path("broken/<str:token>/", broken_view),
    *site_urls.urlpatterns,
]
TOKEN = "Xq3vR8mZ0aLwT5yKcN1bE7uH2sJ9dF4gP6iO0lVtA_k"


@pytest.fixture
def stderr_log(monkeypatch):
    """The site's LOGGING, configured while sys.stderr is a buffer the test reads."""
    stream = io.StringIO()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stderr", stream)
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    yield stream
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)


def get_broken_page():
    with override_settings(ROOT_URLCONF=__name__):
        return Client(raise_request_exception=False).get("/broken/")


@pytest.mark.django_db
def test_an_error_writes_its_traceback_to_stderr(stderr_log, caplog):
    caplog.set_level(logging.ERROR, logger="django.request")
    response = get_broken_page()
    assert response.status_code == 500
    logged = stderr_log.getvalue()
    assert "Internal Server Error: /broken/" in logged
    assert "Traceback" in logged
    assert "Broken: something went wrong deep inside" in logged
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info[0] is Broken


@pytest.mark.django_db
def test_the_error_page_says_only_what_is_true():
    response = get_broken_page()
    assert response.status_code == 500
    text = response.content.decode()
    assert "Réessayez dans quelques minutes" in text
    assert "prévenus" not in text
    assert "notified" not in text


@pytest.mark.django_db
def test_no_admins_no_email(stderr_log):
    get_broken_page()
    assert mail.outbox == []


@pytest.mark.django_db
@override_settings(ADMINS=["Équipe technique <tech@example.org>"])
def test_admins_get_the_traceback_without_the_visitors_data_or_tokens(stderr_log):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "session-secret-value"
    with override_settings(ROOT_URLCONF=__name__):
        response = client.post(
            f"/broken/{TOKEN}/", {"email": "private@example.org", "phone": "0611223344"}
        )
    assert response.status_code == 500
    [email] = mail.outbox
    assert email.to == ["Équipe technique <tech@example.org>"]
    assert "Internal Server Error: /broken/" in email.subject
    assert "something went wrong deep inside" in email.body
    assert "SECRET_KEY" not in email.body
    assert "Traceback" in email.body
    sent = email.subject + email.body + stderr_log.getvalue()
    for secret in (TOKEN, "private@example.org", "0611223344", "session-secret-value"):
        assert secret not in sent
