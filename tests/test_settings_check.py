"""A wrong app setting fails `manage.py check` with its name, not a 500 at first use."""

import pytest
from django.test import override_settings

from profiles_module.checks import check_settings


@pytest.mark.parametrize(
    "name, value",
    [
        ("PROFILES_PRESENTATION_MAX_LENGTH", 0),
        ("PROFILES_CONTACT_PER_IP_PER_HOUR", "5"),
        ("PROFILES_TRUSTED_PROXIES", -1),
        ("PROFILES_TRUSTED_PROXIES", True),
        ("PROFILES_CONTACT_FORM_MIN_SECONDS", -3),
        ("PROFILES_CONTACT_FORM_MAX_SECONDS", 0),
    ],
)
def test_a_wrong_number_fails_the_check_with_its_name(name, value):
    with override_settings(**{name: value}):
        errors = check_settings(None)
    assert [error.id for error in errors] == ["profiles_module.E001"]
    assert name in errors[0].msg


@pytest.mark.parametrize("value", ["green", "#0b5d5", "#ffee99", 12])
def test_an_unreadable_or_malformed_link_colour_fails_the_check(value):
    with override_settings(PROFILES_EMAIL_LINK_COLOUR=value):
        errors = check_settings(None)
    assert [error.id for error in errors] == ["profiles_module.E002"]
    assert "PROFILES_EMAIL_LINK_COLOUR" in errors[0].msg


def test_a_base_template_that_does_not_load_fails_the_check():
    with override_settings(PROFILES_BASE_TEMPLATE="nowhere/base.html"):
        errors = check_settings(None)
    assert [error.id for error in errors] == ["profiles_module.E003"]
    assert "nowhere/base.html" in errors[0].msg


def test_the_contact_form_must_leave_time_to_send_it():
    with override_settings(
        PROFILES_CONTACT_FORM_MIN_SECONDS=60, PROFILES_CONTACT_FORM_MAX_SECONDS=60
    ):
        errors = check_settings(None)
    assert [error.id for error in errors] == ["profiles_module.E004"]


def test_the_defaults_and_no_proxy_pass():
    assert check_settings(None) == []
    with override_settings(PROFILES_TRUSTED_PROXIES=0, PROFILES_CONTACT_FORM_MIN_SECONDS=0):
        assert check_settings(None) == []
