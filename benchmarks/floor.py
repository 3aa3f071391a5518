"""The floor: a bare WSGI application serving the first page of the API's lists, the same
rows and fields, from hand-written SQL, JSON-encoded with the standard library.

Run under the same gunicorn as the API (``benchmarks/api.py`` starts both): what the API
costs beyond this is the framework's, the ORM's and our code's share, the figure issue 13
asks for. It reads ``DATABASE_URL`` and the choice labels the harness writes to
``FLOOR_LABELS`` (a JSON file: {field: {value: label}}), so it imports nothing of the
project. ``/<resource>/?page_size=N`` answers ``{"next": ..., "previous": null,
"results": [...]}``; anything else is 404.
"""

import datetime
import json
import os
from urllib.parse import parse_qs

import psycopg

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


def application(environ, start_response):
    resource = environ.get("PATH_INFO", "").strip("/")
    if resource not in QUERIES:
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
