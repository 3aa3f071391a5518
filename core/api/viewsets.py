"""The base viewsets: every registry resource's shared behaviour, written once.

- **Visibility, fail closed.** ``get_queryset`` passes through :meth:`visible`, so a
  record a client may not read is simply not found (404), for lists and details alike.
- **Writes.** Only officers write, only inside the systems they administer
  (``core.api.permissions``); a new record is checked against the system it would
  belong to before the service runs. Serializers and DELETE call the model's services
  (``core.writes``); every write runs
  inside an audit context naming the officer (and the token, if one was used).
- **ETags and If-Match.** Every successful answer carries a strong ``ETag``: a hash of
  the representation sent. ``GET`` honours ``If-None-Match`` (304). ``PUT``, ``PATCH``,
  ``DELETE`` and the actions that change a record *require* ``If-Match`` with the
  ETag of the record as last read (or ``*``): without it the answer is 428, with a
  stale one 412. The record is locked (``SELECT ... FOR UPDATE``) while the version is
  compared and the change made, so two officers cannot overwrite each other unseen.
- **Bad input never reaches the database as a server error**: ids that are not
  positive 64-bit integers are 404, null characters in the query string are 400, and
  ``as_of`` is parsed strictly (``core.api.params``).
"""

import hashlib
import json
from operator import attrgetter

from django.core.serializers.json import DjangoJSONEncoder
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from core.api.access import access_of
from core.api.exceptions import PreconditionFailed, PreconditionRequired
from core.api.params import as_of_of
from core.services import audit_context
from core.writes import writes_for

MAX_ID = 2**63 - 1


def etag_of(data) -> str:
    """A strong ETag for a representation: the same data always gives the same tag."""
    payload = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return f'"{hashlib.sha256(payload.encode()).hexdigest()[:40]}"'


def is_valid_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID


def changes_a_record(method: str, view) -> bool:
    """PUT, PATCH, DELETE and every POST action on one record (``POST .../end/``, ending
    a membership; ``.../abolish/``...): these need If-Match and lock the record. A view
    names in ``actions_changing_nothing`` the POST actions that keep nothing."""
    on_one_record = bool(getattr(view, "detail", False))
    if getattr(view, "action", None) in getattr(view, "actions_changing_nothing", ()):
        # e.g. a reorganisation plan's dry run: POSTed, yet nothing is kept.
        return False
    return method in ("PUT", "PATCH", "DELETE") or (method == "POST" and on_one_record)


class RegistryViewSetMixin:
    """See the module docstring. Subclasses declare, besides DRF's usual attributes:

    - ``ics_path``: the attribute path from a record to its ICS id (``"ics_id"``,
      ``"committee.ics_id"``); ``None`` for records that belong to no system, which
      only superusers change.
    - :meth:`ics_id_for_new`: the system a record about to be created would belong to.
    - :meth:`visible`: the records an :class:`~core.api.access.Access` may read.
    """

    ics_path: str | None = "ics_id"

    @property
    def access(self):
        return access_of(self.request)

    @property
    def as_of(self):
        return as_of_of(self.request)

    def initial(self, request, *args, **kwargs):
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise exceptions.ValidationError(
                    {"query": ["Null characters are not allowed in the query string."]}
                )
        super().initial(request, *args, **kwargs)

    # -- reading --------------------------------------------------------------------------

    def get_queryset(self):
        return self.visible(super().get_queryset(), self.access)

    def visible(self, queryset, access):
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["access"] = self.access
        return context

    def lookup_is_valid(self, value: str) -> bool:
        if self.lookup_field in ("pk", "id"):
            return is_valid_id(value)
        return "\x00" not in value

    def get_object(self):
        lookup_kwarg = self.lookup_url_kwarg or self.lookup_field
        value = self.kwargs[lookup_kwarg]
        if not self.lookup_is_valid(value):
            raise exceptions.NotFound()
        queryset = self.filter_queryset(self.get_queryset())
        changing = self.is_changing()
        if changing:
            queryset = queryset.select_for_update(of=("self",))
        obj = get_object_or_404(queryset, **{self.lookup_field: value})
        self.check_object_permissions(self.request, obj)
        if changing:
            self.check_precondition(obj)
        return obj

    # -- writing --------------------------------------------------------------------------

    def is_changing(self) -> bool:
        return changes_a_record(self.request.method, self)

    def required_permission(self, request) -> str | None:
        model = self.queryset.model
        if request.method == "POST":
            action = "add" if self.action == "create" else "change"
        else:
            action = {"PUT": "change", "PATCH": "change", "DELETE": "delete"}[request.method]
        return f"{model._meta.app_label}.{action}_{model._meta.model_name}"

    def ics_id_of(self, obj) -> int | None:
        if self.ics_path is None:
            return None
        try:
            return attrgetter(self.ics_path)(obj)
        except AttributeError:
            return None

    def ics_id_for_new(self, validated_data) -> int | None:
        """The system a record created from ``validated_data`` would belong to."""
        return None

    def may_change(self, access, obj) -> bool:
        return access.administers(self.ics_id_of(obj))

    def may_create(self, access, validated_data) -> bool:
        return access.administers(self.ics_id_for_new(validated_data))

    def representation(self, obj):
        """The record as a GET of it shows it (to this client), for its ETag."""
        serializer_class = type(self).serializer_class
        return serializer_class(obj, context=self.get_serializer_context()).data

    def check_precondition(self, obj) -> None:
        header = self.request.headers.get("If-Match")
        if header is None:
            raise PreconditionRequired()
        tags = {tag.strip() for tag in header.split(",")}
        if "*" not in tags and etag_of(self.representation(obj)) not in tags:
            raise PreconditionFailed()

    def audit(self):
        token = self.access.token
        extra = {"api_token": token.prefix} if token is not None else {}
        return audit_context(self.request.user, **extra)

    def perform_create(self, serializer):
        if not self.may_create(self.access, serializer.validated_data):
            raise exceptions.PermissionDenied(
                "You may add records only in the integrated care systems you administer."
            )
        with self.audit():
            serializer.save(by=self.request.user)
        serializer.instance = self.reload(serializer.instance)

    def perform_update(self, serializer):
        with self.audit():
            serializer.save(by=self.request.user)
        serializer.instance = self.reload(serializer.instance)

    def reload(self, obj):
        """The record as the queryset gives it, so a write answers exactly as a GET would."""
        return self.get_queryset().get(pk=obj.pk)

    def perform_destroy(self, instance):
        with self.audit():
            writes_for(instance).do_delete(instance, by=self.request.user)

    # -- every answer ---------------------------------------------------------------------

    def finalize_response(self, request, response, *args, **kwargs):
        if (
            isinstance(response, Response)
            and 200 <= response.status_code < 300
            and response.data is not None
        ):
            tag = etag_of(response.data)
            response["ETag"] = tag
            if request.method in ("GET", "HEAD") and tag in _tags(request, "If-None-Match"):
                response = Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response


def _tags(request, header: str) -> set[str]:
    return {tag.strip() for tag in request.headers.get(header, "").split(",") if tag.strip()}


class RegistryReadOnlyViewSet(RegistryViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """A resource anyone may read (within :meth:`visible`) and no one writes."""


class RegistryViewSet(
    RegistryViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """A resource officers write, through the services, inside their own systems."""
