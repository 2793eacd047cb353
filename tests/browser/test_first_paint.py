"""The map page is laid out on its first paint as its scripts want it: when the main
script runs (once the page is painted), nothing on screen moves."""

import pytest

from tests.browser import MAIN_SCRIPT, settle
from tests.factories import make_map_page, make_profile

# Where the count, the map, the first result and the switch are, and what is folded or
# shown, as a visitor sees the page: once a frame has been rendered. Before it, every
# result card (laid out only near the screen: content-visibility: auto) still has its
# placeholder height of 28rem, which the first frame replaces for those on screen.
LAYOUT = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const box = (selector) => {
    const element = document.querySelector(selector);
    if (!element || !element.offsetParent) return null;
    const rect = element.getBoundingClientRect();
    return [rect.x, rect.y, rect.width, rect.height].map(Math.round);
  };
  return {
    count: box('#fv-results-count'),
    map: box('[data-fv-map]'),
    first_result: box('.fv-cards li'),
    switch: box('[data-fv-switch]'),
    share: box('[data-fv-share]'),
    criteria_open: document.querySelector('[data-fv-criteria]').open,
  };
}"""


@pytest.mark.browser
@pytest.mark.parametrize("tab", ["page", "mobile_page"])
def test_nothing_moves_when_the_main_script_runs(request, tab, live_site):
    page = request.getfixturevalue(tab)
    map_page = make_map_page(slug="trouver")
    for commune in ("42218", "69123", "29019"):
        make_profile(commune=commune)
    # The main script never arrives: what the first paint shows.
    page.route(MAIN_SCRIPT, lambda route: route.abort())
    page.goto(live_site + map_page.url)
    page.wait_for_load_state("load")
    first_paint = page.evaluate(LAYOUT)
    assert page.evaluate("() => typeof window.L") == "undefined"
    page.unroute(MAIN_SCRIPT)
    page.goto(live_site + map_page.url)
    # The main script has run (it is one script: all of it once Leaflet is there), and
    # the map, where it is shown, has drawn its squares.
    page.wait_for_function("() => window.L")
    page.wait_for_function(
        "() => !document.querySelector('[data-fv-map]').offsetParent"
        " || document.querySelector('[data-fv-map]').dataset.count"
    )
    assert page.evaluate(LAYOUT) == first_paint
    # What that layout is: the copy button shown where the browser can copy; on a phone
    # the criteria folded and the list alone, with the switch; on a wide screen both.
    assert first_paint["share"] is not None
    if tab == "mobile_page":
        assert not first_paint["criteria_open"]
        assert first_paint["switch"] and first_paint["map"] is None
    else:
        assert first_paint["criteria_open"]
        assert first_paint["switch"] is None and first_paint["map"]
    settle(page)
