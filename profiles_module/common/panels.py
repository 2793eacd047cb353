from wagtailgeowidget.panels import LeafletPanel

from profiles_module.search.widgets import LocalLeafletField


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
