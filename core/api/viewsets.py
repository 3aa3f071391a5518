"""The base viewsets: every registry resource's shared behaviour, written once.

- **Visibility, fail closed.** ``get_queryset`` passes through :meth:`visible`, so a
  record a client may not read is simply not found (404), for lists and details alike.
- **Writes.** Only officers write, only inside the systems they administer
  (``core.api.permissions``); a new record is checked against the system it would
  belong to before the service runs. Serializers and DELETE call the model's services
  (``core.writes``); every write runs
  inside an audit context naming the officer (and the token, if one was used).
- **ETags and If-Match.** A record (``retrieve``), and every successful write, carries a
  strong ``ETag``: a hash of the representation sent. Every other ``GET`` (lists, and
  actions such as a system's composition or compliance) carries a weak one, ``W/"..."``,
  worked out before the answer is: a hash of the registry's version
  (``core.versioning``), today's date, who is asking, the path, the query and the media
  type (not the host: the same page under another name is the same answer). A matching
  ``If-None-Match`` is answered 304 right after authentication, permissions and
  throttling, before any record is read. ``PUT``, ``PATCH``,
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

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.response import Response

from core.api.access import access_of
from core.api.exceptions import PreconditionFailed, PreconditionRequired
from core.api.params import as_of_of
from core.models import ApiToken
from core.services import audit_context
from core.versioning import registry_version
from core.writes import writes_for

MAX_ID = 2**63 - 1


_ENCODER = DjangoJSONEncoder()


def etag_of(data) -> str:
    """A strong ETag for a representation: the same data always gives the same tag.
    Encoded with orjson, as the renderer does (the standard library's encoder took as
    long as the rest of a record's answer, issue 13); keys sorted."""
    payload = orjson.dumps(
        data, default=_ENCODER.default, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    )
    return f'"{hashlib.sha256(payload).hexdigest()[:40]}"'


def version_etag(version: int, request) -> str:
    """The weak ETag of a GET that is not one record's: the same registry version, day,
    client, path, query and media type always give the same answer (the host aside)."""
    user, token = request.user, getattr(request, "auth", None)
    key = [
        version,
        timezone.localdate().isoformat(),
        user.pk if user is not None and user.is_authenticated else None,
        token.pk if isinstance(token, ApiToken) else None,
        request.path,
        sorted(request.query_params.lists()),
        request.accepted_media_type,
        getattr(request.accepted_renderer, "format", None),
    ]
    payload = json.dumps(key, separators=(",", ":"))
    return f'W/"{hashlib.sha256(payload.encode()).hexdigest()[:40]}"'


class NotModified(Exception):
    """Raised before the view runs when ``If-None-Match`` holds the answer's weak ETag."""

    def __init__(self, tag: str):
        super().__init__(tag)
        self.tag = tag


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
    version_tag: str | None = None
    registry_version: int | None = None
    # A list page read as rows and written by this ``RowWriter`` (its serializer's
    # fields), not as model instances serialised field by field (issue 13).
    rows = None

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # Reads run outside a transaction: under READ COMMITTED each statement sees the
        # latest commits either way, and BEGIN and COMMIT were two of a 304's four round
        # trips to the database. Everything else still runs in one (dispatch).
        return transaction.non_atomic_requests(super().as_view(actions, **initkwargs))

    def dispatch(self, request, *args, **kwargs):
        reading = request.method in permissions.SAFE_METHODS
        if reading and not transaction.get_connection().in_atomic_block:
            return super().dispatch(request, *args, **kwargs)
        # A write, all or nothing, as ATOMIC_REQUESTS made it; or a read called inside a
        # transaction (a test's): a savepoint of its own, so that DRF's rollback of a
        # refused request (404, 429...) undoes this request only.
        with transaction.atomic():
            return super().dispatch(request, *args, **kwargs)

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
        by_version = self.tagged_by_version(request)
        # Read first, before even the user: the answer is then never older than its tag.
        version = registry_version() if by_version else None
        # For results kept under the version (core.versioning.remembered): not read again.
        self.registry_version = version
        super().initial(request, *args, **kwargs)
        if by_version:
            self.version_tag = version_etag(version, request)
            if _weak(self.version_tag) in _tags(request, "If-None-Match"):
                raise NotModified(self.version_tag)

    def tagged_by_version(self, request) -> bool:
        """A GET or HEAD of anything but one record: its ETag comes from the version."""
        return request.method in ("GET", "HEAD") and getattr(self, "action", None) not in (
            None,
            "retrieve",
        )

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": exc.tag})
        return super().handle_exception(exc)

    # -- reading --------------------------------------------------------------------------

    def get_queryset(self):
        return self.visible(super().get_queryset(), self.access)

    def visible(self, queryset, access):
        return queryset

    def list(self, request, *args, **kwargs):
        if self.rows is None:
            return super().list(request, *args, **kwargs)
        queryset = self.filter_queryset(self.get_queryset()).prefetch_related(None)
        page = self.paginate_queryset(queryset.values(*self.rows.columns))
        return self.get_paginated_response(self.rows(self.completed_rows(page)))

    def completed_rows(self, rows):
        """A page's rows with what their query does not read (a decision's outcome)."""
        return rows

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
            # The words get_object_or_404 uses for an id that is no record's.
            model = self.get_queryset().model._meta.object_name
            raise exceptions.NotFound(f"No {model} matches the given query.")
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
            if self.version_tag is not None:
                response["ETag"] = self.version_tag
            else:
                tag = etag_of(response.data)
                response["ETag"] = tag
                if request.method in ("GET", "HEAD") and _weak(tag) in _tags(
                    request, "If-None-Match"
                ):
                    response = Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response


def _weak(tag: str) -> str:
    """A tag as If-None-Match's weak comparison sees it: ``W/"x"`` matches ``"x"``."""
    return tag.removeprefix("W/")


def _tags(request, header: str) -> set[str]:
    """The tags of If-None-Match, compared weakly (RFC 9110, 13.1.2)."""
    return {_weak(tag.strip()) for tag in request.headers.get(header, "").split(",") if tag.strip()}


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
