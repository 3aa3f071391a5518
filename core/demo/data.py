"""Demo governance of four systems, from the seeds (domain.md sections 1-2).

Everyone here is fictional, including whoever holds a post the seeds give to a real
person (the Hampshire and Isle of Wight chair designate and system leader). E-mail
addresses use example domains. Organisations in the
ODS reference data are referred to by ODS code and must already exist
(``manage.py import_ods``); the others are created, marked as demo data.

Dates: the ICBs went live on 1 July 2022 [000, 004]. Terms of office follow the
Somerset pattern for every board: chair and non-executives 36 months, partner members
24 months, executives no fixed term (R24).
"""

import datetime
from dataclasses import replace

from bodies.models import BodyKind, OrganisationKind, PlaceGovernanceOption
from committees.models import CommitteeKind, Role
from core.dates import add_months
from memberships.models import EndReason, MembershipStatus
from reminders.models import Category
from reminders.models import Status as MilestoneStatus

from .spec import (
    BodySpec,
    CommitteeSpec,
    ConstitutionSpec,
    DemoOrganisation,
    DemoPerson,
    MilestoneSpec,
    QuorumConditionSpec,
    RequirementSpec,
    SeatSpec,
    StandingOrdersSpec,
    SystemSpec,
    Term,
    TransitionSpec,
    terms_of_office,
)

D = datetime.date
GO_LIVE = D(2022, 7, 1)
DAY_BEFORE_GO_LIVE = D(2022, 6, 30)

NED_TERM = 36
CHAIR_TERM = 36
PARTNER_TERM = 24

# Standing orders (R25, R26) in the shape of the NHS England model ICB constitution.
ICB_BOARD_STANDING_ORDERS = StandingOrdersSpec(
    quorum_voting_members=6,
    conditions=(
        QuorumConditionSpec(
            "independent members (the chair or non-executives)",
            (Role.CHAIR, Role.NON_EXECUTIVE_MEMBER),
            2,
        ),
        QuorumConditionSpec(
            "executive director",
            (
                Role.CHIEF_EXECUTIVE,
                Role.DIRECTOR_OF_FINANCE,
                Role.MEDICAL_DIRECTOR,
                Role.DIRECTOR_OF_NURSING,
            ),
        ),
        QuorumConditionSpec(
            "partner member",
            (
                Role.TRUST_PARTNER_MEMBER,
                Role.PRIMARY_CARE_PARTNER_MEMBER,
                Role.LOCAL_AUTHORITY_PARTNER_MEMBER,
            ),
        ),
    ),
)
ASSURANCE_COMMITTEE_STANDING_ORDERS = StandingOrdersSpec(
    quorum_voting_members=2,
    conditions=(QuorumConditionSpec("non-executive member", (Role.NON_EXECUTIVE_MEMBER,)),),
)

# An ICB body and its unitary board share the name, as when an officer creates one.
SOMERSET_ICB = "NHS Somerset Integrated Care Board"
BSW_ICB = "NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board"
DORSET_ICB = "NHS Dorset Integrated Care Board"
HIOW_ICB = "NHS Hampshire and Isle of Wight Integrated Care Board"

# Systems, by the ICB's ODS code.
SOMERSET, BSW, DORSET, HIOW = "QSL", "QOX", "QVV", "QRL"
SYSTEM_CODES = (SOMERSET, BSW, DORSET, HIOW)

# NHS trusts and foundation trusts (ODS codes, bodies/data/ods/trusts.csv).
SOMERSET_FT = "RH5"
YEOVIL_FT = "RA4"
ROYAL_UNITED_BATH = "RD1"
GREAT_WESTERN = "RN3"
SALISBURY = "RNZ"
AWP = "RVN"
DORSET_COUNTY_HOSPITAL = "RBD"
UNIVERSITY_HOSPITALS_DORSET = "R0D"
DORSET_HEALTHCARE = "RDY"
DEVON_PARTNERSHIP = "RWV"
UNIVERSITY_HOSPITAL_SOUTHAMPTON = "RHM"
HAMPSHIRE_HOSPITALS = "RN5"
PORTSMOUTH_HOSPITALS = "RHU"
ISLE_OF_WIGHT_TRUST = "R1F"
SOLENT = "R1C"
SOUTHERN_HEALTH = "RW1"
SOUTH_CENTRAL_AMBULANCE = "RYE"

# Local authorities (ODS codes, bodies/data/ods/icb_local_authorities_trusts.csv).
SOMERSET_COUNCIL = "905"
BATH_NE_SOMERSET_COUNCIL = "908"
SWINDON_COUNCIL = "819"
WILTSHIRE_COUNCIL = "817"
DORSET_COUNCIL = "809"
BCP_COUNCIL = "738"
HAMPSHIRE_COUNCIL = "812"
SOUTHAMPTON_COUNCIL = "814"
PORTSMOUTH_COUNCIL = "813"
ISLE_OF_WIGHT_COUNCIL = "803"
COUNCILS = frozenset(
    {
        SOMERSET_COUNCIL,
        BATH_NE_SOMERSET_COUNCIL,
        SWINDON_COUNCIL,
        WILTSHIRE_COUNCIL,
        DORSET_COUNCIL,
        BCP_COUNCIL,
        HAMPSHIRE_COUNCIL,
        SOUTHAMPTON_COUNCIL,
        PORTSMOUTH_COUNCIL,
        ISLE_OF_WIGHT_COUNCIL,
    }
)

K = OrganisationKind
DEMO_ORGANISATIONS: dict[str, DemoOrganisation] = {
    "nhse_south_west": DemoOrganisation(
        "NHS England – South West", K.NHS_ENGLAND, (SOMERSET, BSW, DORSET), region="Y58"
    ),
    "somerset_vcse": DemoOrganisation("Somerset VCSE Alliance", K.VCSE, (SOMERSET,)),
    "healthwatch_somerset": DemoOrganisation("Healthwatch Somerset", K.HEALTHWATCH, (SOMERSET,)),
    "quantock_vale_pcn": DemoOrganisation(
        "Quantock Vale Primary Care Network", K.PRIMARY_CARE_NETWORK, (SOMERSET,)
    ),
    "levels_moors_pcn": DemoOrganisation(
        "Levels and Moors Primary Care Network", K.PRIMARY_CARE_NETWORK, (SOMERSET,)
    ),
    "virgin_care": DemoOrganisation("Virgin Care Services Ltd", K.OTHER, (BSW,)),
    "threesg": DemoOrganisation("3SG (B&NES Third Sector Group)", K.VCSE, (BSW,)),
    "bems_plus": DemoOrganisation("BEMS+", K.VCSE, (BSW,)),
    "healthwatch_bnes": DemoOrganisation(
        "Healthwatch Bath and North East Somerset", K.HEALTHWATCH, (BSW,)
    ),
    "bath_spa_pcn": DemoOrganisation(
        "Bath Spa Primary Care Network", K.PRIMARY_CARE_NETWORK, (BSW,)
    ),
    "somer_valley_pcn": DemoOrganisation(
        "Somer Valley Hills Primary Care Network", K.PRIMARY_CARE_NETWORK, (BSW,)
    ),
    "brunel_pcn": DemoOrganisation("Brunel Primary Care Network", K.PRIMARY_CARE_NETWORK, (BSW,)),
    "kennet_downs_pcn": DemoOrganisation(
        "Kennet Downs Primary Care Network", K.PRIMARY_CARE_NETWORK, (BSW,)
    ),
    "stour_vale_pcn": DemoOrganisation(
        "Stour Vale Primary Care Network", K.PRIMARY_CARE_NETWORK, (DORSET,)
    ),
    "poole_harbour_pcn": DemoOrganisation(
        "Poole Harbour Primary Care Network", K.PRIMARY_CARE_NETWORK, (DORSET,)
    ),
    "healthwatch_dorset": DemoOrganisation("Healthwatch Dorset", K.HEALTHWATCH, (DORSET,)),
    "dorset_vcse": DemoOrganisation("Dorset VCSE Alliance", K.VCSE, (DORSET,)),
    "test_valley_pcn": DemoOrganisation(
        "Test Valley Downs Primary Care Network", K.PRIMARY_CARE_NETWORK, (HIOW,)
    ),
    "itchen_pcn": DemoOrganisation(
        "Itchen Bridge Primary Care Network", K.PRIMARY_CARE_NETWORK, (HIOW,)
    ),
    "healthwatch_southampton": DemoOrganisation("Healthwatch Southampton", K.HEALTHWATCH, (HIOW,)),
    "southampton_vcse": DemoOrganisation("Southampton VCSE Alliance", K.VCSE, (HIOW,)),
}

_THIRD_SECTOR_KINDS = (K.VCSE, K.HEALTHWATCH, K.OTHER)


def _email(given_name: str, family_name: str, employer: str) -> str:
    """Fictional work address: councils at example.gov.uk, the third and independent
    sectors at example.org, the NHS at example.nhs.uk."""
    if employer in COUNCILS:
        domain = "example.gov.uk"
    elif employer in DEMO_ORGANISATIONS and DEMO_ORGANISATIONS[employer].kind in (
        _THIRD_SECTOR_KINDS
    ):
        domain = "example.org"
    else:
        domain = "example.nhs.uk"
    local = ".".join(
        "".join(c for c in part.lower() if c.isalnum() or c == "-")
        for part in (given_name, family_name)
    )
    return f"{local}@{domain}"


def _person(honorific: str, given: str, family: str, post_nominals: str, employer: str):
    return DemoPerson(
        honorific, given, family, post_nominals, employer, _email(given, family, employer)
    )


PEOPLE: dict[str, DemoPerson] = {
    # Somerset: ICB board and executive
    "som_chair": _person("Professor", "Eleanor", "Whitcombe", "OBE", ""),
    "som_ned_deputy": _person("", "Richard", "Penhallow", "", ""),
    "som_ned_sim_1": _person("", "Priya", "Raman", "", ""),
    "som_ned_sim_2": _person("", "Graham", "Tully", "", ""),
    "som_ned_audit_1": _person("", "Jonathan", "Hext", "FCA", ""),
    "som_ned_audit_2": _person("", "Fiona", "Mallender", "CPFA", ""),
    "som_ned_finance": _person("Dr", "Samuel", "Okafor", "", ""),
    "som_ceo": _person("", "Jessica", "Penrose", "", SOMERSET),
    "som_cfo": _person("", "Alastair", "Coombes", "CPFA", SOMERSET),
    "som_cmo": _person("Dr", "Bernard", "Lyle", "FRCP", SOMERSET),
    "som_nurse_interim": _person("", "Maureen", "Hatherley", "RGN", SOMERSET),
    "som_nurse": _person("", "Shona", "Kerr", "RN", SOMERSET),
    "som_comms": _person("", "Tom", "Quantrill", "", SOMERSET),
    "som_corporate": _person("", "Lucy", "Brimble", "", SOMERSET),
    "som_workforce": _person("", "Naomi", "Bellringer", "", SOMERSET),
    "som_strategy": _person("", "Owen", "Tremlett", "", SOMERSET),
    # Somerset: partner and other members
    "som_ft_pm_1": _person("Dr", "Peter", "Vowles", "", SOMERSET_FT),
    "som_ft_pm_2": _person("", "Catherine", "Yeo", "", SOMERSET_FT),
    "som_pc_pm": _person("Dr", "Harriet", "Gillard", "MRCGP", "quantock_vale_pcn"),
    "som_la_pm": _person("", "Duncan", "Sparkes", "", SOMERSET_COUNCIL),
    "som_dph": _person("Dr", "Aled", "Pryce", "FFPH", SOMERSET_COUNCIL),
    "som_vcse_1": _person("", "Judith", "Carnell", "", "somerset_vcse"),
    "som_vcse_2": _person("", "Kwame", "Mensah", "", "somerset_vcse"),
    "som_hw_1": _person("", "Gillian", "Fursdon", "", "healthwatch_somerset"),
    "som_hw_2": _person("", "Martin", "Eames", "", "healthwatch_somerset"),
    "som_hw_officer": _person("", "Amira", "Haddad", "", "healthwatch_somerset"),
    "som_nhse_performance": _person("", "Rebecca", "Lanyon", "", "nhse_south_west"),
    "som_nhse_quality": _person("", "Ian", "Trevelyan", "RN", "nhse_south_west"),
    "som_sft_nurse": _person("", "Sarah-Jane", "Pascoe", "RN", SOMERSET_FT),
    "som_sft_people": _person("", "Devinder", "Sangha", "", SOMERSET_FT),
    "som_ydh_people": _person("", "Mark", "Yandell", "", YEOVIL_FT),
    "som_sft_chair": _person("", "Colin", "Drewett", "", SOMERSET_FT),
    "som_council_people": _person("", "Patricia", "Loveridge", "", SOMERSET_COUNCIL),
    "som_icp_chair": _person("Cllr", "Beverley", "Rendell", "", SOMERSET_COUNCIL),
    "som_hwb_chair": _person("Cllr", "Rosemary", "Tuckwell", "", SOMERSET_COUNCIL),
    "som_dass": _person("", "Niall", "Brennan", "", SOMERSET_COUNCIL),
    "som_dcs": _person("", "Clare", "Pellow", "", SOMERSET_COUNCIL),
    # BSW: ICB board
    "bsw_chair": _person("", "Stephanie", "Marwood", "", ""),
    "bsw_ned_deputy": _person("", "Rhys", "Llewellyn", "FCCA", ""),
    "bsw_ned_sim": _person("Dr", "Imogen", "Caldecott", "", ""),
    "bsw_ceo": _person("", "Victoria", "Ashdown", "", BSW),
    "bsw_cfo_acting": _person("", "Gareth", "Noakes", "ACMA", BSW),
    "bsw_cfo": _person("", "Rachel", "Somerville", "CPFA", BSW),
    "bsw_md": _person("Dr", "Adeyemi", "Olumide", "FRCS", BSW),
    "bsw_don": _person("", "Bethany", "Hollis", "RN", BSW),
    "bsw_trust_pm": _person("", "Cara", "Lundy", "", GREAT_WESTERN),
    "bsw_pc_pm": _person("Dr", "Tobias", "Fenwick", "MRCGP", "brunel_pcn"),
    "bsw_la_pm": _person("", "Andrew", "Kilbride", "", WILTSHIRE_COUNCIL),
    # BSW: B&NES Integrated Care Alliance
    "bsw_convenor": _person("Dr", "Lydia", "Fairbrass", "MRCGP", "bath_spa_pcn"),
    "bsw_place_lead": _person("", "Laura", "Whitely", "", BSW),
    "bsw_locality_chair": _person("Dr", "Edmund", "Rowe", "MRCGP", BSW),
    "bsw_locality_director": _person("", "Hannah", "Pursey", "", BSW),
    "bsw_bnes_dass": _person("", "Susan", "Breckon", "", BATH_NE_SOMERSET_COUNCIL),
    "bsw_bnes_dcs": _person("", "Mohammed", "Iqbal", "", BATH_NE_SOMERSET_COUNCIL),
    "bsw_bnes_dph": _person("Dr", "Beatrice", "Holm", "FFPH", BATH_NE_SOMERSET_COUNCIL),
    "bsw_ruh": _person("", "Cameron", "Ledger", "", ROYAL_UNITED_BATH),
    "bsw_awp": _person("", "Eilidh", "Robertson", "", AWP),
    "bsw_virgin_care": _person("", "Natalie", "Oduya", "", "virgin_care"),
    "bsw_pc_member_1": _person("Dr", "Sunil", "Varma", "MRCGP", "bath_spa_pcn"),
    "bsw_pc_member_2a": _person("Dr", "Rosalind", "Keogh", "MRCGP", "somer_valley_pcn"),
    "bsw_pc_member_2b": _person("Dr", "Amelia", "Stroud", "MRCGP", "somer_valley_pcn"),
    "bsw_3sg": _person("", "Kevin", "Marchant", "", "threesg"),
    "bsw_bems": _person("", "Farida", "Choudhury", "", "bems_plus"),
    "bsw_healthwatch": _person("", "Geoffrey", "Tamblyn", "", "healthwatch_bnes"),
    # Dorset
    "dor_chair": _person("", "Julian", "Marchbank", "", ""),
    "dor_ned_deputy": _person("", "Ruth", "Abernethy", "CPFA", ""),
    "dor_ned_sim": _person("", "Hugh", "Farrant", "", ""),
    "dor_ceo": _person("", "Philippa", "Gorringe", "", DORSET),
    "dor_cfo": _person("", "Daniel", "Whitlock", "ACA", DORSET),
    "dor_md": _person("Dr", "Kavita", "Menon", "FRCP", DORSET),
    "dor_don": _person("", "Joanne", "Fripp", "RN", DORSET),
    "dor_trust_pm": _person("", "Nicholas", "Hembury", "", DORSET_HEALTHCARE),
    "dor_pc_pm": _person("Dr", "Elspeth", "Rudd", "MRCGP", "stour_vale_pcn"),
    "dor_la_pm": _person("", "Marcus", "Ellery", "", DORSET_COUNCIL),
    "dor_ed_dhc": _person("", "Sian", "Trethewey", "", DORSET_HEALTHCARE),
    "dor_ed_awp": _person("", "Oliver", "Nash", "", AWP),
    "dor_ed_dpt": _person("Dr", "Grace", "Allardyce", "MRCPsych", DEVON_PARTNERSHIP),
    "dor_ed_iow": _person("", "Bryn", "Hollins", "", ISLE_OF_WIGHT_TRUST),
    "dor_icp_chair": _person("Professor", "Alan", "Birtwistle", "CBE", ""),
    "dor_cllr_dc": _person("Cllr", "Jenny", "Hollowell", "", DORSET_COUNCIL),
    "dor_cllr_bcp": _person("Cllr", "Tariq", "Mahmood", "", BCP_COUNCIL),
    "dor_dhc_chair": _person("", "Marian", "Coles", "", DORSET_HEALTHCARE),
    "dor_healthwatch": _person("", "Louise", "Prowse", "", "healthwatch_dorset"),
    "dor_vcse": _person("", "Stephen", "Crane", "", "dorset_vcse"),
    # Hampshire and Isle of Wight
    "hiow_chair": _person("", "Margaret", "Kinloch", "", ""),
    "hiow_ceo": _person("", "Richard", "Ormesher", "", HIOW),
    "hiow_ned_deputy": _person("", "Yvonne", "Adebayo", "FCA", ""),
    "hiow_ned_sim": _person("", "Christopher", "Lamont", "", ""),
    "hiow_cfo": _person("", "Iain", "Strachan", "CPFA", HIOW),
    "hiow_md": _person("Dr", "Naomi", "Feld", "FRCP", HIOW),
    "hiow_don": _person("", "Rachel", "Ojo", "RN", HIOW),
    "hiow_trust_pm": _person("", "Philip", "Greaves", "", UNIVERSITY_HOSPITAL_SOUTHAMPTON),
    "hiow_pc_pm": _person("Dr", "Anjali", "Rao", "MRCGP", "test_valley_pcn"),
    "hiow_la_pm": _person("", "Fiona", "Castleton", "", HAMPSHIRE_COUNCIL),
    "hiow_soton_cllr": _person("Cllr", "Lorraine", "Fitzgerald", "", SOUTHAMPTON_COUNCIL),
    "hiow_soton_md": _person("", "Dominic", "Easterby", "", HIOW),
    "hiow_soton_dass": _person("", "Gwen", "Tallis", "", SOUTHAMPTON_COUNCIL),
    "hiow_soton_dcs": _person("", "Ravi", "Chandran", "", SOUTHAMPTON_COUNCIL),
    "hiow_soton_dph": _person("Dr", "Marcus", "Bright", "FFPH", SOUTHAMPTON_COUNCIL),
    "hiow_uhs": _person("", "Helen", "Purvis", "", UNIVERSITY_HOSPITAL_SOUTHAMPTON),
    "hiow_solent": _person("", "Jamal", "Bakr", "", SOLENT),
    "hiow_southern": _person("", "Ellen", "Moffat", "", SOUTHERN_HEALTH),
    "hiow_soton_gp": _person("Dr", "Owen", "Maddox", "MRCGP", "itchen_pcn"),
    "hiow_soton_healthwatch": _person("", "Patience", "Osei", "", "healthwatch_southampton"),
    "hiow_soton_vcse": _person("", "Bernard", "Quayle", "", "southampton_vcse"),
}

R = Role
CK = CommitteeKind
ER = EndReason
MS = MembershipStatus


def _ned(title: str, ref: str, holders: tuple[Term, ...], **flags) -> SeatSpec:
    return SeatSpec(
        R.NON_EXECUTIVE_MEMBER,
        title,
        independence_required=True,
        term_length_months=NED_TERM,
        holders=holders,
        ref=ref,
        **flags,
    )


def _chair(ref: str, holders: tuple[Term, ...]) -> SeatSpec:
    return SeatSpec(
        R.CHAIR,
        is_chair=True,
        independence_required=True,
        term_length_months=CHAIR_TERM,
        holders=holders,
        ref=ref,
    )


def _partner(role: str, title: str, nominated_by: tuple[str, ...], ref: str, holders) -> SeatSpec:
    return SeatSpec(
        role,
        title,
        nominated_by=nominated_by,
        term_length_months=PARTNER_TERM,
        holders=holders,
        ref=ref,
    )


def _executive(role: str, title: str, ref: str, holders: tuple[Term, ...], **extra) -> SeatSpec:
    return SeatSpec(role, title, holders=holders, ref=ref, **extra)


def _follower(role: str, title: str, follows: str, **extra) -> SeatSpec:
    return SeatSpec(role, title, follows=follows, **extra)


def _statutory_minimum_board(prefix: str, *, trusts, pcns, councils) -> tuple[SeatSpec, ...]:
    """The R20/R21 minimum: chair, CEO, CFO, MD, DoN, two NEDs (one deputy chair, one
    senior independent member) and the three partner members, in post since go-live."""

    def term(key):
        return (Term(key, GO_LIVE),)

    return (
        _chair(
            f"{prefix}_chair",
            terms_of_office(f"{prefix}_chair", GO_LIVE, months=CHAIR_TERM, count=2),
        ),
        _ned(
            "Non-executive member (deputy chair)",
            f"{prefix}_ned_deputy",
            terms_of_office(f"{prefix}_ned_deputy", GO_LIVE, months=NED_TERM, count=2),
            is_deputy_chair=True,
        ),
        _ned(
            "Non-executive member (senior independent member)",
            f"{prefix}_ned_sim",
            terms_of_office(f"{prefix}_ned_sim", GO_LIVE, months=NED_TERM, count=2),
            is_senior_independent_member=True,
        ),
        _executive(R.CHIEF_EXECUTIVE, "", f"{prefix}_ceo", term(f"{prefix}_ceo")),
        _executive(
            R.DIRECTOR_OF_FINANCE, "Chief Finance Officer", f"{prefix}_cfo", term(f"{prefix}_cfo")
        ),
        _executive(
            R.MEDICAL_DIRECTOR, "Chief Medical Officer", f"{prefix}_md", term(f"{prefix}_md")
        ),
        _executive(
            R.DIRECTOR_OF_NURSING, "Chief Nursing Officer", f"{prefix}_don", term(f"{prefix}_don")
        ),
        _partner(
            R.TRUST_PARTNER_MEMBER,
            "",
            trusts,
            f"{prefix}_trust_pm",
            terms_of_office(f"{prefix}_trust_pm", GO_LIVE, months=PARTNER_TERM, count=3),
        ),
        _partner(
            R.PRIMARY_CARE_PARTNER_MEMBER,
            "",
            pcns,
            f"{prefix}_pc_pm",
            terms_of_office(f"{prefix}_pc_pm", GO_LIVE, months=PARTNER_TERM, count=3),
        ),
        _partner(
            R.LOCAL_AUTHORITY_PARTNER_MEMBER,
            "",
            councils,
            f"{prefix}_la_pm",
            terms_of_office(f"{prefix}_la_pm", GO_LIVE, months=PARTNER_TERM, count=3),
        ),
    )


def _audit_committee(prefix: str, board: str) -> CommitteeSpec:
    """Chaired by the deputy chair, so the senior independent member is not its chair (R21)."""
    return CommitteeSpec(
        "Audit Committee",
        CK.ASSURANCE,
        GO_LIVE,
        purpose="Integrated governance, risk management and internal control; internal "
        "audit, external audit and counter fraud.",
        parent=board,
        standing_orders=ASSURANCE_COMMITTEE_STANDING_ORDERS,
        seats=(
            _follower(
                R.NON_EXECUTIVE_MEMBER,
                "Non-executive member (deputy chair)",
                f"{prefix}_ned_deputy",
                is_chair=True,
            ),
            _follower(
                R.NON_EXECUTIVE_MEMBER,
                "Non-executive member (senior independent member)",
                f"{prefix}_ned_sim",
            ),
            _follower(
                R.DIRECTOR_OF_FINANCE,
                "Chief Finance Officer (in attendance)",
                f"{prefix}_cfo",
                voting=False,
            ),
        ),
    )


def _place_board(name: str) -> CommitteeSpec:
    """The board of a place whose membership the seeds do not give: officers fill it in."""
    return CommitteeSpec(name, CK.BOARD, GO_LIVE)


def _with_holders(seats: tuple[SeatSpec, ...], ref: str, holders: tuple[Term, ...]):
    """The same seats with the holders of seat ``ref`` replaced."""
    return tuple(replace(s, holders=holders) if s.ref == ref else s for s in seats)


def _with_refs(prefix: str, seats: tuple[SeatSpec, ...]) -> tuple[SeatSpec, ...]:
    """Give every seat without one a ``ref``, so that other seats can follow it."""
    return tuple(
        seat if seat.ref else replace(seat, ref=f"{prefix}_{number}")
        for number, seat in enumerate(seats, start=1)
    )


def _mirror(seats: tuple[SeatSpec, ...]) -> tuple[SeatSpec, ...]:
    """The same seats on another committee, held by whoever holds the originals."""
    return tuple(replace(seat, holders=(), ref="", follows=seat.ref) for seat in seats)


# ---------------------------------------------------------------------------
# Somerset [000, 004c]: the proposed ICB composition of domain.md 1.3, exactly.
# ---------------------------------------------------------------------------


def _exactly(code: str, description: str, roles, count: int = 1, **extra) -> RequirementSpec:
    return RequirementSpec(code, description, tuple(roles), count, count, **extra)


# Somerset's own composition (domain.md 1.3), on top of the statutory and policy sets.
# Vacancies among the non-voting participants are warnings, not breaches.
SOMERSET_CONSTITUTION = ConstitutionSpec(
    code="somerset-icb-board",
    name="NHS Somerset ICB constitution: board composition",
    effective_from=GO_LIVE,
    citation="Delivering an ICS for Somerset: proposed ICB composition [000]",
    requirements=(
        _exactly("chair", "chair", (R.CHAIR,), voting=True),
        _exactly("non-executive-directors", "non-executive director", (R.NON_EXECUTIVE_MEMBER,), 4),
        _exactly("chief-executive", "chief executive", (R.CHIEF_EXECUTIVE,), voting=True),
        _exactly("director-of-finance", "director of finance", (R.DIRECTOR_OF_FINANCE,)),
        _exactly("medical-director", "medical director", (R.MEDICAL_DIRECTOR,)),
        _exactly("director-of-nursing", "director of nursing", (R.DIRECTOR_OF_NURSING,)),
        _exactly(
            "foundation-trust-partner-member",
            "foundation trust partner member",
            (R.TRUST_PARTNER_MEMBER,),
            voting=True,
        ),
        _exactly(
            "primary-care-partner-member",
            "primary care partner member",
            (R.PRIMARY_CARE_PARTNER_MEMBER,),
            voting=True,
        ),
        _exactly(
            "local-authority-partner-member",
            "local authority partner member",
            (R.LOCAL_AUTHORITY_PARTNER_MEMBER,),
            voting=True,
        ),
        _exactly(
            "director-of-public-health",
            "director of public health",
            (R.DIRECTOR_OF_PUBLIC_HEALTH,),
            voting=True,
        ),
        _exactly("vcse", "VCSE member", (R.VCSE_REPRESENTATIVE,), voting=False, severity="warning"),
        _exactly(
            "healthwatch",
            "Healthwatch member",
            (R.HEALTHWATCH_REPRESENTATIVE,),
            voting=False,
            severity="warning",
        ),
        RequirementSpec(
            "voting-members",
            "voting member",
            (),
            13,
            13,
            voting=True,
        ),
        RequirementSpec(
            "additional-directors-do-not-vote",
            "voting additional or joint director",
            (
                R.DIRECTOR_OF_WORKFORCE,
                R.DIRECTOR_OF_STRATEGY,
                R.DIRECTOR_OF_COMMUNICATIONS,
                R.DIRECTOR_OF_CORPORATE_AFFAIRS,
                R.ADDITIONAL_EXECUTIVE_DIRECTOR,
            ),
            max_seats=0,
            voting=True,
        ),
    ),
)


SOMERSET_BOARD = CommitteeSpec(
    SOMERSET_ICB,
    CK.BOARD,
    GO_LIVE,
    purpose="The unitary board of NHS Somerset ICB: 13 voting members (domain.md 1.3).",
    standing_orders=ICB_BOARD_STANDING_ORDERS,
    constitution=SOMERSET_CONSTITUTION,
    seats=(
        _chair("som_chair", terms_of_office("som_chair", GO_LIVE, months=CHAIR_TERM, count=2)),
        _ned(
            "Non-executive member (deputy chair)",
            "som_ned_deputy",
            terms_of_office("som_ned_deputy", GO_LIVE, months=NED_TERM, count=2),
            is_deputy_chair=True,
        ),
        # Resigned; the successor started the next day.
        _ned(
            "Non-executive member (senior independent member)",
            "som_ned_sim",
            (
                Term("som_ned_sim_1", GO_LIVE, D(2024, 3, 31), ER.RESIGNED),
                Term("som_ned_sim_2", D(2024, 4, 1)),
            ),
            is_senior_independent_member=True,
        ),
        _ned(
            "Non-executive member (audit committee chair)",
            "som_ned_audit",
            (
                Term("som_ned_audit_1", GO_LIVE, D(2025, 6, 30), ER.TERM_EXPIRED),
                Term("som_ned_audit_2", D(2025, 7, 1)),
            ),
        ),
        # Vacant for the first six months.
        _ned(
            "Non-executive member (finance committee chair)",
            "som_ned_finance",
            terms_of_office("som_ned_finance", D(2023, 1, 1), months=NED_TERM, count=2),
        ),
        _executive(R.CHIEF_EXECUTIVE, "", "som_ceo", (Term("som_ceo", GO_LIVE),)),
        _executive(
            R.DIRECTOR_OF_FINANCE,
            "Chief Finance Officer and Director of Performance",
            "som_cfo",
            (Term("som_cfo", GO_LIVE),),
        ),
        _executive(
            R.MEDICAL_DIRECTOR, "Chief Medical Officer", "som_cmo", (Term("som_cmo", GO_LIVE),)
        ),
        # An interim until the substantive appointment.
        _executive(
            R.DIRECTOR_OF_NURSING,
            "Chief Nurse",
            "som_nurse",
            (
                Term("som_nurse_interim", GO_LIVE, D(2022, 12, 31), ER.REPLACED, MS.INTERIM),
                Term("som_nurse", D(2023, 1, 1)),
            ),
        ),
        # Joint roles; "non-voting on ICB board", "attend ICB Board as observers" (R5).
        _executive(
            R.DIRECTOR_OF_COMMUNICATIONS,
            "Director of Communications (joint role)",
            "som_comms",
            (Term("som_comms", GO_LIVE),),
            voting=False,
            observer=True,
        ),
        _executive(
            R.DIRECTOR_OF_CORPORATE_AFFAIRS,
            "Director of Corporate Affairs (joint role)",
            "som_corporate",
            (Term("som_corporate", GO_LIVE),),
            voting=False,
            observer=True,
        ),
        _partner(
            R.TRUST_PARTNER_MEMBER,
            "Foundation Trust Partner Member",
            (SOMERSET_FT, YEOVIL_FT),
            "som_ft_pm",
            (
                *terms_of_office(
                    "som_ft_pm_1", GO_LIVE, months=PARTNER_TERM, count=2, open_ended=False
                ),
                Term("som_ft_pm_2", D(2026, 7, 1)),
            ),
        ),
        _partner(
            R.PRIMARY_CARE_PARTNER_MEMBER,
            "Primary Care Partner Member",
            ("quantock_vale_pcn", "levels_moors_pcn"),
            "som_pc_pm",
            terms_of_office("som_pc_pm", GO_LIVE, months=PARTNER_TERM, count=3),
        ),
        _partner(
            R.LOCAL_AUTHORITY_PARTNER_MEMBER,
            "Local Authority Partner Member",
            (SOMERSET_COUNCIL,),
            "som_la_pm",
            terms_of_office("som_la_pm", GO_LIVE, months=PARTNER_TERM, count=3),
        ),
        SeatSpec(
            R.DIRECTOR_OF_PUBLIC_HEALTH,
            nominated_by=(SOMERSET_COUNCIL,),
            holders=(Term("som_dph", GO_LIVE),),
            ref="som_dph",
        ),
        SeatSpec(
            R.VCSE_REPRESENTATIVE,
            voting=False,
            nominated_by=("somerset_vcse",),
            term_length_months=PARTNER_TERM,
            holders=(
                Term("som_vcse_1", GO_LIVE, D(2024, 6, 30), ER.TERM_EXPIRED),
                *terms_of_office("som_vcse_2", D(2024, 7, 1), months=PARTNER_TERM, count=2),
            ),
            ref="som_vcse",
        ),
        # Vacant since its second holder resigned.
        SeatSpec(
            R.HEALTHWATCH_REPRESENTATIVE,
            voting=False,
            nominated_by=("healthwatch_somerset",),
            term_length_months=PARTNER_TERM,
            holders=(
                Term("som_hw_1", GO_LIVE, D(2024, 6, 30), ER.TERM_EXPIRED),
                Term("som_hw_2", D(2024, 7, 1), D(2026, 9, 30), ER.RESIGNED),
            ),
            ref="som_healthwatch",
        ),
    ),
)


def _ned_chair(follows: str) -> SeatSpec:
    """An assurance committee's chair: a non-executive board member (R6)."""
    return _follower(R.NON_EXECUTIVE_MEMBER, "Non-executive chair", follows, is_chair=True)


SOMERSET_ASSURANCE_COMMITTEES = (
    CommitteeSpec(
        "Audit Committee",
        CK.ASSURANCE,
        GO_LIVE,
        standing_orders=ASSURANCE_COMMITTEE_STANDING_ORDERS,
        purpose="Integrated governance, risk management and internal control; internal "
        "audit, external audit and counter fraud.",
        parent=SOMERSET_ICB,
        seats=(
            _ned_chair("som_ned_audit"),
            _follower(R.NON_EXECUTIVE_MEMBER, "Senior independent member", "som_ned_sim"),
            _follower(R.NON_EXECUTIVE_MEMBER, "Non-executive member", "som_ned_finance"),
            _follower(
                R.DIRECTOR_OF_FINANCE,
                "Chief Finance Officer (in attendance)",
                "som_cfo",
                voting=False,
            ),
        ),
    ),
    CommitteeSpec(
        "Primary Care & Direct Commissioning Committee",
        CK.ASSURANCE,
        GO_LIVE,
        standing_orders=ASSURANCE_COMMITTEE_STANDING_ORDERS,
        purpose="Collective decisions on the review, planning and procurement of primary "
        "care services, under delegated authority from NHS England.",
        parent=SOMERSET_ICB,
        seats=(
            _ned_chair("som_ned_finance"),
            _follower(R.MEDICAL_DIRECTOR, "Chief Medical Officer", "som_cmo"),
            _follower(R.DIRECTOR_OF_NURSING, "Chief Nurse", "som_nurse"),
            _follower(R.PRIMARY_CARE_PARTNER_MEMBER, "", "som_pc_pm"),
            SeatSpec(
                R.NHS_ENGLAND_REPRESENTATIVE,
                "NHS England South West (in attendance)",
                voting=False,
                nominated_by=("nhse_south_west",),
                holders=(Term("som_nhse_performance", GO_LIVE),),
            ),
        ),
    ),
    CommitteeSpec(
        "Remuneration Committee",
        CK.ASSURANCE,
        GO_LIVE,
        standing_orders=ASSURANCE_COMMITTEE_STANDING_ORDERS,
        purpose="Pay, allowances and other contractual terms for the accountable officer, "
        "executives and other senior staff.",
        parent=SOMERSET_ICB,
        seats=(
            _ned_chair("som_ned_sim"),
            _follower(R.NON_EXECUTIVE_MEMBER, "Deputy chair of the Board", "som_ned_deputy"),
            _follower(R.CHAIR, "Chair of the Board", "som_chair"),
        ),
    ),
    CommitteeSpec(
        "Finance Committee",
        CK.ASSURANCE,
        GO_LIVE,
        standing_orders=ASSURANCE_COMMITTEE_STANDING_ORDERS,
        purpose="Monitors, advises on and recommends to the Board matters relating to the "
        "ICB's financial strategy and policies, use of resources, annual budgets and "
        "financial performance and risks.",
        parent=SOMERSET_ICB,
        seats=(
            _ned_chair("som_ned_finance"),
            _follower(R.NON_EXECUTIVE_MEMBER, "Non-executive member", "som_ned_deputy"),
            _follower(
                R.DIRECTOR_OF_FINANCE,
                "Chief Finance Officer and Director of Performance",
                "som_cfo",
            ),
            _follower(R.TRUST_PARTNER_MEMBER, "Foundation Trust Partner Member", "som_ft_pm"),
        ),
    ),
    CommitteeSpec(
        "Patient Safety and Quality Committee",
        CK.ASSURANCE,
        GO_LIVE,
        standing_orders=ASSURANCE_COMMITTEE_STANDING_ORDERS,
        purpose="Reviews risks to patient safety, quality of service delivery and "
        "safeguarding; seeks assurance on serious incidents and escalates where needed.",
        parent=SOMERSET_ICB,
        seats=(
            _ned_chair("som_ned_deputy"),
            _follower(R.NON_EXECUTIVE_MEMBER, "Non-executive member", "som_ned_sim"),
            _follower(R.DIRECTOR_OF_NURSING, "Chief Nurse", "som_nurse"),
            _follower(R.MEDICAL_DIRECTOR, "Chief Medical Officer", "som_cmo"),
            _follower(R.HEALTHWATCH_REPRESENTATIVE, "", "som_healthwatch", voting=False),
        ),
    ),
)

SOMERSET_EXECUTIVE_COMMITTEE = CommitteeSpec(
    "ICB Executive Committee",
    CK.DELIVERY,
    GO_LIVE,
    purpose="Delivery committee of the ICB, chaired by an executive (R6).",
    parent=SOMERSET_ICB,
    seats=(
        _follower(R.CHIEF_EXECUTIVE, "", "som_ceo", is_chair=True),
        _follower(
            R.DIRECTOR_OF_FINANCE, "Chief Finance Officer and Director of Performance", "som_cfo"
        ),
        _follower(R.MEDICAL_DIRECTOR, "Chief Medical Officer", "som_cmo"),
        _follower(R.DIRECTOR_OF_NURSING, "Chief Nurse", "som_nurse"),
        _executive(R.DIRECTOR_OF_WORKFORCE, "", "som_workforce", (Term("som_workforce", GO_LIVE),)),
        _executive(R.DIRECTOR_OF_STRATEGY, "", "som_strategy", (Term("som_strategy", GO_LIVE),)),
        _follower(R.DIRECTOR_OF_COMMUNICATIONS, "", "som_comms"),
        _follower(R.DIRECTOR_OF_CORPORATE_AFFAIRS, "", "som_corporate"),
    ),
)

# "Joint committees in common OR ICB committees with Partner Members" [000]: the ICB's
# part of the People Board committee in common is an ICB committee hosted by the Board,
# sitting with the partners' own committees.
SOMERSET_PEOPLE_BOARD = CommitteeSpec(
    "Somerset People Board",
    CK.COMMITTEE_IN_COMMON,
    GO_LIVE,
    purpose="ICS system group hosted by the ICB Board, run as a committee in common of the "
    "ICB, the Somerset trusts and the council: strategic direction and leadership for "
    "workforce transformation across health and social care [000].",
    parent=SOMERSET_ICB,
    seats=(
        _follower(R.DIRECTOR_OF_WORKFORCE, "", "som_workforce", is_chair=True),
        SeatSpec(
            R.TRUST_REPRESENTATIVE,
            "Somerset NHS Foundation Trust",
            nominated_by=(SOMERSET_FT,),
            holders=(Term("som_sft_people", GO_LIVE),),
        ),
        # Yeovil District Hospital merged into Somerset NHS FT on 1 April 2023, so its
        # own seat went.
        SeatSpec(
            R.TRUST_REPRESENTATIVE,
            "Yeovil District Hospital NHS Foundation Trust",
            nominated_by=(YEOVIL_FT,),
            abolished=D(2023, 3, 31),
            holders=(Term("som_ydh_people", GO_LIVE, D(2023, 3, 31), ER.SEAT_ABOLISHED),),
        ),
        SeatSpec(
            R.LOCAL_AUTHORITY_REPRESENTATIVE,
            "Somerset Council",
            nominated_by=(SOMERSET_COUNCIL,),
            holders=(Term("som_council_people", GO_LIVE),),
        ),
        _follower(R.VCSE_REPRESENTATIVE, "", "som_vcse"),
    ),
)

SOMERSET_ICP_ESTABLISHED = D(2022, 9, 27)

SOMERSET_SYSTEM = SystemSpec(
    SOMERSET,
    bodies=(
        BodySpec(
            SOMERSET_ICB,
            BodyKind.ICB,
            GO_LIVE,
            description="Statutory NHS body and successor to NHS Somerset CCG; go-live moved "
            "from 1 April 2022 to 1 July 2022 [000, 004].",
            committees=(
                SOMERSET_BOARD,
                *SOMERSET_ASSURANCE_COMMITTEES,
                SOMERSET_EXECUTIVE_COMMITTEE,
                SOMERSET_PEOPLE_BOARD,
            ),
        ),
        # Two of the three "ICS system groups (hosted by the ICB Board)" [000] are
        # bodies of their own, not ICB committees: they are run with NHS England and
        # what they agree is not a decision of the ICB (R10).
        BodySpec(
            "Somerset Assurance Forum",
            BodyKind.SYSTEM_GROUP,
            GO_LIVE,
            description="ICS system group hosted by the ICB Board; called the Somerset "
            "Assurance Committee in one table [000]. Single forum for finance, performance "
            "and quality under NHS England's System Oversight Framework, reviewed by "
            "exception, run jointly with the NHS England regional team under an MoU.",
            member_organisations=(SOMERSET, "nhse_south_west", SOMERSET_FT, YEOVIL_FT),
            convening_organisations=(SOMERSET, "nhse_south_west"),
            committees=(
                CommitteeSpec(
                    "Somerset Assurance Forum",
                    CK.BOARD,
                    GO_LIVE,
                    seats=(
                        _follower(
                            R.CHIEF_EXECUTIVE, "ICB Chief Executive", "som_ceo", is_chair=True
                        ),
                        _follower(R.DIRECTOR_OF_FINANCE, "ICB Chief Finance Officer", "som_cfo"),
                        _follower(R.DIRECTOR_OF_NURSING, "ICB Chief Nurse", "som_nurse"),
                        SeatSpec(
                            R.NHS_ENGLAND_REPRESENTATIVE,
                            "NHS England South West regional team",
                            nominated_by=("nhse_south_west",),
                            holders=(Term("som_nhse_performance", GO_LIVE),),
                        ),
                        _follower(
                            R.TRUST_REPRESENTATIVE,
                            "Somerset NHS Foundation Trust",
                            "som_ft_pm",
                            nominated_by=(SOMERSET_FT,),
                        ),
                    ),
                ),
            ),
        ),
        BodySpec(
            "Somerset Quality Group",
            BodyKind.SYSTEM_GROUP,
            GO_LIVE,
            description="ICS system group hosted by the ICB Board; formerly the Quality "
            "Surveillance Group (QSG) [000].",
            member_organisations=(
                SOMERSET,
                "nhse_south_west",
                SOMERSET_FT,
                SOMERSET_COUNCIL,
                "healthwatch_somerset",
            ),
            convening_organisations=(SOMERSET, "nhse_south_west"),
            committees=(
                CommitteeSpec(
                    "Somerset Quality Group",
                    CK.BOARD,
                    GO_LIVE,
                    seats=(
                        _follower(
                            R.DIRECTOR_OF_NURSING, "ICB Chief Nurse", "som_nurse", is_chair=True
                        ),
                        _follower(R.MEDICAL_DIRECTOR, "ICB Chief Medical Officer", "som_cmo"),
                        SeatSpec(
                            R.NHS_ENGLAND_REPRESENTATIVE,
                            "NHS England South West quality lead",
                            nominated_by=("nhse_south_west",),
                            holders=(Term("som_nhse_quality", GO_LIVE),),
                        ),
                        SeatSpec(
                            R.TRUST_REPRESENTATIVE,
                            "Chief Nursing Officer, Somerset NHS Foundation Trust",
                            nominated_by=(SOMERSET_FT,),
                            holders=(Term("som_sft_nurse", GO_LIVE),),
                        ),
                        _follower(
                            R.HEALTHWATCH_REPRESENTATIVE, "", "som_healthwatch", voting=False
                        ),
                    ),
                ),
            ),
        ),
        # The SFT/YDH merger and the wider forum are Somerset's provider collaboration,
        # which it defines broadly to include primary care, VCSE and social care [000].
        BodySpec(
            "Somerset Collaboration Forum",
            BodyKind.PROVIDER_COLLABORATIVE,
            GO_LIVE,
            description="Providers working together across Somerset: the NHS trusts, "
            "primary care, the voluntary sector and social care [000].",
            member_organisations=(
                SOMERSET_FT,
                YEOVIL_FT,
                "quantock_vale_pcn",
                "levels_moors_pcn",
                "somerset_vcse",
                SOMERSET_COUNCIL,
            ),
            convening_organisations=(SOMERSET_FT, YEOVIL_FT),
            committees=(
                CommitteeSpec(
                    "Somerset Collaboration Forum",
                    CK.BOARD,
                    GO_LIVE,
                    seats=(
                        _follower(
                            R.TRUST_REPRESENTATIVE,
                            "Somerset NHS Foundation Trust",
                            "som_ft_pm",
                            is_chair=True,
                            nominated_by=(SOMERSET_FT,),
                        ),
                        _follower(
                            R.PRIMARY_CARE_REPRESENTATIVE,
                            "",
                            "som_pc_pm",
                            nominated_by=("quantock_vale_pcn", "levels_moors_pcn"),
                        ),
                        _follower(R.VCSE_REPRESENTATIVE, "", "som_vcse"),
                        SeatSpec(
                            R.DIRECTOR_OF_ADULT_SOCIAL_SERVICES,
                            nominated_by=(SOMERSET_COUNCIL,),
                            holders=(Term("som_dass", GO_LIVE),),
                        ),
                    ),
                ),
            ),
        ),
        BodySpec(
            "Somerset Integrated Care Partnership",
            BodyKind.ICP,
            SOMERSET_ICP_ESTABLISHED,
            description="A committee, not a body, established by the ICB and the local "
            "authority as equal partners; develops the integrated care strategy (R7).",
            member_organisations=(
                SOMERSET,
                SOMERSET_COUNCIL,
                SOMERSET_FT,
                "somerset_vcse",
                "healthwatch_somerset",
            ),
            convening_organisations=(SOMERSET, SOMERSET_COUNCIL),
            committees=(
                CommitteeSpec(
                    "Somerset Integrated Care Partnership",
                    CK.BOARD,
                    SOMERSET_ICP_ESTABLISHED,
                    seats=(
                        SeatSpec(
                            R.CHAIR,
                            is_chair=True,
                            nominated_by=(SOMERSET, SOMERSET_COUNCIL),
                            holders=(Term("som_icp_chair", SOMERSET_ICP_ESTABLISHED),),
                        ),
                        # The ICB sits here through its chief executive: the ICB chair
                        # must hold no other role in the system (R2).
                        _follower(
                            R.CHIEF_EXECUTIVE,
                            "Chief Executive, NHS Somerset ICB",
                            "som_ceo",
                            is_deputy_chair=True,
                        ),
                        _follower(R.DIRECTOR_OF_PUBLIC_HEALTH, "", "som_dph"),
                        SeatSpec(
                            R.TRUST_REPRESENTATIVE,
                            "Chair, Somerset NHS Foundation Trust",
                            nominated_by=(SOMERSET_FT,),
                            holders=(Term("som_sft_chair", SOMERSET_ICP_ESTABLISHED),),
                        ),
                        _follower(R.VCSE_REPRESENTATIVE, "", "som_vcse"),
                        SeatSpec(
                            R.HEALTHWATCH_REPRESENTATIVE,
                            nominated_by=("healthwatch_somerset",),
                            holders=(Term("som_hw_officer", SOMERSET_ICP_ESTABLISHED),),
                        ),
                    ),
                ),
            ),
        ),
        BodySpec(
            "Somerset Health and Wellbeing Board",
            BodyKind.HEALTH_AND_WELLBEING_BOARD,
            D(2013, 4, 1),
            description="Owns the county's Improving Lives strategy [000]. Memberships are "
            "recorded from the ICB's go-live.",
            member_organisations=(SOMERSET_COUNCIL, SOMERSET, "healthwatch_somerset"),
            convening_organisations=(SOMERSET_COUNCIL,),
            committees=(
                CommitteeSpec(
                    "Somerset Health and Wellbeing Board",
                    CK.BOARD,
                    D(2013, 4, 1),
                    seats=(
                        SeatSpec(
                            R.ELECTED_MEMBER,
                            is_chair=True,
                            nominated_by=(SOMERSET_COUNCIL,),
                            holders=(Term("som_hwb_chair", GO_LIVE),),
                        ),
                        _follower(R.DIRECTOR_OF_PUBLIC_HEALTH, "", "som_dph"),
                        SeatSpec(
                            R.DIRECTOR_OF_ADULT_SOCIAL_SERVICES,
                            nominated_by=(SOMERSET_COUNCIL,),
                            holders=(Term("som_dass", GO_LIVE),),
                        ),
                        SeatSpec(
                            R.DIRECTOR_OF_CHILDRENS_SERVICES,
                            nominated_by=(SOMERSET_COUNCIL,),
                            holders=(Term("som_dcs", GO_LIVE),),
                        ),
                        _follower(
                            R.MEMBER, "NHS Somerset ICB", "som_ceo", nominated_by=(SOMERSET,)
                        ),
                        SeatSpec(
                            R.HEALTHWATCH_REPRESENTATIVE,
                            nominated_by=("healthwatch_somerset",),
                            holders=(Term("som_hw_officer", GO_LIVE),),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# Bath and North East Somerset, Swindon and Wiltshire [001]
# ---------------------------------------------------------------------------

# An acting chief finance officer until the substantive appointment.
BSW_BOARD_SEATS = _with_holders(
    _statutory_minimum_board(
        "bsw",
        trusts=(ROYAL_UNITED_BATH, GREAT_WESTERN, SALISBURY, AWP),
        pcns=("bath_spa_pcn", "brunel_pcn", "kennet_downs_pcn"),
        councils=(BATH_NE_SOMERSET_COUNCIL, SWINDON_COUNCIL, WILTSHIRE_COUNCIL),
    ),
    "bsw_cfo",
    (
        Term("bsw_cfo_acting", GO_LIVE, D(2022, 10, 31), ER.REPLACED, MS.ACTING),
        Term("bsw_cfo", D(2022, 11, 1)),
    ),
)


BNES_JOINT_COMMITTEE_SEATS = _with_refs(
    "bnes",
    (
        SeatSpec(
            R.PARTNERSHIP_CONVENOR,
            "Partnership convenor (elected chair)",
            is_chair=True,
            term_length_months=PARTNER_TERM,
            holders=terms_of_office("bsw_convenor", GO_LIVE, months=PARTNER_TERM, count=3),
        ),
        SeatSpec(
            R.PLACE_EXECUTIVE_LEAD,
            "Executive lead (joint appointment)",
            nominated_by=(BSW, BATH_NE_SOMERSET_COUNCIL),
            holders=(Term("bsw_place_lead", GO_LIVE),),
        ),
        SeatSpec(
            R.LOCALITY_CLINICAL_CHAIR,
            nominated_by=(BSW,),
            holders=(Term("bsw_locality_chair", GO_LIVE),),
        ),
        SeatSpec(
            R.MEMBER,
            "ICB locality director, B&NES",
            nominated_by=(BSW,),
            holders=(Term("bsw_locality_director", GO_LIVE),),
        ),
        SeatSpec(
            R.DIRECTOR_OF_ADULT_SOCIAL_SERVICES,
            nominated_by=(BATH_NE_SOMERSET_COUNCIL,),
            holders=(Term("bsw_bnes_dass", GO_LIVE),),
        ),
        SeatSpec(
            R.DIRECTOR_OF_CHILDRENS_SERVICES,
            nominated_by=(BATH_NE_SOMERSET_COUNCIL,),
            holders=(Term("bsw_bnes_dcs", GO_LIVE),),
        ),
        SeatSpec(
            R.DIRECTOR_OF_PUBLIC_HEALTH,
            nominated_by=(BATH_NE_SOMERSET_COUNCIL,),
            holders=(Term("bsw_bnes_dph", GO_LIVE),),
        ),
        SeatSpec(
            R.TRUST_REPRESENTATIVE,
            "Royal United Hospitals Bath NHS Foundation Trust",
            nominated_by=(ROYAL_UNITED_BATH,),
            holders=(Term("bsw_ruh", GO_LIVE),),
        ),
        SeatSpec(
            R.TRUST_REPRESENTATIVE,
            "Avon and Wiltshire Mental Health Partnership NHS Trust",
            nominated_by=(AWP,),
            holders=(Term("bsw_awp", GO_LIVE),),
        ),
        SeatSpec(
            R.OTHER_PARTNER_REPRESENTATIVE,
            "Virgin Care (community services provider)",
            voting=False,
            nominated_by=("virgin_care",),
            holders=(Term("bsw_virgin_care", GO_LIVE),),
        ),
        # Elected by the primary care "board" [001].
        SeatSpec(
            R.PRIMARY_CARE_REPRESENTATIVE,
            "Primary care elected member (1)",
            voting=False,
            nominated_by=("bath_spa_pcn", "somer_valley_pcn"),
            term_length_months=PARTNER_TERM,
            holders=terms_of_office("bsw_pc_member_1", GO_LIVE, months=PARTNER_TERM, count=3),
        ),
        SeatSpec(
            R.PRIMARY_CARE_REPRESENTATIVE,
            "Primary care elected member (2)",
            voting=False,
            nominated_by=("bath_spa_pcn", "somer_valley_pcn"),
            term_length_months=PARTNER_TERM,
            holders=(
                Term("bsw_pc_member_2a", GO_LIVE, D(2024, 6, 30), ER.TERM_EXPIRED),
                *terms_of_office("bsw_pc_member_2b", D(2024, 7, 1), months=PARTNER_TERM, count=2),
            ),
        ),
        SeatSpec(
            R.VCSE_REPRESENTATIVE,
            "3SG",
            voting=False,
            nominated_by=("threesg",),
            holders=(Term("bsw_3sg", GO_LIVE),),
        ),
        SeatSpec(
            R.VCSE_REPRESENTATIVE,
            "BEMS+",
            voting=False,
            nominated_by=("bems_plus",),
            holders=(Term("bsw_bems", GO_LIVE),),
        ),
        SeatSpec(
            R.HEALTHWATCH_REPRESENTATIVE,
            voting=False,
            nominated_by=("healthwatch_bnes",),
            holders=(Term("bsw_healthwatch", GO_LIVE),),
        ),
    ),
)

BNES_ALLIANCE = BodySpec(
    "B&NES Integrated Care Alliance",
    BodyKind.PLACE_PARTNERSHIP,
    GO_LIVE,
    description="Formed in 2018 as a subgroup of the B&NES Health and Wellbeing Board. "
    "Chose option 4, a joint committee; option 5 (lead provider) was not possible before "
    "April 2022 [001].",
    governance_option=PlaceGovernanceOption.JOINT_COMMITTEE,
    member_organisations=(
        BSW,
        BATH_NE_SOMERSET_COUNCIL,
        ROYAL_UNITED_BATH,
        AWP,
        "virgin_care",
        "bath_spa_pcn",
        "somer_valley_pcn",
        "threesg",
        "bems_plus",
        "healthwatch_bnes",
    ),
    convening_organisations=(BSW, BATH_NE_SOMERSET_COUNCIL),
    committees=(
        CommitteeSpec(
            "Alliance Strategic Group",
            CK.BOARD,
            GO_LIVE,
            purpose="Monthly executive forum of the alliance partners [001], with the "
            "members of the joint committee.",
            seats=_mirror(BNES_JOINT_COMMITTEE_SEATS),
        ),
        CommitteeSpec(
            "B&NES Integrated Care Alliance Joint Committee",
            CK.JOINT_COMMITTEE,
            GO_LIVE,
            purpose="Joint committee of the ICB and Bath and North East Somerset Council "
            "exercising functions each delegates under its own scheme of delegation. "
            "Non-statutory partners take part without a vote, as the convenors agreed (R9).",
            seats=BNES_JOINT_COMMITTEE_SEATS,
        ),
        CommitteeSpec(
            "Alliance Operational Delivery Group",
            CK.SUB_COMMITTEE,
            GO_LIVE,
            purpose="Fortnightly tactical group [001].",
            parent="Alliance Strategic Group",
        ),
    ),
)

BSW_SYSTEM = SystemSpec(
    BSW,
    bodies=(
        BodySpec(
            BSW_ICB,
            BodyKind.ICB,
            GO_LIVE,
            description="Statutory minimum board (R20, R21) [001].",
            committees=(
                CommitteeSpec(
                    BSW_ICB,
                    CK.BOARD,
                    GO_LIVE,
                    purpose="The unitary board of the ICB.",
                    seats=BSW_BOARD_SEATS,
                    standing_orders=ICB_BOARD_STANDING_ORDERS,
                ),
                _audit_committee("bsw", BSW_ICB),
            ),
        ),
        BNES_ALLIANCE,
        BodySpec(
            "Swindon Integrated Care Alliance",
            BodyKind.PLACE_PARTNERSHIP,
            GO_LIVE,
            description="One of the three integrated care alliances of BSW [001].",
            member_organisations=(BSW, SWINDON_COUNCIL, GREAT_WESTERN, AWP, "brunel_pcn"),
            convening_organisations=(BSW, SWINDON_COUNCIL),
            committees=(_place_board("Swindon Integrated Care Alliance Board"),),
        ),
        BodySpec(
            "Wiltshire Integrated Care Alliance",
            BodyKind.PLACE_PARTNERSHIP,
            GO_LIVE,
            description="One of the three integrated care alliances of BSW [001].",
            member_organisations=(BSW, WILTSHIRE_COUNCIL, SALISBURY, AWP, "kennet_downs_pcn"),
            convening_organisations=(BSW, WILTSHIRE_COUNCIL),
            committees=(_place_board("Wiltshire Integrated Care Alliance Board"),),
        ),
    ),
)

# ---------------------------------------------------------------------------
# Dorset [002]
# ---------------------------------------------------------------------------

# The senior independent member's term ended and the seat is vacant while the ICB
# recruits, so the board is short of its second non-executive (R21).
DORSET_BOARD_SEATS = _with_holders(
    _statutory_minimum_board(
        "dor",
        trusts=(DORSET_COUNTY_HOSPITAL, UNIVERSITY_HOSPITALS_DORSET, DORSET_HEALTHCARE),
        pcns=("stour_vale_pcn", "poole_harbour_pcn"),
        councils=(DORSET_COUNCIL, BCP_COUNCIL),
    ),
    "dor_ned_sim",
    (Term("dor_ned_sim", GO_LIVE, D(2025, 6, 30), ER.TERM_EXPIRED),),
)

DORSET_ICP_ESTABLISHED = D(2022, 9, 1)
EATING_DISORDERS_ESTABLISHED = D(2022, 4, 1)

DORSET_SYSTEM = SystemSpec(
    DORSET,
    bodies=(
        BodySpec(
            DORSET_ICB,
            BodyKind.ICB,
            GO_LIVE,
            description="Statutory minimum board (R20, R21). Dorset has worked as a "
            "voluntary ICS of eight partner organisations since 2018 [002].",
            committees=(
                CommitteeSpec(
                    DORSET_ICB,
                    CK.BOARD,
                    GO_LIVE,
                    purpose="The unitary board of the ICB.",
                    seats=DORSET_BOARD_SEATS,
                    standing_orders=ICB_BOARD_STANDING_ORDERS,
                ),
                _audit_committee("dor", DORSET_ICB),
            ),
        ),
        BodySpec(
            "Dorset Council",
            BodyKind.PLACE_PARTNERSHIP,
            GO_LIVE,
            description="Place-based partnership for the Dorset Council area [002].",
            member_organisations=(
                DORSET,
                DORSET_COUNCIL,
                DORSET_COUNTY_HOSPITAL,
                DORSET_HEALTHCARE,
            ),
            convening_organisations=(DORSET, DORSET_COUNCIL),
            committees=(_place_board("Dorset Council Place Board"),),
        ),
        BodySpec(
            "Bournemouth, Christchurch and Poole",
            BodyKind.PLACE_PARTNERSHIP,
            GO_LIVE,
            description="Place-based partnership for the BCP Council area [002].",
            member_organisations=(
                DORSET,
                BCP_COUNCIL,
                UNIVERSITY_HOSPITALS_DORSET,
                DORSET_HEALTHCARE,
            ),
            convening_organisations=(DORSET, BCP_COUNCIL),
            committees=(_place_board("Bournemouth, Christchurch and Poole Place Board"),),
        ),
        BodySpec(
            "Adult Eating Disorders Provider Collaborative",
            BodyKind.PROVIDER_COLLABORATIVE,
            EATING_DISORDERS_ESTABLISHED,
            description="Dorset HealthCare University NHS FT works with partners across the "
            "South West and the Isle of Wight as lead provider for eating disorders [002].",
            lead_provider=DORSET_HEALTHCARE,
            member_organisations=(DORSET_HEALTHCARE, AWP, DEVON_PARTNERSHIP, ISLE_OF_WIGHT_TRUST),
            convening_organisations=(DORSET_HEALTHCARE,),
            committees=(
                CommitteeSpec(
                    "Adult Eating Disorders Provider Collaborative Board",
                    CK.BOARD,
                    EATING_DISORDERS_ESTABLISHED,
                    seats=(
                        SeatSpec(
                            R.TRUST_REPRESENTATIVE,
                            "Dorset HealthCare University NHS Foundation Trust (lead provider)",
                            is_chair=True,
                            nominated_by=(DORSET_HEALTHCARE,),
                            holders=(Term("dor_ed_dhc", EATING_DISORDERS_ESTABLISHED),),
                        ),
                        SeatSpec(
                            R.TRUST_REPRESENTATIVE,
                            "Avon and Wiltshire Mental Health Partnership NHS Trust",
                            nominated_by=(AWP,),
                            holders=(Term("dor_ed_awp", EATING_DISORDERS_ESTABLISHED),),
                        ),
                        SeatSpec(
                            R.TRUST_REPRESENTATIVE,
                            "Devon Partnership NHS Trust",
                            nominated_by=(DEVON_PARTNERSHIP,),
                            holders=(Term("dor_ed_dpt", EATING_DISORDERS_ESTABLISHED),),
                        ),
                        SeatSpec(
                            R.TRUST_REPRESENTATIVE,
                            "Isle of Wight NHS Trust",
                            nominated_by=(ISLE_OF_WIGHT_TRUST,),
                            holders=(Term("dor_ed_iow", EATING_DISORDERS_ESTABLISHED),),
                        ),
                    ),
                ),
            ),
        ),
        BodySpec(
            "Dorset Integrated Care Partnership",
            BodyKind.ICP,
            DORSET_ICP_ESTABLISHED,
            description="Builds on the System Partnership Board of chairs and chief "
            "executives from across the system, with an independent chair [002].",
            member_organisations=(
                DORSET,
                DORSET_COUNCIL,
                BCP_COUNCIL,
                DORSET_HEALTHCARE,
                "healthwatch_dorset",
                "dorset_vcse",
            ),
            convening_organisations=(DORSET, DORSET_COUNCIL, BCP_COUNCIL),
            committees=(
                CommitteeSpec(
                    "System Partnership Board",
                    CK.BOARD,
                    DORSET_ICP_ESTABLISHED,
                    seats=(
                        SeatSpec(
                            R.CHAIR,
                            "Independent chair",
                            is_chair=True,
                            independence_required=True,
                            nominated_by=(DORSET, DORSET_COUNCIL, BCP_COUNCIL),
                            holders=(Term("dor_icp_chair", DORSET_ICP_ESTABLISHED),),
                        ),
                        _follower(R.CHIEF_EXECUTIVE, "Chief Executive, NHS Dorset ICB", "dor_ceo"),
                        SeatSpec(
                            R.ELECTED_MEMBER,
                            "Dorset Council",
                            nominated_by=(DORSET_COUNCIL,),
                            holders=(Term("dor_cllr_dc", DORSET_ICP_ESTABLISHED),),
                        ),
                        SeatSpec(
                            R.ELECTED_MEMBER,
                            "BCP Council",
                            nominated_by=(BCP_COUNCIL,),
                            holders=(Term("dor_cllr_bcp", DORSET_ICP_ESTABLISHED),),
                        ),
                        SeatSpec(
                            R.TRUST_REPRESENTATIVE,
                            "Chair, Dorset HealthCare University NHS Foundation Trust",
                            nominated_by=(DORSET_HEALTHCARE,),
                            holders=(Term("dor_dhc_chair", DORSET_ICP_ESTABLISHED),),
                        ),
                        SeatSpec(
                            R.HEALTHWATCH_REPRESENTATIVE,
                            voting=False,
                            nominated_by=("healthwatch_dorset",),
                            holders=(Term("dor_healthwatch", DORSET_ICP_ESTABLISHED),),
                        ),
                        SeatSpec(
                            R.VCSE_REPRESENTATIVE,
                            voting=False,
                            nominated_by=("dorset_vcse",),
                            holders=(Term("dor_vcse", DORSET_ICP_ESTABLISHED),),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# Hampshire and Isle of Wight [003]
# ---------------------------------------------------------------------------

# Chair and chief executive were designates before go-live [003 §3]; the designate
# appointment gave way to the substantive one on 1 July 2022.
HIOW_BOARD_SEATS = _with_holders(
    _with_holders(
        _statutory_minimum_board(
            "hiow",
            trusts=(
                UNIVERSITY_HOSPITAL_SOUTHAMPTON,
                HAMPSHIRE_HOSPITALS,
                PORTSMOUTH_HOSPITALS,
                ISLE_OF_WIGHT_TRUST,
                SOLENT,
                SOUTHERN_HEALTH,
                SOUTH_CENTRAL_AMBULANCE,
            ),
            pcns=("test_valley_pcn", "itchen_pcn"),
            councils=(
                HAMPSHIRE_COUNCIL,
                SOUTHAMPTON_COUNCIL,
                PORTSMOUTH_COUNCIL,
                ISLE_OF_WIGHT_COUNCIL,
            ),
        ),
        "hiow_chair",
        (
            Term("hiow_chair", D(2021, 11, 1), DAY_BEFORE_GO_LIVE, ER.REPLACED, MS.DESIGNATE),
            *terms_of_office("hiow_chair", GO_LIVE, months=CHAIR_TERM, count=2),
        ),
    ),
    "hiow_ceo",
    (
        Term("hiow_ceo", D(2021, 12, 1), DAY_BEFORE_GO_LIVE, ER.REPLACED, MS.DESIGNATE),
        Term("hiow_ceo", GO_LIVE),
    ),
)


def _hiow_place(name: str, council: str, description: str, **extra) -> BodySpec:
    extra.setdefault("committees", (_place_board(f"{name} Place Board"),))
    return BodySpec(
        name,
        BodyKind.PLACE_PARTNERSHIP,
        GO_LIVE,
        description=description,
        convening_organisations=(HIOW, council),
        **extra,
    )


SOUTHAMPTON_PLACE = _hiow_place(
    "Southampton",
    SOUTHAMPTON_COUNCIL,
    "The Health and Wellbeing Board keeps the overall steer; the Joint Commissioning Board "
    "became the Southampton Partnership Board, with pooled budgets and joint decisions "
    "[003 §§26-29]. Follows the white paper's place board model; the seeds do not say "
    "which Thriving Places option it is.",
    place_board_model=True,
    member_organisations=(
        HIOW,
        SOUTHAMPTON_COUNCIL,
        UNIVERSITY_HOSPITAL_SOUTHAMPTON,
        SOLENT,
        SOUTHERN_HEALTH,
        "itchen_pcn",
        "healthwatch_southampton",
        "southampton_vcse",
    ),
    committees=(
        CommitteeSpec(
            "Southampton Partnership Board",
            CK.BOARD,
            GO_LIVE,
            purpose="Formerly the Joint Commissioning Board. Oversees the city's health and "
            "care strategy, takes joint decisions and is accountable to the ICB Board and "
            "chief executive for delegated resources [003 §§27-28].",
            seats=(
                SeatSpec(
                    R.ELECTED_MEMBER,
                    "Cabinet member for health and adult social care",
                    is_chair=True,
                    nominated_by=(SOUTHAMPTON_COUNCIL,),
                    holders=(Term("hiow_soton_cllr", GO_LIVE),),
                ),
                # The place leader [003 §25], agreed by the council and the ICB as the
                # single accountable person for the place (R11).
                SeatSpec(
                    R.SINGLE_ACCOUNTABLE_PERSON,
                    "Managing director, Southampton place",
                    is_deputy_chair=True,
                    nominated_by=(HIOW, SOUTHAMPTON_COUNCIL),
                    holders=(Term("hiow_soton_md", GO_LIVE),),
                    ref="hiow_soton_md",
                ),
                SeatSpec(
                    R.DIRECTOR_OF_ADULT_SOCIAL_SERVICES,
                    nominated_by=(SOUTHAMPTON_COUNCIL,),
                    holders=(Term("hiow_soton_dass", GO_LIVE),),
                    ref="hiow_soton_dass",
                ),
                SeatSpec(
                    R.DIRECTOR_OF_CHILDRENS_SERVICES,
                    nominated_by=(SOUTHAMPTON_COUNCIL,),
                    holders=(Term("hiow_soton_dcs", GO_LIVE),),
                ),
                SeatSpec(
                    R.DIRECTOR_OF_PUBLIC_HEALTH,
                    nominated_by=(SOUTHAMPTON_COUNCIL,),
                    holders=(Term("hiow_soton_dph", GO_LIVE),),
                ),
                SeatSpec(
                    R.TRUST_REPRESENTATIVE,
                    "University Hospital Southampton NHS Foundation Trust",
                    nominated_by=(UNIVERSITY_HOSPITAL_SOUTHAMPTON,),
                    holders=(Term("hiow_uhs", GO_LIVE),),
                ),
                SeatSpec(
                    R.TRUST_REPRESENTATIVE,
                    "Solent NHS Trust",
                    nominated_by=(SOLENT,),
                    holders=(Term("hiow_solent", GO_LIVE),),
                ),
                SeatSpec(
                    R.TRUST_REPRESENTATIVE,
                    "Southern Health NHS Foundation Trust",
                    nominated_by=(SOUTHERN_HEALTH,),
                    holders=(Term("hiow_southern", GO_LIVE),),
                ),
                SeatSpec(
                    R.PRIMARY_CARE_REPRESENTATIVE,
                    voting=False,
                    nominated_by=("itchen_pcn",),
                    holders=(Term("hiow_soton_gp", GO_LIVE),),
                ),
                SeatSpec(
                    R.HEALTHWATCH_REPRESENTATIVE,
                    voting=False,
                    nominated_by=("healthwatch_southampton",),
                    holders=(Term("hiow_soton_healthwatch", GO_LIVE),),
                ),
                SeatSpec(
                    R.VCSE_REPRESENTATIVE,
                    voting=False,
                    nominated_by=("southampton_vcse",),
                    holders=(Term("hiow_soton_vcse", GO_LIVE),),
                ),
            ),
        ),
        CommitteeSpec(
            "Southampton City Transformation Delivery Group",
            CK.DELIVERY,
            GO_LIVE,
            purpose="Replaces the Better Care Group; delivers the Health and Care Strategy "
            "2020-2025 set by the Partnership Board [003 §29].",
            parent="Southampton Partnership Board",
            seats=(
                _follower(
                    R.PLACE_BASED_LEADER,
                    "Managing director, Southampton place",
                    "hiow_soton_md",
                    is_chair=True,
                ),
                _follower(R.DIRECTOR_OF_ADULT_SOCIAL_SERVICES, "", "hiow_soton_dass"),
            ),
        ),
    ),
)

HIOW_SYSTEM = SystemSpec(
    HIOW,
    bodies=(
        BodySpec(
            HIOW_ICB,
            BodyKind.ICB,
            GO_LIVE,
            description="Covers the areas of the Isle of Wight, Portsmouth City and "
            "Southampton City councils and most of Hampshire; North East Hampshire is in "
            "Frimley ICS [003 §2].",
            committees=(
                CommitteeSpec(
                    HIOW_ICB,
                    CK.BOARD,
                    GO_LIVE,
                    purpose="The unitary board of the ICB.",
                    seats=HIOW_BOARD_SEATS,
                    standing_orders=ICB_BOARD_STANDING_ORDERS,
                ),
                _audit_committee("hiow", HIOW_ICB),
            ),
        ),
        _hiow_place(
            "Isle of Wight",
            ISLE_OF_WIGHT_COUNCIL,
            "Place-based partnership for the Isle of Wight [003 §20].",
        ),
        _hiow_place(
            "North and Mid Hampshire",
            HAMPSHIRE_COUNCIL,
            "Place-based partnership; North East Hampshire is in Frimley ICS [003 §§2, 20].",
        ),
        SOUTHAMPTON_PLACE,
        _hiow_place(
            "South West Hampshire",
            HAMPSHIRE_COUNCIL,
            "Place-based partnership [003 §20].",
        ),
        _hiow_place(
            "South East Hampshire",
            HAMPSHIRE_COUNCIL,
            "Place-based partnership [003 §20].",
        ),
    ),
)

SYSTEMS: tuple[SystemSpec, ...] = (SOMERSET_SYSTEM, BSW_SYSTEM, DORSET_SYSTEM, HIOW_SYSTEM)


# -- Transition milestones (R31, domain.md section 5) ---------------------------------------
#
# Somerset ran its transition on the "ICB establishment" checklist, applied with its
# go-live of 1 July 2022: every due date is the go-live date plus the checklist's offset.
# Most of it was done on time; the VCSE agreement, the collaborative coverage and the
# place governance model slipped and are still open, so they are overdue on any later
# day. The annual obligations after go-live keep coming.

ESTABLISHMENT_CHECKLIST = "ICB establishment"
SOMERSET_CCG_PAPERS = "https://www.nhssomerset.nhs.uk/about-us/governing-body/"


def _done(title: str, owner: str, completed_on: datetime.date, evidence: str) -> MilestoneSpec:
    return MilestoneSpec(
        title, owner, MilestoneStatus.DONE, completed_on=completed_on, evidence_note=evidence
    )


SOMERSET_TRANSITION = TransitionSpec(
    system=SOMERSET,
    governance_lead="som_corporate",
    checklist=ESTABLISHMENT_CHECKLIST,
    milestones=(
        _done(
            "Update plans; confirm boundaries, partners and place arrangements",
            "som_strategy",
            D(2021, 9, 24),
            "ICS development plan, version 3, noted by the CCG governing body.",
        ),
        _done(
            "Designate the ICB chair and chief executive; confirm the governance",
            "som_workforce",
            D(2021, 12, 10),
            "Chair and chief executive designate confirmed by NHS England South West.",
        ),
        _done(
            "First readiness to operate statement (ROS) assessment",
            "som_ceo",
            D(2022, 1, 28),
            "First ROS submitted to the regional team.",
        ),
        _done(
            "Draft ICB constitution",
            "som_corporate",
            D(2022, 2, 17),
            "Draft constitution to the CCG governing body, 17 February 2022 [004a].",
        ),
        _done(
            "Designate the other executives, non-executive members and place leaders",
            "som_workforce",
            D(2022, 3, 25),
            "Appointment letters on the designate file.",
        ),
        MilestoneSpec(
            "Final ICB constitution submitted to NHS England",
            "som_corporate",
            MilestoneStatus.DONE,
            completed_on=D(2022, 3, 31),
            evidence_url=SOMERSET_CCG_PAPERS,
            evidence_note="Governing body, 31 March 2022 [004a].",
        ),
        _done(
            "Functions and decisions map and scheme of reservation and delegation agreed",
            "som_corporate",
            D(2022, 5, 26),
            "Adopted with the constitution; first board meeting on 1 July 2022.",
        ),
        _done(
            "Readiness to operate statement co-signed by the chief executive designate and "
            "the regional director",
            "som_ceo",
            D(2022, 6, 14),
            "Co-signed ROS on the transition file.",
        ),
        _done(
            "Due diligence on asset and liability transfers complete",
            "som_cfo",
            D(2022, 6, 28),
            "Due diligence report and close-down checklist signed off by the audit committee.",
        ),
        _done(
            "Staff and property transfer schedules agreed",
            "som_workforce",
            D(2022, 6, 24),
            "Transfer schedules under the establishment order.",
        ),
        _done(
            "Remaining board and committee roles appointed",
            "som_workforce",
            D(2022, 6, 30),
            "Board composition complete (R20, R21).",
        ),
        _done(
            "Memorandum of understanding with NHS England signed",
            "som_ceo",
            D(2022, 6, 29),
            "MoU signed by the chief executive designate.",
        ),
        MilestoneSpec(
            "Formal agreement with the VCSE sector in place",
            "som_strategy",
            MilestoneStatus.AT_RISK,
        ),
        MilestoneSpec(
            "Acute and mental health trusts in a provider collaborative",
            "som_strategy",
            MilestoneStatus.IN_PROGRESS,
        ),
        _done(
            "Engagement strategy published",
            "som_comms",
            D(2022, 6, 30),
            "Working with people and communities strategy on the ICB website.",
        ),
        _done(
            "ICB established: staff and property transferred, board in place",
            "som_ceo",
            GO_LIVE,
            "NHS Somerset ICB established on 1 July 2022 [000, 004].",
        ),
        _done(
            "Integrated care partnership established jointly with the local authorities",
            "som_corporate",
            SOMERSET_ICP_ESTABLISHED,
            "Somerset ICP first met on 27 September 2022, convened by the ICB and the council.",
        ),
        MilestoneSpec(
            "Place governance model and single accountable person agreed for each place",
            "som_strategy",
            MilestoneStatus.IN_PROGRESS,
        ),
        # Obligations after go-live, on its anniversaries.
        MilestoneSpec(
            "Board effectiveness review 2026/27",
            "som_chair",
            category=Category.OTHER,
            due_date=add_months(GO_LIVE, 57) - datetime.timedelta(days=1),
        ),
        MilestoneSpec(
            "Annual refresh of the register of interests (fifth year)",
            "som_corporate",
            category=Category.OTHER,
            due_date=add_months(GO_LIVE, 60) - datetime.timedelta(days=1),
        ),
        MilestoneSpec(
            "Reappoint or replace the non-executive members whose second terms end",
            "som_chair",
            category=Category.APPOINTMENT,
            due_date=add_months(GO_LIVE, 2 * NED_TERM) - datetime.timedelta(days=1),
        ),
    ),
)

TRANSITIONS: tuple[TransitionSpec, ...] = (SOMERSET_TRANSITION,)
