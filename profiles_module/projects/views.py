"""The public side of the projects: the projects page and a project's own page (served
by ProjectsPage), the map's projects layer (GeoJSON) and the forms' suggestions."""

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Site

from profiles_module.common.language import current_language
from profiles_module.conf import app_settings
from profiles_module.models import Profile, Project, ProjectsPage
from profiles_module.partners.embed import territory_for

PROJECTS_PER_PAGE = 50
GEOJSON_FIELDS = [
    "bazar_id",
    "name",
    "kind",
    "status",
    "commune_name",
    "latitude",
    "longitude",
    "source_url",
]


def projects_context(request, page):
    """The projects page: current projects, those matching ?q= (name, commune, postal code)."""
    query = request.GET.get("q", "").strip()[:100]
    projects = Project.objects.current()
    if query:
        projects = projects.matching(query)
    listed = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    for project in listed:
        project.page_url = page.project_url(project)
    return {"projects": listed, "query": query}


def linked_fiches(request, project):
    """The public fiches that declared `project`: public fields only; on a partner's pages,
    those of its territory (like every list of fiches there)."""
    fiches = Profile.objects.public().filter(project=project)
    territory = territory_for(request)
    if not territory.everywhere:
        fiches = territory.apply(fiches)
    return fiches.only("uid", "public_name", "profile_kind", "project_relation").order_by(
        "project_relation", "public_name"
    )


def project_context(request, page, project):
    """A project's page: what the national database says, and the fiches linked to it."""
    return {"project": project, "fiches": linked_fiches(request, project), "index_url": page.url}


def projects_page(request):
    """The projects page of the request's site in its language, or None."""
    return ProjectsPage.for_site(Site.find_for_request(request), current_language())


@require_GET
@cache_control(public=True, max_age=60 * 60)
def projects_geojson(request):
    """The map's projects layer: the current projects with a point, public values only
    (the national database's own public entry, never a fiche)."""
    page = projects_page(request)
    # The page's address once, not once per project (Wagtail works it out from the tree).
    page_url = page.url if page else ""
    features = []
    projects = Project.objects.current().filter(latitude__isnull=False)
    for project in projects.only(*GEOJSON_FIELDS):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [project.longitude, project.latitude]},
                "properties": {
                    "id": project.bazar_id,
                    "name": project.name,
                    "kind": project.kind,
                    "status": project.status,
                    "commune": project.commune_name,
                    "url": page.project_url(project, page_url) if page else "",
                    "source_url": project.source_url,
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
@cache_control(public=True, max_age=60 * 60)
def project_autocomplete(request):
    """Projects for a name, a commune or a postal code typed in a form: ?q=ecohameau.
    The same shape as the communes' suggestions, for the same script."""
    query = request.GET.get("q", "").strip()[:100]
    projects = Project.objects.current().matching(query) if len(query) >= 2 else []
    return JsonResponse(
        {
            "results": [
                {"id": project.pk, "label": project.label}
                for project in projects[: app_settings.AUTOCOMPLETE_LIMIT]
            ]
        }
    )
