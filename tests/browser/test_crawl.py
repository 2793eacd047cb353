"""Every public page of the demo, looked at as a person does, on a desktop and a phone.

The demo's tree (setup_demo) with a few households: the home page, each map page (with
and without criteria, a later page of results), a fiche of each kind of sector, the
forms before and after a failed submission, the owner's pages, the pages of a search
alert, the embedded pages and the partner's preview, the legal pages and the 404 page.
Each fails the test on a console error, a request to this site that fails, a request to
a host that is neither this site nor the tile server, a page wider than the screen, or a
serious or critical axe-core violation (axe-core is vendored from the npm registry:
tests/browser/vendor/).
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from home.management.commands.setup_demo import DEMO_ALERT_ADDRESS
from profiles_module.alerts import tokens as alert_tokens
from profiles_module.common.leaflet import tile_host
from profiles_module.models import Departement, Profile, Region, SearchAlert, Sector
from profiles_module.publication.suggestions import stop_token
from tests.factories import make_profile, manage_link

from . import is_local, settle

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text()
# axe-core's results, reduced to what a reader of the failure needs.
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")));
}"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def fiche_of_each_sector_kind():
    """Paths of a fiche around a commune (the demo's), of one in the Loire département and
    of one in the Auvergne-Rhône-Alpes région."""
    commune = Profile.objects.public().filter(sectors__kind=Sector.Kind.COMMUNE).first()
    fiches = [commune or make_profile(public_name="Autour de Saint-Étienne")]
    for kind, sector in (
        (
            "departement",
            Sector(kind=Sector.Kind.DEPARTEMENT, departement=Departement.objects.get(code="42")),
        ),
        ("region", Sector(kind=Sector.Kind.REGION, region=Region.objects.get(code="84"))),
    ):
        profile = make_profile(public_name=f"Tout un {kind}", save=False)
        profile.sectors = [sector]
        profile.full_clean()
        profile.save()
        fiches.append(profile)
    return [fiche.get_absolute_url() for fiche in fiches]


@pytest.fixture
def demo(live_site):
    """The demo's pages and partner, for this live server, and 30 households."""
    parts = urlsplit(live_site)
    call_command("setup_demo", profiles=0, host=parts.hostname, port=parts.port, verbosity=0)
    call_command("seed_demo", profiles=30, jobs=1, verbosity=0)
    return live_site


class Watcher:
    """What went wrong on the current page, as the tests define it."""

    def __init__(self, page, blocked):
        self.page, self.blocked, self.problems = page, blocked, []
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", self.on_failed)
        page.on("response", self.on_response)
        self.expected_status = {}
        self.form_errors = False

    def on_console(self, message):
        location = message.location.get("url") or ""
        # The tile server is refused to every test (no internet): not the page's fault.
        if message.type == "error" and (not location or is_local(location)):
            # Failed loads are judged from their responses (on_response), where an
            # expected 404 page or a form's 400 is told apart.
            if not message.text.startswith("Failed to load resource"):
                self.problems.append(f"console: {message.text}")

    def on_failed(self, request):
        if is_local(request.url):
            self.problems.append(f"request failed: {request.url} {request.failure}")

    def on_response(self, response):
        if not is_local(response.url) or response.status < 400:
            return
        if response.status == self.expected_status.get(urlsplit(response.url).path):
            return
        # A form sent with errors is answered 400, with the form and its errors.
        if response.request.method == "POST" and response.status == 400 and self.form_errors:
            return
        self.problems.append(f"{response.status}: {response.url}")

    def look(self, label):
        """Check the page as it stands now; returns its problems, labelled."""
        settle(self.page)
        self.page.evaluate(AXE)  # through the DevTools protocol: the page's CSP allows no eval
        found = [f"axe {violation}" for violation in self.page.evaluate(RUN_AXE)]
        # Without one the browser asks for /favicon.ico, which this site does not serve: a
        # 404 in the console that Playwright reports as no response of the page's.
        if not self.page.locator("link[rel~=icon]").count():
            found.append("no icon link")
        overflow = self.page.evaluate(OVERFLOW)
        if overflow > 0:
            found.append(f"{overflow} px wider than the screen")
        outside = {urlsplit(url).hostname for url in self.blocked} - {None}
        outside = {host for host in outside if not host.endswith(tile_host())}
        found += [f"request to another host: {host}" for host in sorted(outside)]
        found += self.problems
        self.problems = []
        self.blocked.clear()
        return [f"{label}: {problem}" for problem in found]


def visit_everything(page, base, blocked, fiches):
    watcher = Watcher(page, blocked)
    problems = []

    def open_page(path, expected_status=200):
        watcher.expected_status = {urlsplit(path).path: expected_status}
        response = page.goto(base + path)
        assert response.status == expected_status, f"{path}: {response.status}"
        problems.extend(watcher.look(path))

    def submit_empty(path, button):
        page.goto(base + path)
        settle(page)
        watcher.form_errors = True
        page.get_by_role("button", name=button).first.click()
        problems.extend(watcher.look(f"{path} after a failed submission"))
        watcher.form_errors = False

    for path in (
        "/",
        "/trouver/",
        "/trouver/?composition=couple&page=2",
        "/trouver/?departement=42&q=jardin",
        "/auvergne-rhone-alpes/",
        "/les-chiffres/",
        "/projets/",
        "/projets/?q=lyon",
        "/projets/LaMaisonDesTilleuls/",
        *fiches,
        "/publier-ma-fiche/",
        "/contacter-l-equipe/",
        "/mentions-legales/",
        "/confidentialite/",
        "/accessibilite/",
        "/integration/aura/trouver/",
        f"/integration/aura{fiches[1]}",  # the Loire, in the partner's territory
        "/integration/aura/publier-ma-fiche/",
        "/apercu-integration/aura/",
        # The same site in English.
        "/en/",
        "/en/trouver/?composition=couple&page=2",
        f"/en{fiches[0]}",
        "/en/publier-ma-fiche/",
        "/en/contacter-l-equipe/",
        "/en/confidentialite/",
        "/en/les-chiffres/",
        "/en/projets/",
        "/en/projets/LesToitsPartages/",
        "/integration/aura/en/trouver/",
        "/en/apercu-integration/aura/",
    ):
        open_page(path)
    open_page("/cette-page-n-existe-pas/", expected_status=404)

    submit_empty("/publier-ma-fiche/", "Publier ma fiche")
    submit_empty("/contacter-l-equipe/", "Envoyer")
    submit_empty(fiches[0], "Envoyer")
    submit_empty("/en/publier-ma-fiche/", "Publish my profile")

    # The owner's pages, opened from the email's link.
    owner = Profile.objects.public().first()
    page.goto(base + manage_link(owner))
    page.get_by_role("button", name="Ouvrir ma fiche").click()
    problems.extend(watcher.look("the owner's page"))
    for path in ("/futurs-voisins/ma-fiche/modifier/", "/futurs-voisins/ma-fiche/echanges/"):
        open_page(path)

    # The pages of a search alert: after saving it, its confirmation and unsubscribe links.
    alert = SearchAlert.objects.get(email=DEMO_ALERT_ADDRESS)
    for path in (
        f"/futurs-voisins/alertes/envoyee/?page={alert.page_id}&q=region%3D84",
        reverse("profiles_module:alert_confirm", args=[alert_tokens.confirm_token(alert)]),
        reverse("profiles_module:alert_unsubscribe", args=[alert_tokens.unsubscribe_token(alert)]),
    ):
        open_page(path)
    # The page of the "stop these emails" link of the email of suggestions.
    open_page(reverse("profiles_module:suggestions_stop", args=[stop_token(owner)]))
    return problems


@pytest.mark.browser
def test_every_public_page_on_a_desktop(page, demo, blocked_requests):
    fiches = fiche_of_each_sector_kind()
    problems = visit_everything(page, demo, blocked_requests, fiches)
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_every_public_page_on_a_phone(mobile_page, demo, blocked_requests):
    fiches = fiche_of_each_sector_kind()
    assert visit_everything(mobile_page, demo, blocked_requests, fiches) == []
