"""``Authorization: Token <key>`` (or ``Bearer <key>``) for partner and officer tokens."""

import hmac

from django.contrib.auth.models import AnonymousUser
from rest_framework import authentication, exceptions

from core.models import ApiToken
from core.services import API_TOKEN_SCHEME, api_token_hash

KEYWORDS = ("token", "bearer")
INVALID = "Invalid, revoked or expired API token."


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Finds the token by the prefix carried in its key, then compares the key's hash.

    Every failure gives the same 401 message, so a client cannot learn whether a token
    exists, was revoked or expired.
    """

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give the token as 'Authorization: Token <key>'.")
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(INVALID) from None
        return self.authenticate_key(key)

    def authenticate_key(self, key: str):
        scheme, _, rest = key.partition("_")
        prefix = rest.partition("_")[0]
        if scheme != API_TOKEN_SCHEME or not prefix:
            raise exceptions.AuthenticationFailed(INVALID)
        token = (
            ApiToken.objects.usable()
            .select_related("user", "organisation")
            .filter(prefix=prefix)
            .first()
        )
        if token is None or not hmac.compare_digest(token.key_hash, api_token_hash(key)):
            raise exceptions.AuthenticationFailed(INVALID)
        if token.user_id is None:
            return AnonymousUser(), token
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INVALID)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (with this challenge) rather than 403 to a client that
        # sent no credentials.
        return 'Token realm="api"'
