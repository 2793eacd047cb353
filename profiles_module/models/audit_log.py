"""The admin's site history, limited for partner editors to the fiches of their territory.

Wagtail's site history report lists the entries of every registered log entry model,
filtered by that model's `viewable_by_user`, which only checks model permissions: a
partner editor (who may change fiches) would see every fiche's history, public names
included. This proxy reads the same table as ModelLogEntry and also drops the entries of
fiches outside the user's territory; wagtail_hooks puts it in ModelLogEntry's place.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import ModelLogEntry
from wagtail.models.audit_log import ModelLogEntryManager


class TerritoryLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        from ..permissions import editor_territory, scope_to_editor
        from .profiles import Profile

        entries = super().viewable_by_user(user)
        if editor_territory(user) is None:
            return entries
        # object_id is text on log entries (it serves every model), hence the cast.
        visible = (
            scope_to_editor(Profile.objects.all(), user)
            .annotate(text_pk=Cast("pk", CharField()))
            .values("text_pk")
        )
        profile_type = ContentType.objects.get_for_model(Profile)
        return entries.filter(~Q(content_type=profile_type) | Q(object_id__in=visible))


class TerritoryLogEntry(ModelLogEntry):
    objects = TerritoryLogEntryManager()

    class Meta:
        proxy = True
