"""What a visitor waits for on a map page, measured in Debian's Chromium; prints figures.

    .venv/bin/python benchmarks/browser.py --site 10k=http://127.0.0.1:8011/trouver/ \
        --site 100k=http://127.0.0.1:8012/trouver/ --flush redis://127.0.0.1:6379/1

Each site is a map page served the way production serves it (`make prod`, i.e.
scripts/serve-production, on a database holding that many fiches: see README,
"Measurements"). For each site, five cold loads (a new browser context each time: no
cache, no cookie) at 1366x900 with every other host's name failing in Chromium (map
tiles included), and for each load:

- first marker: from the start of navigation until the first marker or count square of
  the national map is on screen (a frame rendered after it appeared);
- first result: until the first result card is on screen;
- tick → list: from ticking a choice until the new count and list are on screen;
- tick → map: from the same tick until the map has drawn the new search;
- bytes: what the browser received for the page, its files and the map's data, up to
  the first marker (transfer sizes, compressed as sent).

Prints the median of each. With --flush, the server's cache (the Redis database the site
uses) is emptied before each load but for what lasts until a fiche changes (the sets of
fiches the counts are made from), so that the server computes the rest each time, as for
a search nobody made lately. Asserts nothing about time.
"""

import argparse
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from tests.browser import chromium_path, only_hosts  # noqa: E402

VIEWPORT = {"width": 1366, "height": 900}

# Installed before the page's own scripts: the time (from the start of navigation) at
# which the first element matching each selector was on screen, i.e. a frame was rendered
# after it was added (two animation frames: the second runs after the first's paint).
WATCH = """
window.fvBench = {};
function onScreen(name, selector) {
  var seen = false;
  new MutationObserver(function (changes, observer) {
    if (seen || !document.querySelector(selector)) return;
    seen = true;
    observer.disconnect();
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      window.fvBench[name] = performance.now();
    }); });
  }).observe(document, { childList: true, subtree: true });
}
onScreen("marker", ".leaflet-marker-icon, .fv-cell");
onScreen("result", ".fv-card");
"""

# Ticks the choice and resolves with the times (from the tick) at which the list and the
# map had drawn the new search. The list is done when search-live.js has put it in place
# (it records the search it shows); the map when it is no longer busy with its new data.
TICK = """
async (selector) => {
  const results = document.querySelector(".fv-search__results");
  const map = document.querySelector("[data-fv-map]");
  const painted = () => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now()))));
  const when = (element, ready) => new Promise((done) => {
    new MutationObserver((changes, observer) => {
      if (!ready()) return;
      observer.disconnect();
      painted().then(done);
    }).observe(element, { attributes: true });
  });
  const before = results.dataset.search || "";
  let mapBusy = false;
  const list = when(results, () => (results.dataset.search || "") !== before);
  const drawn = when(map, () => {
    if (map.hasAttribute("aria-busy")) mapBusy = true;
    return mapBusy && !map.hasAttribute("aria-busy");
  });
  const start = performance.now();
  document.querySelector(selector).click();
  const [listAt, mapAt] = await Promise.all([list, drawn]);
  return { list: listAt - start, map: mapAt - start };
}
"""


# What the site keeps until a fiche changes, whoever searched: the fiches' version and the
# sets of fiches of each choice (search/facets.py). Kept by --flush.
UNTIL_A_FICHE_CHANGES = (b"profiles_module:search:version", b"profiles_module:facet-sets:")


def flush(cache_url):
    """Empty the site's cache but for what lasts until a fiche changes."""
    import redis

    client = redis.Redis.from_url(cache_url)
    for key in client.scan_iter(count=1000):
        if not any(part in key for part in UNTIL_A_FICHE_CHANGES):
            client.delete(key)


def one_load(browser, url, choice, cache_url):
    if cache_url:
        flush(cache_url)
    context = browser.new_context(viewport=VIEWPORT, locale="fr-FR")
    page = context.new_page()
    page.add_init_script(WATCH)
    page.goto(url)
    page.wait_for_function("() => window.fvBench.marker && window.fvBench.result", timeout=60_000)
    times = page.evaluate("() => window.fvBench")
    received = page.evaluate(
        """(until) => performance.getEntriesByType("navigation")
             .concat(performance.getEntriesByType("resource"))
             .filter((entry) => entry.responseEnd <= until)
             .reduce((sum, entry) => sum + entry.transferSize, 0)""",
        times["marker"],
    )
    # Let the first map data settle, as a visitor would before choosing.
    page.wait_for_function(
        "() => !document.querySelector('[data-fv-map]').hasAttribute('aria-busy')"
    )
    ticked = page.evaluate(TICK, choice)
    context.close()
    return {
        "marker": times["marker"],
        "result": times["result"],
        "list": ticked["list"],
        "map": ticked["map"],
        "bytes": received,
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--site",
        action="append",
        required=True,
        metavar="LABEL=URL",
        help="a map page served as production serves it; repeat for each size",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--choice",
        default="input[name=tenure][value=cooperative]",
        help="the choice ticked (a CSS selector)",
    )
    parser.add_argument(
        "--flush",
        action="append",
        metavar="REDIS_URL",
        help="empty this cache before each load; once per --site, in the same order",
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    sites = [site.split("=", 1) for site in args.site]
    caches = args.flush or [None] * len(sites)
    if len(caches) != len(sites):
        raise SystemExit("give one --flush per --site, or none")
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=[only_hosts(url for _label, url in sites)]
        )
        for (label, url), cache in zip(sites, caches, strict=True):
            print(f"{label}: {args.runs} cold loads of {url}", file=sys.stderr)
            loads = [one_load(browser, url, args.choice, cache) for _ in range(args.runs)]
            medians = {key: statistics.median(load[key] for load in loads) for key in loads[0]}
            rows.append((label, medians))
        browser.close()
    print(
        f"Map page in Chromium, {VIEWPORT['width']}x{VIEWPORT['height']}, median of "
        f"{args.runs} cold loads, tiles blocked, server cache "
        f"{'emptied before each load' if args.flush else 'as it is'}"
    )
    print(
        f"{'site':<8}{'first marker':>14}{'first result':>14}{'tick → list':>13}"
        f"{'tick → map':>12}{'bytes':>11}"
    )
    for label, median in rows:
        print(
            f"{label:<8}{median['marker'] / 1000:>13.2f}s{median['result'] / 1000:>13.2f}s"
            f"{median['list']:>11.0f}ms{median['map']:>10.0f}ms{median['bytes'] / 1024:>8.0f} kB"
        )
    host = urlsplit(sites[0][1]).netloc
    print(f"(served by {host}; tick: {args.choice})")


if __name__ == "__main__":
    sys.exit(main())
