"""The built-in rule sets, version 1 (R2, R4, R6-R8, R11, R13, R20, R21, R25).

The data is frozen here, as migrations must be: a later change to the rules ships as a
new version of the set (same code, higher version, effective from the date it applies),
so that compliance on past dates keeps using the rules then in force.
"""

import datetime

from django.db import migrations

ICB_GO_LIVE = datetime.date(2022, 7, 1)
EXECUTIVES = [
    "chief_executive",
    "director_of_finance",
    "medical_director",
    "director_of_nursing",
    "director_of_workforce",
    "director_of_strategy",
    "director_of_communications",
    "director_of_corporate_affairs",
    "additional_executive_director",
]
ORDINARY_MEMBER_ROLES = [
    "non_executive_member",
    "director_of_finance",
    "medical_director",
    "director_of_nursing",
    "director_of_workforce",
    "director_of_strategy",
    "director_of_communications",
    "director_of_corporate_affairs",
    "additional_executive_director",
    "trust_partner_member",
    "primary_care_partner_member",
    "local_authority_partner_member",
    "director_of_public_health",
    "director_of_adult_social_services",
    "director_of_childrens_services",
    "vcse_representative",
    "healthwatch_representative",
    "member",
]


def seats(code, rule, description, roles=(), minimum=1, maximum=None, **extra):
    return dict(
        code=code,
        rule=rule,
        kind="seats",
        description=description,
        roles=list(roles),
        min_seats=minimum,
        max_seats=maximum,
        **extra,
    )


RULE_SETS = [
    dict(
        code="icb-statutory-membership",
        name="ICB board: membership required by statute",
        source="statute",
        citation="NHS Act 2006, Schedule 1B, as inserted by the Health and Care Act 2022",
        body_kinds=["icb"],
        committee_kinds=["board"],
        effective_from=ICB_GO_LIVE,
        requirements=[
            seats("chair", "R20", "chair", ["chair"], 1, 1, seat_flag="is_chair"),
            seats("chief-executive", "R20", "chief executive", ["chief_executive"], 1, 1),
            seats(
                "ordinary-members",
                "R20",
                "ordinary member",
                ORDINARY_MEMBER_ROLES,
                3,
                voting=True,
                description_plural="ordinary members",
            ),
            seats(
                "trust-partner-member",
                "R20",
                "NHS trust and foundation trust partner member",
                ["trust_partner_member"],
            ),
            seats(
                "primary-care-partner-member",
                "R20",
                "primary care partner member",
                ["primary_care_partner_member"],
            ),
            seats(
                "local-authority-partner-member",
                "R20",
                "local authority partner member",
                ["local_authority_partner_member"],
            ),
            dict(
                code="trust-partner-nomination",
                rule="R4",
                kind="nomination",
                description="NHS trust and foundation trust partner member",
                roles=["trust_partner_member"],
                nominating_kinds=["nhs_trust", "nhs_foundation_trust"],
            ),
            dict(
                code="primary-care-partner-nomination",
                rule="R4",
                kind="nomination",
                description="primary care partner member",
                roles=["primary_care_partner_member"],
                nominating_kinds=["gp_practice", "primary_care_network"],
            ),
            dict(
                code="local-authority-partner-nomination",
                rule="R4",
                kind="nomination",
                description="local authority partner member",
                roles=["local_authority_partner_member"],
                nominating_kinds=["local_authority"],
            ),
        ],
    ),
    dict(
        code="icb-policy-membership",
        name="ICB board: membership required by NHS England policy",
        source="policy",
        citation="NHS England, ICB model constitution and guidance on ICB board membership",
        body_kinds=["icb"],
        committee_kinds=["board"],
        effective_from=ICB_GO_LIVE,
        requirements=[
            seats("director-of-finance", "R21", "director of finance", ["director_of_finance"]),
            seats("medical-director", "R21", "medical director", ["medical_director"]),
            seats("director-of-nursing", "R21", "director of nursing", ["director_of_nursing"]),
            seats(
                "independent-non-executives",
                "R21",
                "independent non-executive member",
                ["non_executive_member"],
                2,
                independence_required=True,
            ),
            seats("deputy-chair", "R21", "deputy chair", [], seat_flag="is_deputy_chair"),
            seats(
                "senior-independent-member",
                "R21",
                "senior independent member",
                [],
                seat_flag="is_senior_independent_member",
            ),
            dict(
                code="senior-independent-member-not-audit-chair",
                rule="R21",
                kind="sim_not_audit_chair",
                description="senior independent member who is not the audit committee chair",
            ),
            dict(
                code="independence",
                rule="R2",
                kind="independence",
                description="independent member with no other role in the ICS",
            ),
        ],
    ),
    dict(
        code="icb-provider-collaboratives",
        name="Acute and mental health trusts in provider collaboratives",
        source="policy",
        citation="NHS England, provider collaboratives guidance (2021): by April 2022",
        body_kinds=["icb"],
        committee_kinds=["board"],
        effective_from=ICB_GO_LIVE,
        requirements=[
            dict(
                code="collaborative-coverage",
                rule="R13",
                kind="collaborative_coverage",
                description="acute and mental health trusts in a provider collaborative",
            ),
        ],
    ),
    dict(
        code="icb-assurance-committee-chair",
        name="ICB assurance committees are chaired by an independent non-executive",
        source="policy",
        citation="ICB governance handbooks; Somerset ICS governance design (2022)",
        body_kinds=["icb"],
        committee_kinds=["assurance"],
        effective_from=ICB_GO_LIVE,
        requirements=[
            dict(
                code="assurance-chair",
                rule="R6",
                kind="chair",
                description="an independent non-executive member",
                roles=["non_executive_member"],
            ),
        ],
    ),
    dict(
        code="icb-delivery-committee-chair",
        name="ICB delivery committees are chaired by an executive",
        source="policy",
        citation="ICB governance handbooks; Somerset ICS governance design (2022)",
        body_kinds=["icb"],
        committee_kinds=["delivery"],
        effective_from=ICB_GO_LIVE,
        requirements=[
            dict(
                code="delivery-chair",
                rule="R6",
                kind="chair",
                description="an executive director",
                roles=EXECUTIVES,
            ),
        ],
    ),
    dict(
        code="icp-establishment",
        name="ICP established jointly by the ICB and the local authorities",
        source="statute",
        citation="Local Government and Public Involvement in Health Act 2007, s.116ZA, "
        "as inserted by the Health and Care Act 2022",
        body_kinds=["icp"],
        committee_kinds=["board"],
        effective_from=ICB_GO_LIVE,
        requirements=[
            dict(
                code="convened-jointly",
                rule="R7",
                kind="convened_jointly",
                description="convened jointly by the ICB and the local authorities",
            ),
        ],
    ),
    dict(
        code="place-minimum-membership",
        name="Place-based partnership: minimum membership",
        source="policy",
        citation="NHS England, Thriving places (2021); HIOW ICS design, para 24",
        body_kinds=["place_partnership"],
        committee_kinds=["board", "joint_committee"],
        effective_from=ICB_GO_LIVE,
        requirements=[
            seats(
                "primary-care-leadership",
                "R8",
                "primary care provider leader",
                [
                    "primary_care_partner_member",
                    "primary_care_representative",
                    "pcn_clinical_director",
                    "locality_clinical_chair",
                ],
            ),
            seats(
                "local-authority",
                "R8",
                "local authority member",
                [
                    "local_authority_partner_member",
                    "local_authority_representative",
                    "director_of_adult_social_services",
                    "director_of_childrens_services",
                    "director_of_public_health",
                    "elected_member",
                ],
            ),
            seats(
                "providers",
                "R8",
                "acute, community or mental health provider member",
                ["trust_partner_member", "trust_representative"],
            ),
            seats(
                "people-who-use-care",
                "R8",
                "representative of people who use care and support",
                ["healthwatch_representative", "vcse_representative"],
                description_plural="representatives of people who use care and support",
            ),
        ],
    ),
    dict(
        code="place-single-accountable-person",
        name="Place-based partnership: one single accountable person",
        source="policy",
        citation="DHSC, Joining up care for people, places and populations (2022), para 3.12: "
        "in place by spring 2023",
        body_kinds=["place_partnership"],
        committee_kinds=["board", "joint_committee"],
        effective_from=datetime.date(2023, 4, 1),
        requirements=[
            dict(
                code="single-accountable-person",
                rule="R11",
                kind="single_accountable_person",
                description="single accountable person",
            ),
        ],
    ),
    dict(
        code="standing-orders-quorum",
        name="Standing orders: the membership can make a quorum",
        source="constitution",
        citation="Each body's standing orders",
        body_kinds=[],
        committee_kinds=[
            "board",
            "assurance",
            "delivery",
            "statutory",
            "joint_committee",
            "committee_in_common",
            "sub_committee",
        ],
        effective_from=ICB_GO_LIVE,
        requirements=[
            dict(
                code="quorum-attainable",
                rule="R25",
                kind="quorum_attainable",
                description="membership able to make a quorum",
            ),
        ],
    ),
]


def load(apps, schema_editor):
    Constitution = apps.get_model("committees", "Constitution")
    Requirement = apps.get_model("committees", "Requirement")
    for data in RULE_SETS:
        data = dict(data)
        requirements = data.pop("requirements")
        rule_set = Constitution.objects.create(version=1, is_builtin=True, **data)
        Requirement.objects.bulk_create(
            Requirement(constitution=rule_set, order=order, **requirement)
            for order, requirement in enumerate(requirements)
        )


def unload(apps, schema_editor):
    """The built-in rule sets and their requirements, deleted row by row in SQL: the ORM's
    cascade collector mixes this migration's historical models with the audit models'
    relations to the current ones ("Must be a Constitution instance") and cannot delete."""
    Constitution = apps.get_model("committees", "Constitution")
    Requirement = apps.get_model("committees", "Requirement")
    ids = list(Constitution.objects.filter(is_builtin=True, version=1).values_list("pk", flat=True))
    using = schema_editor.connection.alias
    Requirement.objects.filter(constitution_id__in=ids)._raw_delete(using)
    Constitution.objects.filter(pk__in=ids)._raw_delete(using)


class Migration(migrations.Migration):
    dependencies = [("committees", "0003_constitutions")]

    operations = [migrations.RunPython(load, unload)]
