"""The floor: a bare WSGI application serving the first page of the API's lists, the same
rows and fields, from hand-written SQL, JSON-encoded with the standard library.

Run under the same gunicorn as the API (``benchmarks/api.py`` starts both): what the API
costs beyond this is the framework's, the ORM's and our code's share, the figure issue 13
asks for. It reads ``DATABASE_URL`` and the choice labels the harness writes to
``FLOOR_LABELS`` (a JSON file: {field: {value: label}}), so the lists import nothing of
the project but one pure function, the risk matrix's rating (as the reports import the
rules). ``/<resource>/?page_size=N`` answers ``{"next": ..., "previous": null,
"results": [...]}``, ``/<resource>/<id>/`` the one record as the API's detail does. The
reports (a system's composition, a committee's compliance, a system's Popolo export) are
``benchmarks/floor_reports.py``'s, which reads the facts with its own SQL and imports only
the pure rule functions that judge them. Anything else is 404.
"""

import datetime
import json
import os
from urllib.parse import parse_qs

import psycopg

from benchmarks import floor_reports

# Django is set up by floor_reports.
from decisions.models import risk_rating

with open(os.environ["FLOOR_LABELS"], encoding="utf-8") as labels:
    LABELS = json.load(labels)

TERM_END = "(({start} + make_interval(months => {months}))::date - 1)"

QUERIES = {
    "memberships": (
        f"""
        SELECT m.id, m.seat_id AS seat, m.committee_id AS committee, s.code AS ics,
               m.person_id AS person, m.person_name, m.start, m."end", m.end_reason,
               m.status, m.on_behalf_of_id AS on_behalf_of,
               {TERM_END.format(start="m.start", months="seat.term_length_months")}
                   AS term_end
        FROM memberships_membership m
        JOIN bodies_integratedcaresystem s ON s.id = m.ics_id
        JOIN committees_seat seat ON seat.id = m.seat_id
        ORDER BY m.start DESC, m.id
        LIMIT %(limit)s
        """,
        ("end_reason", "status"),
    ),
    "seats": (
        f"""
        SELECT seat.id, seat.committee_id AS committee, seat.body_id AS body, s.code AS ics,
               seat.role, seat.title, seat.voting, seat.participation,
               ARRAY(
                   SELECT n.organisation_id FROM committees_seat_nominating_organisations n
                   WHERE n.seat_id = seat.id
                     AND (n.start IS NULL OR n.start <= %(today)s)
                     AND (n."end" IS NULL OR n."end" >= %(today)s)
                   ORDER BY n.id
               ) AS nominating_organisations,
               seat.independence_required, seat.term_length_months, seat.max_terms,
               seat.carry_over_allowed, seat.is_chair, seat.is_deputy_chair,
               seat.is_senior_independent_member, seat.established, seat.abolished,
               h.id AS h_membership, h.person_id AS h_person, h.person_name AS h_name,
               h.start AS h_start, h."end" AS h_end,
               {TERM_END.format(start="h.start", months="seat.term_length_months")}
                   AS h_term_end,
               h.status AS h_status, h.on_behalf_of_id AS h_on_behalf_of
        FROM committees_seat seat
        JOIN bodies_integratedcaresystem s ON s.id = seat.ics_id
        LEFT JOIN memberships_membership h ON h.seat_id = seat.id
             AND h.start <= %(today)s AND (h."end" IS NULL OR h."end" >= %(today)s)
        ORDER BY seat.id
        LIMIT %(limit)s
        """,
        ("role", "participation"),
    ),
    "bodies": (
        """
        SELECT b.id, s.code AS ics, b.name, b.kind, b.governance_option, b.place_board_model,
               b.lead_provider_id AS lead_provider,
               ARRAY(
                   SELECT l.organisation_id FROM bodies_body_member_organisations l
                   WHERE l.body_id = b.id
                     AND (l.start IS NULL OR l.start <= %(today)s)
                     AND (l."end" IS NULL OR l."end" >= %(today)s)
                   ORDER BY l.id
               ) AS member_organisations,
               ARRAY(
                   SELECT l.organisation_id FROM bodies_body_convening_organisations l
                   WHERE l.body_id = b.id
                     AND (l.start IS NULL OR l.start <= %(today)s)
                     AND (l."end" IS NULL OR l."end" >= %(today)s)
                   ORDER BY l.id
               ) AS convening_organisations,
               b.established, b.abolished, b.description,
               (SELECT c.id FROM committees_committee c
                WHERE c.body_id = b.id AND c.kind = 'board' AND c.abolished IS NULL
                ORDER BY c.id LIMIT 1) AS board,
               ARRAY(SELECT p.predecessor_id FROM bodies_bodysuccession p
                     WHERE p.successor_id = b.id ORDER BY p.predecessor_id) AS predecessors,
               ARRAY(SELECT p.successor_id FROM bodies_bodysuccession p
                     WHERE p.predecessor_id = b.id ORDER BY p.successor_id) AS successors
        FROM bodies_body b
        JOIN bodies_integratedcaresystem s ON s.id = b.ics_id
        ORDER BY s.name, b.kind, b.name
        LIMIT %(limit)s
        """,
        ("kind", "governance_option"),
    ),
    "committees": (
        """
        SELECT c.id, c.body_id AS body, s.code AS ics, c.name, c.kind, c.parent_id AS parent,
               c.in_common_with_id AS in_common_with,
               ARRAY(SELECT j.body_id FROM committees_committee_joint_bodies j
                     WHERE j.committee_id = c.id ORDER BY j.id) AS joint_bodies,
               c.terms_of_reference_url, c.purpose, c.established, c.abolished
        FROM committees_committee c
        JOIN bodies_integratedcaresystem s ON s.id = c.ics_id
        JOIN bodies_body b ON b.id = c.body_id
        ORDER BY b.name, c.kind, c.name
        LIMIT %(limit)s
        """,
        ("kind",),
    ),
}

IMPACTS = ("equality", "quality", "privacy", "sustainability")

# Decisions as an anonymous reader sees them (Part A only), each with its stored outcome
# (``decisions_storedoutcome``), its conflicts and the organisations its paper concerns.
QUERIES["decisions"] = (
    f"""
    SELECT d.id, d.meeting_id AS meeting, d.item_number, d.title, d.part, d.paper_reference,
           d.recommendation, d.decision_type, d.by_consensus, d.delegation_id AS delegation,
           d.function_exercised, d.amount,
           ARRAY(
               SELECT co.organisation_id FROM decisions_decision_concerned_organisations co
               JOIN bodies_organisation o ON o.id = co.organisation_id
               WHERE co.decision_id = d.id ORDER BY o.name, o.id
           ) AS concerned_organisations,
           d.paper_version, d.executive_lead, d.clinical_lead, d.author,
           {", ".join(f"d.{name}_impact, d.{name}_impact_note" for name in IMPACTS)},
           d.risk_description, d.risk_consequence, d.risk_likelihood, d.baf_reference,
           d.risk_consequence * d.risk_likelihood AS risk_score,
           (SELECT json_agg(json_build_object(
                       'id', c.id, 'person', c.person_id, 'prefix', p.honorific_prefix,
                       'given', p.given_name, 'family', p.family_name,
                       'post', p.post_nominals, 'description', c.description,
                       'suggested', c.suggested, 'confirmed_by_chair', c.confirmed_by_chair,
                       'dismissed_by_chair', c.dismissed_by_chair)
                   ORDER BY p.family_name, c.id)
            FROM decisions_conflictdeclaration c
            JOIN memberships_person p ON p.id = c.person_id
            WHERE c.decision_id = d.id) AS conflicts,
           s.outcome
    FROM decisions_decision d
    LEFT JOIN decisions_storedoutcome s ON s.decision_id = d.id
    WHERE d.part = 'public'
    ORDER BY d.id
    LIMIT %(limit)s
    """,
    (
        "part",
        "decision_type",
        "function_exercised",
        *(f"{name}_impact" for name in IMPACTS),
    ),
)


def _conflict(c: dict) -> dict:
    name = " ".join(part for part in (c["prefix"], c["given"], c["family"]) if part)
    if c["post"]:
        name = f"{name} {c['post']}"
    counts = not c["dismissed_by_chair"] and (c["confirmed_by_chair"] or not c["suggested"])
    return {
        "id": c["id"],
        "person": c["person"],
        "name": name,
        "description": c["description"],
        "suggested": c["suggested"],
        "confirmed_by_chair": c["confirmed_by_chair"],
        "dismissed_by_chair": c["dismissed_by_chair"],
        "counts": counts,
    }


def _outcome(stored: dict) -> dict:
    """The stored outcome (a ``DecisionOutcome`` as JSON) as the API shows it."""
    quorum, result = stored["quorum"], stored["result"]
    return {
        "quorate": quorum["quorate"],
        "quorum": quorum["message"],
        "result": result["result"],
        "result_label": LABELS["decisions"]["result"][result["result"]],
        "explanation": result["explanation"],
        "tally": stored["tally"],
        "valid": stored["valid"],
        "reasons": stored["reasons"],
        "warnings": stored["warnings"],
        "decision_of": stored["decision_of"],
    }


def _decision(row: dict) -> dict:
    if row["amount"] is not None:
        row["amount"] = str(row["amount"])
    row["risk_rating"] = risk_rating(row["risk_score"])
    row["conflicts"] = [_conflict(c) for c in row["conflicts"] or ()]
    row["outcome"] = _outcome(row["outcome"])
    return row


# The lists the API numbers in pages (the short ones) answer their count too, as it does.
COUNTED = {"bodies": "bodies_body", "committees": "committees_committee"}

HOLDER = ("membership", "person", "name", "start", "end", "term_end", "status", "on_behalf_of")


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _row(resource: str, columns: list[str], values, labelled) -> dict:
    row = {}
    holder = {}
    for name, value in zip(columns, values, strict=True):
        value = _plain(value)
        if name.startswith("h_"):
            holder[name[2:]] = value
            continue
        row[name] = value
        if name in labelled:
            # A blank choice is labelled "", a null one null, as the API does.
            label = None if value is None else ""
            row[f"{name}_label"] = LABELS[resource][name].get(str(value), label)
    if resource == "decisions":
        return _decision(row)
    if resource == "seats":
        row["label"] = row["title"] or row["role_label"]
        row["holder"] = None
        if holder["membership"] is not None:
            row["holder"] = {
                **{key: holder[key] for key in HOLDER[:7]},
                "status_label": LABELS["memberships"]["status"][holder["status"]],
                "on_behalf_of": holder["on_behalf_of"],
            }
    return row


_connection = None


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    return _connection.cursor()


# A record (``/<resource>/<id>/``): the list's query for one row, by the alias of its table.
ALIASES = {
    "memberships": "m",
    "seats": "seat",
    "bodies": "b",
    "committees": "c",
    "decisions": "d",
}


def _record(resource: str, pk: int):
    sql, labelled = QUERIES[resource]
    query, order = sql.rsplit("ORDER BY", 1)  # the list's own order, after its subqueries'
    # A list already filtered (decisions: public items only) gets one more condition.
    joiner = "AND" if query.rstrip().splitlines()[-1].lstrip().startswith("WHERE") else "WHERE"
    sql = f"{query}{joiner} {ALIASES[resource]}.id = %(id)s\n        ORDER BY{order}"
    with _cursor() as cursor:
        cursor.execute(sql, {"limit": 1, "today": datetime.date.today(), "id": pk})
        columns = [c.name for c in cursor.description]
        found = cursor.fetchone()
    return None if found is None else _row(resource, columns, found, labelled)


def _answer(start_response, status: str, body: bytes):
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


def _json(start_response, page) -> list[bytes]:
    return _answer(start_response, "200 OK", json.dumps(page, separators=(",", ":")).encode())


def report(environ, start_response, found) -> list[bytes]:
    """A system's composition, a committee's compliance or a system's Popolo export
    (``benchmarks/floor_reports.py``) on ``as_of`` (today by default)."""
    name, arguments = found
    query = parse_qs(environ.get("QUERY_STRING", ""))
    as_of = query.get("as_of")
    day = datetime.date.fromisoformat(as_of[0]) if as_of else datetime.date.today()
    with _cursor() as cursor:
        page = floor_reports.answer(cursor, name, arguments, day)
    if page is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    return _json(start_response, page)


def application(environ, start_response):
    path = environ.get("PATH_INFO", "").strip("/")
    found = floor_reports.route(path)
    if found:
        return report(environ, start_response, found)
    parts = path.split("/")
    if len(parts) == 2 and parts[0] in ALIASES and parts[1].isdigit():
        row = _record(parts[0], int(parts[1]))
        if row is None:
            return _answer(start_response, "404 Not Found", b'{"detail":"Not found."}')
        return _answer(start_response, "200 OK", json.dumps(row, separators=(",", ":")).encode())
    resource = parts[0]
    if len(parts) != 1 or resource not in QUERIES:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    query = parse_qs(environ.get("QUERY_STRING", ""))
    limit = min(int(query.get("page_size", ["50"])[0]), 200)
    sql, labelled = QUERIES[resource]
    with _cursor() as cursor:
        cursor.execute(sql, {"limit": limit, "today": datetime.date.today()})
        columns = [c.name for c in cursor.description]
        rows = [_row(resource, columns, values, labelled) for values in cursor.fetchall()]
        page = {"next": f"/{resource}/?cursor=next", "previous": None, "results": rows}
        if resource in COUNTED:
            cursor.execute(f"SELECT count(*) FROM {COUNTED[resource]}")
            page = {"count": cursor.fetchone()[0], **page}
    body = json.dumps(page, separators=(",", ":")).encode()
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
