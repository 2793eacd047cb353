"""A household that deletes its fiche takes its words and its address with it at once:
the messages it wrote and received lose their text, and its address and name as a
sender are gone, in every table; who wrote when, and where, stays for the statistics."""

import pytest

from profiles_module.models import ContactMessage
from profiles_module.publication import lifecycle
from tests.factories import make_profile
from tests.helpers import assert_no_trace, write_to

LEAVING = "maelle@example.org"
STAYING = "octavien@example.org"
TO_LEAVING = "Bonjour Maëlle, un jardin partagé à Firminy vous tenterait ?"
FROM_LEAVING = "Bonjour Octavien, nous cherchons vers Saint-Étienne nous aussi."

pytestmark = pytest.mark.django_db


def test_a_deleted_household_leaves_no_address_name_or_words(client, settings):
    settings.PROFILES_CONTACT_FORM_MIN_SECONDS = 0
    leaving = make_profile(public_name="Maëlle", email=LEAVING)
    staying = make_profile(public_name="Octavien", email=STAYING, commune="75056")
    write_to(client, STAYING, "Octavien", leaving, TO_LEAVING)
    write_to(client, LEAVING, "Maëlle Durand", staying, FROM_LEAVING)
    assert ContactMessage.objects.filter(body__in=[TO_LEAVING, FROM_LEAVING]).count() == 2

    lifecycle.erase(leaving, "owner")

    assert_no_trace(LEAVING, "Maëlle", TO_LEAVING, FROM_LEAVING)
    # The other household keeps its own address and name; both messages are still
    # counted (when, and in which territory) for the statistics.
    assert ContactMessage.objects.count() == 2
    assert ContactMessage.objects.filter(sender_email=STAYING, sender_name="Octavien").exists()
