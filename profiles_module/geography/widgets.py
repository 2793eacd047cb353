"""The commune box of the forms: suggestions as people type, a plain text box
without JavaScript."""

from django import forms
from django.urls import reverse

from profiles_module.common.validators import whole_number
from profiles_module.geography.lookup import search_communes
from profiles_module.models import Commune


class CommuneAutocompleteWidget(forms.Widget):
    """A text box that suggests communes as people type (name or postal code).

    The chosen commune's id travels in a hidden input. Without JavaScript, the
    typed text is resolved on the server to the best matching commune.
    """

    template_name = "profiles_module/widgets/commune_autocomplete.html"
    # The search.Territory that a name typed without JavaScript is looked for in (set by
    # forms.TerritoryLimit on a partner's pages, like the suggestions); None: France.
    territory = None

    class Media:
        js = ["profiles_module/js/commune-autocomplete.js"]

    # Subclasses offering other things (the project box) change these three and find().
    url_name = "profiles_module:commune_autocomplete"
    hint = None  # None: the template's hint about communes

    def find(self, value):
        """The chosen object for the field's value (its id), or None."""
        commune_id = whole_number(value) if value else None
        return Commune.objects.filter(pk=commune_id).first() if commune_id is not None else None

    def resolve(self, typed):
        """The id of the best match for text typed without JavaScript, else the text."""
        # In the territory first; else anywhere, so that the form can say it is outside.
        best = (self.territory and search_communes(typed, limit=1, territory=self.territory)) or (
            search_communes(typed, limit=1)
        )
        return str(best[0].pk) if best else typed

    def get_context(self, name, value, attrs):

        context = super().get_context(name, value, attrs)
        chosen = self.find(value)
        context["widget"]["label"] = chosen.label if chosen else (value or "")
        context["widget"]["commune_id"] = chosen.pk if chosen else ""
        context["widget"]["url"] = reverse(self.url_name)
        context["widget"]["hint"] = self.hint
        # The hint, after what the field already points to (its error, set by Django): one
        # aria-describedby attribute, not two.
        attrs = context["widget"]["attrs"]
        hint = f"{attrs.get('id', '')}_hint"
        attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby"), hint]))
        return context

    def value_from_datadict(self, data, files, name):

        chosen = data.get(name)
        if chosen:
            return chosen
        typed = (data.get(f"{name}_label") or "").strip()[:100]
        if not typed:
            return None
        return self.resolve(typed)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_label" not in data
