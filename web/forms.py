"""Forms of the web pages, drawn in the NHS.UK design system.

A page's form subclasses :class:`Form` or :class:`ModelForm`: ``{{ form }}`` then draws an
error summary linking to each field, and each field as an NHS.UK form group (label, hint,
error message beside the field). One field alone: ``{% include "web/components/field.html"
with field=form.name %}``. Dates use :class:`UKDateField` (day, month and year boxes).
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils import timezone

from bodies.models import Region, SystemStatus


class NHSFormRenderer(TemplatesSetting):
    """Draws ``{{ form }}`` and ``{{ field }}`` with the NHS.UK templates of ``web``.

    Set per form class (``default_renderer``), not in settings: the admin keeps Django's.
    It renders with the project's template engine (``TEMPLATES``), so the templates have
    the project's built-in tags and filters; Django's own widget templates are found
    because ``django.forms`` is an installed app.
    """

    form_template_name = "web/forms/form.html"
    field_template_name = "web/components/field.html"


RENDERER = NHSFormRenderer()


class Form(forms.Form):
    default_renderer = RENDERER
    template_name = "web/forms/form.html"


class ModelForm(forms.ModelForm):
    default_renderer = RENDERER
    template_name = "web/forms/form.html"


class UKDateInput(forms.MultiWidget):
    """Day, month and year boxes (NHS.UK date input): ``<name>_day``, ``_month``, ``_year``.

    A date given whole in ISO form (``?as_of=2026-04-01``) is read too, so links keep the
    short address.
    """

    template_name = "web/widgets/date_input.html"
    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            try:
                return self.decompress(datetime.date.fromisoformat(value))
            except ValueError:
                return [None, None, None]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        whole = data.get(name)
        if whole:
            return whole
        return [data.get(f"{name}_{part}", "").strip() for part in self.parts]

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        if isinstance(value, list | tuple):
            value = [part or None for part in value]
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(context["widget"]["subwidgets"], self.parts, strict=True):
            subwidget["part"] = part
            subwidget["label"] = part.capitalize()
            subwidget["width"] = 4 if part == "year" else 2
        return context


class UKDateField(forms.Field):
    """A date typed as day, month and year, with the NHS.UK error messages."""

    widget = UKDateInput
    default_error_messages = {
        "required": "Enter a date",
        "invalid": "Enter a real date",
        "year": "Year must include 4 numbers",
    }

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, list | tuple) and not any(value)):
            return None
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        day, month, year = value
        missing = [name for name, part in zip(UKDateInput.parts, value, strict=True) if not part]
        if missing:
            raise ValidationError(
                f"Date must include a {' and a '.join(missing)}", code="incomplete"
            )
        if not all(part.isdigit() for part in value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class AsOfForm(Form):
    """'On which date?' for a page: ``?as_of=2026-04-01`` or the day, month and year boxes."""

    as_of = UKDateField(
        label="Show the registry on",
        required=False,
        help_text="For example, 1 4 2026. Leave empty for today.",
    )

    def chosen_date(self) -> datetime.date:
        """The date asked for, or today when none (or a wrong one, shown as an error)."""
        if self.is_bound and self.is_valid() and self.cleaned_data["as_of"]:
            return self.cleaned_data["as_of"]
        return timezone.localdate()


class CodeChoiceField(forms.ChoiceField):
    """A choice of codes, case-insensitive as in the API (?region=y58 is Y58)."""

    def to_python(self, value):
        return super().to_python(value).upper()


class SystemFiltersForm(Form):
    """The overview's filters; the same names as GET /api/v1/systems/ (?region=Y58)."""

    region = CodeChoiceField(
        label="Region",
        required=False,
        error_messages={"invalid_choice": "Choose a region from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *SystemStatus.choices],
        error_messages={"invalid_choice": "Choose a status from the list"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.order_by("name").values_list("code", "name")
        self.fields["region"].choices = [("", "All regions"), *regions]


@dataclass(frozen=True)
class FieldView:
    """How ``web/components/field.html`` draws one bound field."""

    field: forms.BoundField
    kind: str
    widget_html: str
    hint_id: str
    error_id: str

    @property
    def in_fieldset(self) -> bool:
        return self.kind in {"date", "radios", "checkboxes"}


def widget_kind(widget) -> str:
    if isinstance(widget, UKDateInput):
        return "date"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    # Before RadioSelect: Django's CheckboxSelectMultiple is a subclass of it.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


CLASSES = {
    "input": "nhsuk-input",
    "password": "nhsuk-input",
    "select": "nhsuk-select",
    "textarea": "nhsuk-textarea",
    "checkbox": "nhsuk-checkboxes__input",
    "file": "nhsuk-file-upload__input",
}
ERROR_CLASSES = {
    "input": "nhsuk-input--error",
    "password": "nhsuk-input--error",
    "select": "nhsuk-select--error",
    "textarea": "nhsuk-textarea--error",
}


def describe_field(bound_field: forms.BoundField) -> FieldView:
    """The NHS.UK classes and ``aria-describedby`` of a field's widget, and its kind."""
    widget = bound_field.field.widget
    kind = widget_kind(widget)
    base_id = bound_field.auto_id or bound_field.html_name
    hint_id, error_id = f"{base_id}-hint", f"{base_id}-error"
    described = [
        i for i, on in ((hint_id, bound_field.help_text), (error_id, bound_field.errors)) if on
    ]
    attrs = {}
    classes = [CLASSES.get(kind, ""), widget.attrs.get("class", "")]
    if bound_field.errors and kind in ERROR_CLASSES:
        classes.append(ERROR_CLASSES[kind])
    if kind not in {"date", "radios", "checkboxes", "hidden"}:
        attrs["class"] = " ".join(c for c in classes if c)
        if described:
            attrs["aria-describedby"] = " ".join(described)
    if kind == "date" and bound_field.errors:
        attrs["class"] = "nhsuk-input--error"
    widget_html = "" if kind in {"radios", "checkboxes"} else bound_field.as_widget(attrs=attrs)
    return FieldView(bound_field, kind, widget_html, hint_id, error_id)


def first_input_id(bound_field: forms.BoundField) -> str:
    """The id of a field's first box (a date's day, a list's first option)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.MultiWidget | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id
