"""The OpenAPI schema: every operation documents its error answers, ETags and If-Match.

Error answers share one component (``Error``, see ``core.api.exceptions``); successful
answers carry an ``ETag`` header; operations that change a record require ``If-Match``.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS

from core.api.serializers import (
    WEB_ADDRESS,
    WEB_ADDRESS_HELP,
    ErrorSerializer,
    RegistrySerializer,
    StrictSerializer,
    WebAddressField,
)
from core.api.viewsets import MAX_ID, changes_a_record

ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=["200", "201"],
    description="The version of the representation; send it back in If-Match to change "
    "the record, or in If-None-Match to get 304 when nothing changed.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    response=["429"],
    description="Seconds to wait before the next request.",
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the record as you last read it (or *). Required: without it the "
    "answer is 428; with a stale one, 412.",
)

ERRORS_FOR_ALL = {
    "400": "Malformed query parameters or body; field-level messages in 'errors'.",
    "401": "The API token is invalid, revoked or expired, or credentials are needed.",
    "404": "No such record, or one this client may not see.",
    "429": "Too many requests: wait for Retry-After seconds.",
}
ERRORS_FOR_WRITES = {
    "403": "This client may not make this change (officers write only in their own systems).",
}
ERRORS_FOR_CHANGES = {
    "412": "If-Match does not match the record's current ETag: it changed since you read it.",
    "428": "If-Match is missing.",
}
ERRORS_FOR_DELETES = {"409": "Other records still refer to this one."}
ERRORS_FOR_BODIES = {
    "413": "The body is larger than the API accepts (API_MAX_BODY_BYTES, 1 MB by default).",
}


REFUSING_UNKNOWN_FIELDS = (RegistrySerializer, StrictSerializer)


class RegistryAutoSchema(AutoSchema):
    def _is_changing(self) -> bool:
        return changes_a_record(self.method, self.view)

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        # A component is described by its own docstring, never by a base class's.
        if not type(serializer).__dict__.get("__doc__"):
            schema.pop("description", None)
        if direction == "request" and isinstance(serializer, REFUSING_UNKNOWN_FIELDS):
            # A field the resource does not have is refused with 400 (reject_unknown_fields).
            schema["additionalProperties"] = False
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if direction == "request" and isinstance(field, WebAddressField):
            # A blank address, where allowed, is drf-spectacular's other oneOf branch.
            target = schema["oneOf"][0] if "oneOf" in schema else schema
            target["pattern"] = WEB_ADDRESS
            schema["description"] = " ".join(
                filter(None, (schema.get("description"), WEB_ADDRESS_HELP))
            )
        return schema

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            if parameter["schema"].get("type") == "integer":
                # Any other id is no record's: 404 (core.api.viewsets.is_valid_id).
                parameter["schema"] |= {"minimum": 1, "maximum": MAX_ID}
        return parameters

    def get_request_serializer(self):
        serializer = super().get_request_serializer()
        if self.method == "PUT" and isinstance(serializer, RegistrySerializer):
            # A replacement is a change: the fields fixed at creation and the lifecycle
            # fields are read-only in it (RegistrySerializer), so the schema of a PUT is
            # its own component, "<name>ChangeRequest", without them.
            model = serializer.Meta.model
            return type(serializer)(instance=model(), context=serializer.context)
        return serializer

    def get_serializer_name(self, serializer, direction):
        name = super().get_serializer_name(serializer, direction)
        if (
            direction == "request"
            and isinstance(serializer, RegistrySerializer)
            and serializer.instance is not None
        ):
            name = name.removesuffix("Serializer") + "Change"
        return name

    def get_auth(self):
        # Reads are open to anyone (``core.api.permissions``): the empty requirement says
        # a client may call them without credentials; writes need a token or a session.
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_override_parameters(self):
        parameters = [*super().get_override_parameters(), ETAG, RETRY_AFTER]
        if self._is_changing():
            parameters.append(IF_MATCH)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS_FOR_ALL)
        if self.method != "GET":
            errors |= ERRORS_FOR_WRITES
        if self._is_changing():
            errors |= ERRORS_FOR_CHANGES
        if self.method == "DELETE":
            errors |= ERRORS_FOR_DELETES
        if self.method in ("POST", "PUT", "PATCH"):
            errors |= ERRORS_FOR_BODIES
        for code, description in sorted(errors.items()):
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token issued by the registry's officers: send "
            "'Authorization: Token <key>' (or 'Bearer <key>').",
        }
