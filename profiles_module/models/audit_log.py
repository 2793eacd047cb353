"""The admin's site history, limited for partner editors to the fiches of their territory.

Wagtail's site history report lists the entries of every registered log entry model,
filtered by that model's `viewable_by_user`, which only checks model permissions: a
partner editor (who may change fiches) would see every fiche's history, public names
included, and every abuse report's. This proxy reads the same table as ModelLogEntry and
also drops the entries of fiches and reports outside the user's territory; wagtail_hooks
puts it in ModelLogEntry's place.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail.models import ModelLogEntry
from wagtail.models.audit_log import ModelLogEntryManager

from .contact import AbuseReport
from .partners import abuse_reports_for, editor_territory, scope_to_editor
from .profiles import Profile


class TerritoryLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        entries = super().viewable_by_user(user)
        if editor_territory(user) is None:
            return entries
        # The models whose objects a partner editor sees only within its territory.
        limited = [
            (Profile, scope_to_editor(Profile.objects.all(), user)),
            (AbuseReport, abuse_reports_for(user, AbuseReport.objects.all())),
        ]
        for model, visible in limited:
            # object_id is text on log entries (it serves every model), hence the cast.
            visible_ids = visible.annotate(text_pk=Cast("pk", CharField())).values("text_pk")
            content_type = ContentType.objects.get_for_model(model)
            entries = entries.filter(~Q(content_type=content_type) | Q(object_id__in=visible_ids))
        return entries


class TerritoryLogEntry(ModelLogEntry):
    objects = TerritoryLogEntryManager()

    class Meta:
        proxy = True
