"""Fixtures of the partners' tests."""

import pytest

from tests.factories import make_member


@pytest.fixture
def partner_editor(partner):
    """An editor of the partner `partner` (a member of its group)."""
    return make_member(partner.group, "loire")
