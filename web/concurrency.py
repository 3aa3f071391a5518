"""Stale edits are refused, never overwritten.

An edit page carries the version of each record it changes as it was when the officer
opened the page (a hidden field). On saving, the record is locked and its version read
again; if someone else changed it in between, the edit is refused with an explanation and
the officer sees the record as it is now. The version is a hash of the record's stored
fields, so any change made anywhere (another officer's page, the API, the admin) counts.

    class SeatForm(VersionedForm, web.forms.Form): ...

    form = SeatForm(request.POST, versioned=seat)
    if form.is_valid():
        with transaction.atomic():
            form.check_version()          # locks the row; ValidationError if stale
            seat_update(seat=seat, by=request.user, **changes)
"""

import hashlib
import json
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

STALE = (
    "Someone else changed this record after you opened this page, so your change was not "
    "saved. The page now shows the record as it is; check it and make your change again."
)


def _stored(instance: models.Model) -> dict:
    return {f.attname: f.value_to_string(instance) for f in instance._meta.concrete_fields}


def version_of(instance: models.Model, rows: Iterable[models.Model] = ()) -> str:
    """A short hash of the record's stored fields, and of ``rows`` (in a fixed order)."""
    values = [_stored(instance), *(_stored(row) for row in rows)]
    encoded = json.dumps(values, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:20]


class VersionedForm(forms.Form):
    """A form that carries the version of ``versioned`` (the record it changes).

    ``covers`` names the record's related rows that the page changes or shows with it (a
    meeting's ``"attendances"``, a seat's ``"memberships"``): a change to any of them makes
    the page stale too, although the record's own row did not change.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)
    covers: str | None = None
    stale_message = STALE

    def __init__(self, *args, versioned: models.Model, **kwargs):
        self.versioned = versioned
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.current_version(versioned)

    @classmethod
    def current_version(cls, record: models.Model) -> str:
        """The version of ``record`` as this form counts it (with the rows it covers)."""
        rows = getattr(record, cls.covers).order_by("pk") if cls.covers else ()
        return version_of(record, rows)

    def check_version(self) -> None:
        """Lock the record and refuse the edit when it changed since the page was opened.
        Call inside ``transaction.atomic()``, before the service."""
        model = type(self.versioned)
        current = model._default_manager.select_for_update().get(pk=self.versioned.pk)
        if self.cleaned_data.get("version") != self.current_version(current):
            raise ValidationError(self.stale_message, code="stale")
