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
    ],
)
def test_a_wrong_value_fails_the_check_with_its_name(name, value):
    with override_settings(**{name: value}):
        errors = check_settings(None)
    assert [error.id for error in errors] == ["profiles_module.E001"]
    assert name in errors[0].msg


def test_the_defaults_and_no_proxy_pass():
    assert check_settings(None) == []
    with override_settings(PROFILES_TRUSTED_PROXIES=0):
        assert check_settings(None) == []
