"""The partner's embed code: "Copier le code" puts it on the clipboard and says so."""

import pytest
from django.urls import reverse

from tests.factories import make_map_page, make_partner


@pytest.mark.browser
def test_copy_button_copies_the_embed_code(admin_page, live_site):
    page = admin_page
    make_map_page(slug="trouver")
    partner = make_partner()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_site)
    page.goto(
        live_site + reverse("wagtailsnippets_profiles_module_partner:edit", args=[partner.pk])
    )

    # The tab holding the code, found through its panel whatever the admin language.
    panel_id = page.locator('[role="tabpanel"]:has(textarea[id^="embed-code-"])').get_attribute(
        "id"
    )
    page.locator(f'a[role="tab"][href="#{panel_id}"]').click()
    code = page.locator('textarea[id^="embed-code-"]').first.input_value()
    assert "/integration/loire/trouver/" in code

    page.get_by_role("button", name="Copier le code").first.click()
    status = page.locator("[data-fv-copy-status]").first
    status.filter(has_text="Copié").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == code
