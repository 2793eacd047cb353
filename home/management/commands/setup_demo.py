"""Prepare the demo site that `make run` serves: admin account, home page, demo households."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Q
from wagtail.models import Site, Workflow, WorkflowContentType, WorkflowTask

from home.models import ContentPage, HomePage
from profiles_module.demo.contacts import create_demo_contacts
from profiles_module.models import (
    MapPage,
    Partner,
    Profile,
    PublishPage,
    Region,
    TerritoryApprovalTask,
)

DEMO_LOGIN = "admin"
DEMO_PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "futurs-voisins")

INTRODUCTION = (
    "<p>Vous voulez vivre en habitat participatif mais vous n'êtes pas encore dans un "
    "projet\u00a0? <b>Futurs voisins</b> vous aide à trouver les foyers qui cherchent la même "
    "chose que vous, près de chez vous, pour former un groupe ensemble.</p>"
)


MAP_PAGES = [
    {
        "title": "Trouver des futurs voisins",
        "slug": "trouver",
        "region": None,
        "introduction": (
            "<p>Cherchez parmi les foyers qui veulent vivre en habitat participatif, "
            "partout en France\u00a0: choisissez une commune et un rayon, un département ou une "
            "région, puis affinez avec vos critères (statut d'occupation, type de projet, "
            "échéance…). La carte et la liste montrent les mêmes résultats.</p>"
        ),
    },
    {
        "title": "Futurs voisins en Auvergne-Rhône-Alpes",
        "slug": "auvergne-rhone-alpes",
        "region": "84",
        "introduction": (
            "<p>Les foyers qui cherchent un habitat participatif en Auvergne-Rhône-Alpes\u00a0: "
            "une carte limitée à la région, comme un réseau régional peut la proposer sur "
            "son site.</p>"
        ),
    },
]


def create_map_pages(home):
    """The demo's map pages under the home page, shown in its menu; created once."""
    for spec in MAP_PAGES:
        if MapPage.objects.filter(slug=spec["slug"]).exists():
            continue
        page = MapPage(
            title=spec["title"],
            slug=spec["slug"],
            introduction=spec["introduction"],
            show_in_menus=True,
        )
        home.add_child(instance=page)
        if spec["region"]:
            page.regions.set(Region.objects.filter(code=spec["region"]))
        page.save_revision().publish()


def create_publish_page(home):
    """The "Publier ma fiche" page under the home page, shown in its menu; created once."""
    if PublishPage.objects.exists():
        return
    page = PublishPage(
        title="Publier ma fiche",
        slug="publier-ma-fiche",
        introduction=(
            "<p>Deux minutes suffisent. Votre fiche est publiée dès que vous confirmez votre "
            "adresse email\u00a0; vous pourrez la modifier, la mettre en pause ou la supprimer à "
            "tout moment grâce au lien personnel de nos emails.</p>"
        ),
        show_in_menus=True,
    )
    home.add_child(instance=page)
    page.save_revision().publish()


CONTACT_PAGE_SLUG = "contacter-l-equipe"
COORDINATION_ADDRESS = "coordination@example.org"


def create_contact_page(home):
    """The "Contacter l'équipe" page: a ContactRelayBlock to a fixed address (never shown
    on the site), under the home page and in its menu; created once."""
    if ContentPage.objects.filter(slug=CONTACT_PAGE_SLUG).exists():
        return
    page = ContentPage(
        title="Contacter l'équipe",
        slug=CONTACT_PAGE_SLUG,
        show_in_menus=True,
        body=[
            (
                "paragraph",
                "<p>Une question sur Futurs voisins, une fiche qui pose problème, une idée\u00a0? "
                "L'équipe de coordination du réseau vous répond par email.</p>",
            ),
            (
                "contact",
                {
                    "heading": "Écrire à l'équipe de coordination",
                    "intro": "Votre message est transmis par email à l'équipe.",
                    "profile": None,
                    "address": COORDINATION_ADDRESS,
                },
            ),
        ],
    )
    home.add_child(instance=page)
    page.save_revision().publish()


def configure_site(host, port):
    """Point the default Site at the address the demo is served on: every link of the
    emails starts with its root URL, and a person clicks them from the terminal."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (host, port):
        site.hostname, site.port = host, port
        site.save()


PARTNER_LOGIN = "partenaire"


def create_demo_partner(origins=("http://127.0.0.1:8000", "http://localhost:8000")):
    """A regional association whose editors look after Auvergne-Rhône-Alpes, allowed to
    embed the pages in this demo's own origin (for the preview linked from the home
    page), with an editor account in its group; created once, `origins` added when
    the demo is served on another port."""
    partner = Partner.objects.filter(slug="aura").first()
    if partner is None:
        partner = Partner.objects.create(
            name="Habitat participatif Auvergne-Rhône-Alpes (démo)",
            slug="aura",
            colour="#8a2d1d",
            allowed_origins="\n".join(origins),
            contact_email="contact@aura.example.org",
        )
        partner.regions.set(Region.objects.filter(code="84"))
        partner.save()
    else:
        missing = [origin for origin in origins if origin not in partner.allowed_origins.split()]
        if missing:
            partner.allowed_origins = "\n".join([partner.allowed_origins.strip(), *missing])
            partner.save(update_fields=["allowed_origins"])
    user_model = get_user_model()
    if not user_model.objects.filter(username=PARTNER_LOGIN).exists():
        editor = user_model.objects.create_user(
            PARTNER_LOGIN, "partenaire@example.org", DEMO_PASSWORD
        )
        editor.groups.add(partner.group)
    return partner


class Command(BaseCommand):
    help = "Create the demo admin account, home page text and demo profiles (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--profiles", type=int, default=3000)
        parser.add_argument(
            "--host", default="127.0.0.1", help="Where the demo is served (its Site)."
        )
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, profiles, host, port, **options):
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_LOGIN).exists():
            user_model.objects.create_superuser(DEMO_LOGIN, "admin@example.org", DEMO_PASSWORD)

        home = HomePage.objects.first()
        if home and not home.introduction:
            home.introduction = INTRODUCTION
            home.save_revision().publish()

        configure_site(host, port)
        if home:
            create_map_pages(home)
            create_publish_page(home)
            create_contact_page(home)
            create_demo_partner((f"http://{host}:{port}", f"http://localhost:{port}"))

        # Profiles go through their own moderation workflow: the moderators, and each
        # partner's editors for the fiches of its territory.
        profile_type = ContentType.objects.get_for_model(Profile)
        if not WorkflowContentType.objects.filter(content_type=profile_type).exists():
            task = TerritoryApprovalTask.objects.create(name="Validation par territoire")
            task.groups.set(Group.objects.filter(Q(name="Moderators") | Q(partner__isnull=False)))
            workflow = Workflow.objects.create(name="Modération des fiches")
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
            WorkflowContentType.objects.create(content_type=profile_type, workflow=workflow)

        call_command("seed_demo", profiles=profiles, if_empty=True)
        # Messages between demo households, for the contact statistics; added once.
        contacts = create_demo_contacts()
        if contacts:
            self.stdout.write(f"Added {contacts} demo contact messages.")
        # `make run` says where the site is once it serves it: this command serves nothing.
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo data ready.\n"
                f"Login: {DEMO_LOGIN}  Password: {DEMO_PASSWORD}\n"
                f"A partner association's editor (Auvergne-Rhône-Alpes only): "
                f"{PARTNER_LOGIN} / {DEMO_PASSWORD}\n"
            )
        )
