"""Search alerts: a visitor saves a map page's search, confirms it by email (double
opt-in), then receives digests of the fiches published since the last one, and can
unsubscribe from the page of a link or in one click from the mail client."""

import html
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from profiles_module import schedule
from profiles_module.alerts.emails import send_digests
from profiles_module.models import Profile, ProfileOption, SearchAlert
from tests.factories import make_fiche, make_map_page, make_partner, make_profile, manage_link

from .helpers import emails_to, link_in, save_search

pytestmark = pytest.mark.django_db

VISITOR = "lou.visiteuse@example.net"


def confirm(client, message):
    url = link_in(message, "/alertes/confirmer/")
    return client.post(url)


def new_fiche(number, sectors, at, **fields):
    """A fiche first published at `at` (what makes it new to a digest)."""
    return make_fiche(number, sectors, first_published_at=at, **fields)


def names_in(message):
    return set(re.findall(r"^\* (.+?) — ", message.body, re.M))


def test_nothing_but_the_confirmation_is_sent_until_the_link_is_followed(client, map_page):
    response = save_search(client, f"{map_page.url}?departement=42", VISITOR, "daily")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Vérifiez votre boîte" in page.content.decode()
    alert = SearchAlert.objects.get()
    assert (alert.email, alert.query, alert.frequency) == (VISITOR, "departement=42", "daily")
    assert alert.confirmed_at is None
    [confirmation] = mail.outbox
    assert confirmation.to == [VISITOR]

    # Unconfirmed: new fiches come and days pass, nothing is sent.
    new_fiche(1, [("departement", "42")], at=timezone.now() + timedelta(hours=1))
    assert send_digests(timezone.now() + timedelta(days=2)) == 0
    assert len(mail.outbox) == 1

    # The link's GET (a mail scanner) changes nothing; its button confirms.
    url = link_in(confirmation, "/alertes/confirmer/")
    assert "Confirmer mon alerte" in client.get(url).content.decode()
    assert SearchAlert.objects.get().confirmed_at is None
    assert "Votre alerte est active" in client.post(url).content.decode()
    assert SearchAlert.objects.get().confirmed_at is not None


def test_an_unconfirmed_alert_is_erased_after_a_few_days(client, map_page, settings):
    settings.PROFILES_ALERT_CONFIRM_DAYS = 3
    save_search(client, map_page.url, VISITOR)
    created = SearchAlert.objects.get().created_at
    schedule.run(now=created + timedelta(days=2))
    assert SearchAlert.objects.exists()
    schedule.run(now=created + timedelta(days=3, minutes=1))
    assert not SearchAlert.objects.exists()
    # And its link says so.
    response = confirm(client, mail.outbox[0])
    assert response.status_code == 410


def test_a_confirmed_alert_stays_until_unsubscribed(client, map_page):
    save_search(client, map_page.url, VISITOR)
    confirm(client, mail.outbox[0])
    schedule.run(now=timezone.now() + timedelta(days=400))
    assert SearchAlert.objects.filter(email=VISITOR).exists()


def confirmed_alert(client, url, frequency="daily", address=VISITOR):
    save_search(client, url, address, frequency)
    confirm(client, emails_to(address)[-1])
    mail.outbox.clear()
    return SearchAlert.objects.get(email=address)


def test_daily_digest_lists_only_the_fiches_new_since_the_last_one(client, map_page):
    alert = confirmed_alert(client, f"{map_page.url}?departement=42")
    start = alert.checked_until
    before = new_fiche(1, [("departement", "42")], at=start - timedelta(hours=1))
    first = new_fiche(2, [("departement", "42")], at=start + timedelta(hours=2))
    new_fiche(3, [("departement", "69")], at=start + timedelta(hours=3))  # elsewhere

    assert send_digests(start + timedelta(hours=12)) == 0  # not a day yet
    assert send_digests(start + timedelta(days=1)) == 1
    [digest] = mail.outbox
    assert names_in(digest) == {first.public_name}
    assert before.public_name not in digest.body
    assert "1 nouvelle fiche" in digest.subject

    # A day with nothing new: no email.
    assert send_digests(start + timedelta(days=2)) == 0
    assert len(mail.outbox) == 1

    second = new_fiche(4, [("commune", "42218")], at=start + timedelta(days=2, hours=5))
    assert send_digests(start + timedelta(days=3)) == 1
    assert names_in(mail.outbox[1]) == {second.public_name}


def test_weekly_digest_waits_for_the_week(client, map_page):
    alert = confirmed_alert(client, f"{map_page.url}?departement=42", frequency="weekly")
    start = alert.checked_until
    fiche = new_fiche(1, [("departement", "42")], at=start + timedelta(hours=1))
    for day in range(1, 7):
        assert send_digests(start + timedelta(days=day)) == 0
    assert schedule.run(now=start + timedelta(days=7))["alert_digests_sent"] == 1
    assert names_in(mail.outbox[-1]) == {fiche.public_name}


def test_a_fiche_published_by_its_owner_is_new(client, map_page, publish_page):
    """Through the real publication (confirmation link), not a date set by the test."""
    from profiles_module.publication import lifecycle
    from tests.factories import publish_form_data

    confirmed_alert(client, f"{map_page.url}?commune=42218&km=20")
    client.post(publish_page.url, publish_form_data(public_name="Dominique"))
    confirm_url = link_in(emails_to("dominique@example.org")[0], "/confirmer/")
    client.post(confirm_url)
    assert lifecycle.Profile.objects.get(public_name="Dominique").live
    assert send_digests(timezone.now() + timedelta(days=1)) == 1
    assert names_in(emails_to(VISITOR)[-1]) == {"Dominique"}


QUERIES = [
    "departement=42",
    "commune=42218&km=20",
    "commune=69123&km=50&kind=household",
    "region=84&tenure=cooperative",
    "q=jardin",
    "kind=group&kind=household&setting=rural",
    "commune=inconnue-xyz",  # not understood: the map ignores it, and so does the alert
    "",
]


def test_an_alert_finds_what_the_map_finds(client, settings):
    """For each query, the fiches new to the digest are exactly those the map lists."""
    settings.PROFILES_SEARCH_PAGE_SIZE = 100
    settings.PROFILES_ALERTS_PER_IP = settings.PROFILES_ALERTS_PER_ADDRESS = 100
    regional = make_map_page("En Auvergne-Rhône-Alpes", slug="aura", regions=["84"])
    national = make_map_page(slug="trouver")
    start = timezone.now()
    later = start + timedelta(hours=1)
    places = [
        [("commune", "42218")],
        [("commune", "42095")],
        [("departement", "42")],
        [("commune", "69123")],
        [("region", "84")],
        [("commune", "75056")],
        [("departement", "13")],
        [("commune", "38185")],
    ]
    fields = [
        {"profile_kind": "household", "tenure": "cooperative", "setting": "rural"},
        {"profile_kind": "group", "presentation": "Un jardin partagé et un atelier."},
        {"profile_kind": "household"},
        {"profile_kind": "resource"},
        {"tenure": "cooperative", "presentation": "Potager, jardin, poules."},
        {"setting": "rural", "profile_kind": "group"},
        {},
        {"profile_kind": "resident"},
    ]
    for number, (sectors, extra) in enumerate(zip(places, fields, strict=True)):
        new_fiche(number, sectors, at=later, **extra)
    for page in (national, regional):
        for query in QUERIES:
            SearchAlert.objects.all().delete()
            mail.outbox.clear()
            alert = confirmed_alert(client, f"{page.url}?{query}")
            SearchAlert.objects.filter(pk=alert.pk).update(checked_until=start)
            listed = client.get(f"{page.url}?{query}").content.decode()
            on_map = set(re.findall(r'class="fv-card__name"><a href="[^"]*">([^<]+)</a>', listed))
            send_digests(start + timedelta(days=1))
            in_digest = names_in(mail.outbox[-1]) if mail.outbox else set()
            assert in_digest == on_map, (page.slug, query)
            assert on_map or query == "commune=inconnue-xyz" or page is regional, query


# --- unsubscribe


def digest_for(client, map_page, start_offset=timedelta(days=1)):
    alert = confirmed_alert(client, f"{map_page.url}?departement=42")
    new_fiche(1, [("departement", "42")], at=alert.checked_until + timedelta(hours=1))
    send_digests(alert.checked_until + start_offset)
    [digest] = mail.outbox
    return alert, digest


def test_every_digest_has_a_one_click_unsubscribe_link_and_headers(client, map_page):
    _alert, digest = digest_for(client, map_page)
    headers = digest.message()
    url = link_in(digest, "/alertes/desinscription/")
    assert headers["List-Unsubscribe"] == f"<http://localhost{url}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in digest.alternatives[0][0]  # the visible link, in the HTML part too


def test_the_unsubscribe_page_asks_before_erasing(client, map_page):
    alert, digest = digest_for(client, map_page)
    url = link_in(digest, "/alertes/desinscription/")
    page = client.get(url)  # a mail scanner, or the person reading
    assert page.status_code == 200
    assert "Me désinscrire</button>" in page.content.decode()
    assert SearchAlert.objects.filter(pk=alert.pk).exists()
    done = client.post(url)
    assert "Vous êtes désinscrit·e" in done.content.decode()
    assert not SearchAlert.objects.exists()
    # Nothing more is sent, and the link still answers.
    new_fiche(2, [("departement", "42")], at=timezone.now() + timedelta(days=2))
    assert send_digests(timezone.now() + timedelta(days=3)) == 0
    assert client.get(url).status_code == 200


def test_the_mail_clients_one_click_post_unsubscribes_without_a_page_or_token(client, map_page):
    _alert, digest = digest_for(client, map_page)
    url = link_in(digest, "/alertes/desinscription/")
    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no CSRF token: RFC 8058
    response = mail_client.post(
        url,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not SearchAlert.objects.exists()


def test_a_forged_unsubscribe_link_erases_nothing(client, map_page):
    alert, digest = digest_for(client, map_page)
    url = link_in(digest, "/alertes/desinscription/")
    forged = url.replace(alert.uid.hex, "0" * 32)
    assert client.post(forged).status_code == 404
    assert SearchAlert.objects.filter(pk=alert.pk).exists()


# --- the owner's alert


def owner_with_criteria(client):
    """A signed-in owner whose fiche states a place, two kinds of project, a tenure and a
    setting."""
    owner = make_profile(
        public_name="Maëlle",
        email="maelle@example.org",
        commune="42218",  # Saint-Étienne, 10 km
        tenure="cooperative",
        setting="periurban",
    )
    owner.project_kinds.set(options("new_build", "renovation"))
    owner.save()  # A parental relation is written with its fiche.
    assert client.post(manage_link(owner)).status_code == 302
    return owner


def options(*slugs):
    return list(ProfileOption.objects.filter(category="project_kind", slug__in=slugs))


def new_like(number, at, commune="42095", kinds=("renovation",), **fields):
    """A new fiche near Firminy (within the owner's 10 km) like the owner's, but for
    `fields`."""
    fiche = new_fiche(
        number,
        [("commune", commune)],
        at=at,
        **({"tenure": "cooperative", "setting": "periurban"} | fields),
    )
    fiche.project_kinds.set(options(*kinds))
    fiche.save()
    return fiche


def test_an_owner_turns_their_fiche_into_an_alert_in_one_click(client, map_page):
    owner_with_criteria(client)
    home = client.get("/futurs-voisins/ma-fiche/").content.decode()
    assert "Recevoir les nouvelles fiches proches de la mienne" in home
    # Every criterion the fiche states is offered, ticked.
    for label in (
        "Secteurs\u00a0: Saint-Étienne, dans un rayon de 10 km",
        "Types de projet\u00a0: construction neuve, réhabilitation, ou indifférent",
        "Statut d'occupation\u00a0: coopérative d'habitants, ou sans préférence",
        "Milieu\u00a0: périurbain, ou sans préférence",
    ):
        assert label in html.unescape(home), label
    ticked = re.findall(r'<input type="checkbox" name="criteria" value="(\w+)"[^>]*checked', home)
    assert ticked == ["place", "project", "tenure", "setting"]

    response = client.post(
        "/futurs-voisins/ma-fiche/alerte/",
        {"criteria": ["place", "project", "tenure", "setting"], "frequency": "weekly"},
    )
    assert response.status_code == 302
    alert = SearchAlert.objects.get()
    # Confirmed already (the fiche's address is), and no confirmation email.
    assert alert.confirmed_at is not None and alert.recipient == "maelle@example.org"
    assert not emails_to("maelle@example.org", "Confirmez")
    home = client.get("/futurs-voisins/ma-fiche/").content.decode()
    assert "Arrêter cette alerte" in home and "Mettre à jour mon alerte" in home

    start = alert.checked_until
    later = start + timedelta(hours=1)
    like = new_like(1, later)
    no_preference = new_like(2, later, kinds=("any",), tenure="any", setting="any")
    new_like(3, later, commune="75056")  # Paris: too far
    new_like(4, later, kinds=("senior",))  # another kind of project
    new_like(5, later, tenure="rental")
    new_like(6, later, setting="rural")
    send_digests(start + timedelta(days=7))
    [digest] = emails_to("maelle@example.org", "nouvelle")
    assert names_in(digest) == {like.public_name, no_preference.public_name}

    # The page's link shows the same fiches on the map.
    map_url = re.search(r'href="([^"]+)">Voir ces fiches sur la carte', home)[1]
    results = client.get(html.unescape(map_url)).content.decode()
    assert {like.public_name, no_preference.public_name, "Maëlle"} <= set(
        re.findall(r"Foyer \d|Maëlle", results)
    )
    assert "Foyer 3" not in results and "Foyer 5" not in results

    # In the owner's data download.
    data = client.get("/futurs-voisins/ma-fiche/mes-donnees.json").json()
    assert data["alerts"][0]["criteria"] == alert.query
    assert data["alerts"][0]["frequency"] == "weekly"

    client.post("/futurs-voisins/ma-fiche/alerte/arreter/")
    assert not SearchAlert.objects.exists()


def test_an_owner_unticks_criteria_and_changes_them_later(client, map_page):
    owner_with_criteria(client)
    client.post("/futurs-voisins/ma-fiche/alerte/", {"criteria": ["place"], "frequency": "daily"})
    alert = SearchAlert.objects.get()
    assert alert.query == "commune=42218&km=10"
    start = alert.checked_until
    other_tenure = new_like(1, start + timedelta(hours=1), tenure="rental", setting="rural")
    send_digests(start + timedelta(days=1))
    assert names_in(emails_to("maelle@example.org", "nouvelle")[0]) == {other_tenure.public_name}

    # The form shows what the alert keeps; posted again, it changes the same alert.
    home = client.get("/futurs-voisins/ma-fiche/").content.decode()
    ticked = re.findall(r'<input type="checkbox" name="criteria" value="(\w+)"[^>]*checked', home)
    assert ticked == ["place"]
    assert re.search(r'value="daily"[^>]*checked', home)
    response = client.post(
        "/futurs-voisins/ma-fiche/alerte/",
        {"criteria": ["place", "tenure"], "frequency": "weekly"},
        follow=True,
    )
    assert "Votre alerte est mise à jour." in response.content.decode()
    alert = SearchAlert.objects.get()
    assert alert.frequency == "weekly"
    assert QueryDict(alert.query).getlist("tenure") == ["cooperative", "any"]


def test_an_owners_alert_without_any_criterion_says_so_and_keeps_the_choices(client, map_page):
    owner_with_criteria(client)
    response = client.post("/futurs-voisins/ma-fiche/alerte/", {"frequency": "daily"})
    assert response.status_code == 200
    page = response.content.decode()
    # The error next to the criteria, the frequency as chosen, and nothing saved.
    assert re.search(r"Cochez au moins un critère\.[\s\S]*?name=\"criteria\"", page)
    assert re.search(r'value="daily"[^>]*checked', page)
    assert not re.findall(r'name="criteria" value="\w+"[^>]*checked', page)
    assert not SearchAlert.objects.exists()


def test_an_owners_alert_never_lists_their_own_fiche(client, map_page):
    owner = owner_with_criteria(client)
    client.post("/futurs-voisins/ma-fiche/alerte/", {"criteria": ["place"], "frequency": "daily"})
    alert = SearchAlert.objects.get()
    # Republished after a pause, the owner's fiche counts as new to the search...
    Profile.objects.filter(pk=owner.pk).update(
        first_published_at=alert.checked_until + timedelta(hours=1)
    )
    # ...but not to their own alert.
    assert send_digests(alert.checked_until + timedelta(days=1)) == 0


def test_an_owners_alert_is_erased_with_the_fiche(client, map_page):
    from profiles_module.publication import lifecycle

    owner = make_profile(public_name="Maëlle", email="maelle@example.org")
    client.post(manage_link(owner))
    client.post("/futurs-voisins/ma-fiche/alerte/", {"criteria": "place", "frequency": "daily"})
    assert SearchAlert.objects.exists()
    lifecycle.erase(owner, "owner")
    assert not SearchAlert.objects.exists()


def test_the_owners_alert_form_needs_the_owners_session(client, map_page):
    response = client.post(
        "/futurs-voisins/ma-fiche/alerte/", {"criteria": "place", "frequency": "daily"}
    )
    assert response.status_code == 403
    assert not SearchAlert.objects.exists()


# --- hostile input, rate limits


def post_alert(client, map_page, **fields):
    data = {"address": VISITOR, "frequency": "weekly", "page": map_page.pk, "query": ""}
    return client.post("/futurs-voisins/alertes/", data | fields)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"address": "x" * 300 + "@example.org"}, "au plus 254"),
        ({"address": f"{VISITOR}\r\nBcc: cible@example.com"}, "adresse de courriel valide"),
        ({"address": "=?utf-8?q?x?=@example.net"}, "caractères non autorisés"),
        ({"address": ""}, "Champ requis"),
        ({"frequency": "hourly"}, "choix valide"),
        ({"page": "99999999999999999999999"}, "au plus 20"),
        ({"page": "123456"}, "existe plus"),
        ({"query": "q=" + "x" * 3000}, "au plus 2000"),
    ],
)
def test_hostile_input_is_refused_next_to_its_field(client, map_page, fields, message):
    response = post_alert(client, map_page, **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert not SearchAlert.objects.exists() and not mail.outbox
    if "address" in fields and len(fields["address"]) < 254:
        # What was typed is still there to correct.
        assert 'name="address"' in html


def test_the_form_is_rate_limited_per_visitor_and_per_address(client, map_page, settings):
    settings.PROFILES_ALERTS_PER_ADDRESS = 2
    settings.PROFILES_ALERTS_PER_IP = 4
    for query in ("departement=42", "departement=69"):
        assert post_alert(client, map_page, query=query).status_code == 302
    # A third for the same address is refused (it still counts for the visitor).
    assert post_alert(client, map_page, query="departement=38").status_code == 429
    assert post_alert(client, map_page, address="autre@example.net").status_code == 302
    assert post_alert(client, map_page, address="encore@example.net").status_code == 429
    assert SearchAlert.objects.count() == 3


def test_a_bot_filling_the_hidden_field_gets_the_same_page_and_no_alert(client, map_page):
    response = post_alert(client, map_page, website="http://spam.example")
    assert response.status_code == 302
    assert not SearchAlert.objects.exists() and not mail.outbox


def test_saving_the_same_search_again_sends_the_link_again_but_one_alert(client, map_page):
    for _ in range(2):
        post_alert(client, map_page, query="departement=42")
    assert SearchAlert.objects.count() == 1
    assert len(mail.outbox) == 2
    confirm(client, mail.outbox[-1])
    post_alert(client, map_page, query="departement=42")
    assert len(mail.outbox) == 2  # confirmed already: nothing new to confirm


# --- languages and partners


def test_an_alert_saved_in_english_gets_english_emails_and_links(client, map_page):
    english = client.get(f"/en{map_page.url}?departement=42")
    if english.status_code != 200:  # the page has no English translation: same page, /en/ UI
        pytest.skip("no English map page")
    save_search(client, f"/en{map_page.url}?departement=42", VISITOR)
    [confirmation] = mail.outbox
    assert "Confirm your alert" in confirmation.subject
    url = link_in(confirmation, "/alertes/confirmer/")
    assert url.startswith("/en/")
    client.post(url)
    start = SearchAlert.objects.get().checked_until
    fiche = new_fiche(1, [("departement", "42")], at=start + timedelta(hours=1))
    send_digests(start + timedelta(days=7))
    digest = mail.outbox[-1]
    assert "1 new fiche matches your search" in digest.subject
    assert f"/en/futurs-voisins/fiches/{fiche.uid}/" in digest.body


def test_an_alert_saved_in_a_partners_frame_keeps_its_territory_and_its_pages(client, map_page):
    make_partner()  # Loire (42) only
    framed = f"/integration/loire{map_page.url}"
    response = save_search(client, framed, VISITOR)
    assert response.status_code == 302
    assert response["Location"].startswith("/integration/loire/")
    alert = SearchAlert.objects.get()
    assert alert.partner.slug == "loire"
    url = link_in(mail.outbox[0], "/alertes/confirmer/")
    assert url.startswith("/integration/loire/")
    client.post(url)
    start = SearchAlert.objects.get().checked_until
    inside = new_fiche(1, [("departement", "42")], at=start + timedelta(hours=1))
    new_fiche(2, [("departement", "69")], at=start + timedelta(hours=1))  # outside the Loire
    send_digests(start + timedelta(days=7))
    digest = mail.outbox[-1]
    assert names_in(digest) == {inside.public_name}
    assert f"/integration/loire/futurs-voisins/fiches/{inside.uid}/" in digest.body
