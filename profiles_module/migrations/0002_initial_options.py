"""The référentiel's starting option lists; editors extend them in the admin."""

from django.db import migrations

OPTIONS = {
    "project_kind": [
        ("new_build", "construction neuve", "new build"),
        ("renovation", "réhabilitation", "renovation"),
        ("ecohamlet", "écohameau / écolieu", "eco-hamlet / eco-place"),
        ("intergenerational", "habitat intergénérationnel", "intergenerational housing"),
        ("senior", "habitat senior", "senior housing"),
        ("any", "indifférent", "no preference"),
    ],
    "step": [
        ("in_touch", "en lien avec d'autres personnes", "in touch with other people"),
        ("group_member", "membre d'un groupe", "member of a group"),
        ("association_member", "adhérent·e d'une association d'habitat participatif",
         "member of a cohousing association"),
        ("training", "formation / visites suivies", "training / visits done"),
        ("land_identified", "foncier ou bâtiment identifié", "land or building identified"),
        ("authority_contact", "contact avec une collectivité ou un bailleur",
         "in contact with a local authority or a landlord"),
    ],
    "value": [
        ("ecology", "écologie", "ecology"),
        ("solidarity", "solidarité", "solidarity"),
        ("intergenerational", "intergénérationnel", "intergenerational"),
        ("accessibility", "accessibilité / handicap", "accessibility / disability"),
        ("sharing", "mutualisation", "sharing"),
        ("shared_governance", "gouvernance partagée", "shared governance"),
    ],
}


def create_options(apps, schema_editor):
    ProfileOption = apps.get_model("profiles_module", "ProfileOption")
    for category, options in OPTIONS.items():
        for order, (slug, label, label_en) in enumerate(options):
            ProfileOption.objects.get_or_create(
                category=category,
                slug=slug,
                defaults={"label": label, "label_en": label_en, "sort_order": order},
            )


class Migration(migrations.Migration):
    dependencies = [("profiles_module", "0001_initial")]

    operations = [migrations.RunPython(create_options, migrations.RunPython.noop)]
