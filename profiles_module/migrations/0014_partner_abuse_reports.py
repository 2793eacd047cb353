# Written by hand: partner editors now handle the abuse reports of their territory.
#
# Partner.save() gives a group its permissions only when it creates the group, so the
# groups of existing partners get the two new ones here (new groups get them from
# PARTNER_GROUP_PERMISSIONS).

from django.db import migrations

CODENAMES = ["view_abusereport", "change_abusereport"]


def permissions(apps):
    # These rows exist wherever a partner does: the AbuseReport model (0009) precedes
    # Partner (0011), and Django creates permissions after each migrate. In a fresh
    # database there is no partner and nothing to do.
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="profiles_module", codename__in=CODENAMES
    )


def partner_groups(apps):
    Group = apps.get_model("auth", "Group")
    return Group.objects.filter(partner__isnull=False)


def grant(apps, schema_editor):
    granted = list(permissions(apps))
    for group in partner_groups(apps):
        group.permissions.add(*granted)


def revoke(apps, schema_editor):
    # Back to before this migration, where nothing limited the reports to a territory:
    # a partner editor holding these permissions would see every report.
    revoked = list(permissions(apps))
    for group in partner_groups(apps):
        group.permissions.remove(*revoked)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("profiles_module", "0013_territory_log_entry"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
