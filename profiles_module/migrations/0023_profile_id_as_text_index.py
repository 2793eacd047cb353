"""An index of the fiches' ids written as text, the way Wagtail's search index names
them (``object_id``, a varchar): the words filter joins the matching index entries back to
the fiches on ``object_id = id::varchar``, which, without it, PostgreSQL answered by
casting all 100,000 ids and hashing them (36 ms for a word in 750 fiches, 12 ms with it).

PostgreSQL only, like migration 0010's index of the search table: SQLite searches its
FTS5 table and joins on integers.
"""

from django.db import migrations

NAME = "profile_id_text_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON profiles_module_profile (((id)::varchar(50)))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("profiles_module", "0022_profile_live_counted_index"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
