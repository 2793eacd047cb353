"""The owner's alert on their management page: the publication pages include its
template, and this tag gives it the alert's form, so that they never import the alerts."""

from django import template

from profiles_module.alerts.forms import OwnerAlertForm
from profiles_module.alerts.matching import criteria_in, owner_criteria
from profiles_module.alerts.views import search_url

register = template.Library()


@register.simple_tag(takes_context=True)
def owner_alert(context, profile):
    """{"alert", "form", "map_url"}: the owner's alert if any, and the form that creates
    or changes it, with the owner's last choices (after an error, as they posted them)."""
    criteria = owner_criteria(profile)
    alert = profile.search_alerts.select_related("page").first()
    form = context.get("owner_alert_form")
    if form is None:
        initial = (
            {"criteria": criteria_in(alert.query, criteria), "frequency": alert.frequency}
            if alert
            else {}
        )
        form = OwnerAlertForm(criteria, initial=initial)
    map_url = search_url(context["request"], alert.page, alert.query) if alert else None
    return {"alert": alert, "form": form, "map_url": map_url, "criteria": criteria}
