"""The search form's widgets, written in Python for speed, with Django's markup."""

from django import forms
from django.urls import reverse
from django.utils.safestring import mark_safe

from profiles_module.common.html import attributes_html, escape


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
