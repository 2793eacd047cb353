"""The language of the current request, among the site's languages."""

from django.conf import settings
from django.utils import translation


def current_language():
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE
