"""Prepare the demo site that `make run` serves: admin account, home page, demo households."""

import os

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from wagtail.models import Workflow, WorkflowContentType

from home.models import HomePage
from profiles_module.models import Profile

DEMO_LOGIN = "admin"
DEMO_PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "futurs-voisins")

INTRODUCTION = (
    "<p>Vous voulez vivre en habitat participatif mais vous n'êtes pas encore dans un "
    "projet ? <b>Futurs voisins</b> vous aide à trouver les foyers qui cherchent la même "
    "chose que vous, près de chez vous, pour former un groupe ensemble.</p>"
)


class Command(BaseCommand):
    help = "Create the demo admin account, home page text and demo profiles (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--profiles", type=int, default=3000)

    def handle(self, *args, profiles, **options):
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_LOGIN).exists():
            user_model.objects.create_superuser(DEMO_LOGIN, "admin@example.org", DEMO_PASSWORD)

        home = HomePage.objects.first()
        if home and not home.introduction:
            home.introduction = INTRODUCTION
            home.save_revision().publish()

        # Profiles go through Wagtail's moderation workflow when editors submit them.
        workflow = Workflow.objects.filter(active=True).order_by("pk").first()
        if workflow:
            WorkflowContentType.objects.get_or_create(
                content_type=ContentType.objects.get_for_model(Profile),
                defaults={"workflow": workflow},
            )

        call_command("seed_demo", profiles=profiles, if_empty=True)
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo ready: http://127.0.0.1:8000/  —  admin: http://127.0.0.1:8000/admin/\n"
                f"Login: {DEMO_LOGIN}  Password: {DEMO_PASSWORD}\n"
            )
        )
