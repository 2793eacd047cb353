"""Leaflet served from the app's static files (never a CDN), for the admin's map
field and panel, and the tile server every map uses."""

import json
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.utils.functional import cached_property
from django.utils.translation import gettext
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
                "profiles_module/js/leaflet-images.js",  # its marker's images, once hashed
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )

    def build_attrs(self, *args, **kwargs):
        # wagtailgeowidget reads the tile layer once, at import, with an English credit:
        # the admin's map takes the public maps' one, in the editor's language.
        attrs = super().build_attrs(*args, **kwargs)
        options = attrs.get("data-leaflet-field-options-value")
        if options:
            layer = tile_layer()
            options = json.loads(options) | {
                "tileLayer": layer["url"],
                "tileLayerOptions": layer["options"],
            }
            attrs["data-leaflet-field-options-value"] = json.dumps(options)
        return attrs


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


DEFAULT_TILE_URL = "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"


def tile_layer():
    """The tile server of wagtailgeowidget's setting, so the admin and public maps agree."""
    return {
        "url": getattr(settings, "GEO_WIDGET_LEAFLET_TILE_LAYER", DEFAULT_TILE_URL),
        "options": getattr(
            settings,
            "GEO_WIDGET_LEAFLET_TILE_LAYER_OPTIONS",
            {
                # Read per request, in the visitor's language.
                "attribution": gettext(
                    '&copy; <a href="https://www.openstreetmap.org/copyright">'
                    "OpenStreetMap</a> contributors"
                )
            },
        ),
    }


def tile_host():
    """The host name of the tile server ("tile.openstreetmap.org"): every map sends the
    visitor's IP address there, so the privacy texts name it."""
    host = urlsplit(tile_layer()["url"]).hostname or ""
    # Leaflet's placeholders ({s} for the subdomains a, b, c) are not part of the name.
    return ".".join(part for part in host.split(".") if not part.startswith("{"))
