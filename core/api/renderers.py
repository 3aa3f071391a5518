"""The API's JSON renderer: orjson (through drf-orjson-renderer), answering the same bytes
as DRF's ``JSONRenderer`` did.

orjson is written in Rust and encodes a page of the API several times faster than the
standard library's ``json`` (which DRF uses); drf-orjson-renderer is its well-kept DRF
binding. Left to itself it would answer differently in a few places, so this renderer
keeps what clients already read:

- dates, datetimes and times, ``Decimal``, lazy translation strings and anything else
  orjson does not encode natively are converted by DRF's own encoder
  (``rest_framework.utils.encoders.JSONEncoder.default``): a UTC datetime ends in ``Z``,
  a ``Decimal`` is a number (serializer fields already send strings), a lazy string its
  text;
- U+2028 and U+2029 are escaped, as DRF does, so the answer is valid JavaScript too;
- dictionary keys that are not strings (an id, a date) become strings, as ``json`` makes
  them;
- ``Accept: application/json; indent=4`` still gets DRF's indented answer (orjson only
  indents by two): that rare request is rendered by DRF's renderer.

Choices (``TextChoices``, ``IntegerChoices``) are ``str`` and ``int`` subclasses, which both
encoders write as their value. Only a float's spelling could differ (orjson writes
``1e16`` where ``json`` writes ``1e+16``, the same number): the API sends no floats.
"""

import orjson
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_drf_default = JSONEncoder().default

LINE_SEPARATOR = "\u2028".encode()
PARAGRAPH_SEPARATOR = "\u2029".encode()


class JSONRenderer(ORJSONRenderer):
    """``application/json`` with orjson; see the module docstring."""

    # Dates and times go to ``default`` (DRF's spelling: ``Z`` for UTC), not orjson's own.
    options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
    default = staticmethod(_drf_default)

    def render(self, data, media_type=None, renderer_context=None) -> bytes:
        renderer_context = renderer_context or {}
        drf = DRFJSONRenderer()
        if drf.get_indent(media_type, renderer_context) is not None:
            return drf.render(data, media_type, renderer_context)
        rendered = super().render(data, media_type, renderer_context)
        if LINE_SEPARATOR in rendered or PARAGRAPH_SEPARATOR in rendered:
            rendered = rendered.replace(LINE_SEPARATOR, b"\\u2028").replace(
                PARAGRAPH_SEPARATOR, b"\\u2029"
            )
        return rendered
