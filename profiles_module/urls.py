from django.urls import path

from profiles_module.contact import views as contact_views
from profiles_module.publication import views as owner_views
from profiles_module.search import api, views

app_name = "profiles_module"

urlpatterns = [
    path("communes/", views.commune_autocomplete, name="commune_autocomplete"),
]

# Households: links sent by email and the management pages (owner_views.py).
urlpatterns += [
    path("confirmer/<str:token>/", owner_views.confirm, name="confirm"),
    path("lien/<str:token>/", owner_views.owner_link, name="owner_link"),
    path(
        "nouvelle-adresse/<str:token>/",
        owner_views.confirm_email_change,
        name="confirm_email_change",
    ),
    path("nouveau-lien/", owner_views.new_link, name="new_link"),
    path("ma-fiche/", owner_views.manage, name="manage"),
    path("ma-fiche/modifier/", owner_views.manage_edit, name="manage_edit"),
    path("ma-fiche/pause/", owner_views.manage_pause, name="manage_pause"),
    path("ma-fiche/reprendre/", owner_views.manage_resume, name="manage_resume"),
    path(
        "ma-fiche/je-cherche-toujours/",
        owner_views.manage_still_looking,
        name="manage_still_looking",
    ),
    path("ma-fiche/adresse/", owner_views.manage_email, name="manage_email"),
    path("ma-fiche/supprimer/", owner_views.manage_delete, name="manage_delete"),
    path("ma-fiche/echanges/", owner_views.manage_contacts, name="manage_contacts"),
    path("ma-fiche/mes-donnees.json", owner_views.manage_data, name="manage_data"),
    path("ma-fiche/deconnexion/", owner_views.sign_out, name="sign_out"),
]

# Finding profiles: the public profile pages and the read-only API (views.py, api.py).
urlpatterns += [
    path("fiches/<uuid:uid>/", views.profile_detail, name="profile_short"),
    # Before profile_detail, whose <slug> would take "contact".
    path("fiches/<uuid:uid>/contact/", contact_views.contact, name="contact"),
    path(
        "contact/bloc/<int:page_id>/<uuid:block_id>/",
        contact_views.contact_block,
        name="contact_block",
    ),
    path("contact/confirmer/<str:token>/", contact_views.verify_sender, name="verify_sender"),
    path("contact/bloquer/<str:token>/", contact_views.block_sender, name="block_sender"),
    path("contact/signaler/<str:token>/", contact_views.report_abuse, name="report_abuse"),
    path("fiches/<uuid:uid>/<str:slug>/", views.profile_detail, name="profile_detail"),
    path("api/v1/profiles/", api.profiles_json, name="api_profiles"),
    path("api/v1/profiles.geojson", api.profiles_geojson, name="api_profiles_geojson"),
    path("api/v1/profiles/map/", api.profiles_map, name="api_map"),
]
