"""Rate limits per API token, per signed-in user and per anonymous client (by address).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (scopes ``token``, ``user``
and ``anon``), read on every request so that settings can change them at run time.
A client over its limit gets 429 with ``Retry-After``.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from core.models import ApiToken


class RegistryRateThrottle(SimpleRateThrottle):
    def __init__(self):
        # The scope, and so the rate, depends on who is asking: chosen per request.
        self.rate = None

    def allow_request(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            self.scope, self.ident = "token", f"{token.pk}"
        elif request.user is not None and request.user.is_authenticated:
            self.scope, self.ident = "user", f"{request.user.pk}"
        else:
            self.scope, self.ident = "anon", self.get_ident(request)
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}
