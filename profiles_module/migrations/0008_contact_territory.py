# Written by hand: the territory of contact messages, for the editors' statistics.

from django.db import migrations, models
from django.db.models import F


def sector_codes(sector):
    """(région code, département code) of a historical Sector (see territory_of)."""
    if sector.kind == "region" and sector.region_id:
        return sector.region.code, ""
    if sector.kind == "departement" and sector.departement_id:
        departement = sector.departement
    elif sector.kind == "commune" and sector.commune_id:
        departement = sector.commune.departement
    else:
        return "", ""
    return departement.region.code, departement.code


def fill_territories(apps, schema_editor):
    """Messages whose recipient still exists get the territory of its first sector
    today (the best that is known); those of erased profiles and of fixed addresses
    stay empty."""
    ContactMessage = apps.get_model("profiles_module", "ContactMessage")
    Sector = apps.get_model("profiles_module", "Sector")
    recipients = (
        ContactMessage.objects.filter(recipient__isnull=False)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    sectors = (
        Sector.objects.filter(profile_id__in=list(recipients))
        .select_related("commune__departement__region", "departement__region", "region")
        .order_by("profile_id", F("sort_order").asc(nulls_last=True), "pk")
    )
    first = {}
    for sector in sectors:
        first.setdefault(sector.profile_id, sector)
    for profile_id, sector in first.items():
        region_code, departement_code = sector_codes(sector)
        ContactMessage.objects.filter(recipient_id=profile_id).update(
            region_code=region_code, departement_code=departement_code
        )


class Migration(migrations.Migration):
    dependencies = [
        ("profiles_module", "0007_contact_verification"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="contactmessage",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [("view_contact_statistics", "Can see the contact statistics")],
                "verbose_name": "contact message",
                "verbose_name_plural": "contact messages",
            },
        ),
        migrations.AddField(
            model_name="contactmessage",
            name="region_code",
            field=models.CharField(blank=True, max_length=3, verbose_name="région code"),
        ),
        migrations.AddField(
            model_name="contactmessage",
            name="departement_code",
            field=models.CharField(blank=True, max_length=3, verbose_name="département code"),
        ),
        migrations.RunPython(fill_territories, migrations.RunPython.noop, elidable=True),
    ]
