from django.urls import path

from . import views

app_name = "profiles_module"

urlpatterns = [
    path("communes/", views.commune_autocomplete, name="commune_autocomplete"),
]
