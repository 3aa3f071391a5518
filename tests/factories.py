"""factory-boy factories for the governance model; each builds a valid, saved row."""

import datetime

import factory

from bodies.models import (
    Body,
    BodyKind,
    IntegratedCareSystem,
    Organisation,
    OrganisationKind,
    Region,
)
from committees.models import Committee, CommitteeKind, Role, Seat
from memberships.models import Employment, Membership, Person


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    # Region codes have three characters: cycle through 100 test regions, reusing them.
    code = factory.Sequence(lambda n: f"Z{n % 100:02d}")
    # Not E4...: real regions' ONS codes are E40000003 to E40000011.
    ons_code = factory.LazyAttribute(lambda r: f"X400000{r.code[1:]}")
    name = factory.LazyAttribute(lambda r: f"Test region {r.code}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.NHS_TRUST
    ods_code = factory.Sequence(lambda n: f"T{n:04d}")


class IntegratedCareSystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegratedCareSystem

    code = factory.Sequence(lambda n: f"Q{n:03d}")
    ons_code = factory.Sequence(lambda n: f"E5{n:07d}")
    name = factory.Sequence(lambda n: f"System {n}")
    region = factory.SubFactory(RegionFactory)
    icb = factory.SubFactory(
        OrganisationFactory,
        kind=OrganisationKind.ICB,
        name=factory.LazyAttribute(lambda o: f"NHS {o.factory_parent.name} ICB"),
        ods_code=factory.LazyAttribute(lambda o: o.factory_parent.code),
    )
    go_live = datetime.date(2022, 7, 1)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    ics = factory.SubFactory(IntegratedCareSystemFactory)
    name = factory.Sequence(lambda n: f"Body {n}")
    kind = BodyKind.SYSTEM_GROUP
    established = datetime.date(2022, 7, 1)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Committee {n}")
    kind = CommitteeKind.ASSURANCE
    established = datetime.date(2022, 7, 1)


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    committee = factory.SubFactory(CommitteeFactory)
    role = Role.NON_EXECUTIVE_MEMBER
    voting = True
    term_length_months = 36


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    given_name = factory.Sequence(lambda n: f"Alex{n}")
    family_name = factory.Sequence(lambda n: f"Smith{n}")
    work_email = factory.LazyAttribute(lambda p: f"{p.given_name}.{p.family_name}@example.nhs.uk")

    @factory.post_generation
    def employment(person, create, extracted, **kwargs):
        """An employer given to the factory is the person's employer since always, as
        ``person_create`` records it."""
        if create and person.employing_organisation_id:
            Employment.objects.create(person=person, organisation=person.employing_organisation)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    seat = factory.SubFactory(SeatFactory)
    person = factory.SubFactory(PersonFactory)
    start = datetime.date(2022, 7, 1)
