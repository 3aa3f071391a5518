"""``POST /api/v1/people/{id}/erase/``: the API's way to :func:`person_erase`, composed
into the people's resource in ``ics_registry.api_urls``."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.serializers import StrictSerializer
from privacy.selectors import ERASE_PERMISSION, free_text_mentions, may_erase
from privacy.services import person_erase


class ErasureSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=500,
        help_text="Why the person's personal data are erased (e.g. their request and its "
        "date); recorded with the erasure in the audit trail.",
    )


class MentionSerializer(serializers.Serializer):
    model = serializers.CharField(help_text="The record's kind, e.g. decisions.Decision.")
    id = serializers.CharField(help_text="The record's id.")
    field = serializers.CharField(help_text="The free-text field that names the person.")
    record = serializers.CharField(help_text="The record and field, in words.")


class ErasureResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The name as the record keeps it.")
    name_kept_because = serializers.ListField(
        child=serializers.CharField(),
        help_text="Why the public record keeps the name; empty when it was erased too.",
    )
    declarations_deleted = serializers.IntegerField()
    gifts_deleted = serializers.IntegerField()
    employments_deleted = serializers.IntegerField()
    emails_deleted = serializers.IntegerField()
    mentions = MentionSerializer(
        many=True,
        help_text="Free text of other records that named the person before the erasure (a "
        "paper's author, a title, a note): not changed by it; review each.",
    )


class ErasureActions:
    """Erase a person's personal data (the right to erasure): officers of a system the
    person is part of (``privacy.selectors``), with the permission to erase people."""

    def required_permission(self, request):
        if self.action == "erase":
            return ERASE_PERMISSION
        return super().required_permission(request)

    def may_change(self, access, person) -> bool:
        if self.action == "erase":
            return may_erase(access, person)
        return super().may_change(access, person)

    @extend_schema(request=ErasureSerializer, responses={200: ErasureResultSerializer})
    @action(detail=True, methods=["post"])
    def erase(self, request, pk):
        """Erase the person's contact details, private declarations and other personal
        data; the name stays only where the public record needs it. Audited with the
        reason. Refused (400, nothing changed) while the person holds a seat or a role."""
        person = self.get_object()
        serializer = ErasureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        mentions = free_text_mentions(person)
        with self.audit():
            erasure = person_erase(
                person=person, by=request.user, reason=serializer.validated_data["reason"]
            )
        result = {
            "id": erasure.person.pk,
            "name": erasure.person.name,
            "name_kept_because": list(erasure.name_kept_because),
            "declarations_deleted": erasure.declarations_deleted,
            "gifts_deleted": erasure.gifts_deleted,
            "employments_deleted": erasure.employments_deleted,
            "emails_deleted": erasure.emails_deleted,
            "mentions": [
                {
                    "model": mention.model._meta.label,
                    "id": str(mention.pk),
                    "field": mention.field,
                    "record": mention.label,
                }
                for mention in mentions
            ],
        }
        return Response(ErasureResultSerializer(result).data)
