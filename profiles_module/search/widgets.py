"""The search form's widgets: Django's markup, from templates a host site may override
(profiles_module/map/widgets/), each list of options written by one template."""

from django import forms
from django.forms.utils import flatatt
from django.utils.translation import get_language

from profiles_module.search.rendered import RENDERED_OPTIONS


class FilterTextInput(forms.TextInput):
    """A text box of the search form (map/widgets/input.html: Django's markup)."""

    template_name = "profiles_module/map/widgets/input.html"


class CommuneSearchWidget(FilterTextInput):
    """The map page's "around a commune" box: a plain text input, with the suggestions of
    CommuneAutocompleteWidget when JavaScript runs.

    Unlike the publication form's widget, the typed text itself is sent (no hidden
    id): a picked suggestion ("Saint-Étienne (42000)"), a name or a postal code, all
    resolved on the server (ProfileSearchForm.clean_commune), with or without JS.
    """

    template_name = "profiles_module/map/widgets/commune.html"

    class Media:
        js = ["profiles_module/js/commune-autocomplete.js"]


class FilterChoices:
    """Choice widgets of the search form, rendered by one template per widget
    (map/widgets/select.html, checkboxes.html) with the markup of Django's own.

    Django's choice widgets render a template per option, through their option groups
    and attribute dicts: the form has about 200 options and is rendered on every search,
    which took a sixth of the unfiltered map page's time. Here each option is
    (value as str, label, selected), looped over in the widget's template. The
    search's choices are flat (no groups).
    """

    # {choice value: number of fiches} when the search counts its choices (facets.py).
    counts = None

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

    def render(self, name, value, attrs=None, renderer=None):
        # The key holds everything the template is given, read cheaply: the attributes
        # as they are, each option as (value, label, selected).
        attrs = self.build_attrs(self.attrs, attrs)
        key = (
            self.template_name,
            get_language(),
            name,
            tuple(attrs.items()),
            tuple(
                (value, str(label), chosen) for value, label, chosen in self.choices_selected(value)
            ),
            tuple(sorted(self.counts.items())) if self.counts is not None else None,
        )
        return RENDERED_OPTIONS.get(
            key,
            lambda: self._render(
                self.template_name, self.get_context(name, value, attrs), renderer
            ),
        )

    def get_context(self, name, value, attrs):
        # forms.Widget's context, not ChoiceWidget's: no option groups to build.
        context = forms.Widget.get_context(self, name, value, attrs)
        if self.allow_multiple_selected and isinstance(self, forms.Select):
            context["widget"]["attrs"]["multiple"] = True
        widget = context["widget"]
        widget["options"] = list(self.choices_selected(value))
        # (value, label, selected, count or None): `options` keeps Django's three items for
        # the templates host sites override.
        counts = self.counts
        # A select's "any" counts nothing of its own.
        widget["counted_options"] = [
            (*option, None if counts is None or option[0] == "" else counts.get(option[0], 0))
            for option in widget["options"]
        ]
        # The attributes as Django's flatatt writes them, once per widget rather than once
        # per option (a loop over them for each of 200 options doubled the form's time).
        widget["all_attrs"] = flatatt(widget["attrs"])
        widget["other_attrs"] = flatatt({k: v for k, v in widget["attrs"].items() if k != "id"})
        return context


class FilterSelect(FilterChoices, forms.Select):
    """A select of the search form (see FilterChoices)."""

    template_name = "profiles_module/map/widgets/select.html"


class FilterCheckboxes(FilterChoices, forms.CheckboxSelectMultiple):
    """Checkboxes of the search form (see FilterChoices)."""

    template_name = "profiles_module/map/widgets/checkboxes.html"
