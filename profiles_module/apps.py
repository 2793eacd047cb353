from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesModuleConfig(AppConfig):
    name = "profiles_module"
    label = "profiles_module"
    verbose_name = _("Futurs voisins")
    # Pinned so a host's DEFAULT_AUTO_FIELD never creates migrations in this app.
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
