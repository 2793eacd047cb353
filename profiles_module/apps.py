"""The app's configuration, and where its features are wired together."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesModuleConfig(AppConfig):
    name = "profiles_module"
    label = "profiles_module"
    verbose_name = _("Futurs voisins")
    # Pinned so a host's DEFAULT_AUTO_FIELD never creates migrations in this app.
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: these modules use the models, which Django loads
        # after reading the AppConfig. This is where features are wired together.
        from django.core.signals import setting_changed
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
        from wagtail.models import Page, PageViewRestriction, Site
        from wagtail.signals import (
            page_published,
            page_slug_changed,
            page_unpublished,
            post_page_move,
            workflow_approved,
            workflow_rejected,
        )

        from profiles_module import checks  # noqa: F401  (registers the system checks)
        from profiles_module.alerts.matching import owner_alerts_data
        from profiles_module.common.page_links import PUBLISHED_PAGES, page_saved
        from profiles_module.common.versions import CHOICE_LISTS, SEARCHED_FICHES
        from profiles_module.contact.history import history_data
        from profiles_module.contact.retention import forget_household
        from profiles_module.models import (
            Departement,
            Profile,
            ProfileOption,
            Project,
            Region,
            Sector,
        )
        from profiles_module.models.profiles import option_deleted, option_deleting, sector_changed
        from profiles_module.models.projects import PROJECTS_VERSION
        from profiles_module.partners import signals as partner_signals
        from profiles_module.publication import views as publication_views
        from profiles_module.publication.lifecycle import (
            notify_moderation_result,
            scrub_profile_traces,
        )
        from profiles_module.search import page_cache
        from profiles_module.search.rendered import forget_rendered_html

        post_delete.connect(scrub_profile_traces, sender=Profile, dispatch_uid="fv_scrub")
        post_delete.connect(forget_household, sender=Profile, dispatch_uid="fv_contact_forget")
        # The facet columns of a fiche follow its sectors and options (models/facets.py).
        for signal in (post_save, post_delete):
            signal.connect(sector_changed, sender=Sector, dispatch_uid="fv_sector_facets")
        pre_delete.connect(option_deleting, sender=ProfileOption, dispatch_uid="fv_option_facets")
        post_delete.connect(option_deleted, sender=ProfileOption, dispatch_uid="fv_option_facets")
        workflow_approved.connect(
            lambda instance, **kw: notify_moderation_result(instance, approved=True),
            weak=False,
            dispatch_uid="fv_moderation_approved",
        )
        workflow_rejected.connect(
            lambda instance, **kw: notify_moderation_result(instance, approved=False),
            weak=False,
            dispatch_uid="fv_moderation_rejected",
        )
        partner_signals.connect()
        setting_changed.connect(forget_rendered_html, dispatch_uid="fv_rendered_html")
        setting_changed.connect(page_cache.settings_changed, dispatch_uid="fv_page_cache")
        # The owner's data download holds their exchanges through the contact relay.
        publication_views.DATA_SECTIONS["messages"] = history_data
        # And the alert of new fiches they made from their fiche.
        publication_views.DATA_SECTIONS["alerts"] = owner_alerts_data
        # Cached facet counts and map cells are computed again once a fiche changes.
        for signal, change in ((post_save, "saved"), (post_delete, "deleted")):
            for model in (Profile, Sector):
                signal.connect(
                    SEARCHED_FICHES.forget,
                    sender=model,
                    dispatch_uid=f"fv_search_{model.__name__}_{change}",
                )
        for field in ("project_kinds", "steps", "values"):
            m2m_changed.connect(
                SEARCHED_FICHES.forget,
                sender=getattr(Profile, field).through,
                dispatch_uid=f"fv_search_{field}",
            )
        # The search form's lists of places and options follow them.
        for signal, change in ((post_save, "saved"), (post_delete, "deleted")):
            for model in (Region, Departement, ProfileOption):
                signal.connect(
                    CHOICE_LISTS.forget,
                    sender=model,
                    dispatch_uid=f"fv_choices_{model.__name__}_{change}",
                )
        # The frame's links to pages (language switch, legal pages) follow the page tree.
        for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
            signal.connect(PUBLISHED_PAGES.forget, dispatch_uid=f"fv_pages_{id(signal)}")
        # post_save names the page's own type, never Page; post_delete names Page too (a
        # receiver for every model would cost Django its fast deletes).
        post_save.connect(page_saved, dispatch_uid="fv_pages_saved")
        for model in (Page, PageViewRestriction, Site):
            post_delete.connect(
                PUBLISHED_PAGES.forget, sender=model, dispatch_uid=f"fv_pages_{model.__name__}"
            )
        for model in (PageViewRestriction, Site):
            post_save.connect(
                PUBLISHED_PAGES.forget, sender=model, dispatch_uid=f"fv_pages_{model.__name__}"
            )
        # Whether a map page shows the projects layer; the import replaces it too.
        for signal in (post_save, post_delete):
            signal.connect(PROJECTS_VERSION.forget, sender=Project, dispatch_uid="fv_projects")
