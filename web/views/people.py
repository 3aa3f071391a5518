"""A person's page (/people/<id>/): their roles across the systems over time and their
register of interests.

By the API's rules (``decisions.api.views.PersonViewSet`` and the serializers): a person is
public once they hold or held a seat or attended a meeting (anyone else is not found,
404, except by officers); their work e-mail and the private notes on their register
entries are shown only to officers of a system in which they hold or held a seat.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.admin import add_service_errors
from decisions.selectors import person_register, visible_people
from memberships.models import Person
from memberships.selectors import person_memberships
from privacy.selectors import free_text_mentions, may_erase
from privacy.services import erased_name, erasure_refusals, person_erase, record_needs_name
from web.access import access_for
from web.forms import AsOfForm, Form
from web.links import committee_url


@require_GET
def person(request, pk):
    access = access_for(request)
    people = Person.objects.select_related("employing_organisation")
    person = get_object_or_404(people.filter(visible_people(access)), pk=pk)
    form = AsOfForm(request.GET or None)
    as_of = form.chosen_date()
    roles = person_memberships(person=person, as_of=as_of)
    for membership in roles:
        membership.committee_url = committee_url(membership.seat.committee)
    systems = {membership.ics_id for membership in roles}
    # The API's rule for e-mail addresses and register notes (PersonSerializer).
    private = access.administers_any(systems)
    # Register entries are public for people with a seat; officers read everyone's.
    register = person_register(person=person, as_of=as_of) if roles or access.is_officer else None
    facts = []
    if person.employing_organisation:
        facts.append(("Employed by", person.employing_organisation.name))
    if private:
        facts.append(("Work e-mail", person.work_email))
    context = {
        "person": person,
        "form": form,
        "as_of": as_of,
        "facts": facts,
        "roles": roles,
        "current": [m for m in roles if m.held],
        "register": register,
        "private": private,
        "may_erase": person.erased_at is None and may_erase(access, person),
    }
    return render(request, "web/people/person.html", context)


class ErasureForm(Form):
    reason = forms.CharField(
        label="Why are this person's personal data erased?",
        help_text="For example, their request and its date. It is kept with the erasure in "
        "the audit trail.",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for the erasure"},
    )


@require_http_methods(["GET", "POST"])
def person_erase_page(request, pk):
    """Erase a person's personal data (``privacy.services.person_erase``), after a page
    saying what will be erased and what the public record keeps. Officers of a system the
    person is part of only (``privacy.selectors.may_erase``)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    person = get_object_or_404(Person, pk=pk)
    if not may_erase(access_for(request), person):
        raise PermissionDenied("Only the officers of this person's systems may erase them.")
    form = ErasureForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            erasure = person_erase(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            kept = "the name is kept" if erasure.name_kept else "the name is erased too"
            messages.success(request, f"{erasure.person.name}'s personal data are erased; {kept}.")
            return redirect(reverse("web:person", args=[person.pk]))
    context = {
        "person": person,
        "form": form,
        "refusals": erasure_refusals(person, today=timezone.localdate()),
        "name_kept_because": record_needs_name(person),
        "erased_name": erased_name(person),
        "mentions": free_text_mentions(person) if person.erased_at is None else [],
    }
    return render(request, "web/people/erase.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("people/<int:pk>/", person, name="person"),
    path("people/<int:pk>/erase/", person_erase_page, name="person_erase"),
]
