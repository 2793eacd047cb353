"""A real HTTP server on a thread, standing for the national database, and helpers."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from profiles_module.models import ProjectsPage


def entry(bazar_id, name, **fields):
    """One Bazar entry as the national database's JSON API gives it."""
    return {
        "id_fiche": bazar_id,
        "id_typeannonce": "1",
        "bf_titre": name,
        "date_creation_fiche": "2025-03-01 10:00:00",
        "date_maj_fiche": "2025-06-01 10:00:00",
        "url": f"https://projets.example.org/?{bazar_id}",
        "bf_ville": "Saint-Étienne",
        "bf_code_postal": "42000",
        "bf_latitude": "45.43",
        "bf_longitude": "4.39",
        "listeListeTypeProjet": "Construction neuve",
        "listeListeEtatAvancement": "En recherche de membres",
    } | fields


def answer(*entries):
    """The API's answer: an object keyed by entry id."""
    return json.dumps({e["id_fiche"]: e for e in entries}).encode()


class Source:
    """What the server answers next: status, body, and a delay before the body."""

    def __init__(self):
        self.status, self.body, self.delay, self.requests = 200, b"null", 0, 0


@pytest.fixture
def source():
    """The national database's API on 127.0.0.1: set `.status`, `.body`, `.delay`;
    `.url` is its address."""
    state = Source()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            state.requests += 1
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            if state.delay:
                time.sleep(state.delay)
            try:
                self.wfile.write(state.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the importer gave up waiting: what the timeout test wants

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_port}/?api/forms/1/entries"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def projects_page(home):
    page = ProjectsPage(title="Les projets", slug="projets")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
