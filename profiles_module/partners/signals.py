"""Signal handlers of the partners, connected in AppConfig.ready()."""

from django.db.models import signals

from profiles_module.models import Partner, TerritoryApprovalTask
from profiles_module.models.partners import forget_partners


def let_partner_editors_moderate(sender, instance, **kwargs):
    """A partner's editors moderate the fiches of its territory: its group joins every
    TerritoryApprovalTask (which limits each member to the territory)."""
    if instance.group_id:
        for task in TerritoryApprovalTask.objects.all():
            task.groups.add(instance.group_id)


def connect():
    signals.post_save.connect(
        let_partner_editors_moderate, sender=Partner, dispatch_uid="fv_partner_moderators"
    )
    # Partners are cached (cached_partners): any change to one, or to its territory,
    # clears the cache.
    for name, signal in (("save", signals.post_save), ("delete", signals.post_delete)):
        signal.connect(forget_partners, sender=Partner, dispatch_uid=f"fv_forget_partner_{name}")
    for through in (Partner.regions.through, Partner.departements.through):
        signals.m2m_changed.connect(
            forget_partners, sender=through, dispatch_uid=f"fv_forget_{through.__name__}"
        )
