"""An index of the live fiches in the order "most recently confirmed" of the public
search: its first page was every live fiche sorted (66 ms in SQL at 100,000 fiches),
now the first twenty entries of the index."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


class Migration(migrations.Migration):
    dependencies = [
        ("profiles_module", "0023_profile_id_as_text_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="profile",
            index=models.Index(
                Coalesce("last_confirmed_at", "created_at").desc(),
                models.F("id").desc(),
                condition=models.Q(live=True),
                name="profile_live_confirmed_idx",
            ),
        ),
    ]
