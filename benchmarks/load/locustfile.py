"""What visitors do, for the load test (benchmarks/load.py runs it headless).

Weights follow a directory's traffic: mostly map searches with random criteria and fiche
pages, then the API and GeoJSON, the commune autocomplete, the map's data, and now and
then a contact message (sent to the server's test mailbox; its rate limits answer 429,
which is counted apart from errors).
"""

import random
import re
import time

from locust import HttpUser, between, events, task

MAP_PAGES = ["/trouver/", "/auvergne-rhone-alpes/"]
DEPARTEMENTS = ["01", "13", "29", "33", "35", "42", "44", "59", "67", "69", "75", "974"]
REGIONS = ["11", "24", "53", "75", "76", "84", "93"]
KINDS = ["household", "group", "resident", "resource"]
TENURES = ["ownership", "cooperative", "rental", "solidarity_lease"]
COMMUNES = ["42218", "69123", "75056", "35238", "33063", "31555", "44109", "67482"]
WORDS = ["jardin", "enfants", "coopérative", "écologie", "partage", "vélo", "retraite"]
PREFIXES = ["Sai", "Lyo", "Mar", "Ren", "Bor", "Nan", "Lil", "Tou", "Gre", "Mon"]
FICHE_RE = re.compile(r'href="(/futurs-voisins/fiches/[0-9a-f-]{36}/[^"]*)"')
FICHES = []  # filled from the first pages the users read


def criteria(pages=True):
    """Random search criteria, as a visitor ticks them (a later page of results too,
    unless `pages` is false: the API refuses a page past the last one)."""
    params = {}
    choice = random.random()
    if choice < 0.3:
        params["departement"] = random.choice(DEPARTEMENTS)
    elif choice < 0.45:
        params["region"] = random.choice(REGIONS)
    elif choice < 0.6:
        params["commune"] = random.choice(COMMUNES)
        params["km"] = random.choice([10, 20, 50])
    if random.random() < 0.3:
        params["kind"] = random.choice(KINDS)
    if random.random() < 0.2:
        params["tenure"] = random.choice(TENURES)
    if random.random() < 0.1:
        params["q"] = random.choice(WORDS)
    if pages and random.random() < 0.2:
        params["page"] = random.randint(2, 5)
    return params


class Visitor(HttpUser):
    wait_time = between(1, 3)

    @task(10)
    def search(self):
        response = self.client.get(
            random.choice(MAP_PAGES), params=criteria(), name="map page (search)"
        )
        if response.ok and len(FICHES) < 2000:
            FICHES.extend(FICHE_RE.findall(response.text))

    @task(6)
    def fiche(self):
        if FICHES:
            self.client.get(random.choice(FICHES), name="fiche page")

    @task(3)
    def api(self):
        # A first page: a client reads the next ones from its `next` link, and a page
        # past the last is a 400 (a client error, not the server's).
        self.client.get(
            "/futurs-voisins/api/v1/profiles/", params=criteria(pages=False), name="API (JSON)"
        )

    @task(2)
    def geojson(self):
        params = criteria(pages=False) | {"page_size": 200}
        self.client.get(
            "/futurs-voisins/api/v1/profiles.geojson", params=params, name="API (GeoJSON)"
        )

    @task(3)
    def map_data(self):
        west, south = random.uniform(-5, 6), random.uniform(42, 49)
        zoom = random.choice([5, 6, 8, 10])
        span = 12 / 2 ** (zoom - 5)
        bbox = f"{west},{south},{west + span},{south + span / 2}"
        self.client.get(
            "/futurs-voisins/api/v1/profiles/map/",
            params={"zoom": zoom, "bbox": bbox},
            name="map data",
        )

    @task(3)
    def autocomplete(self):
        self.client.get(
            "/futurs-voisins/communes/",
            params={"q": random.choice(PREFIXES)},
            name="commune autocomplete",
        )

    @task(1)
    def contact(self):
        if not FICHES:
            return
        fiche = random.choice(FICHES)
        form = self.client.get(fiche, name="fiche page")
        token = re.search(r'name="form_token" value="([^"]+)"', form.text)
        name = next(
            (n for n in ("__Host-csrftoken", "csrftoken") if self.client.cookies.get(n)), None
        )
        if not token or not name:
            return
        csrf = self.client.cookies.get(name)
        uid = fiche.split("/")[3]
        time.sleep(3.1)  # a person types; the form refuses what comes back at once
        with self.client.post(
            f"/futurs-voisins/fiches/{uid}/contact/",
            data={
                "sender_name": "Charge Test",
                "sender_address": f"charge{random.randint(1, 10**9)}@example.net",
                "message": "Bonjour, un message du test de charge.",
                "website": "",
                "form_token": token.group(1),
                "csrfmiddlewaretoken": csrf,
            },
            headers={"Referer": self.host + fiche},
            # Production's cookie is Secure: a browser sends it to 127.0.0.1 over plain HTTP,
            # the requests library does not, and the form would be refused (403).
            cookies={name: csrf},
            name="contact message",
            catch_response=True,
        ) as response:
            # A rate limit (429) or a form refused as too quick is the site working.
            if response.status_code in {200, 302, 429}:
                response.success()


@events.quitting.add_listener
def _(environment, **kwargs):
    environment.process_exit_code = 0  # the runner reads the figures, not the exit code
