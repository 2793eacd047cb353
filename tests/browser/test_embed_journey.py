"""A partner association's website (another origin) embeds the map and the publication
form in iframes; a fiche published through the frame is attributed to the partner; a
site the partner did not declare cannot show the frames."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from playwright.sync_api import expect
from wagtail.models import Site

from profiles_module.models import MapPage, Profile, PublishPage
from tests.browser import settle
from tests.factories import make_partner, make_profile


class WebSite:
    """A tiny web server on 127.0.0.1 (another site than the live server's localhost)
    serving one HTML page at /."""

    def __init__(self):
        self.html = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def partner_website():
    site = WebSite()
    yield site
    site.close()


@pytest.fixture
def other_website():
    site = WebSite()
    yield site
    site.close()


def wait_until_sized(page, frame_selector):
    """Wait until embed.js has grown the frame past an inner scrollbar's height and the
    frame has kept its place and size for a few animation frames (a frame above it that
    navigates and is resized moves it down)."""
    page.wait_for_function(
        """selector => {
            const frame = document.querySelector(selector);
            const box = frame.getBoundingClientRect();
            const where = `${box.top + window.scrollY}:${box.height}`;
            const steady = box.height > 400 && where === frame._lastBox;
            frame._steadyFrames = steady ? (frame._steadyFrames || 0) + 1 : 0;
            frame._lastBox = where;
            return frame._steadyFrames >= 10;
        }""",
        arg=frame_selector,
        polling="raf",
    )


def embedding_page(live_site, paths):
    frames = "\n".join(
        f'<iframe id="{name}" src="{live_site}/integration/loire{path}" title="{name}" '
        f'data-futurs-voisins style="width:100%;min-height:150px;border:0"></iframe>'
        for name, path in paths.items()
    )
    return (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'><title>Association"
        f"</title></head><body><h1>Habitat participatif en Loire</h1>{frames}"
        f'<script src="{live_site}/static/profiles_module/js/embed.js" async></script>'
        "</body></html>"
    )


@pytest.mark.browser
def test_partner_site_embeds_the_map_and_the_form_and_another_site_cannot(
    page, live_site, partner_website, other_website
):
    home = Site.objects.get(is_default_site=True).root_page
    map_page = MapPage(title="Trouver des futurs voisins", slug="trouver")
    home.add_child(instance=map_page)
    publish = PublishPage(title="Publier ma fiche", slug="publier")
    home.add_child(instance=publish)
    publish.save_revision().publish()
    partner = make_partner(allowed_origins=partner_website.origin)
    make_profile(public_name="Stéphane", commune="42218")
    make_profile(public_name="Lyonnais", commune="69123", email="lyon@example.org")
    mail.outbox.clear()
    paths = {"carte": map_page.url, "formulaire": publish.url}
    partner_website.html = other_website.html = embedding_page(live_site, paths)

    page.goto(partner_website.origin + "/")
    carte = page.frame_locator("#carte")
    expect(carte.locator(".fv-embed__name")).to_have_text("Habitat participatif Loire")
    expect(carte.locator(".fv-card__name a")).to_have_text(["Stéphane"])  # its territory
    # embed.js sizes the frame to its content: no inner scrollbar.
    wait_until_sized(page, "#carte")

    # Navigation stays inside the frame; the partner's page stays where it is.
    carte.locator(".fv-card__name a", has_text="Stéphane").click()
    expect(carte.locator("h1")).to_have_text("Stéphane")
    assert page.url == partner_website.origin + "/"
    assert any("/integration/loire/futurs-voisins/fiches/" in f.url for f in page.frames)

    # Publish through the frame: the browser sends no cookie to the frame's site (it is
    # a third-party cookie here), and the form still submits.
    formulaire = page.frame_locator("#formulaire")
    # A click aimed while embed.js still resizes a frame lands beside the radio: the
    # map's frame, above, has just navigated to a fiche and is being resized.
    wait_until_sized(page, "#carte")
    wait_until_sized(page, "#formulaire")
    formulaire.get_by_label("Nom public").fill("Sacha")
    formulaire.get_by_label("couple", exact=True).check()
    formulaire.locator("#id_sectors-0-commune").fill("Saint-Étienne")
    formulaire.get_by_label("Votre adresse email").fill("sacha@example.org")
    formulaire.get_by_label("J'accepte la publication de cette fiche sur le site").check()
    formulaire.get_by_role("button", name="Publier ma fiche").click()
    expect(formulaire.get_by_role("heading", name="Vérifiez votre boîte mail")).to_be_visible()
    settle(page)
    assert Profile.objects.get(public_name="Sacha").partner == partner

    # A site the partner did not declare gets no frame (CSP frame-ancestors).
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(other_website.origin + "/")
    page.wait_for_load_state("load")
    embedded = [frame for frame in page.frames if frame != page.main_frame]
    assert embedded and all(
        "Habitat participatif Loire" not in frame.content() for frame in embedded
    )
    assert any("frame-ancestors" in text for text in refused)
    settle(page)
