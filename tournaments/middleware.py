"""Spanish first: the language is the visitor's explicit choice (a cookie), else Spanish.

Django's LocaleMiddleware would follow the browser's Accept-Language; the fans' site speaks
Spanish to everyone until they pick English with the switch in the header.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

SUPPORTED = {code for code, _name in settings.LANGUAGES}
API_PREFIX = "/api/"


def chosen_language(request) -> str:
    """The language in the visitor's cookie when it is one we speak, else the default."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return code if code in SUPPORTED else settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()  # the thread serves its next request afresh
        response.headers.setdefault("Content-Language", language)
        if not request.path.startswith(API_PREFIX):  # open data speaks one language
            patch_vary_headers(response, ("Cookie",))
        return response
