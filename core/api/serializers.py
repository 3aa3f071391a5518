"""The base serializer: enumerations with labels, unknown fields refused, writes through
the services.

Every enumeration is sent as its lower-case code with a read-only ``<name>_label``
beside it (``"kind": "icb", "kind_label": "ICB unitary board"``; lists of codes get
``<name>_labels``). Dates are ISO 8601. A field the resource does not have is refused
with 400, never silently dropped, and a field marked create-only cannot be changed
once the record exists (a membership does not move to another seat: it ends).
"""

from collections.abc import Mapping

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.services import audit_context, database_errors_as_validation_errors, save_validated

UNKNOWN_FIELD = "Unknown field: this resource has no such field."
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
    """Base for every resource.

    ``Meta.create_only`` names fields fixed at creation. Subclasses write through the
    services by overriding :meth:`create_object`; :meth:`update` saves through
    ``core.services.save_validated``, so the model's rules and the database's named
    constraints give the same messages as the admin.
    """

    def get_fields(self):
        return _with_labels(super().get_fields())

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

    # -- writes ---------------------------------------------------------------------------

    def create(self, validated_data):
        by = validated_data.pop("by", None)
        return self.create_object(validated_data, by=by)

    def create_object(self, validated_data, *, by):
        """Create through the model's service; by default, validate and save with links."""
        links = self._pop_links(validated_data)
        instance = self.Meta.model(**validated_data)
        with transaction.atomic(), audit_context(by):
            save_validated(instance, by=by)
            self._set_links(instance, links)
        return instance

    def update(self, instance, validated_data):
        by = validated_data.pop("by", None)
        links = self._pop_links(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        with transaction.atomic(), audit_context(by):
            save_validated(instance, by=by)
            self._set_links(instance, links)
        return instance

    def _pop_links(self, validated_data) -> dict:
        many = {f.name for f in self.Meta.model._meta.many_to_many}
        return {name: validated_data.pop(name) for name in list(validated_data) if name in many}

    @staticmethod
    def _set_links(instance, links: dict) -> None:
        if links:
            with database_errors_as_validation_errors():
                for name, targets in links.items():
                    getattr(instance, name).set(targets)


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
