"""The default Wagtail Site, where a fiche or a request names none."""

from wagtail.models import Site


def default_site():

    return Site.objects.filter(is_default_site=True).first()
