"""Live results: a ticked choice or typed words update the count, the list, the counts
next to the choices and the map without a page load; the address follows, so the
search can be shared and opened again as it was."""

import pytest

from home.models import HomePage
from profiles_module.models import MapPage
from tests.browser import MAIN_SCRIPT, listed_names, map_requests, settle
from tests.browser.conftest import DESKTOP_VIEWPORT, _new_context
from tests.factories import make_profile

SEARCHED = "() => document.querySelector('.fv-search__results').dataset.search || ''"


@pytest.fixture
def map_page(live_site):
    home = HomePage.objects.first()
    page = MapPage(title="Trouver des futurs voisins", slug="trouver")
    home.add_child(instance=page)
    for number, (name, commune, tenure, presentation) in enumerate(
        [
            ("Stéphane", "42218", "cooperative", "Un jardin partagé et un atelier."),
            ("Romane", "42187", "cooperative", "Une maison commune en ville."),
            ("Montse", "42147", "cooperative", "Un grand jardin, des poules."),
            ("Locataire", "42218", "rental", "Un logement social partagé."),
            ("Lyonnais", "69123", "cooperative", "Près des transports."),
        ]
    ):
        make_profile(
            public_name=name,
            commune=commune,
            tenure=tenure,
            presentation=presentation,
            email=f"foyer{number}@example.org",
        )
    return page


MAP_COUNT = "(count) => document.querySelector('[data-fv-map]').dataset.count === count"


def wait_for_search(page, part):
    page.wait_for_function(f"() => ({SEARCHED})().includes({part!r})")


def choice(page, name, value):
    return page.locator(f"input[name={name}][value={value}]")


def count_of(page, name, value):
    return choice(page, name, value).locator("xpath=..").locator(".fv-choice__count").inner_text()


def search_live(page, live_site, map_page):
    page.goto(live_site + map_page.url)
    phone = page.viewport_size["width"] < 768
    page.wait_for_function("() => window.L")  # the page's main script has run
    if not phone:  # a phone shows the list alone: its map asks for nothing until shown
        page.wait_for_function(MAP_COUNT, arg="5")
    page.evaluate("() => { window.fvSamePage = true; }")
    criteria = page.locator("[data-fv-criteria]")
    # On a phone the criteria are folded under their summary, the results first.
    assert criteria.evaluate("d => d.open") is not phone
    if phone:
        page.locator(".fv-criteria__summary").click()
    assert count_of(page, "kind", "household") == "(5)"
    loire = page.locator("select[name=departement] option[value='42']")
    assert loire.inner_text() == "Loire (42) – 4 fiches"

    choice(page, "tenure", "cooperative").check()
    wait_for_search(page, "tenure=cooperative")
    assert page.locator(".fv-count").inner_text().strip() == (
        "4 foyers correspondent à votre recherche"
    )
    assert listed_names(page) == ["Lyonnais", "Montse", "Romane", "Stéphane"]
    # The other criteria's counts follow; the tenures' own do not (what a tick adds).
    assert count_of(page, "kind", "household") == "(4)"
    assert count_of(page, "tenure", "rental") == "(1)"
    assert loire.inner_text() == "Loire (42) – 3 fiches"  # a select's options too
    # The map shows the same search, and nothing was loaded again.
    if not phone:
        page.wait_for_function(MAP_COUNT, arg="4")
    assert page.evaluate("() => window.fvSamePage") is True
    assert page.evaluate("() => document.activeElement.value") == "cooperative"
    assert "tenure=cooperative" in page.url
    assert page.locator(".fv-criteria__summary").inner_text() == "Critères (1 utilisé)"

    # Words, once typing pauses.
    page.locator("#id_q").fill("jardin")
    wait_for_search(page, "q=jardin")
    assert listed_names(page) == ["Montse", "Stéphane"]
    assert page.evaluate("() => document.activeElement.id") == "id_q"
    assert page.evaluate("() => window.fvSamePage") is True
    return page.url


@pytest.mark.browser
def test_a_search_updates_as_you_click_and_can_be_shared(
    page, browser, live_site, map_page, blocked_requests
):
    search_live(page, live_site, map_page)
    # Zoom in: the address keeps the view; the button copies it.
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('view')")
    settle(page)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site)
    page.get_by_role("button", name="Copier le lien de cette recherche").click()
    page.get_by_role("status").filter(has_text="Lien copié").wait_for()
    shared = page.evaluate("() => navigator.clipboard.readText()")
    assert shared == page.url and "view=" in shared
    bounds = page.locator("[data-fv-map]").get_attribute("data-bounds")

    # Opened by someone else: the same criteria, results and place on the map.
    other = _new_context(browser, DESKTOP_VIEWPORT, blocked_requests).new_page()
    other.goto(shared)
    assert other.locator("input[name=tenure][value=cooperative]").is_checked()
    assert other.locator("#id_q").input_value() == "jardin"
    assert listed_names(other) == ["Montse", "Stéphane"]
    other.wait_for_function("() => document.querySelector('[data-fv-map]').dataset.bounds")
    theirs = other.locator("[data-fv-map]").get_attribute("data-bounds")
    # The same place (west, south, east, north), to the rounding of the shared centre.
    assert all(
        abs(float(a) - float(b)) < 0.005
        for a, b in zip(theirs.split(","), bounds.split(","), strict=True)
    ), (theirs, bounds)
    other.context.close()

    # From a result and back: the same criteria, and the same place on the map.
    with page.expect_navigation():
        page.locator(".fv-card__name a", has_text="Montse").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Retour à la recherche").click()
    assert page.url == shared
    page.wait_for_function("() => document.querySelector('[data-fv-map]').dataset.bounds")
    back = page.locator("[data-fv-map]").get_attribute("data-bounds")
    assert all(
        abs(float(a) - float(b)) < 0.005
        for a, b in zip(back.split(","), bounds.split(","), strict=True)
    ), (back, bounds)


@pytest.mark.browser
def test_live_results_on_a_phone(mobile_page, live_site, map_page):
    search_live(mobile_page, live_site, map_page)


@pytest.mark.browser
def test_a_tick_keeps_the_map_where_it_is_a_departement_moves_it(page, live_site, map_page):
    # Among the ticked results, one in La Réunion: the map stays on metropolitan France
    # rather than open on half the globe. A search by place moves it to its results.
    make_profile(commune="97411", tenure="cooperative", email="reunion@example.org")
    page.goto(live_site + map_page.url)
    drawn = "(count) => document.querySelector('[data-fv-map]').dataset.count === count"
    page.wait_for_function(drawn, arg="5")  # La Réunion is not in view
    before = page.locator("[data-fv-map]").get_attribute("data-bounds")
    asked = map_requests(page)
    choice(page, "tenure", "cooperative").check()
    wait_for_search(page, "tenure=cooperative")
    page.wait_for_function(drawn, arg="4")
    settle(page)
    assert page.locator("[data-fv-map]").get_attribute("data-bounds") == before
    # Asked for once, with the criteria, while the list's page was on its way.
    assert len(asked) == 1 and "tenure=cooperative" in asked[0], asked
    page.select_option("select[name=departement]", "42")
    wait_for_search(page, "departement=42")
    page.wait_for_function("() => Number(document.querySelector('[data-fv-map]').dataset.zoom) > 8")
    page.wait_for_function(drawn, arg="3")
    west, south, east, north = map(
        float, page.locator("[data-fv-map]").get_attribute("data-bounds").split(",")
    )
    assert east - west < 5 and 44 < south < north < 47
    settle(page)


@pytest.mark.browser
def test_a_search_keeps_the_map_view_in_the_address(page, live_site, map_page):
    # Zoomed in, then a tenure ticked (which leaves the map where it is): the address, and
    # so a link copied now, still opens the map where the visitor left it.
    page.goto(live_site + map_page.url)
    page.wait_for_function(MAP_COUNT, arg="5")
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("() => new URLSearchParams(location.search).has('view')")
    settle(page)
    view = page.evaluate("() => new URLSearchParams(location.search).get('view')")
    choice(page, "tenure", "cooperative").check()
    wait_for_search(page, "tenure=cooperative")
    settle(page)
    address = page.evaluate("() => Object.fromEntries(new URLSearchParams(location.search))")
    assert address["tenure"] == "cooperative"
    assert address["view"] == view


@pytest.mark.browser
def test_the_address_holds_only_what_the_visitor_chose(page, live_site, map_page):
    # The radius and the order the form shows before anything is chosen are what the
    # server reads without them: the link to share is the visitor's choices alone.
    def chosen():
        return page.evaluate(
            "() => Object.fromEntries([...new URLSearchParams(location.search)]"
            ".filter(([name]) => name !== 'view'))"
        )

    page.goto(live_site + map_page.url)
    page.wait_for_function("() => window.L")  # the page's main script has run
    choice(page, "tenure", "cooperative").check()
    wait_for_search(page, "tenure=cooperative")
    assert chosen() == {"tenure": "cooperative"}
    page.locator("select[name=sort]").select_option("confirmed")
    wait_for_search(page, "sort=confirmed")
    page.locator("select[name=km]").select_option("50")
    wait_for_search(page, "km=50")
    assert chosen() == {"tenure": "cooperative", "sort": "confirmed", "km": "50"}
    page.locator("select[name=sort]").select_option("newest")
    page.wait_for_function(f"() => !({SEARCHED})().includes('sort=')")
    assert chosen() == {"tenure": "cooperative", "km": "50"}
    settle(page)
    # Opened again, the page shows the same choices, the order back to its default.
    page.goto(page.url)
    assert page.locator("select[name=km]").input_value() == "50"
    assert page.locator("select[name=sort]").input_value() == "newest"
    assert choice(page, "tenure", "cooperative").is_checked()
    assert listed_names(page) == ["Lyonnais", "Montse", "Romane", "Stéphane"]
    settle(page)


@pytest.mark.browser
def test_a_browser_that_cannot_search_live_searches_by_loading_the_page(page, live_site, map_page):
    # Without what the live search needs to read the server's page, the page stays as the
    # server made it: no "copy the link" button that could not work, and the criteria
    # apply when the form is sent, as without JavaScript.
    page.add_init_script("delete HTMLTemplateElement.prototype.content")
    page.goto(live_site + map_page.url)
    page.wait_for_function("() => window.L")  # the page's main script has run
    page.wait_for_function(MAP_COUNT, arg="5")
    assert page.locator("[data-fv-share]").is_hidden()
    choice(page, "tenure", "rental").check()
    settle(page)
    assert "tenure" not in page.url and len(listed_names(page)) == 5
    with page.expect_navigation():
        page.get_by_role("button", name="Rechercher", exact=True).click()
    assert "tenure=rental" in page.url
    assert listed_names(page) == ["Locataire"]
    settle(page)


@pytest.mark.browser
@pytest.mark.parametrize(
    ("criterion", "searched", "found"),
    [("tenure", "tenure=rental", ["Locataire"]), ("words", "q=poules", ["Montse"])],
)
def test_a_criterion_changed_before_the_main_script_runs_is_searched(
    page, live_site, map_page, criterion, searched, found
):
    # The main script comes once the page is painted; on a slow line a visitor can tick
    # a choice or type before it runs. Held here until they have.
    held = []
    page.route(MAIN_SCRIPT, lambda route: held.append(route))
    page.goto(live_site + map_page.url, wait_until="domcontentloaded")
    page.wait_for_function("() => document.querySelector('[data-fv-live]')")
    if criterion == "tenure":
        choice(page, "tenure", "rental").check()
    else:
        page.locator("#id_q").fill("poules")
    page.evaluate("() => { window.fvSamePage = true; }")
    page.wait_for_timeout(100)  # anything that would search without the script would have
    assert page.evaluate("() => typeof window.L") == "undefined"
    assert len(listed_names(page)) == 5
    held[0].continue_()
    wait_for_search(page, searched)
    assert listed_names(page) == found
    assert searched in page.url
    assert page.evaluate("() => window.fvSamePage") is True
    settle(page)
