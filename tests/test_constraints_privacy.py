"""The constraint of a person's erasure (issue 14): an erased person has no contact
details, proved in the database and explained to an officer who tries to add them back.

The mechanism is ``tests/constraint_proofs.py``; ``tests/test_constraints.py`` checks that
every constraint of every app is proved and explained.
"""

import pytest

from memberships.models import Person
from memberships.services import person_update
from privacy.services import person_erase
from tests.constraint_proofs import explains, proves, refused_by, refused_with_message_of
from tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def erased_person() -> Person:
    return person_erase(person=PersonFactory(), reason="Their request").person


@proves("memberships_person_erased_has_no_contact_details")
def test_database_refuses_an_e_mail_address_for_an_erased_person():
    person = erased_person()
    with refused_by("memberships_person_erased_has_no_contact_details"):
        Person.objects.filter(pk=person.pk).update(work_email="back@example.nhs.uk")
    with refused_by("memberships_person_erased_has_no_contact_details"):
        Person.objects.filter(pk=person.pk).update(employing_organisation=OrganisationFactory())


@explains("memberships_person_erased_has_no_contact_details")
def test_an_officer_adding_an_e_mail_address_to_an_erased_person_is_told_why_not():
    person = erased_person()
    with refused_with_message_of("memberships_person_erased_has_no_contact_details"):
        person_update(person=person, work_email="back@example.nhs.uk")
    person.refresh_from_db()
    assert person.work_email == ""
