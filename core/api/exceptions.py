"""One error format for every 4xx answer, and the exceptions only the API raises.

Every error body has the same four keys::

    {"status": 400, "code": "invalid", "detail": "A membership cannot end before it starts
     (R23).", "errors": {"end": ["A membership cannot end before it starts (R23)."]}}

``detail`` is one sentence to show a person; ``errors`` maps each field (or
``non_field_errors``) to its messages and is empty when no field is at fault. Refusals
from the services and the database (a Django ``ValidationError``, a constraint caught
by PostgreSQL, a delete blocked by protected rows) are turned into this format here, so
no input reaches the client as a server error.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.services import integrity_error_message

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "This record has changed since you read it: fetch it again (for its new ETag) and "
        "re-apply your change."
    )
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the record's ETag (from your last GET) in an If-Match header to change it."
    )
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record is still referred to by other records."
    default_code = "conflict"


def _field_errors(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"field": [...], "field.sub": [...]}``."""
    result: dict[str, list[str]] = {}

    def walk(prefix: str, value):
        if isinstance(value, Mapping):
            for key, item in value.items():
                key = NON_FIELD if key == "__all__" else str(key)
                walk(f"{prefix}.{key}" if prefix else key, item)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, item in enumerate(value):
                if item:
                    walk(f"{prefix}.{index}" if prefix else str(index), item)
        elif isinstance(value, list):
            result.setdefault(prefix or NON_FIELD, []).extend(str(v) for v in value)
        else:
            result.setdefault(prefix or NON_FIELD, []).append(str(value))

    walk("", detail)
    return result


def _as_api_exception(exc):
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=get_error_detail(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        blockers = list(getattr(exc, "protected_objects", None) or exc.restricted_objects)
        example = f" (for example {blockers[0]})" if blockers else ""
        return Conflict(
            f"This record cannot be deleted while {len(blockers)} other record(s) refer to "
            f"it{example}: end or abolish it instead, or remove those first."
        )
    if isinstance(exc, IntegrityError):
        return exceptions.ValidationError(detail=[integrity_error_message(exc)])
    if isinstance(exc, DataError):
        return exceptions.ValidationError(detail=["A value is out of range or malformed."])
    return exc


def error_body(exc: exceptions.APIException, status_code: int) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        first = next((m for messages in errors.values() for m in messages), "Invalid input.")
        return {"status": status_code, "code": "invalid", "detail": first, "errors": errors}
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
    return {"status": status_code, "code": code, "detail": str(detail), "errors": {}}


def exception_handler(exc, context):
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.APIException):
        response.data = error_body(exc, response.status_code)
    else:
        # Django's Http404 and PermissionDenied, which DRF converts itself.
        kind = exceptions.NotFound if response.status_code == 404 else exceptions.PermissionDenied
        response.data = error_body(kind(response.data.get("detail")), response.status_code)
    return response
