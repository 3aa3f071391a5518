"""API tokens: how partner organisations' systems, and officers' scripts, call the API."""

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, at=None):
        """Tokens neither revoked nor expired at ``at`` (now by default)."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires__isnull=True) | Q(expires__gt=at)
        )


@pghistory.track()
class ApiToken(models.Model):
    """A revocable key issued to one organisation for calling the API.

    Only a SHA-256 hash of the key is stored; the key itself is shown once, when the
    token is created (``core.services.api_token_create``). ``prefix`` is the first part
    of the key, kept in clear so a request's token is found without scanning hashes,
    and so an officer can tell tokens apart in the admin.

    A token with a ``user`` acts as that officer: their permissions (django-guardian,
    per ICS) decide what it may write. A token without one reads as a partner of its
    organisation and never writes.
    """

    organisation = models.ForeignKey(
        "bodies.Organisation",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        help_text="The organisation the token is issued to.",
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, e.g. 'Trust intranet board pages'."
    )
    prefix = models.CharField(
        max_length=16,
        unique=True,
        editable=False,
        help_text="The start of the key, shown to tell tokens apart.",
    )
    key_hash = models.CharField(
        "key hash", max_length=64, unique=True, editable=False, help_text="SHA-256 of the key."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name="acts as officer",
        help_text="Leave empty for a read-only partner token. When set, the token has this "
        "officer's permissions.",
    )
    created = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    expires = models.DateTimeField(
        null=True, blank=True, help_text="Leave empty for a token that does not expire."
    )
    revoked_at = models.DateTimeField("revoked", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = "API token"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires__isnull=True) | Q(expires__gt=F("created")),
                name="core_apitoken_expires_after_created",
                violation_error_message="A token must expire after it is created.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation.name}, {self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, at=None) -> bool:
        return self.expires is not None and self.expires <= (at or timezone.now())


class RegistryVersion(models.Model):
    """One share of the registry's version, which is the sum of every row's ``version``;
    see ``core.versioning``. Written only by its database triggers, never audited."""

    registry_derived = "the version itself: a restore moves it past the exported one"

    version = models.BigIntegerField(
        default=0, help_text="Committed changes counted in this share."
    )

    class Meta:
        verbose_name = "registry version"

    def __str__(self):
        return f"registry version share {self.pk}: {self.version}"
