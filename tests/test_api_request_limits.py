"""Request limits and a fuzz of every write operation (issue 14): bodies too large are 413,
too deep or malformed are 400, both in the API's error format, and no body makes a 5xx."""

import datetime
import io
import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.exceptions import ParseError

from appointments.models import Reason
from appointments.services import round_open
from committees.services import committees_in_common_create
from core.api.parsers import JSONParser, RequestTooLarge, nesting_depth
from reorganisations.services import reorganisation_plan_create
from tests.api_support import API, api_rates, governance_unit, make_officer, session_client  # noqa: F401
from tests.factories import IntegratedCareSystemFactory
from tests.reorganisation_builders import PLAN_TEXT, merger_ready


@pytest.fixture
def unit(db):
    unit = governance_unit(IntegratedCareSystemFactory())
    # An appointment round, so that its operations have a record to act on.
    unit.round = round_open(
        seat=unit.vacant_seat, opened_on=datetime.date(2023, 7, 1), reason=Reason.VACANCY
    )
    committees_in_common_create(name="People Committees in Common", bodies=[unit.body])
    merger_ready()
    reorganisation_plan_create(document=PLAN_TEXT)
    return unit


@pytest.fixture
def superuser_client(unit, django_user_model):
    """The fuzz writes as a superuser, whom no permission stops before the body is read."""
    return session_client(
        django_user_model.objects.create_superuser("root", "root@example.nhs.uk", "pw")
    )


@pytest.fixture
def client(unit):
    return session_client(make_officer(unit.ics, username="officer_a"))


def assert_error(response, status, code):
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"status", "code", "detail", "errors"}
    assert (body["status"], body["code"]) == (status, code)
    return body


def post_raw(client, url, body: bytes, content_type="application/json"):
    return client.generic("POST", url, body, content_type=content_type)


# -- the parser ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, depth",
    [
        ("1", 0),
        ("[]", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('["[[[[", "]]"]', 1),  # brackets inside strings do not count
        (r'["\"[[[", "\\"]', 1),  # nor after escaped quotes
        ("[" * 40 + "]" * 40, 40),
    ],
)
def test_nesting_depth_counts_brackets_outside_strings(text, depth):
    assert nesting_depth(text.encode()) == depth


def parse(body: bytes):
    return JSONParser().parse(io.BytesIO(body), "application/json", {})


def test_the_parser_accepts_ordinary_json():
    assert parse(b'{"name": "Dr A \\u00e9", "n": [1, 2.5, null, true]}') == {
        "name": "Dr A é",
        "n": [1, 2.5, None, True],
    }


@pytest.mark.parametrize(
    "body, message",
    [
        (b"[" * 33 + b"]" * 33, "nested 33 levels deep"),
        (b'{"a": NaN}', "NaN is not a JSON value"),
        (b'{"a": -Infinity}', "-Infinity is not a JSON value"),
        (b'{"name": "\\ud800"}', "lone surrogate"),
        (b'{"\\udfff": 1}', "lone surrogate"),
        (b'{"name": "a\\u0000b"}', "NUL character"),
        (b'{"n": ' + b"9" * 5000 + b"}", "JSON parse error"),
        (b"\xff\xfe\x00\x01", "JSON parse error"),
        (b"{not json", "JSON parse error"),
    ],
)
def test_the_parser_refuses_what_no_record_can_hold(body, message):
    with pytest.raises(ParseError, match=message.replace("(", r"\(")):
        parse(body)


def test_a_body_without_a_declared_length_is_bounded_as_it_is_read(settings):
    settings.API_MAX_BODY_BYTES = 100
    assert parse(b"[" + b"1," * 40 + b"1]")  # 83 bytes
    with pytest.raises(RequestTooLarge):
        parse(b"[" + b"1," * 60 + b"1]")


# -- over HTTP ----------------------------------------------------------------------------


def test_a_body_over_the_limit_is_413_in_the_error_format(unit, client, settings):
    settings.API_MAX_BODY_BYTES = 1024 * 1024
    body = json.dumps({"name": "x" * (3 * 1024 * 1024)}).encode()
    response = post_raw(client, f"{API}/people/", body)
    error = assert_error(response, 413, "request_too_large")
    assert "1,048,576 bytes" in error["detail"]


def test_a_body_over_the_limit_is_refused_for_anyone_before_it_is_read(unit, settings):
    from rest_framework.test import APIClient

    settings.API_MAX_BODY_BYTES = 1000
    response = post_raw(APIClient(), f"{API}/people/", b"[" + b"1," * 1000 + b"1]")
    assert_error(response, 413, "request_too_large")


def test_deeply_nested_json_is_400_not_a_recursion_error(unit, client):
    response = post_raw(client, f"{API}/people/", b"[" * 3000 + b"]" * 3000)
    body = assert_error(response, 400, "parse_error")
    assert "nested 3000 levels deep" in body["detail"]


def test_a_lone_surrogate_in_a_name_is_400(unit, client):
    response = post_raw(client, f"{API}/people/", b'{"name": "Dr \\ud83d"}')
    assert_error(response, 400, "parse_error")


# -- every write operation, fuzzed ----------------------------------------------------------

BAD_BODIES = {
    "nested": b"[" * 3000 + b"]" * 3000,
    "binary": bytes(range(256)) * 4,
    "malformed": b'{"name": "unterminated',
    "truncated": b'{"start": "2024-01-01", "seat": ',
    "nan": b'{"start": NaN}',
    "surrogate": b'{"name": "\\udc00", "title": "\\ud800"}',
    "nul": b'{"name": "\\u0000", "description": "\\u0000"}',
    "null": b"null",
    "list": b"[1, 2, 3]",
    "string": b'"a string"',
    "number": b"12345678901234567890123456789012345678901234567890",
    "wrong types": json.dumps(
        {
            name: value
            for name, value in zip(
                ["name", "start", "end", "seat", "person", "date", "effective_from", "amount"],
                [[], {"a": 1}, 12, "x", -1, "2024-13-45", True, "1e999"],
                strict=True,
            )
        }
    ).encode(),
    "huge numbers": b'{"seat": 1e999, "person": 99999999999999999999999, "amount": -1e308}',
    "deep values": json.dumps({"name": [[[[[[["x"]]]]]]], "start": {"a": {"b": {}}}}).encode(),
}


def write_operations() -> list[tuple[str, str]]:
    """(method, path template) of every operation in the schema that takes a body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in schema["paths"].items():
        for method in ("post", "put", "patch"):
            if method in operations:
                found.append((method.upper(), path))
    return found


def real_ids(unit) -> dict[str, str]:
    """A real record's lookup value for each resource, so that the body is read."""
    from ics_registry.api_urls import ROUTES

    ids = {}
    for prefix, viewset, _ in ROUTES:
        lookup = getattr(viewset, "lookup_field", "pk")
        record = viewset.queryset.model.objects.order_by("pk").first()
        if record is not None:
            ids[prefix] = str(getattr(record, lookup if lookup != "pk" else "pk"))
    ids["systems"] = unit.ics.code
    return ids


def concrete(path: str, ids: dict[str, str]) -> str | None:
    prefix = path.removeprefix("/api/v1/").split("/", 1)[0]
    if "{" not in path:
        return path
    if prefix not in ids:
        return None
    return path.split("{", 1)[0] + ids[prefix] + "/" + path.split("}/", 1)[1]


def test_the_fuzz_reaches_every_write_operation_with_a_real_record(unit):
    operations = write_operations()
    assert len(operations) > 40
    ids = real_ids(unit)
    assert all(concrete(path, ids) for _, path in operations), [
        path for _, path in operations if not concrete(path, ids)
    ]


@pytest.mark.parametrize("kind", sorted(BAD_BODIES))
def test_no_bad_body_makes_a_server_error_on_any_write_operation(unit, superuser_client, kind):
    ids = real_ids(unit)
    failures = []
    for method, path in write_operations():
        url = concrete(path, ids)
        response = superuser_client.generic(
            method,
            url,
            BAD_BODIES[kind],
            content_type="application/json",
            HTTP_IF_MATCH="*",
        )
        if response.status_code >= 500:
            failures.append(f"{method} {url}: {response.status_code}")
        elif response.status_code >= 400:
            body = response.json()
            if set(body) != {"status", "code", "detail", "errors"}:
                failures.append(f"{method} {url}: {response.status_code} {body}")
    assert not failures, failures
