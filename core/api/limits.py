"""Refuse an API request whose declared body is too large before anything reads it.

Django would read up to ``DATA_UPLOAD_MAX_MEMORY_SIZE`` and then answer its own HTML 400;
the API promises one error format, so a body over ``API_MAX_BODY_BYTES`` is answered 413
in that format here, first of all the middleware. A body without a declared length (a
chunked upload) is bounded as it is read, by :class:`core.api.parsers.JSONParser`.
"""

from django.conf import settings
from django.http import JsonResponse

from core.api.exceptions import error_body
from core.api.parsers import RequestTooLarge

API_PREFIX = "/api/"


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(API_PREFIX)
            and declared_length(request) > settings.API_MAX_BODY_BYTES
        ):
            exc = RequestTooLarge()
            return JsonResponse(error_body(exc, exc.status_code), status=exc.status_code)
        return self.get_response(request)
