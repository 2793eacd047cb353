"""The abuse reports' listing fits a laptop screen: the state comes first, few columns."""

import re
import uuid

import pytest
from django.urls import reverse

from profiles_module.models import AbuseReport, ContactMessage
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def headings(html):
    """The column headings of the listing's table, in order (the checkbox column left out)."""
    table = html[html.index('class="listing') :]
    table = table[table.index("<thead") : table.index("</thead>")]
    cells = re.findall(r"<th[^>]*>(.*?)</th>", table, flags=re.S)
    texts = [re.sub(r"<[^>]+>|\s+", " ", cell).strip() for cell in cells]
    return [text for text in texts if text]


def test_the_state_of_each_report_is_the_first_column(client, superuser):
    recipient = make_profile(public_name="Stéphane")
    message = ContactMessage.objects.create(
        recipient=recipient,
        recipient_uid=recipient.uid or uuid.uuid4(),
        sender_name="Sacha",
        sender_email="sacha@example.net",
        body="Bonjour " * 100,
        status=ContactMessage.Status.SENT,
    )
    AbuseReport.objects.create(message=message, comment="Insistant.")
    client.force_login(superuser)
    html = client.get(reverse("abuse_reports:index"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    columns = headings(html)
    assert columns[0] == "État", columns
    # Fewer columns than before: the message's date is in the inspect view.
    assert len(columns) <= 8, columns
    assert "Message envoyé le" not in columns
    assert "à traiter" in html
