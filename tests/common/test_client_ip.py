"""The visitor's address for the per-IP limits: X-Forwarded-For only from trusted proxies."""

import logging

from django.test import override_settings

from profiles_module.common import ratelimit
from profiles_module.common.ratelimit import client_ip


def test_production_trusts_no_proxy_unless_told(production_settings, monkeypatch):
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    assert production_settings().PROFILES_TRUSTED_PROXIES == 0


def test_production_trusts_the_proxies_it_is_told(production_settings, monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXIES", "1")
    assert production_settings().PROFILES_TRUSTED_PROXIES == 1


def test_without_trusted_proxies_a_forged_header_is_ignored(rf):
    request = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "203.0.113.7"


@override_settings(PROFILES_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_address_it_saw_is_used(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    assert client_ip(request) == "198.51.100.1"


@override_settings(PROFILES_TRUSTED_PROXIES=1)
def test_a_proxy_setting_without_the_header_warns_once(rf, caplog, monkeypatch):
    monkeypatch.setattr(ratelimit, "warned_about_missing_proxy_header", False)
    caplog.set_level(logging.WARNING, logger="profiles_module")
    first = rf.get("/", REMOTE_ADDR="203.0.113.7")
    second = rf.get("/", REMOTE_ADDR="203.0.113.8")
    assert client_ip(first) == "203.0.113.7"
    assert client_ip(second) == "203.0.113.8"
    warnings = [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert "TRUSTED_PROXIES" in warnings[0].getMessage()
    assert "203.0.113" not in warnings[0].getMessage()
