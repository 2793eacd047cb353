"""Prepare the demo site that `make run` serves: admin account, home page, demo households."""

import os
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale, Site, Workflow, WorkflowContentType, WorkflowTask

from home import demo_english
from home.models import ContentPage, HomePage, LegalPage
from profiles_module.common.leaflet import tile_host
from profiles_module.demo.contacts import create_demo_contacts
from profiles_module.demo.projects import load_demo_projects
from profiles_module.models import (
    MapPage,
    Partner,
    Profile,
    ProjectsPage,
    PublishPage,
    Region,
    SearchAlert,
    StatisticsPage,
    TerritoryApprovalTask,
)
from profiles_module.publication import tokens

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


def add_counts(home, regional_place="en Auvergne-Rhône-Alpes"):
    """The home page's figures: France, and the demo partner's région (ProfileCountBlock),
    each with a link to the map page of the same language; added once, kept if an editor
    changed them."""
    home = HomePage.objects.get(pk=home.pk)
    if home.body:
        return
    maps = MapPage.objects.child_of(home)
    home.body = [
        ("count", {"map_page": maps.filter(slug="trouver").first()}),
        (
            "count",
            {
                "regions": ["84"],
                "place": regional_place,
                "map_page": maps.filter(regions__code="84").first(),
            },
        ),
    ]
    home.save_revision().publish()


def create_contact_page(home):
    """The "Contacter l'équipe" page: a ContactRelayBlock to a fixed address (never shown
    on the site), under the home page and in its menu; created once."""
    if ContentPage.objects.filter(slug=CONTACT_PAGE_SLUG).exists():
        return
    page = ContentPage(
        title="Contacter l'équipe",
        slug=CONTACT_PAGE_SLUG,
        show_in_menus=True,
        body=contact_body(
            "<p>Une question sur Futurs voisins, une fiche qui pose problème, une idée\u00a0? "
            "L'équipe de coordination du réseau vous répond par email.</p>",
            heading="Écrire à l'équipe de coordination",
            intro="Votre message est transmis par email à l'équipe.",
        ),
    )
    home.add_child(instance=page)
    page.save_revision().publish()


def contact_body(paragraph, *, heading, intro):
    return [
        ("paragraph", paragraph),
        (
            "contact",
            {"heading": heading, "intro": intro, "profile": None, "address": COORDINATION_ADDRESS},
        ),
    ]


LEGAL_NOTICE = """
<p><b>Éditeur du site</b> : Réseau national des associations d'habitat participatif
(démonstration), association loi 1901, 1 rue de l'Exemple, 75000 Paris. Directrice de la
publication : la présidente de l'association.</p>
<p><b>Contact</b> : par le formulaire de la page « Contacter l'équipe ».</p>
<p><b>Hébergement</b> : l'hébergeur du site (nom, adresse et téléphone à compléter par
l'éditeur avant la mise en ligne).</p>
<p><b>Contenus</b> : les fiches sont rédigées par les foyers eux-mêmes, qui peuvent les
modifier ou les supprimer à tout moment ; l'équipe de modération peut masquer une fiche
signalée. Données géographiques : INSEE, IGN, La Poste (Licence Ouverte / Etalab). Fonds
de carte : © les contributeurs d'OpenStreetMap.</p>
"""

PRIVACY_NOTICE = """
<p>Le réseau national des associations d'habitat participatif est responsable des données
traitées par Futurs voisins. Elles ne servent qu'à mettre en relation des foyers qui
veulent vivre en habitat participatif ; elles ne sont ni vendues ni cédées.</p>
<h2>Les données d'une fiche</h2>
<p>Votre nom public, votre foyer, vos secteurs souhaités, votre projet et votre
présentation sont publiés une fois votre adresse email confirmée. Votre adresse email
n'est jamais publiée : elle sert à confirmer la fiche, à vous envoyer le lien de gestion et
les messages des autres foyers. Votre tranche de financement reste cachée sauf si vous
choisissez de l'afficher. Base légale : votre consentement, que vous pouvez retirer à tout
moment en supprimant votre fiche.</p>
<p><b>Durées de conservation</b> : une fiche non confirmée est effacée après 7 jours. Sans
nouvelles de votre part, nous vous écrivons après 6 et 11 mois, la fiche est masquée après
12 mois et effacée après 24 mois d'inactivité (avec un avertissement 30 jours avant). Vous
pouvez la modifier, la mettre en pause, télécharger vos données ou la supprimer à tout
moment grâce au lien personnel de nos emails.</p>
<h2>Les messages entre foyers</h2>
<p>Les messages passent par un relais : l'adresse email du foyer destinataire n'est jamais
montrée à l'expéditeur. Un premier message attend que son expéditeur confirme son adresse ;
non confirmé, il est effacé après 7 jours. Le texte d'un message est effacé après 30
jours ; le nom et l'adresse de son expéditeur, qui servent à le bloquer ou à traiter un
signalement, après un an, comme le commentaire d'un signalement. Restent seulement, pour
compter les mises en relation, la date, le territoire et l'état de l'envoi. Quand une fiche
est effacée, les messages qu'elle a reçus et écrits perdent aussitôt leur texte, et son nom
et son adresse d'expéditeur. Les traces d'envoi des emails (destinataire, objet) sont
effacées 30 jours après l'envoi ; un lien personnel périmé, 30 jours après sa fin.</p>
<h2>Les alertes de nouvelles fiches</h2>
<p>Depuis une carte, vous pouvez recevoir par email les nouvelles fiches d'une recherche.
Nous gardons votre adresse, les critères de la recherche, la fréquence choisie et la date du
dernier envoi. Rien n'est envoyé avant que vous ayez confirmé votre adresse par le lien
reçu ; une alerte non confirmée est effacée après 3 jours. Une alerte confirmée dure jusqu'à
votre désinscription, en un clic depuis chaque email : elle est alors effacée, avec votre
adresse. L'alerte qu'un foyer crée depuis sa fiche est effacée avec elle.</p>
<h2>Cookies</h2>
<p>Le site ne dépose ni cookie publicitaire ni mesure d'audience. Il utilise :</p>
<ul>
<li>le cookie de session, quand vous ouvrez votre fiche avec votre lien personnel (vous
restez connecté 2 heures) ;</li>
<li>le cookie de protection des formulaires (CSRF) ;</li>
<li>le cookie <code>fv_contact_sender</code>, déposé quand vous confirmez l'adresse d'un
message : il prouve que ce navigateur contrôle cette adresse, pour que vos messages
suivants partent sans nouvelle confirmation. Il ne contient aucune adresse (seulement une
empreinte chiffrée) et dure un an après votre dernier message.</li>
</ul>
<h2>Le fond de carte</h2>
<p>Les cartes chargent leur fond depuis un serveur de tuiles extérieur,
<b>{tile_host}</b> : comme pour tout site qu'il consulte, votre navigateur lui transmet
votre adresse IP. Aucune autre donnée ne lui est envoyée.</p>
<h2>Vos droits</h2>
<p>Vous pouvez accéder à vos données, les rectifier, les télécharger ou les effacer depuis
votre fiche, ou en écrivant à l'équipe par la page « Contacter l'équipe ». Vous pouvez aussi
adresser une réclamation à la CNIL (www.cnil.fr).</p>
"""

ACCESSIBILITY_STATEMENT = """
<p>Le réseau national des associations d'habitat participatif s'engage à rendre Futurs
voisins accessible, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.</p>
<h2>État de conformité</h2>
<p>Futurs voisins est <b>partiellement conforme</b> au référentiel général d'amélioration de
l'accessibilité (RGAA 4.1) : aucun audit complet n'a encore été réalisé.</p>
<h2>Contenus non accessibles</h2>
<ul>
<li>La carte des foyers est difficile à utiliser au clavier et avec un lecteur d'écran :
la liste des résultats, à côté de la carte, donne les mêmes informations.</li>
<li>Les photos publiées par les foyers peuvent manquer de description.</li>
</ul>
<h2>Retour d'information et contact</h2>
<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous par la page
« Contacter l'équipe » : nous vous répondrons et vous proposerons une autre façon d'obtenir
l'information.</p>
<h2>Voies de recours</h2>
<p>Si vous nous avez signalé un défaut d'accessibilité sans obtenir de réponse
satisfaisante, vous pouvez écrire au Défenseur des droits (www.defenseurdesdroits.fr).</p>
"""

LEGAL_PAGES = [
    ("Mentions légales", "mentions-legales", LEGAL_NOTICE),
    ("Politique de confidentialité", "confidentialite", PRIVACY_NOTICE),
    ("Accessibilité", "accessibilite", ACCESSIBILITY_STATEMENT),
]


def create_legal_pages(home):
    """The legal notice, the privacy notice and the accessibility statement under the home
    page (linked from every footer, not from the menu); created once. The privacy notice
    names the tile server of the settings, the one the maps really use."""
    for title, slug, body in LEGAL_PAGES:
        if LegalPage.objects.filter(slug=slug).exists():
            continue
        page = LegalPage(title=title, slug=slug, body=body.replace("{tile_host}", tile_host()))
        home.add_child(instance=page)
        page.save_revision().publish()


def translate_pages(home):
    """The demo in English (/en/…): the home page and every page under it, translated once
    with Wagtail's copy for translation, then given their English texts. A page the
    demo has no English for (one an editor added) is copied as it is, to be translated in
    the admin."""
    locale, _created = Locale.objects.get_or_create(language_code="en")
    english_home = home.get_translation_or_none(locale)
    if english_home is None:
        english_home = home.copy_for_translation(locale)
        english_home.introduction = demo_english.HOME["introduction"]
        english_home.body = []  # its counts link to the English map pages, made below
        english_home.save_revision().publish()
    for page in home.get_children().live().specific():
        if page.has_translation(locale):
            continue
        translated = page.copy_for_translation(locale)
        in_english(translated, demo_english.PAGES.get(page.slug, {}))
        translated.save_revision().publish()
    add_counts(english_home, regional_place=demo_english.AURA_PLACE)


def in_english(page, texts):
    """Put the English `texts` of a demo page into its translation `page`."""
    if "title" in texts:
        page.title = page.draft_title = texts["title"]
    if "introduction" in texts:
        page.introduction = texts["introduction"]
    if isinstance(page, LegalPage) and "body" in texts:
        page.body = texts["body"].replace("{tile_host}", tile_host())
    if isinstance(page, ContentPage) and "contact" in texts:
        page.body = contact_body(texts["paragraph"], **texts["contact"])


def configure_site(host, port):
    """Point the default Site at the address the demo is served on: every link of the
    emails starts with its root URL, and a person clicks them from the terminal."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (host, port):
        site.hostname, site.port = host, port
        site.save()


def demo_owner_link(host, port):
    """A fresh management link of a demo household around Lyon, where the demo has many
    neighbours: its page shows the owner's side (suggestions with their reasons)."""
    owner = (
        Profile.objects.public()
        .filter(profile_kind="household", sectors__commune__insee_code="69123")
        .exclude(role="")
        .order_by("pk")
        .first()
    ) or Profile.objects.public().order_by("pk").first()
    if owner is None:
        return ""
    raw = tokens.issue(owner, tokens.Purpose.MANAGE)
    return f"http://{host}:{port}" + reverse("profiles_module:owner_link", args=[raw])


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


STATISTICS_PAGE = {
    "title": "Les chiffres",
    "slug": "les-chiffres",
    "introduction": (
        "<p>Combien de foyers cherchent un habitat participatif, où, et depuis quand\u00a0? "
        "Les chiffres des fiches publiées sur Futurs voisins, partout en France\u00a0: par "
        "département, par type de fiche et mois par mois. Pour qu'aucun foyer ne puisse être "
        "reconnu, un nombre inférieur à 5 n'est jamais affiché.</p>"
    ),
}


def create_menu_page(home, page_class, values):
    """A page of `page_class` with `values` under the home page, in its menu; created once."""
    if page_class.objects.filter(slug=values["slug"]).exists():
        return
    page = page_class(**values, show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()


DEMO_ALERT_ADDRESS = "alerte.demo@example.org"


def create_demo_alert():
    """A search saved from the national map page (the households of Auvergne-Rhône-Alpes),
    confirmed, weekly, last sent a week ago: `manage.py send_alert_digests` prints its
    digest of the demo fiches published since. Created once; returns it when new."""
    page = MapPage.objects.filter(slug="trouver", locale=Locale.get_default()).first()
    if page is None or SearchAlert.objects.filter(email=DEMO_ALERT_ADDRESS).exists():
        return None
    now = timezone.now()
    return SearchAlert.objects.create(
        email=DEMO_ALERT_ADDRESS,
        page=page,
        site=Site.objects.filter(is_default_site=True).first(),
        query="region=84",
        frequency=SearchAlert.Frequency.WEEKLY,
        language="fr",
        created_at=now - timedelta(days=8),
        confirmed_at=now - timedelta(days=8),
        checked_until=now - timedelta(days=7),
    )


def create_statistics_page(home):
    """The "Les chiffres" page (all of France) under the home page, in its menu."""
    create_menu_page(home, StatisticsPage, STATISTICS_PAGE)


PROJECTS_PAGE = {
    "title": "Les projets",
    "slug": "projets",
    "introduction": (
        "<p>Les projets d'habitat participatif de la base nationale : cherchez-les par "
        "nom ou par commune, et voyez les foyers qui en font partie ou qu'ils intéressent. "
        "Sur la carte des futurs voisins, cochez « Afficher les projets ».</p>"
    ),
}


def create_projects_page(home):
    """The "Les projets" page (the national database's projects) under the home page."""
    create_menu_page(home, ProjectsPage, PROJECTS_PAGE)


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

        home = HomePage.objects.filter(locale=Locale.get_default()).first()
        if home and not home.introduction:
            home.introduction = INTRODUCTION
            home.save_revision().publish()

        configure_site(host, port)
        if home:
            create_map_pages(home)
            add_counts(home)
            create_publish_page(home)
            create_statistics_page(home)
            create_projects_page(home)
            create_contact_page(home)
            create_legal_pages(home)
            translate_pages(home)
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
        # The national database's projects, from the sample file; some fiches linked.
        log = load_demo_projects()
        self.stdout.write(
            f"Demo projects: {log.created} created, {log.updated} updated, "
            f"{log.unchanged} unchanged."
        )
        # Messages between demo households, for the contact statistics; added once.
        contacts = create_demo_contacts()
        if contacts:
            self.stdout.write(f"Added {contacts} demo contact messages.")
        if create_demo_alert():
            self.stdout.write(
                f"Saved a demo search alert for {DEMO_ALERT_ADDRESS}: run "
                "`python manage.py send_alert_digests` to print its digest."
            )
        owner_link = demo_owner_link(host, port)
        # `make run` says where the site is once it serves it: this command serves nothing.
        self.stdout.write(
            self.style.SUCCESS(
                "\nDemo data ready.\n"
                f"Login: {DEMO_LOGIN}  Password: {DEMO_PASSWORD}\n"
                f"A partner association's editor (Auvergne-Rhône-Alpes only): "
                f"{PARTNER_LOGIN} / {DEMO_PASSWORD}\n"
                + (
                    f"A demo household's own page (its suggestions), valid once: {owner_link}\n"
                    if owner_link
                    else ""
                )
            )
        )
