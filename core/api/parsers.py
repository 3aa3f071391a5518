"""The API's JSON parser: bounded, strict, and never a server error.

DRF's own parser hands whatever ``json.loads`` accepts to the serializers. That lets
through input no record can hold, and some that breaks Python before a serializer sees
it: ``[[[[...]]]]`` a few thousand levels deep overflows the interpreter's recursion limit
(a 500), ``NaN`` and ``Infinity`` are not JSON at all, a lone surrogate (``"\\ud800"``)
cannot be encoded for PostgreSQL, and a NUL character cannot be stored in a text column.
Here each is a 400 in the API's error format, and a body over ``API_MAX_BODY_BYTES`` is a
413 before it is parsed (:class:`core.api.limits.ApiBodyLimitMiddleware` refuses it even
earlier when the client declares its length).
"""

import json
import re

from django.conf import settings
from rest_framework import exceptions, parsers, status

# A JSON string (with its escapes) or a bracket outside one: enough to measure nesting
# without parsing, in C (the ``re`` engine) rather than a Python loop over characters.
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
_OPENING = frozenset(b"[{")


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self, detail=None, code=None):
        limit = settings.API_MAX_BODY_BYTES
        super().__init__(
            detail or f"The request body is larger than the API accepts ({limit:,} bytes at most).",
            code,
        )


def nesting_depth(body: bytes) -> int:
    """How deeply the arrays and objects of a JSON document nest (0 for a scalar)."""
    depth = deepest = 0
    for match in _TOKENS.finditer(body):
        first = match.group()[0]
        if first in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif first != ord('"'):
            depth -= 1
    return deepest


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON value")


def _check_text(value) -> None:
    """Every string (key or value) encodes as UTF-8 and holds no NUL character."""
    if isinstance(value, str):
        if "\x00" in value:
            raise exceptions.ParseError("Text may not contain the NUL character (\\u0000).")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise exceptions.ParseError(
                "Text must be valid Unicode: a lone surrogate (\\ud800-\\udfff) is not."
            ) from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with the limits described in the module docstring."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parsers.get_encoding(parser_context)
        limit = settings.API_MAX_BODY_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise RequestTooLarge()
        depth = nesting_depth(body)
        if depth > settings.API_MAX_JSON_DEPTH:
            raise exceptions.ParseError(
                f"JSON nested {depth} levels deep; at most {settings.API_MAX_JSON_DEPTH} "
                "are accepted."
            )
        try:
            data = json.loads(body.decode(encoding), parse_constant=_refuse_constant)
        except (ValueError, UnicodeDecodeError) as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
        _check_text(data)
        return data
