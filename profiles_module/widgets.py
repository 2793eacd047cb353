from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from wagtailgeowidget.widgets import LeafletField

LEAFLET = "profiles_module/vendor/leaflet-1.9.4/"


class LocalLeafletField(LeafletField):
    """wagtailgeowidget's Leaflet field, with Leaflet served from this app, not from a CDN."""

    @cached_property
    def media(self):
        return forms.Media(
            css={"all": (LEAFLET + "leaflet.css", "wagtailgeowidget/css/leaflet-field.css")},
            js=(
                LEAFLET + "leaflet.js",
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )


class CommuneAutocompleteWidget(forms.Widget):
    """A text box that suggests communes as people type (name or postal code).

    The chosen commune's id travels in a hidden input. Without JavaScript, the
    typed text is resolved on the server to the best matching commune.
    """

    template_name = "profiles_module/widgets/commune_autocomplete.html"

    class Media:
        js = ["profiles_module/js/commune-autocomplete.js"]

    def get_context(self, name, value, attrs):
        from .models import Commune

        context = super().get_context(name, value, attrs)
        commune = None
        if value and str(value).isdigit():
            commune = Commune.objects.filter(pk=value).first()
        context["widget"]["label"] = commune.label if commune else (value or "")
        context["widget"]["commune_id"] = commune.pk if commune else ""
        context["widget"]["url"] = reverse("profiles_module:commune_autocomplete")
        return context

    def value_from_datadict(self, data, files, name):
        from .geography import search_communes

        chosen = data.get(name)
        if chosen:
            return chosen
        typed = (data.get(f"{name}_label") or "").strip()[:100]
        if not typed:
            return None
        best = search_communes(typed, limit=1)
        return str(best[0].pk) if best else typed

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_label" not in data
