"""The demo prints a household's management link, whose page shows its suggestions."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.helpers import path_of

pytestmark = pytest.mark.django_db


def test_the_demo_owner_sees_suggestions_with_their_reasons(client):
    # A fixed seed: 300 random households do not always hold one in Lyon, and without
    # one the demo picks a household with few neighbours, whose reasons are wider.
    call_command("seed_demo", profiles=300, seed=1, stdout=io.StringIO())
    out = io.StringIO()
    call_command("setup_demo", profiles=300, stdout=out)
    link = re.search(r"its suggestions\), valid once: (\S+)", out.getvalue()).group(1)
    assert client.post(path_of(link)).status_code == 302
    html = client.get(reverse("profiles_module:manage")).content.decode()
    assert "Vos voisins idéals" in html
    reasons = re.findall(r'<ul class="fv-reasons"><li>([^<]+) <span', html)
    assert len(reasons) >= 3
    assert any(reason.startswith(("même secteur", "secteurs voisins")) for reason in reasons)
