"""The owner's session: opened by a link sent by email, no password."""

from datetime import timedelta
from functools import wraps

from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from profiles_module.conf import app_settings
from profiles_module.models.profiles import Profile
from profiles_module.publication.forms import LinkRequestForm

SESSION_KEY = "profiles_module_owner"


def sign_in(request, profile):
    request.session.cycle_key()
    until = timezone.now() + timedelta(minutes=app_settings.OWNER_SESSION_MINUTES)
    request.session[SESSION_KEY] = {"profile": profile.pk, "until": until.timestamp()}
    # The row naming the fiche expires with the sign-in, so the scheduled pass clears it.
    request.session.set_expiry(until)


def signed_in_profile(request):
    data = request.session.get(SESSION_KEY)
    if not data or data.get("until", 0) < timezone.now().timestamp():
        return None
    return Profile.objects.filter(pk=data.get("profile")).first()


def owner_required(view):
    """The owner's profile as `profile`, or the "sign in again" page."""

    @wraps(view)
    @never_cache
    def wrapper(request, *args, **kwargs):
        profile = signed_in_profile(request)
        if profile is None:
            request.session.pop(SESSION_KEY, None)
            return TemplateResponse(
                request,
                "profiles_module/manage/signed_out.html",
                {"form": LinkRequestForm(), "expired": True},
                status=403,
            )
        return view(request, profile, *args, **kwargs)

    return wrapper
