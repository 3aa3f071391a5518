"""Forms shared by the admin and the HTML pages."""

import datetime

from django import forms
from django.utils import timezone


class AsOfForm(forms.Form):
    """'On which date?': every composition, compliance and history page takes one."""

    as_of = forms.DateField(
        label="On",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty for today.",
    )

    def chosen_date(self) -> datetime.date:
        """The date asked for, or today when none (or a malformed one) was given."""
        if self.is_bound and self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return timezone.localdate()
