"""Leaflet served from the app's static files (never a CDN), for the admin's map
field and panel, and the tile server every map uses."""

from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from wagtailgeowidget.panels import LeafletPanel
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


class LocalLeafletPanel(LeafletPanel):
    """LeafletPanel whose map works offline: Leaflet comes from this app's static files."""

    def widget_overrides(self):
        return {
            self.field_name: LocalLeafletField(
                address_field=self.address_field,
                zoom_field=self.zoom_field,
                hide_latlng=self.hide_latlng,
                zoom=self.zoom,
                srid=4326,
                id_prefix="id_",
            )
        }


def tile_layer():
    """The tile server of wagtailgeowidget's setting, so the admin and public maps agree."""
    return {
        "url": getattr(
            settings,
            "GEO_WIDGET_LEAFLET_TILE_LAYER",
            "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
        ),
        "options": getattr(
            settings,
            "GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS",
            {
                "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">'
                "OpenStreetMap</a> contributors"
            },
        ),
    }
