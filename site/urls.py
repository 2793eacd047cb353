"""The host site's URLs: the admin, the app's URLs and Wagtail's pages.

Public pages are served in French without a prefix and in English under /en/
(`i18n_patterns`): the language of a page is in its address, so a shared link or an
email opens in the language it was written in, whatever the browser prefers.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from home.health import health
from profiles_module import urls as profiles_urls

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("futurs-voisins/", include(profiles_urls)),
    path("apercu-integration/<slug:slug>/", home_views.partner_preview, name="partner_preview"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
