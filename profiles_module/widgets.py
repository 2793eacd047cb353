import html

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
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
        # The hint, after what the field already points to (its error, set by Django): one
        # aria-describedby attribute, not two.
        attrs = context["widget"]["attrs"]
        hint = f"{attrs.get('id', '')}_hint"
        attrs["aria-describedby"] = " ".join(filter(None, [attrs.get("aria-describedby"), hint]))
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


class CommuneSearchWidget(forms.TextInput):
    """The map page's "around a commune" box: a plain text input, with the suggestions of
    CommuneAutocompleteWidget when JavaScript runs.

    Unlike the publication form's widget, the typed text itself is sent (no hidden
    id): a picked suggestion ("Saint-Étienne (42000)"), a name or a postal code, all
    resolved on the server (ProfileSearchForm.clean_commune), with or without JS.
    """

    template_name = "profiles_module/widgets/commune_search.html"

    class Media:
        js = ["profiles_module/js/commune-autocomplete.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["url"] = reverse("profiles_module:commune_autocomplete")
        return context


def escape(value):
    """conditional_escape without its lazy-string wrapper (a few µs per call here add up)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def options_html(optgroups, option_html):
    """The options of a choice widget as HTML, built in Python.

    ``option_html`` is a str.format template of (name, value, attributes, label, the
    label's ``for`` attribute), every part escaped. Same markup as Django's option
    templates (attributes as attrs.html writes them), about five times faster than an
    included template per option: the search form has about 200 options and is
    rendered on every search.
    """
    parts = []
    for group_name, options, _index in optgroups:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            attrs = option["attrs"]
            parts.append(
                option_html.format(
                    escape(option["name"]),
                    escape(option["value"]),
                    "".join(
                        f" {name}" if value is True else f' {name}="{escape(value)}"'
                        for name, value in attrs.items()
                        if value is not False
                    ),
                    escape(option["label"]),
                    f' for="{escape(attrs["id"])}"' if attrs.get("id") else "",
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    return mark_safe("".join(parts))  # noqa: S308 (every value above is escaped)


class FilterSelect(forms.Select):
    """A select of the search form (see options_html)."""

    template_name = "profiles_module/map/widgets/select.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = options_html(
            context["widget"]["optgroups"], '\n  <option value="{1}"{2}>{3}</option>'
        )
        return context


class FilterCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes of the search form (see options_html)."""

    template_name = "profiles_module/map/widgets/checkboxes.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options_html"] = options_html(
            context["widget"]["optgroups"],
            '<div>\n    <label{4}><input type="checkbox" name="{0}" value="{1}"{2}> {3}</label>'
            "</div>",
        )
        return context
