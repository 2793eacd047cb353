"""Public search speed (issue 4): territory columns on sectors, and indexes.

- Sector.territory_departement / territory_region: where the sector lies, copied from its
  place (filled here for existing rows; then by Sector.save() and bulk_create()).
- Indexes for the territory filters, "around a commune" (the communes of a bounding box,
  then their sectors; the map points of a box) and the map's counts per cell.
- PostgreSQL only: a GIN index on the expression the database search backend matches
  (``title || body`` of Wagtail's search index), which its separate GIN indexes on
  ``title`` and ``body`` cannot serve. SQLite searches its own FTS5 table.
"""

import django.db.models.deletion
from django.db import migrations, models

SEARCH_INDEX = "profiles_search_title_body_gin"


def fill_territories(apps, schema_editor):
    Sector = apps.get_model("profiles_module", "Sector")
    Commune = apps.get_model("profiles_module", "Commune")
    Departement = apps.get_model("profiles_module", "Departement")
    communes = Commune.objects.filter(pk=models.OuterRef("commune_id"))
    departements = Departement.objects.filter(pk=models.OuterRef("departement_id"))
    Sector.objects.filter(kind="commune").update(
        territory_departement=models.Subquery(communes.values("departement_id")[:1]),
        territory_region=models.Subquery(communes.values("departement__region_id")[:1]),
    )
    Sector.objects.filter(kind="departement").update(
        territory_departement=models.F("departement_id"),
        territory_region=models.Subquery(departements.values("region_id")[:1]),
    )
    Sector.objects.filter(kind="region").update(
        territory_departement=None, territory_region=models.F("region_id")
    )


def search_index_table(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return None
    table = apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table
    if table not in schema_editor.connection.introspection.table_names():
        return None
    return schema_editor.quote_name(table)


def add_search_index(apps, schema_editor):
    table = search_index_table(apps, schema_editor)
    if table:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON {table} USING gin ((title || body))"
        )


def remove_search_index(apps, schema_editor):
    if search_index_table(apps, schema_editor):
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("profiles_module", "0009_contact_safety"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="sector",
            name="territory_departement",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="profiles_module.departement",
            ),
        ),
        migrations.AddField(
            model_name="sector",
            name="territory_region",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="profiles_module.region",
            ),
        ),
        migrations.RunPython(fill_territories, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="sector",
            name="commune",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="profiles_module.commune",
                verbose_name="commune",
            ),
        ),
        migrations.AddIndex(
            model_name="sector",
            index=models.Index(
                fields=["commune", "radius_km", "profile"], name="sector_commune_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="sector",
            index=models.Index(
                fields=["territory_departement", "profile"], name="sector_territory_dep_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="sector",
            index=models.Index(
                fields=["territory_region", "profile"], name="sector_territory_reg_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="commune",
            index=models.Index(fields=["latitude", "longitude"], name="commune_point_idx"),
        ),
        migrations.RemoveIndex(model_name="profile", name="profile_point_idx"),
        migrations.AddIndex(
            model_name="profile",
            index=models.Index(
                fields=["live", "latitude", "longitude"], name="profile_live_point_idx"
            ),
        ),
        migrations.RunPython(add_search_index, remove_search_index),
    ]
