"""A person's page (/people/<id>/): their roles across the systems over time and their
register of interests.

By the API's rules (``decisions.api.views.PersonViewSet`` and the serializers): a person is
public once they hold or held a seat or attended a meeting (anyone else is not found,
404, except by officers); their work e-mail and the private notes on their register
entries are shown only to officers of a system in which they hold or held a seat.
"""

from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from decisions.selectors import person_register, visible_people
from memberships.models import Person
from memberships.selectors import person_memberships
from web.access import access_for
from web.forms import AsOfForm
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
    }
    return render(request, "web/people/person.html", context)


urlpatterns = [path("people/<int:pk>/", person, name="person")]
