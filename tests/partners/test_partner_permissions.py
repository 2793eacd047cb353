"""Who sees and does what, per role: anonymous visitor, owner (signed in through the
management link), partner editor (the Loire association), national editor, superuser.

The partner editor's territory is the Loire (42): Stéphane's fiche is in it, Lyonnais's
(Rhône, 69) is not. Every admin route of one fiche is tried on both fiches.
"""

import csv
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from profiles_module.models import ContactMessage
from profiles_module.publication import tokens
from tests.factories import make_member, make_partner, make_profile
from tests.helpers import admin_paths

pytestmark = pytest.mark.django_db

PROFILE_URLS = "wagtailsnippets_profiles_module_profile"
# The admin views of one fiche: (URL name, extra URL arguments).
OBJECT_VIEWS = [
    ("edit", ()),
    ("inspect", ()),
    ("history", ()),
    ("usage", ()),
    ("preview_on_edit", ()),
    ("workflow_history", ()),
    ("unpublish", ()),
    ("delete", ()),
]
NATIONAL_PERMISSIONS = [
    "wagtailadmin.access_admin",
    "profiles_module.view_profile",
    "profiles_module.change_profile",
    "profiles_module.publish_profile",
    "profiles_module.delete_profile",
    "profiles_module.lock_profile",
    "profiles_module.view_contact_statistics",
]


@pytest.fixture
def fiches():
    inside = make_profile(public_name="Stéphane", commune="42218", email="stephane@example.org")
    outside = make_profile(public_name="Lyonnais", commune="69123", email="lyon@example.org")
    for profile in (inside, outside):
        profile.save_revision().publish()
    return inside, outside


@pytest.fixture
def national_editor():
    group = Group.objects.create(name="Équipe nationale")
    for name in NATIONAL_PERMISSIONS:
        app_label, codename = name.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return make_member(group, "national")


def object_url(name, profile, *args):
    return reverse(f"{PROFILE_URLS}:{name}", args=[profile.pk, *args])


def listed_names(client, query=""):
    response = client.get(reverse(f"{PROFILE_URLS}:list") + query)
    assert response.status_code == 200
    html = response.content.decode()
    return {name for name in ("Stéphane", "Lyonnais") if name in html}


def exported_names(client):
    response = client.get(reverse(f"{PROFILE_URLS}:list") + "?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    column = [heading.lower() for heading in rows[0]].index("nom public")
    return {row[column] for row in rows[1:]}


# --- the partner group itself


def test_each_partner_gets_its_group_without_private_details(partner):
    assert partner.group.name == "Partenaire : Habitat participatif Loire"
    codenames = set(partner.group.permissions.values_list("codename", flat=True))
    assert {"access_admin", "view_profile", "change_profile", "publish_profile"} <= codenames
    assert "view_private_details" not in codenames
    assert "delete_profile" not in codenames


# --- admin routes


def test_partner_editor_lists_and_exports_only_the_fiches_of_its_territory(
    client, fiches, partner_editor
):
    inside, outside = fiches
    client.force_login(partner_editor)
    assert listed_names(client) == {"Stéphane"}
    # Searching does not widen the territory (the search box echoes the words: look
    # for the fiche's link).
    html = client.get(reverse(f"{PROFILE_URLS}:list") + "?q=Lyonnais").content.decode()
    assert object_url("edit", outside) not in html
    assert exported_names(client) == {"Stéphane"}


@pytest.mark.parametrize("role", ["national_editor", "superuser"])
def test_national_editors_and_superusers_see_every_fiche(client, fiches, role, request):
    client.force_login(request.getfixturevalue(role))
    assert listed_names(client) == {"Stéphane", "Lyonnais"}
    assert exported_names(client) == {"Stéphane", "Lyonnais"}


@pytest.mark.parametrize(("view", "args"), OBJECT_VIEWS)
def test_partner_editor_cannot_reach_a_fiche_outside_its_territory(
    client, fiches, partner_editor, view, args
):
    inside, outside = fiches
    client.force_login(partner_editor)
    assert client.get(object_url(view, outside, *args)).status_code == 404
    # The same view on a fiche of its territory: allowed, or refused by the model
    # permissions (a partner may not delete or lock), never a 404.
    assert client.get(object_url(view, inside, *args)).status_code in {200, 302, 403}


def test_partner_editor_edits_a_fiche_of_its_territory_but_cannot_post_outside(
    client, fiches, partner_editor
):
    inside, outside = fiches
    client.force_login(partner_editor)
    assert client.get(object_url("edit", inside)).status_code == 200
    assert client.post(object_url("edit", outside), {"public_name": "Pirate"}).status_code == 404
    outside.refresh_from_db()
    assert outside.public_name == "Lyonnais"


@pytest.mark.parametrize("role", ["national_editor", "superuser"])
@pytest.mark.parametrize(("view", "args"), OBJECT_VIEWS)
def test_national_editors_reach_every_fiche(client, fiches, role, view, args, request):
    client.force_login(request.getfixturevalue(role))
    for profile in fiches:
        assert client.get(object_url(view, profile, *args)).status_code in {200, 302}


def test_partner_editor_cannot_lock_a_fiche_outside_its_territory(client, fiches, partner_editor):
    _inside, outside = fiches
    client.force_login(partner_editor)
    assert client.post(object_url("lock", outside)).status_code == 404
    outside.refresh_from_db()
    assert not outside.locked


def test_bulk_ask_to_update_skips_what_the_partner_cannot_see(client, fiches, partner_editor):
    inside, outside = fiches
    client.force_login(partner_editor)
    url = (
        reverse("wagtail_bulk_action", args=["profiles_module", "profile", "ask_to_update"])
        + f"?next=/admin/&id={inside.pk}&id={outside.pk}"
    )
    html = client.get(url).content.decode()
    assert "Stéphane" in html and "Lyonnais" not in html
    # Nor through "select all", nor in Wagtail's bulk delete (not even as refused).
    select_all = url.split("&id=")[0] + "&id=all"
    assert "Lyonnais" not in client.get(select_all).content.decode()
    delete = reverse("wagtail_bulk_action", args=["profiles_module", "profile", "delete"])
    assert "Lyonnais" not in client.get(delete + "?next=/admin/&id=all").content.decode()
    client.post(url, {})
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert inside.update_requested_at is not None
    assert outside.update_requested_at is None


def test_partner_editor_cannot_manage_partners(client, partner_editor):
    # Their abuse reports: tests/test_partner_abuse_reports.py.
    client.force_login(partner_editor)
    partners = client.get(reverse("wagtailsnippets_profiles_module_partner:list"))
    assert partners.status_code in {302, 403}


def test_contact_statistics_of_a_partner_count_its_territory_only(
    client, fiches, partner_editor, national_editor
):
    inside, outside = fiches
    now = timezone.now()
    for profile, departement, region in ((inside, "42", "84"), (outside, "69", "84")):
        ContactMessage.objects.create(
            recipient=profile,
            recipient_uid=profile.uid,
            sender_name="Sacha",
            sender_email="sacha@example.net",
            status=ContactMessage.Status.SENT,
            region_code=region,
            departement_code=departement,
            created_at=now,
        )
    url = reverse("profiles_module_contact_stats") + "?export=csv"
    client.force_login(partner_editor)
    partner_csv = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    client.force_login(national_editor)
    national_csv = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    assert ",42,Loire,1" in partner_csv and ",69," not in partner_csv
    assert ",42,Loire,1" in national_csv and ",69,Rhône,1" in national_csv


# --- public routes


@pytest.mark.parametrize("role", ["anonymous", "owner", "partner_editor", "national_editor"])
def test_public_pages_are_the_same_for_everyone_and_hold_no_address(
    client, fiches, map_page, partner_editor, national_editor, role
):
    inside, outside = fiches
    if role == "owner":
        link = reverse("profiles_module:owner_link", args=[tokens.issue(inside, "manage")])
        assert client.post(link).status_code == 302
    elif role != "anonymous":
        client.force_login(partner_editor if role == "partner_editor" else national_editor)
    pages = [
        map_page.url,
        inside.get_absolute_url(),
        outside.get_absolute_url(),
        "/futurs-voisins/api/v1/profiles/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "@example.org" not in body, url
    # Outside the frame, the partner's territory limits nothing public.
    assert "Lyonnais" in client.get(map_page.url).content.decode()


@pytest.mark.parametrize("role", ["anonymous", "partner_editor", "national_editor", "superuser"])
def test_only_the_owner_reaches_the_management_pages(client, fiches, role, request):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    for name in ("manage", "manage_edit", "manage_contacts", "manage_data"):
        assert client.get(reverse(f"profiles_module:{name}")).status_code == 403, name


def test_the_owner_reaches_their_management_pages_and_not_the_admin(client, fiches):
    inside, _outside = fiches
    link = reverse("profiles_module:owner_link", args=[tokens.issue(inside, "manage")])
    assert client.post(link).status_code == 302
    assert "Stéphane" in client.get(reverse("profiles_module:manage")).content.decode()
    response = client.get(reverse(f"{PROFILE_URLS}:list"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_fiches_are_filterable_by_partner_and_the_partner_is_exported(
    client, fiches, partner, national_editor
):
    inside, _outside = fiches
    inside.partner = partner
    inside.save(update_fields=["partner"])
    client.force_login(national_editor)
    assert listed_names(client, f"?partner={partner.pk}") == {"Stéphane"}
    response = client.get(reverse(f"{PROFILE_URLS}:list") + "?export=csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Habitat participatif Loire" in content


def test_partner_editors_cannot_filter_on_the_news_consent(client, fiches, partner_editor):
    inside, _outside = fiches
    inside.news_consent, inside.news_consent_at = True, timezone.now()
    inside.save(update_fields=["news_consent", "news_consent_at"])
    client.force_login(partner_editor)
    html = client.get(reverse(f"{PROFILE_URLS}:list")).content.decode()
    assert 'name="news_consent"' not in html
    # Ignored when typed into the URL: the listing does not change.
    assert listed_names(client, "?news_consent=false") == {"Stéphane"}


# --- moderation in Wagtail's workflow


@pytest.fixture
def moderation(fiches, partner, partner_editor, national_editor, superuser):
    """A workflow for the profiles whose task is approval by territory, by the partner's
    group and the national team; both fiches submitted to it (by the superuser)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Workflow, WorkflowContentType, WorkflowTask

    from profiles_module.models import Profile, TerritoryApprovalTask

    task = TerritoryApprovalTask.objects.create(name="Validation par territoire")
    task.groups.add(partner.group, *national_editor.groups.all())
    workflow = Workflow.objects.create(name="Modération des fiches")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowContentType.objects.create(
        content_type=ContentType.objects.get_for_model(Profile), workflow=workflow
    )
    for profile in fiches:
        profile.public_name += " (modifiée)"
        profile.save_revision()
        workflow.start(profile, superuser)
    return task


def test_a_new_partner_group_joins_the_territory_approval_tasks(moderation):
    other = make_partner(slug="ain", name="Habitat participatif Ain", departements=("01",))
    assert other.group in moderation.groups.all()


def test_partner_editor_moderates_only_the_fiches_of_its_territory(
    client, fiches, moderation, partner_editor
):
    from wagtail.models import TaskState

    inside, outside = fiches
    reviewable = TaskState.objects.reviewable_by(partner_editor)
    assert [state.workflow_state.object_id for state in reviewable] == [str(inside.pk)]
    client.force_login(partner_editor)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Stéphane" in dashboard and "Lyonnais" not in dashboard

    def approve(profile):
        state = TaskState.objects.get(
            workflow_state__object_id=str(profile.pk), status=TaskState.STATUS_IN_PROGRESS
        )
        url = object_url("workflow_action", profile, "approve", state.pk)
        return client.post(url, {"comment": ""})

    assert approve(outside).status_code == 404
    assert approve(inside).status_code in {200, 302}
    inside.refresh_from_db()
    outside.refresh_from_db()
    assert inside.public_name == "Stéphane (modifiée)"  # approved, so published
    assert outside.public_name == "Lyonnais"
    assert moderation.get_actions(outside, partner_editor) == []


@pytest.mark.parametrize(
    "editor, expected",
    [("partner_editor", {"Stéphane"}), ("national_editor", {"Stéphane", "Lyonnais"})],
)
def test_site_history_lists_only_the_fiches_an_editor_may_see(
    client, fiches, editor, expected, request
):
    client.force_login(request.getfixturevalue(editor))
    url = reverse("wagtailadmin_reports:site_history")
    html = client.get(url).content.decode()
    assert {name for name in ("Stéphane", "Lyonnais") if name in html} == expected
    export = client.get(url + "?export=csv")
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert {name for name in ("Stéphane", "Lyonnais") if name in content} == expected


def test_no_admin_page_shows_a_partner_editor_a_fiche_outside_its_territory(
    client, fiches, moderation, partner_editor
):
    """A crawl of every admin page without arguments (and their JSON/CSV forms) as the
    partner editor: the out-of-territory fiche's name never appears."""
    client.force_login(partner_editor)
    skipped = {"/admin/logout/", "/admin/failwhale/"}  # signs out; raises on purpose
    seen, leaks = 0, []
    for path in admin_paths():
        if path in skipped or "*" in path:
            continue
        response = client.get(path)
        if response.status_code != 200 or response.streaming:
            continue
        seen += 1
        if "Lyonnais" in response.content.decode(errors="replace"):
            leaks.append(path)
    assert leaks == [], "\n".join(leaks)
    assert seen > 10  # the crawl did reach pages


# --- every other object a fiche's URL names: its revisions, workflow and task states

# The views of one fiche that name a second object, and how to build their URL
# arguments from the fiche's pk and the ids of some fiche's objects (ids). Wagtail 8
# registers these for the profile viewset; the test below checks none is missing.
CROSS_VIEWS = {
    "revisions_view": lambda pk, ids: [pk, ids["revision"]],
    "revisions_revert": lambda pk, ids: [pk, ids["revision"]],
    "revisions_unschedule": lambda pk, ids: [pk, ids["revision"]],
    "revisions_compare": lambda pk, ids: [pk, ids["revision"], "latest"],
    "workflow_history_detail": lambda pk, ids: [pk, ids["workflow_state"]],
    "workflow_action": lambda pk, ids: [pk, "approve", ids["task_state"]],
    "collect_workflow_action_data": lambda pk, ids: [pk, "approve", ids["task_state"]],
}
# The views of one fiche that name a workflow task: a task is shared by every fiche of
# the workflow, not an object of a territory; the view previews the URL's fiche.
TASK_VIEWS = {"workflow_preview": lambda pk, ids: [pk, ids["task"]]}
# The views of one fiche that name nothing else (and are tried by the tests above, or
# below for the chooser).
SINGLE_VIEWS = {name for name, _args in OBJECT_VIEWS} | {
    "history_results",
    "copy",
    "lock",
    "unlock",
    "confirm_workflow_cancellation",
}


def moderation_ids(profile):
    from wagtail.models import TaskState

    state = TaskState.objects.get(
        workflow_state__object_id=str(profile.pk), status=TaskState.STATUS_IN_PROGRESS
    )
    return {
        "revision": state.revision_id,
        "workflow_state": state.workflow_state_id,
        "task_state": state.pk,
        "task": state.task_id,
    }


def moderation_snapshot(profile):
    """What acting on a fiche would change: its live name, revisions and workflow."""
    from wagtail.models import TaskState

    profile.refresh_from_db()
    states = TaskState.objects.filter(workflow_state__object_id=str(profile.pk))
    return (
        profile.public_name,
        profile.live_revision_id,
        profile.latest_revision_id,
        profile.locked,
        sorted(states.values_list("pk", "status")),
    )


def test_every_view_of_a_fiche_is_in_the_matrix():
    """A view Wagtail adds to the snippets (or a new URL argument) must be added to the
    tests above: each one is tried on a fiche outside the territory."""
    from profiles_module.models import Profile

    names = {
        pattern.name: set(pattern.pattern.regex.groupindex)
        for pattern in Profile.snippet_viewset.get_urlpatterns()
        if pattern.pattern.regex.groupindex
    }
    assert set(names) == SINGLE_VIEWS | set(CROSS_VIEWS) | set(TASK_VIEWS)
    others = {name for name, kwargs in names.items() if kwargs != {"pk"}}
    assert others == set(CROSS_VIEWS) | set(TASK_VIEWS)


def test_the_task_preview_shows_the_fiche_of_the_url_only(
    client, fiches, moderation, partner_editor
):
    inside, outside = fiches
    client.force_login(partner_editor)
    preview = TASK_VIEWS["workflow_preview"]
    url = reverse(
        f"{PROFILE_URLS}:workflow_preview", args=preview(outside.pk, moderation_ids(outside))
    )
    assert client.get(url).status_code == 404
    url = reverse(
        f"{PROFILE_URLS}:workflow_preview", args=preview(inside.pk, moderation_ids(outside))
    )
    html = client.get(url).content.decode()
    assert "Stéphane (modifiée)" in html and "Lyonnais" not in html


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("view", sorted(CROSS_VIEWS))
def test_partner_editor_cannot_act_on_an_outside_fiche_through_any_object_id(
    client, fiches, moderation, partner_editor, view, method
):
    """The fiche of the URL inside the territory, but the revision, workflow state or task
    state of the fiche outside it (or all of the outside fiche): refused, and nothing
    changes."""
    inside, outside = fiches
    url_args = CROSS_VIEWS[view]
    client.force_login(partner_editor)
    before = moderation_snapshot(outside), moderation_snapshot(inside)
    for pk in (inside.pk, outside.pk):
        url = reverse(f"{PROFILE_URLS}:{view}", args=url_args(pk, moderation_ids(outside)))
        response = getattr(client, method)(url, {"comment": "Vu."})
        assert response.status_code in {403, 404}, url
        assert "Lyonnais" not in response.content.decode()
    assert (moderation_snapshot(outside), moderation_snapshot(inside)) == before
    # The same view with the fiche of the territory's own objects is not refused by the
    # territory (the model permissions may still refuse it, as for a partner's delete).
    url = reverse(f"{PROFILE_URLS}:{view}", args=url_args(inside.pk, moderation_ids(inside)))
    assert client.get(url).status_code in {200, 302, 403}


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_partner_editor_cannot_publish_an_outside_fiche_with_the_task_state_in_the_url(
    client, fiches, moderation, partner_editor, action
):
    """Approving (or requesting changes) through a fiche of the territory, with the task
    state of the fiche outside it, as the moderation form would post it."""
    inside, outside = fiches
    client.force_login(partner_editor)
    url = object_url("workflow_action", inside, action, moderation_ids(outside)["task_state"])
    assert client.post(url, {"comment": "Parfait."}).status_code == 404
    outside.refresh_from_db()
    assert outside.public_name == "Lyonnais"
    assert outside.current_workflow_task_state.status == "in_progress"


def test_national_editor_cannot_mix_the_task_state_of_one_fiche_with_another(
    client, fiches, moderation, national_editor
):
    """The task state must be the fiche's own, whoever asks: the URL names the fiche."""
    inside, outside = fiches
    client.force_login(national_editor)
    url = object_url("workflow_action", inside, "approve", moderation_ids(outside)["task_state"])
    assert client.post(url, {"comment": ""}).status_code == 404
    outside.refresh_from_db()
    assert outside.public_name == "Lyonnais"
    url = object_url("workflow_action", outside, "approve", moderation_ids(outside)["task_state"])
    assert client.post(url, {"comment": ""}).status_code == 302
    outside.refresh_from_db()
    assert outside.public_name == "Lyonnais (modifiée)"


# --- the fiche chooser (contact blocks)

CHOOSER_URLS = "wagtailsnippetchoosers_profiles_module_profile"


def chosen_names(response):
    assert response.status_code == 200
    return [item["string"] for item in response.json()["result"]]


def test_partner_editor_chooser_does_not_name_outside_fiches(client, fiches, partner_editor):
    inside, outside = fiches
    client.force_login(partner_editor)
    chosen = reverse(f"{CHOOSER_URLS}:chosen", args=[outside.pk])
    assert client.get(chosen).status_code == 404
    assert client.get(reverse(f"{CHOOSER_URLS}:chosen", args=[inside.pk])).status_code == 200
    several = reverse(f"{CHOOSER_URLS}:chosen_multiple") + f"?id={inside.pk}&id={outside.pk}"
    assert chosen_names(client.get(several)) == ["Stéphane"]


def test_national_editor_chooser_names_every_fiche(client, fiches, national_editor):
    inside, outside = fiches
    client.force_login(national_editor)
    assert client.get(reverse(f"{CHOOSER_URLS}:chosen", args=[outside.pk])).status_code == 200
    several = reverse(f"{CHOOSER_URLS}:chosen_multiple") + f"?id={inside.pk}&id={outside.pk}"
    assert sorted(chosen_names(client.get(several))) == ["Lyonnais", "Stéphane"]


def test_every_bulk_action_on_fiches_leaves_outside_fiches_alone(client, fiches, partner_editor):
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    inside, outside = fiches
    client.force_login(partner_editor)
    actions = bulk_action_registry.get_bulk_actions_for_model("profiles_module", "profile")
    assert actions
    before = moderation_snapshot(outside)
    for action in actions:
        url = reverse(
            "wagtail_bulk_action", args=["profiles_module", "profile", action.action_type]
        )
        url += f"?next=/admin/&id={outside.pk}"
        response = client.get(url)
        assert "Lyonnais" not in response.content.decode(), action.action_type
        client.post(url, {})
    assert moderation_snapshot(outside) == before
    outside.refresh_from_db()
    assert outside.update_requested_at is None


def test_editing_session_ping_refuses_an_outside_fiche(client, fiches, moderation, partner_editor):
    # Under moderation too: Wagtail then also asks the task whether the editor may edit.
    inside, outside = fiches
    client.force_login(partner_editor)
    ping = "wagtailadmin_editing_sessions:ping"
    args = ["profiles_module", "profile"]
    assert client.post(reverse(ping, args=[*args, outside.pk, 0])).status_code == 404
    assert client.post(reverse(ping, args=[*args, inside.pk, 0])).status_code != 404


# --- moderation emails


def test_submission_emails_reach_a_partner_editor_only_for_its_territory(
    fiches, partner_editor, national_editor, mailoutbox, moderation
):
    """Both fiches were submitted to the task of the partner's group and the national
    team: the partner's editor hears of its territory's only, the national editor of
    both."""

    def names_sent_to(user):
        texts = [m.subject + m.body for m in mailoutbox if m.to == [user.email]]
        return [name for text in texts for name in ("Stéphane", "Lyonnais") if name in text]

    assert names_sent_to(partner_editor) == ["Stéphane"]
    assert sorted(names_sent_to(national_editor)) == ["Lyonnais", "Stéphane"]


def test_a_url_argument_the_guard_does_not_know_stops_the_start_up():
    """A future view naming another object (say a comment) must not go unchecked."""
    from django.core.exceptions import ImproperlyConfigured
    from django.urls import path

    from profiles_module.models import Profile
    from profiles_module.partners.permissions import guard_object_views

    def view(request, **kwargs):
        raise AssertionError

    for route in ("comments/<int:pk>/<int:comment_id>/", "comments/<int:comment_id>/"):
        with pytest.raises(ImproperlyConfigured):
            guard_object_views([path(route, view, name="comment")], Profile)
