"""The base serializer: enumerations with labels, unknown fields refused, writes through
the services.

Every enumeration is sent as its lower-case code with a read-only ``<name>_label``
beside it (``"kind": "icb", "kind_label": "ICB unitary board"``; lists of codes get
``<name>_labels``). Dates are ISO 8601. A field the resource does not have is refused
with 400, never silently dropped, and a field marked create-only cannot be changed
once the record exists (a membership does not move to another seat: it ends).
"""

from collections.abc import Mapping

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import period_covers
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


class CurrentLinksField(serializers.ManyRelatedField):
    """A dated many-to-many field (issue 11) read as what is linked today and written as a
    list, as before: :func:`core.services.set_links_on` ends the links left out and starts
    the new ones today. Prefetch ``<links>__<target>`` (``links_prefetch``) to read it in
    one query for a whole page."""

    def get_attribute(self, instance):
        m2m = instance._meta.get_field(self.source)
        through = m2m.remote_field.through
        accessor = through._meta.get_field(m2m.m2m_field_name()).remote_field.get_accessor_name()
        target = m2m.m2m_reverse_field_name()
        today = timezone.localdate()
        return [
            getattr(link, target)
            for link in getattr(instance, accessor).all()
            if period_covers(link.start, link.end, today)
        ]


def links_prefetch(model, field: str) -> str:
    """The ``prefetch_related`` path :class:`CurrentLinksField` reads for ``model.field``."""
    m2m = model._meta.get_field(field)
    through = m2m.remote_field.through
    accessor = through._meta.get_field(m2m.m2m_field_name()).remote_field.get_accessor_name()
    return f"{accessor}__{m2m.m2m_reverse_field_name()}"


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


class LabelledSerializer(serializers.Serializer):
    """A read-only, non-model representation (reports, compositions) with labels too."""

    def get_fields(self):
        return _with_labels(super().get_fields())


class RegistrySerializer(serializers.ModelSerializer):
    """Base for every resource: writes go through the model's services (``core.writes``).

    ``Meta.create_only`` names fields fixed at creation. The model's lifecycle fields
    (``core.writes``) are read-only once the record exists: a change of one is refused
    with 400, naming the action that makes it. Creating calls the model's create service
    (subclasses whose service takes other arguments override :meth:`create_object`),
    updating its update service, so the model's rules and the database's named
    constraints give the same messages as the admin.
    """

    @property
    def writes(self):
        return writes_for(self.Meta.model)

    @property
    def is_change(self) -> bool:
        return self.instance is not None or self.partial

    def get_fields(self):
        fields = super().get_fields()
        if self.is_change:
            for name in self.writes.lifecycle:
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
                name: [writes.lifecycle_message(name)]
                for name in data
                if name in writes.lifecycle
                and (self.instance is None or data[name] != self._as_sent(name))
            }
            if refused:
                raise serializers.ValidationError(refused)
        validated = super().to_internal_value(data)
        if self.instance is not None:
            errors = {
                name: [CREATE_ONLY]
                for name in getattr(self.Meta, "create_only", ())
                if name in validated and validated[name] != getattr(self.instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return validated

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
