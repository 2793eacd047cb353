import html

from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from wagtailgeowidget.widgets import LeafletField

from .validators import whole_number

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
    # The search.Territory that a name typed without JavaScript is looked for in (set by
    # forms.TerritoryLimit on a partner's pages, like the suggestions); None: France.
    territory = None

    class Media:
        js = ["profiles_module/js/commune-autocomplete.js"]

    def get_context(self, name, value, attrs):
        from .models import Commune

        context = super().get_context(name, value, attrs)
        commune = None
        commune_id = whole_number(value) if value else None
        if commune_id is not None:
            commune = Commune.objects.filter(pk=commune_id).first()
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
        # In the territory first; else anywhere, so that the form can say it is outside.
        best = (self.territory and search_communes(typed, limit=1, territory=self.territory)) or (
            search_communes(typed, limit=1)
        )
        return str(best[0].pk) if best else typed

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_label" not in data


class FilterTextInput(forms.TextInput):
    """A text box of the search form, written in Python (see FilterChoices)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        return mark_safe(self.input_html(name, value, attrs))  # noqa: S308 (escaped)

    def input_html(self, name, value, attrs, more=""):
        """Django's input.html; ``more``: attributes to add, as HTML."""
        value = self.format_value(value)
        value = "" if value is None else f' value="{escape(value)}"'
        attributes = attributes_html(attrs)
        return f'<input type="{self.input_type}" name="{escape(name)}"{value}{attributes}{more}>'


class CommuneSearchWidget(FilterTextInput):
    """The map page's "around a commune" box: a plain text input, with the suggestions of
    CommuneAutocompleteWidget when JavaScript runs.

    Unlike the publication form's widget, the typed text itself is sent (no hidden
    id): a picked suggestion ("Saint-Étienne (42000)"), a name or a postal code, all
    resolved on the server (ProfileSearchForm.clean_commune), with or without JS.
    """

    class Media:
        js = ["profiles_module/js/commune-autocomplete.js"]

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        list_id = f"{escape(attrs.get('id', ''))}_list"
        box = self.input_html(
            name, value, attrs, f' list="{list_id}" autocomplete="off" data-fv-commune-input'
        )
        url = escape(reverse("profiles_module:commune_autocomplete"))
        return mark_safe(  # noqa: S308 (every value is escaped)
            f'<div class="fv-commune" data-fv-commune data-url="{url}">\n'
            f"  {box}\n"
            f'  <datalist id="{list_id}"></datalist>\n'
            "</div>"
        )


def escape(value):
    """conditional_escape without its lazy-string wrapper (a few µs per call here add up)."""
    if type(value) is str:  # Most values: no __html__ to look up.
        return html.escape(value)
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def attributes_html(attrs):
    """HTML attributes, as django/forms/widgets/attrs.html writes them, every value escaped."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FilterChoices:
    """Choice widgets of the search form, written in Python.

    The markup of Django's select and checkbox templates (tests/test_search.py compares
    them), without their machinery: a dict of attributes and an included template per
    option. The form has about 200 options and is rendered on every search: its fields
    (with ProfileSearchForm.field_html) took about 4 ms of the 25 ms of CPU of the
    unfiltered map page, now about 1. The search's choices are flat (no groups).
    """

    def render_choices(self):
        return self.choices

    def choices_selected(self, value):
        """(value as str, label, selected) of each choice, as ChoiceWidget.optgroups says."""
        selected = set(self.format_value(value))
        for option_value, label in self.render_choices():
            option_value = "" if option_value is None else str(option_value)
            is_selected = option_value in selected
            if is_selected and not self.allow_multiple_selected:
                selected = ()  # A single select marks its first match only.
            yield option_value, label, is_selected


class FilterSelect(FilterChoices, forms.Select):
    """A select of the search form (see FilterChoices)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        options = "".join(
            f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>'
            f"{escape(label)}</option>"
            for option_value, label, selected in self.choices_selected(value)
        )
        return mark_safe(  # noqa: S308 (every value is escaped)
            f'<select name="{escape(name)}"{attributes_html(attrs)}>{options}\n</select>'
        )


class FilterCheckboxes(FilterChoices, forms.CheckboxSelectMultiple):
    """Checkboxes of the search form (see FilterChoices)."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        id_ = attrs.get("id")
        # Each checkbox has the widget's attributes, its id numbered in place (as
        # ChoiceWidget.create_option does): the others are written once.
        names = list(attrs)
        at = names.index("id") if id_ else len(names)
        before = attributes_html({key: attrs[key] for key in names[:at]})
        after = attributes_html({key: attrs[key] for key in names[at + 1 :]})
        name, id_ = escape(name), escape(id_) if id_ else ""
        options = []
        for index, (option_value, label, selected) in enumerate(self.choices_selected(value)):
            option_id = f' id="{id_}_{index}"' if id_ else ""
            label_for = f' for="{id_}_{index}"' if id_ else ""
            checked = " checked" if selected else ""
            options.append(
                f'<div>\n    <label{label_for}><input type="checkbox" name="{name}" '
                f'value="{escape(option_value)}"{before}{option_id}{after}{checked}> '
                f"{escape(label)}</label></div>"
            )
        wrapper = f' id="{id_}"' if id_ else ""
        if attrs.get("class"):
            wrapper += f' class="{escape(attrs["class"])}"'
        return mark_safe(f"<div{wrapper}>{''.join(options)}\n</div>")  # noqa: S308 (escaped)
