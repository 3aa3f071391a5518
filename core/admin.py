"""Behaviour every registry admin shares, written once.

- :class:`RegistryModelAdmin`: the base ``ModelAdmin``. Its "History" page lists the
  object's own audit events (django-pghistory, written by database triggers, so it shows
  changes made anywhere: admin, API, imports, SQL), and a change the database refuses
  comes back as a form error rather than a server error.
- :class:`RegistryTabularInline`: inlines whose rows are checked against the database
  constraints that involve their parent, which Django's inline forms leave out.
- :func:`current_or_ended_filter` and :func:`date_column`: the "current / ended" filter and
  en-GB date columns ("1 July 2022").
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, router, transaction
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import capfirst

from core.audit import AuditTrail, format_date
from core.db import DateRange
from core.models import ApiToken
from core.services import (
    api_token_create,
    api_token_revoke,
    constraint_messages,
    integrity_error_message,
)
from core.writes import writes_for


def date_column(field_name: str, description: str | None = None):
    """A sortable ``list_display`` column showing a date field in en-GB long form.

    The admin's own rendering follows the en-GB locale's short month ("1 Jul 2022");
    board papers and constitutions spell the month out.
    """

    @admin.display(description=description or field_name.replace("_", " "), ordering=field_name)
    def column(model_admin, obj):
        return format_date(getattr(obj, field_name))

    column.__name__ = f"{field_name}_on"
    return column


def current_or_ended_filter(
    end_field: str, *, current_label: str = "Current", ended_label: str = "Ended"
) -> type[admin.SimpleListFilter]:
    """A "current / ended" list filter on an inclusive end date.

    Current means no end date yet or one today or later (the end date is the last day in
    force, as for memberships and lifecycles, R23, R30); ended means it passed before today.
    """

    class CurrentOrEndedFilter(admin.SimpleListFilter):
        title = "current / ended"
        parameter_name = "state"

        def lookups(self, request, model_admin):
            return (("current", current_label), ("ended", ended_label))

        def queryset(self, request, queryset):
            today = timezone.localdate()
            if self.value() == "current":
                return queryset.filter(
                    Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": today})
                )
            if self.value() == "ended":
                return queryset.filter(**{f"{end_field}__lt": today})
            return queryset

    CurrentOrEndedFilter.__name__ = f"CurrentOrEndedBy{end_field.title()}Filter"
    return CurrentOrEndedFilter


class AuditHistoryMixin:
    """The change form's "History" button shows the object's pghistory audit trail.

    Django's own history lists only the admin's LogEntry rows; the triggers see every
    write, so the audit trail is the record an officer can rely on.
    """

    object_history_template = "admin/audit_history.html"
    history_per_page = 100

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied

        entries = AuditTrail(obj, related_to_name=self._str_select_related).entries()
        paginator = Paginator(entries, self.history_per_page)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Change history: {obj}",
            "subtitle": None,
            "audit_entries": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "page_var": PAGE_VAR,
            "pagination_required": paginator.num_pages > 1,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "object": obj,
            "opts": self.opts,
            "preserved_filters": self.get_preserved_filters(request),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)

    def _str_select_related(self, model) -> tuple[str, ...]:
        """What a model's ``__str__`` follows, as its admin declares it."""
        model_admin = self.admin_site._registry.get(model)
        return getattr(model_admin, "str_select_related", ())


# -- database refusals as form errors -----------------------------------------------------


class DatabaseRefusalMixin:
    """A write the database refuses re-renders the form with the constraint's message.

    Form validation catches almost everything first (ModelForm runs the model's
    full_clean and validate_constraints). What it cannot see, such as two new inline
    rows that clash with each other, a composite foreign key or a concurrent edit, the
    database still refuses; the officer gets the same message as a form error, with
    what they typed kept, rather than a server error.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError as exc:
            request.database_refusal = integrity_error_message(exc)
        except ValidationError as exc:
            # A service refused what the form allowed (a rule on other rows, a lifecycle).
            request.database_refusal = " ".join(exc.messages)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "database_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned_data = super().clean()
                self.add_error(None, refusal)
                return cleaned_data

        return RefusedForm


# -- base classes -------------------------------------------------------------------------


def period_checks(model) -> list[tuple[str, str, str]]:
    """``(start, end, message)`` for each period an exclusion constraint of ``model`` uses.

    The message is that of the model's check constraint on the same two dates (R23).
    """
    messages = {}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            fields = frozenset(constraint.condition.referenced_base_fields)
            messages.setdefault(fields, str(constraint.get_violation_error_message()))
    checks = []
    for constraint in model._meta.constraints:
        for expression, _ in getattr(constraint, "expressions", ()):
            if isinstance(expression, DateRange):
                start, end = (e.name for e in expression.get_source_expressions()[:2])
                message = messages.get(frozenset({start, end}), "The end is before the start.")
                checks.append((start, end, message))
    return list(dict.fromkeys(checks))


class RegistryModelForm(forms.ModelForm):
    """Reports a period that ends before it starts on its end date.

    Model validation would otherwise send the reversed dates to PostgreSQL inside an
    exclusion constraint check (``DATERANGE(start, end)``), which it refuses with a data
    error instead of the rule's message. An error on the end date keeps the constraints
    that read it out of model validation.
    """

    def clean(self):
        cleaned_data = super().clean()
        for start, end, message in period_checks(self._meta.model):
            first, last = cleaned_data.get(start), cleaned_data.get(end)
            if first and last and last < first and end in self.fields:
                self.add_error(end, message)
        return cleaned_data


def form_values(form, names) -> dict:
    """The cleaned values of a model form's fields among ``names`` that the model has."""
    opts = form._meta.model._meta
    model_fields = {f.name for f in opts.get_fields() if f.concrete or f.many_to_many}
    return {
        name: form.cleaned_data[name]
        for name in names
        if name in model_fields and name in form.cleaned_data and name != opts.pk.name
    }


def add_service_errors(
    form: forms.Form, error: ValidationError, field_of_constraint: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on ``form``: beside the field it names when the form has
    that field; a refusal of a rule across several fields (a constraint) beside the field
    ``field_of_constraint`` gives for it (constraint name to the field an officer changes
    to put it right); above the form otherwise."""
    errors = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    by_message = {}
    if field_of_constraint and any(name not in form.fields for name in errors):
        said = constraint_messages()
        by_message = {
            said[name]: field for name, field in field_of_constraint.items() if name in said
        }
    for name, field_errors in errors.items():
        if name in form.fields:
            form.add_error(name, field_errors)
            continue
        for one in field_errors:
            target = by_message.get(" ".join(one.messages))
            form.add_error(target if target in form.fields else None, one)


@dataclass(frozen=True)
class LifecycleAction:
    """A page that changes a lifecycle field through its service (end, abolish...).

    ``name`` is the action's name in ``core.writes`` (and the page's URL segment);
    ``apply(obj, cleaned_data, by)`` calls the service.
    """

    name: str
    label: str
    form: type[forms.Form]
    apply: Callable
    # What the action does besides setting the field, said to the officer before they act.
    explanation: str = ""


class LastDayForm(forms.Form):
    """The day a lifecycle action takes effect (its last day)."""

    on = forms.DateField(label="Last day", widget=admin.widgets.AdminDateWidget)


class ServiceWritesMixin:
    """The admin saves and deletes through the model's services (``core.writes``).

    Adding calls the create service, changing the update service with the fields the
    officer changed, deleting the delete service (no delete service: no delete
    permission); inline rows go through their own model's services. Lifecycle fields are
    read-only once the record exists: the pages of ``lifecycle_actions`` change them.
    """

    lifecycle_actions: tuple[LifecycleAction, ...] = ()

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                f"<path:object_id>/{action.name}/",
                self.admin_site.admin_view(self.lifecycle_view),
                {"action_name": action.name},
                name=f"{opts.app_label}_{opts.model_name}_{action.name}",
            )
            for action in self.lifecycle_actions
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        opts = self.model._meta
        links = [
            (
                action.label,
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_{action.name}",
                    args=[object_id],
                ),
            )
            for action in self.lifecycle_actions
        ]
        extra_context = {**(extra_context or {}), "lifecycle_links": links}
        return super().change_view(request, object_id, form_url, extra_context)

    def lifecycle_view(self, request, object_id, action_name):
        action = next(a for a in self.lifecycle_actions if a.name == action_name)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        form = action.form(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                action.apply(obj, form.cleaned_data, request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                self.message_user(request, f"{action.label}: done for “{obj}”.")
                return redirect(
                    reverse(
                        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change",
                        args=[obj.pk],
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"{action.label}: {obj}",
            "action": action,
            "form": form,
        }
        return TemplateResponse(request, "admin/lifecycle_form.html", context)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += [name for name in writes_for(self.model).lifecycle if name not in fields]
        return fields

    def has_add_permission(self, request, *args):
        return writes_for(self.model).create is not None and super().has_add_permission(
            request, *args
        )

    def has_delete_permission(self, request, obj=None):
        return writes_for(self.model).delete is not None and super().has_delete_permission(
            request, obj
        )

    def save_model(self, request, obj, form, change):
        writes = writes_for(self.model)
        if change:
            changed = form_values(form, form.changed_data)
            if changed:
                writes.do_update(obj, by=request.user, **changed)
            return
        created = writes.do_create(by=request.user, **form_values(form, form.fields))
        adopt(obj, created)

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields went to the service with the rest (save_model).
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        save_inline_rows(formset, by=request.user)

    def delete_model(self, request, obj):
        writes_for(self.model).do_delete(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        writes = writes_for(self.model)
        with transaction.atomic():
            for obj in queryset:
                writes.do_delete(obj, by=request.user)


def adopt(obj, created) -> None:
    """Make the admin's unsaved ``obj`` the row a create service saved."""
    obj.__dict__.update(
        {k: v for k, v in created.__dict__.items() if k != "_state"},
    )
    obj._state.adding = False
    obj._state.db = created._state.db


def save_inline_rows(formset, *, by) -> None:
    """Save an inline formset row by row through its model's services."""
    writes = writes_for(formset.model)
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    parent = {formset.fk.name: formset.instance}
    for row in formset.initial_forms:
        if formset.can_delete and formset._should_delete_form(row):
            if row.instance.pk is not None:
                writes.do_delete(row.instance, by=by)
                formset.deleted_objects.append(row.instance)
            continue
        changed = form_values(row, row.changed_data)
        if changed:
            writes.do_update(row.instance, by=by, **changed)
            formset.changed_objects.append((row.instance, list(changed)))
    for row in formset.extra_forms:
        if not row.has_changed() or (formset.can_delete and formset._should_delete_form(row)):
            continue
        created = writes.do_create(by=by, **{**form_values(row, row.fields), **parent})
        adopt(row.instance, created)
        formset.new_objects.append(row.instance)


class RegistryModelAdmin(
    ServiceWritesMixin, AuditHistoryMixin, DatabaseRefusalMixin, admin.ModelAdmin
):
    """Base admin for every registry model.

    ``str_select_related`` names the relations the model's ``__str__`` reads, so every
    queryset the admin builds (change form, autocomplete, history) names rows without
    one query per row; ``list_select_related`` adds those the list columns read. Both are
    applied here because the changelist ignores ``list_select_related`` once the
    queryset has any ``select_related``.
    """

    form = RegistryModelForm
    str_select_related: tuple[str, ...] = ()
    list_select_related: tuple[str, ...] = ()
    list_per_page = 50
    # Officers paste addresses without a scheme; terms of reference are published on https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        related = [*self.str_select_related, *self.list_select_related]
        return queryset.select_related(*related) if related else queryset


class ConstraintValidatingInlineFormSet(BaseInlineFormSet):
    """Check each inline row against the constraints that involve its parent.

    Django excludes the inline's foreign key from model validation, which skips every
    constraint naming it (one chair seat per committee, unique names in a body...).
    Once the parent is known, the rows are validated again with it included.
    """

    def clean(self):
        super().clean()
        if getattr(self.instance, self.fk.remote_field.field_name, None) is None:
            return
        for form in self.forms:
            if not form.is_valid() or self._should_delete_form(form):
                continue
            if not form.has_changed():
                continue
            exclude = {f.name for f in form.instance._meta.fields if f.name not in form.fields}
            exclude.discard(self.fk.name)
            try:
                form.instance.validate_constraints(exclude=exclude)
            except ValidationError as exc:
                form.add_error(None, exc)


class RegistryTabularInline(admin.TabularInline):
    form = RegistryModelForm
    formset = ConstraintValidatingInlineFormSet
    extra = 0
    show_change_link = True


# -- API tokens ---------------------------------------------------------------------------


@admin.register(ApiToken)
class ApiTokenAdmin(RegistryModelAdmin):
    """Issue and revoke API tokens. The key is shown once, in a message, on creation."""

    list_display = ["name", "organisation", "prefix", "user", "created", "expires", "state"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "organisation__name"]
    autocomplete_fields = ["organisation"]
    str_select_related = ("organisation",)
    list_select_related = ("user",)
    actions = ["revoke"]

    def has_add_permission(self, request):
        # Issued by api_token_create in save_model, which also shows the key once.
        return admin.ModelAdmin.has_add_permission(self, request)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("organisation", "user", "prefix", "created", "created_by", "revoked_at")

    @admin.display(description="state")
    def state(self, token):
        if token.is_revoked:
            return f"Revoked {format_date(timezone.localdate(token.revoked_at))}"
        if token.is_expired():
            return "Expired"
        return "Active"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, key = api_token_create(
            organisation=obj.organisation,
            name=obj.name,
            user=obj.user,
            expires=obj.expires,
            by=request.user,
        )
        for name in ("pk", "prefix", "key_hash", "created", "created_by_id"):
            setattr(obj, name, getattr(token, name))
        self.message_user(
            request,
            f"The key of “{token.name}” is {key} — copy it now: it is stored only as a hash "
            "and will not be shown again.",
            messages.WARNING,
        )

    @admin.action(description="Revoke the selected tokens", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, by=request.user)
            revoked += 1
        self.message_user(request, f"Revoked {revoked} token(s); requests with them now get 401.")
