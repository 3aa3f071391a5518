"""The base serializer: enumerations with labels, unknown fields refused, writes through
the services.

Every enumeration is sent as its lower-case code with a read-only ``<name>_label``
beside it (``"kind": "icb", "kind_label": "ICB unitary board"``; lists of codes get
``<name>_labels``). Dates are ISO 8601. A field the resource does not have is refused
with 400, never silently dropped, and a field marked create-only cannot be changed
once the record exists (a membership does not move to another seat: it ends).
"""

import copy
from collections.abc import Mapping
from operator import attrgetter

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, OuterRef
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from core.dates import period_covers
from core.db import in_force_on
from core.writes import writes_for

UNKNOWN_FIELD = "Unknown field: this resource has no such field."
# A lifecycle field (a membership's end, a seat's abolition) changes only through its
# action; see core.writes.
CREATE_ONLY = "This cannot be changed once the record exists."


class ChoiceLabelField(serializers.Field):
    """The human label of a sibling choice field's code."""

    def __init__(self, choices: Mapping, **kwargs):
        self.labels = {key: str(label) for key, label in choices.items()}
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.labels.get(value, "")


@extend_schema_field(OpenApiTypes.STR)
class LabelField(ChoiceLabelField):
    pass


@extend_schema_field({"type": "string", "nullable": True})
class NullableLabelField(ChoiceLabelField):
    """The label of a choice that may be empty (null code, null label)."""


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class LabelListField(ChoiceLabelField):
    def to_representation(self, value):
        return [self.labels.get(v, "") for v in value or ()]


def _with_labels(fields: dict) -> dict:
    result = {}
    for name, field in fields.items():
        result[name] = field
        if name.endswith("_label") or name.endswith("_labels"):
            continue
        source = field.source or name
        if isinstance(field, serializers.ChoiceField) and not isinstance(
            field, serializers.MultipleChoiceField
        ):
            label_class = NullableLabelField if field.allow_null else LabelField
            result[f"{name}_label"] = label_class(field.choices, source=source)
        elif isinstance(field, serializers.ListField) and isinstance(
            field.child, serializers.ChoiceField
        ):
            result[f"{name}_labels"] = LabelListField(field.child.choices, source=source)
    return result


class AnnotatedIdsField(serializers.ManyRelatedField):
    """A many-to-many field shown as a list of ids, read from the annotation
    ``<field><suffix>`` when the queryset has it (the page's own query, issue 13), else by
    :meth:`read_related`."""

    suffix: str

    def get_attribute(self, instance):
        ids = getattr(instance, f"{self.source}{self.suffix}", None)
        if ids is not None and self.child_relation.use_pk_only_optimization():
            # What a PrimaryKeyRelatedField reads of a record: its pk (DRF's own optimisation).
            return [PKOnlyObject(pk=pk) for pk in ids]
        return self.read_related(instance)

    def read_related(self, instance):
        return super().get_attribute(instance)


def _linked_ids(m2m, *conditions, order) -> ArraySubquery:
    """The ids ``m2m`` links a row to (its links' ``conditions`` met), in ``order`` of the
    links, read as an array in the rows' own query rather than in one more query per
    field, as a prefetch would: each query is a round trip to the database (issue 13)."""
    through = m2m.remote_field.through
    target = through._meta.get_field(m2m.m2m_reverse_field_name())
    links = through.objects.filter(*conditions, **{m2m.m2m_field_name(): OuterRef("pk")})
    return ArraySubquery(links.order_by(*order).values(target.attname))


# The annotation of :func:`linked_today`: ``<field>_linked_today``.
LINKED_TODAY = "_linked_today"


class CurrentLinksField(AnnotatedIdsField):
    """A dated many-to-many field (issue 11) read as what is linked today and written as a
    list, as before: :func:`core.services.set_links_on` ends the links left out and starts
    the new ones today. Annotate the queryset with :func:`linked_today` to read it with
    the page's own rows (else each record's links are read). The ids come from the links
    themselves: the linked records are not read."""

    suffix = LINKED_TODAY

    def read_related(self, instance):
        m2m = instance._meta.get_field(self.source)
        through = m2m.remote_field.through
        accessor = through._meta.get_field(m2m.m2m_field_name()).remote_field.get_accessor_name()
        target = through._meta.get_field(m2m.m2m_reverse_field_name())
        today = timezone.localdate()
        links = [
            link
            for link in sorted(getattr(instance, accessor).all(), key=attrgetter("pk"))
            if period_covers(link.start, link.end, today)
        ]
        if not self.child_relation.use_pk_only_optimization():
            return [getattr(link, target.name) for link in links]
        return [PKOnlyObject(pk=getattr(link, target.attname)) for link in links]


def linked_today(model, *fields: str) -> dict:
    """Annotations for :class:`CurrentLinksField`: for each dated many-to-many field of
    ``model``, the ids linked today, in the order the links were made."""
    today = timezone.localdate()
    return {
        f"{name}{LINKED_TODAY}": _linked_ids(
            model._meta.get_field(name), in_force_on(today, "start", "end"), order=["pk"]
        )
        for name in fields
    }


# The annotation of :func:`related_ids`: ``<field>_ids``.
RELATED_IDS = "_ids"


class RelatedIdsField(AnnotatedIdsField):
    """A many-to-many field shown and written as a list of ids (``PrimaryKeyRelatedField``
    with ``many=True``), read from :func:`related_ids`' annotation when the queryset has
    it, else from the related records (prefetched or not)."""

    suffix = RELATED_IDS


def related_ids(model, *fields: str) -> dict:
    """Annotations for :class:`RelatedIdsField`: for each many-to-many field of ``model``,
    the related ids in the related model's order (then by id)."""
    annotations = {}
    for name in fields:
        m2m = model._meta.get_field(name)
        target = m2m.m2m_reverse_field_name()
        order = [
            f"-{target}__{key[1:]}" if key.startswith("-") else f"{target}__{key}"
            for key in m2m.related_model._meta.ordering
        ]
        annotations[f"{name}{RELATED_IDS}"] = _linked_ids(m2m, order=[*order, f"{target}__pk"])
    return annotations


# A web address as the API accepts it: http or https, a host name of ASCII labels of up to
# 63 letters, digits and inner hyphens with a top-level domain of letters, an optional
# port, then a path, query and fragment of the characters RFC 3986 allows unencoded, or
# %-escapes. Django's URLValidator alone also takes Unicode and characters no URI holds
# unencoded, and refuses some URIs (no top-level domain); this is what both accept, and
# the schema states it as the field's pattern.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_CHARS = r"(?:[A-Za-z0-9._~!$&'()*+,;=:@/-]|%[0-9A-Fa-f]{2})"
WEB_ADDRESS = (
    rf"^https?://{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}(?::[0-9]{{1,5}})?"
    rf"(?:/{_CHARS}*)?(?:\?(?:{_CHARS}|\?)*)?(?:#(?:{_CHARS}|\?)*)?$"
)
WEB_ADDRESS_HELP = (
    "An http or https address in ASCII (a host name of up to 253 characters, non-ASCII "
    "characters %-escaped)."
)


class WebAddressField(serializers.URLField):
    """A URL field that takes only :data:`WEB_ADDRESS` (see there why)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(
            RegexValidator(WEB_ADDRESS, message="Enter a valid http or https address.")
        )


def reject_unknown_fields(serializer, data) -> None:
    if isinstance(data, Mapping):
        unknown = sorted(str(name) for name in data if name not in serializer.fields)
        if unknown:
            raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in unknown})


class StrictSerializer(serializers.Serializer):
    """The input of an action (e.g. ending a membership): unknown fields are refused."""

    def to_internal_value(self, data):
        reject_unknown_fields(self, data)
        return super().to_internal_value(data)


def _copy(field):
    """A copy of an unbound field for a new serializer (see :class:`FieldsBuiltOnce`)."""
    if isinstance(field, serializers.BaseSerializer):
        # A nested serializer: copied as DRF copies it.
        return copy.deepcopy(field)
    clone = object.__new__(type(field))  # copy.copy's result, without its generality
    clone.__dict__.update(field.__dict__)
    # A list of values or of related records has its own copy of the field it lists,
    # bound to it (DRF binds it in __init__, with no name).
    for name in ("child", "child_relation"):
        child = field.__dict__.get(name)
        if child is not None:
            child = _copy(child)
            child.parent = clone
            setattr(clone, name, child)
    return clone


class FieldsBuiltOnce:
    """Builds a serializer class's fields once per process, and gives each serializer
    copies of them.

    DRF builds them again for every serializer, so on every request: a model serializer
    reads its model's fields and makes a field for each, choices and labels included,
    and copies the declared ones deeply. That cost several milliseconds a request, more
    than reading a record (issue 13). The fields a class builds depend only on the class
    and on :meth:`fields_variant` (a record being changed has some read-only ones); they
    are built unbound (DRF binds them to the serializer afterwards), so a shallow copy of
    a simple field is a field of its own. A field with fields of its own (a nested
    serializer, a list) is copied deeply, as DRF copies it.
    """

    _built_fields: dict = {}

    def fields_variant(self):
        return None

    def get_fields(self):
        key = (type(self), self.fields_variant())
        built = FieldsBuiltOnce._built_fields.get(key)
        if built is None:
            built = FieldsBuiltOnce._built_fields[key] = self.build_fields()
        return {name: _copy(field) for name, field in built.items()}

    def build_fields(self):
        return super().get_fields()


class LabelledSerializer(FieldsBuiltOnce, serializers.Serializer):
    """A read-only, non-model representation (reports, compositions) with labels too."""

    def build_fields(self):
        return _with_labels(super().build_fields())


class RegistrySerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    """Base for every resource: writes go through the model's services (``core.writes``).

    ``Meta.create_only`` names fields fixed at creation; they, and the model's lifecycle
    fields (``core.writes``), are read-only once the record exists, so the schema of a
    change (PUT, PATCH) does not offer them: sending one unchanged is harmless, a change
    of one is refused with 400 (naming the action that makes it, for a lifecycle field).
    Creating calls the model's create service (subclasses whose service takes other
    arguments override :meth:`create_object`), updating its update service, so the
    model's rules and the database's named constraints give the same messages as the
    admin.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.URLField: WebAddressField,
    }

    @property
    def writes(self):
        return writes_for(self.Meta.model)

    @property
    def is_change(self) -> bool:
        return self.instance is not None or self.partial

    def fields_variant(self):
        return self.is_change

    def build_fields(self):
        fields = super().build_fields()
        if self.is_change:
            for name in (*self.writes.lifecycle, *self.create_only):
                if name in fields:
                    fields[name].read_only = True
        return _with_labels(fields)

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # DRF drops allow_blank from read-only fields, and with it the schema's note
        # that an empty code (no trust type, no end reason) may be sent.
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank:
            kwargs["allow_blank"] = True
        return kwargs

    def get_validators(self):
        # Uniqueness and other cross-field rules are the services' and the database's:
        # one place for each rule, with the same message everywhere.
        return []

    def to_internal_value(self, data):
        reject_unknown_fields(self, data)
        if self.is_change and isinstance(data, Mapping):
            writes = self.writes
            refused = {
                name: [writes.lifecycle_message(name) if name in writes.lifecycle else CREATE_ONLY]
                for name in data
                if (name in writes.lifecycle or name in self.create_only)
                and (self.instance is None or not self._unchanged(name, data[name]))
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)

    @property
    def create_only(self) -> tuple[str, ...]:
        return tuple(getattr(self.Meta, "create_only", ()))

    def _unchanged(self, name, value) -> bool:
        """Whether ``value`` is the field's current value, as sent (``5`` or ``"5"``)."""
        current = self._as_sent(name)
        return value == current or (
            None not in (value, current)
            and not isinstance(value, dict | list)
            and str(value) == str(current)
        )

    def _as_sent(self, name):
        """The field's current value as a client sends it (so an unchanged value passes)."""
        value = getattr(self.instance, name)
        return None if value is None else self.fields[name].to_representation(value)

    # -- writes ---------------------------------------------------------------------------

    def create(self, validated_data):
        by = validated_data.pop("by", None)
        return self.create_object(validated_data, by=by)

    def create_object(self, validated_data, *, by):
        """Create through the model's service."""
        return self.writes.do_create(by=by, **validated_data)

    def update(self, instance, validated_data):
        by = validated_data.pop("by", None)
        return self.writes.do_update(instance, by=by, **validated_data)


def _column_of(field) -> tuple[str, object]:
    """The ``values()`` column ``field`` reads and the function that writes it (None: as
    read), as the field itself would from the record."""
    source = field.source.replace(".", "__")
    if source == "*":
        raise ImproperlyConfigured(f"{field.field_name} reads the whole record: compute it.")
    if isinstance(
        field,
        ChoiceLabelField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.DecimalField
        | serializers.ListField,
    ):
        return source, field.to_representation
    if isinstance(field, AnnotatedIdsField):
        return f"{source}{field.suffix}", None
    if isinstance(field, serializers.SlugRelatedField):
        return f"{source}__{field.slug_field}", None
    if isinstance(field, serializers.RelatedField):
        return f"{source}_id", None
    return source, None


class RowWriter:
    """What ``serializer_class`` writes of each record, written from rows of
    ``QuerySet.values(*writer.columns)`` rather than from model instances: making the
    instances and serialising them field by field was most of a page's time (issue 13).

    The columns, and how each is written, come from the serializer's own fields, so the
    two cannot drift: a related record is its id column (``<field>_id``) or its slug
    (``<field>__<slug_field>``), the ids of an :class:`AnnotatedIdsField` its annotation,
    a date and a choice's label are written by their field; any other is as read.
    ``computed`` gives the fields read from the whole row (a method field, a property),
    as a function of the row or as the :class:`RowWriter` of a joined record, and
    ``columns`` the columns these read besides the fields'. With a ``prefix`` the fields
    are those of a joined record (``holder__``), None when it is absent (no id).
    The fields are read from the serializer on first use, not at import.
    """

    def __init__(self, serializer_class, *, prefix: str = "", columns=(), **computed):
        self.serializer_class = serializer_class
        self.prefix = prefix
        self.extra_columns = tuple(columns)
        self.computed = computed

    @cached_property
    def steps(self) -> list[tuple]:
        """(name, column, write) for each field: ``write`` of the value read from
        ``column``, or of the whole row when ``column`` is None."""
        steps = []
        for name, field in self.serializer_class(context={}).fields.items():
            if name in self.computed:
                computed = self.computed[name]
                steps.append((name, None, getattr(computed, "write", computed)))
            else:
                column, write = _column_of(field)
                steps.append((name, self.prefix + column, write))
        return steps

    @cached_property
    def columns(self) -> tuple[str, ...]:
        columns = [column for _, column, _ in self.steps if column is not None]
        columns += self.extra_columns
        for computed in self.computed.values():
            columns += getattr(computed, "columns", ())
        return tuple(dict.fromkeys(columns))

    def write(self, row: dict) -> dict | None:
        if self.prefix and row[f"{self.prefix}id"] is None:
            return None
        data = {}
        for name, column, write in self.steps:
            if column is None:
                data[name] = write(row)
            else:
                value = row[column]
                data[name] = value if value is None or write is None else write(value)
        return data

    def __call__(self, rows) -> list[dict]:
        return [self.write(row) for row in rows]


def json_rows(queryset, writer: RowWriter) -> ArraySubquery:
    """The rows of ``queryset`` that ``writer`` writes (its columns, as JSON objects), as
    one array column of the outer query's rows: a list of related records read in the
    page's own query rather than in one more (a prefetch). Dates arrive as ISO text."""
    columns = {column: F(column) for column in writer.columns}
    return ArraySubquery(queryset.values(row=JSONObject(**columns)))


class RowsOf:
    """A field of a :class:`RowWriter` read from a column holding a list of rows
    (:func:`json_rows`), each written by ``writer``."""

    def __init__(self, column: str, writer: RowWriter):
        self.columns = (column,)
        self.column = column
        self.writer = writer

    def write(self, row: dict) -> list[dict]:
        write = self.writer.write
        return [write(item) for item in row[self.column]]


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer (see ``core.api.exceptions``)."""

    status = serializers.IntegerField(help_text="The HTTP status code, repeated.")
    code = serializers.CharField(help_text="A stable, machine-readable code, e.g. 'invalid'.")
    detail = serializers.CharField(help_text="One sentence to show a person.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field ('non_field_errors' for the record as a whole); empty "
        "when no field is at fault.",
    )
