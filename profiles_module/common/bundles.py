"""The map page's stylesheets and scripts, each served as one file.

Over HTTP/1.1 a browser fetches at most six files at a time from a host, and the map
waits for every stylesheet and every deferred script before it can draw: fifteen small
files cost a first visit more than their bytes (about 50 ms before the first result and
the first marker, benchmarks/browser.py). Each bundle is its parts one after the other, in
order, found among the static files as any file is. `BundleFinder` offers it as a static
file of its own: `runserver` serves it, `collectstatic` collects and hashes it (and the
manifest storage follows its stylesheet's images); the parts stay as they are for the
pages that use one of them alone.

The host lists the finder in STATICFILES_FINDERS (check `profiles_module.E006`).
"""

import os
import posixpath
import re
import tempfile
import threading
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

LEAFLET = "profiles_module/vendor/leaflet-1.9.4/"
MARKERCLUSTER = "profiles_module/vendor/leaflet.markercluster-1.5.3/"

BUNDLES = {
    "profiles_module/bundles/map-page.css": [
        LEAFLET + "leaflet.css",
        MARKERCLUSTER + "MarkerCluster.css",
        MARKERCLUSTER + "MarkerCluster.Default.css",
        "profiles_module/css/search.css",
        "profiles_module/css/alerts.css",
    ],
    # Run where the results end, before the first paint: the page's layout as its
    # scripts want it (the list / map switch first: a hidden map draws nothing), the map's
    # first view, then the main script below once that is painted.
    "profiles_module/bundles/map-page-start.js": [
        "profiles_module/js/search-switch.js",
        "profiles_module/js/search-layout.js",
        "profiles_module/js/map-first-view.js",
        "profiles_module/js/after-first-paint.js",
    ],
    # In the order they must run: the projects layer listens for the map that search-map.js
    # announces; the criteria's commune field (CommuneSearchWidget's media) and the alert
    # form are the page's too, so that no script of the page is fetched on its own.
    "profiles_module/bundles/map-page.js": [
        LEAFLET + "leaflet.js",
        MARKERCLUSTER + "leaflet.markercluster.js",
        "profiles_module/js/projects-layer.js",
        "profiles_module/js/search-map.js",
        "profiles_module/js/search-live.js",
        "profiles_module/js/commune-autocomplete.js",
        "profiles_module/js/alerts-form.js",
    ],
}

# A relative address in a stylesheet, as url(images/layers.png) or url("…").
RELATIVE_URL = re.compile(r"""url\(\s*(['"]?)(?![a-z][a-z0-9+.-]*:|/|#)([^'")]+)\1\s*\)""", re.I)


def rebased(css, part, bundle):
    """The part's relative addresses made relative to the bundle, which lives elsewhere."""
    start = posixpath.dirname(bundle)

    def moved(match):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(part), match[2]))
        return f"url({match[1]}{posixpath.relpath(target, start)}{match[1]})"

    return RELATIVE_URL.sub(moved, css)


def contents(bundle):
    """The bundle's text: its parts in order, each found as any static file is."""
    texts = []
    for part in BUNDLES[bundle]:
        found = finders.find(part)
        if found is None:
            raise FileNotFoundError(f"{bundle}: its part {part} is not a static file")
        text = Path(found).read_text(encoding="utf-8")
        if bundle.endswith(".css"):
            texts.append(f"/* {part} */\n{rebased(text, part, bundle)}\n")
        else:
            # A part that ends without a semicolon must not run into the next one.
            texts.append(f"/* {part} */\n{text}\n;\n")
    return "".join(texts)


_directory = []
_directory_lock = threading.Lock()


def process_directory():
    """The directory of this process's bundles, made once, removed when the process ends.

    Not one per finder: Django keeps one finder of each kind, but threads asking for
    their first static files at once may each make one, and keep only one. The file an
    instance found must outlive it, for the server to send it."""
    with _directory_lock:
        if not _directory:
            _directory.append(tempfile.TemporaryDirectory(prefix="profiles_module-bundles-"))
        return _directory[0].name


class BundleFinder(BaseFinder):
    """Finds each bundle, written from its parts at the moment it is asked for.

    Written on the disk (process_directory()), since Django's static views and
    collectstatic read a found file from there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=process_directory())

    def build(self, bundle):
        path = Path(self.storage.path(bundle))
        text = contents(bundle)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside, then moved in place: the development server's threads may
            # read it meanwhile, and must find the whole of one version or the other.
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, delete=False
            ) as aside:
                aside.write(text)
            os.replace(aside.name, path)
        return str(path)

    def find(self, path, find_all=False):
        if path not in BUNDLES:
            return [] if find_all else None
        built = self.build(path)
        return [built] if find_all else built

    def list(self, ignore_patterns):
        for bundle in BUNDLES:
            self.build(bundle)
            yield bundle, self.storage
