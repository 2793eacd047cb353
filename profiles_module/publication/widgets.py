"""The project box of the forms: the commune box's markup and script, over the projects
of the national database."""

from django.utils.translation import gettext_lazy as _

from profiles_module.common.validators import whole_number
from profiles_module.geography.widgets import CommuneAutocompleteWidget
from profiles_module.models import Project


class ProjectAutocompleteWidget(CommuneAutocompleteWidget):
    """A text box suggesting projects as people type (name, commune or postal code).

    commune-autocomplete.js fills the hidden id from the suggestions. Without
    JavaScript, the typed text is resolved on the server to the best matching project;
    text matching none is sent on as it is, and the field says it found no project.
    """

    url_name = "profiles_module:project_autocomplete"
    hint = _("Type the project's name or its commune, then pick it.")

    def find(self, value):
        project_id = whole_number(value) if value else None
        if project_id is None:
            return None
        return Project.objects.current().filter(pk=project_id).first()

    def resolve(self, typed):
        candidates = list(Project.objects.current().matching(typed)[:50])
        # The exact label (typed again, or kept after an error) first, else the first match.
        best = [p for p in candidates if p.label == typed] or candidates[:1]
        return str(best[0].pk) if best else typed
