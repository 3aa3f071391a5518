"""The shipped demo data (``demo/data/``) as the loader reads it, and the names in it that
the tests refer to."""

from demo.reading import read_demo_data

DEMO = read_demo_data()
PEOPLE = DEMO.people
DEMO_ORGANISATIONS = DEMO.demo_organisations

# Systems, by the ICB's ODS code.
SOMERSET, BSW, DORSET, HIOW = "QSL", "QOX", "QVV", "QRL"

# An ICB body and its unitary board share the name.
SOMERSET_ICB = "NHS Somerset Integrated Care Board"
BSW_ICB = "NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board"
DORSET_ICB = "NHS Dorset Integrated Care Board"
HIOW_ICB = "NHS Hampshire and Isle of Wight Integrated Care Board"
SOMERSET_CONSTITUTION = next(
    committee.constitution
    for body in DEMO.system(SOMERSET).bodies
    for committee in body.committees
    if committee.name == SOMERSET_ICB
)

# Organisations of the reference data, by ODS code.
SOMERSET_FT = "RH5"
YEOVIL_FT = "RA4"
SOMERSET_COUNCIL = "905"
BATH_NE_SOMERSET_COUNCIL = "908"
NHS_ENGLAND = "X24"

BNES_ALLIANCE = "B&NES Integrated Care Alliance"
BNES_JOINT_COMMITTEE = "B&NES Integrated Care Alliance Joint Committee"
PRIMARY_CARE_COMMITTEE = "Primary Care & Direct Commissioning Committee"
