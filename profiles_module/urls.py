"""The app's public URLs (`include("profiles_module.urls")`), grouped by feature."""

from django.urls import path

from profiles_module.alerts import views as alerts
from profiles_module.contact import views as contact
from profiles_module.geography import views as geography
from profiles_module.profiles import views as profiles
from profiles_module.projects import views as projects
from profiles_module.publication import views as publication
from profiles_module.search import api

app_name = "profiles_module"

urlpatterns = [
    path("communes/", geography.commune_autocomplete, name="commune_autocomplete"),
    path("projets/", projects.project_autocomplete, name="project_autocomplete"),
]

# Households: links sent by email and the management pages.
urlpatterns += [
    path("confirmer/<str:token>/", publication.confirm, name="confirm"),
    path("lien/<str:token>/", publication.owner_link, name="owner_link"),
    path(
        "nouvelle-adresse/<str:token>/",
        publication.confirm_email_change,
        name="confirm_email_change",
    ),
    path("nouveau-lien/", publication.new_link, name="new_link"),
    path("ma-fiche/", publication.manage, name="manage"),
    path("ma-fiche/modifier/", publication.manage_edit, name="manage_edit"),
    path("ma-fiche/pause/", publication.manage_pause, name="manage_pause"),
    path("ma-fiche/reprendre/", publication.manage_resume, name="manage_resume"),
    path(
        "ma-fiche/je-cherche-toujours/",
        publication.manage_still_looking,
        name="manage_still_looking",
    ),
    path("ma-fiche/adresse/", publication.manage_email, name="manage_email"),
    path("ma-fiche/supprimer/", publication.manage_delete, name="manage_delete"),
    path(
        "ma-fiche/suggestions-par-email/",
        publication.manage_suggestion_emails,
        name="manage_suggestion_emails",
    ),
    path(
        "suggestions/arreter/<str:token>/",
        publication.stop_suggestion_emails,
        name="suggestions_stop",
    ),
    path("ma-fiche/echanges/", contact.manage_contacts, name="manage_contacts"),
    path("ma-fiche/mes-donnees.json", publication.manage_data, name="manage_data"),
    path("ma-fiche/deconnexion/", publication.sign_out, name="sign_out"),
    path("ma-fiche/alerte/", alerts.owner_alert, name="alert_owner"),
    path("ma-fiche/alerte/arreter/", alerts.owner_alert_stop, name="alert_owner_stop"),
]

# Search alerts: saved from a map page, confirmed, sent as digests, unsubscribed.
urlpatterns += [
    path("alertes/", alerts.create_alert, name="alert_create"),
    path("alertes/envoyee/", alerts.alert_sent, name="alert_sent"),
    path("alertes/confirmer/<str:token>/", alerts.confirm_alert, name="alert_confirm"),
    path("alertes/desinscription/<str:token>/", alerts.unsubscribe, name="alert_unsubscribe"),
    path("alertes/carte/<str:token>/", alerts.alert_map, name="alert_map"),
]

# The public profile pages, with the contact relay's form and links.
urlpatterns += [
    path("fiches/<uuid:uid>/", profiles.profile_detail, name="profile_short"),
    # Before profile_detail, whose <slug> would take "contact".
    path("fiches/<uuid:uid>/contact/", profiles.contact, name="contact"),
    path(
        "contact/bloc/<int:page_id>/<uuid:block_id>/",
        contact.contact_block,
        name="contact_block",
    ),
    path("contact/confirmer/<str:token>/", contact.verify_sender, name="verify_sender"),
    path("contact/bloquer/<str:token>/", contact.block_sender, name="block_sender"),
    path("contact/signaler/<str:token>/", contact.report_abuse, name="report_abuse"),
    path("fiches/<uuid:uid>/<str:slug>/", profiles.profile_detail, name="profile_detail"),
]

# The read-only API of the search.
urlpatterns += [
    path("api/v1/profiles/", api.profiles_json, name="api_profiles"),
    path("api/v1/profiles.geojson", api.profiles_geojson, name="api_profiles_geojson"),
    path("api/v1/profiles/map/", api.profiles_map, name="api_map"),
    # The preview a map's marker opens: the fiche's result card.
    path("api/v1/profiles/<uuid:uid>/card/", api.profile_card, name="api_profile_card"),
    # The map's second layer: the projects of the national database.
    path("api/v1/projects.geojson", projects.projects_geojson, name="api_projects_geojson"),
]
