"""The OpenAPI schema: generated without warnings, served with offline docs, and honoured.

The schemathesis run generates requests for every operation from the schema (valid ones
and deliberately invalid ones) as each kind of caller: anonymous, a partner organisation's
token and an officer's token. Every check schemathesis has is run on every answer: no
server error; status code, content type, headers and body as documented; invalid data
refused and valid data accepted; a missing required header refused; authentication
declared only where it is enforced (reads are open to anyone, and the schema says so);
and the rest. Valid data may still be refused for what the schema cannot know (a record
it names does not exist, a rule refuses it): ``positive_data_acceptance`` accepts only
the refusals named in DOMAIN_REFUSALS. Every failure of every operation is reported at
once.
"""

import re
from collections import defaultdict

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks
from schemathesis.config._checks import (
    MissingRequiredHeaderConfig,
    NegativeDataRejectionConfig,
)
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.meta import CoverageScenario
from schemathesis.generation.overrides import Override
from werkzeug.test import Client as WerkzeugClient

from bodies.models import OrganisationKind
from core.services import api_token_create
from tests.api_support import API, api_rates, governance_unit, make_officer  # noqa: F401
from tests.appointments_builders import appointments_rows
from tests.conftest import shared_data
from tests.factories import IntegratedCareSystemFactory, OrganisationFactory

# Refusals a request valid by the schema still meets, because the schema cannot know the
# registry's data. Each is named; a 400, 404, 409 or 412 whose messages are not all one of
# these fails positive_data_acceptance.
DOMAIN_REFUSALS = {
    "a rule refuses it": r"\(R\d+\)",
    "the record in the path does not exist": r"^No [\w ]+ matches the given query\.$",
    "a page past the last": r"^No such page: ",
    "If-Match is not the record's ETag (one the schema cannot know)": (
        r"^This record has changed since you read it: "
    ),
    "other records still refer to the one deleted": (
        r"^This record cannot be deleted while \d+ other record\(s\) refer to it"
    ),
    "a filter names a record that does not exist": (
        r"^Select a valid choice\. That choice is not one of the available choices\.$"
    ),
    "the body names a record that does not exist": (
        r'^Invalid pk "[^"]*" - object does not exist\.$|^Object with \w+=.* does not exist\.$'
    ),
}
DOMAIN_REFUSAL = re.compile("|".join(f"(?:{pattern})" for pattern in DOMAIN_REFUSALS.values()))
# Fields whose format the schema states only in words: a reorganisation plan's document is
# YAML in its own format (docs/reorganisation-plan-format.md), checked when it is saved.
FORMATTED_IN_WORDS = {("/reorganisations/", "document")}
ACCEPTED = {200, 201, 204, 304, 401, 403, 429}


def refusal_messages(response, case) -> list[str] | None:
    """The messages of a 4xx in the API's error shape, the ones about a field formatted in
    words left out; None when the body is not in that shape."""
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("errors"), dict):
        return None
    formatted = {
        name
        for path, name in FORMATTED_IN_WORDS
        if case.operation.path.startswith(f"/api/v1{path}")
    }
    errors = {name: ms for name, ms in body["errors"].items() if name not in formatted}
    if body["errors"] and not errors:
        return []
    return [m for ms in errors.values() for m in ms] or [str(body.get("detail", ""))]


def positive_data_acceptance(ctx, response, case):
    """schemathesis' check, except that a 400, 404, 409 or 412 passes when every message is
    one of the named DOMAIN_REFUSALS: anything else fails."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code in ACCEPTED:
        return None
    messages = refusal_messages(response, case)
    refused_by_domain = messages is not None and all(map(DOMAIN_REFUSAL.search, messages))
    if response.status_code in (400, 404, 409, 412) and refused_by_domain:
        return None
    raise AssertionError(f"Valid data refused: {response.status_code} {response.text[:500]}")


load_all_checks()
CHECKS = [
    positive_data_acceptance if check.__name__ == "positive_data_acceptance" else check
    for check in REGISTERED_CHECKS.get_all()
    if not isinstance(check, type)
]
# 149 operations, each in two modes, for three callers: 4 examples each (plus the probes
# some checks send) keep the three runs to 4-6 minutes on a loaded 2-core machine;
# the time grows with the examples (an earlier run of 3 callers took 11 minutes).
# Generation is derandomized and keeps no example database, so every run sends the same
# requests and a failure reproduces.
EXAMPLES_PER_OPERATION = 4
# No answer of the test registry may take longer than this (max_response_time): well above
# the slowest answer seen on a loaded 2-core machine, far below a timeout.
MAX_RESPONSE_SECONDS = 5.0
# A change sent without If-Match is refused with 428 Precondition Required (RFC 6585), which
# the schema documents; schemathesis' missing_required_header expects 400-level statuses.
MISSING_HEADER_STATUSES = [*MissingRequiredHeaderConfig().expected_statuses, "428"]
# A change whose If-Match matches no ETag is refused with 412 before its body is read, as
# RFC 9110 (13.2.1) orders preconditions: so is one whose body is also invalid.
INVALID_DATA_STATUSES = [*NegativeDataRejectionConfig().expected_statuses, "412"]
# The coverage phase's cases that fuzzing never sends: a method the schema does not list
# (unsupported_method, allow_header_conformance), a required parameter or header left out
# (missing_required_header), and a body in a content type the operation does not take.
COVERAGE_SCENARIOS = {
    CoverageScenario.UNSPECIFIED_HTTP_METHOD,
    CoverageScenario.MISSING_PARAMETER,
    CoverageScenario.MALFORMED_CONTENT_TYPE,
    CoverageScenario.UNSUPPORTED_CONTENT_TYPE,
}


def test_the_schema_generates_and_validates_without_warnings(capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    assert "Warning" not in capsys.readouterr().err


@pytest.mark.django_db
def test_the_schema_and_its_documentation_are_served_without_a_cdn(client):
    schema = client.get(f"{API}/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "ICS Governance Registry API"
    for page in ("docs", "redoc"):
        html = client.get(f"{API}/{page}/").content.decode()
        assert "/static/drf_spectacular_sidecar/" in html, page
        assert "cdn." not in html and "unpkg" not in html, page
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")


def test_every_changing_operation_requires_if_match():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            changing = method in ("put", "patch", "delete") or path.endswith(
                (
                    "/end/",
                    "/abolish/",
                    "/replace/",
                    "/complete/",
                    "/reopen/",
                    "/apply/",
                    "/approve/",
                    "/nominations/",
                    "/candidates/",
                    "/select/",
                    "/approvals/",
                    "/appoint/",
                    "/close/",
                    "/cancel/",
                    "/reappoint/",
                    "/expire-term/",
                    "/erase/",
                )
            )
            headers = {
                p["name"]: p.get("required", False)
                for p in operation.get("parameters", [])
                if p["in"] == "header"
            }
            assert headers.get("If-Match", False) is changing, (method, path)


def test_reads_are_open_to_anyone_and_writes_need_credentials_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            anonymous = {} in operation["security"]
            assert anonymous is (method == "get"), (method, path)


def test_the_schema_documents_413_on_every_body_and_refuses_unknown_properties():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert ("413" in operation["responses"]) is (method in ("post", "put", "patch"))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                name = body["schema"]["$ref"].rsplit("/", 1)[-1]
                assert components[name]["additionalProperties"] is False, (method, path)


def test_a_change_offers_no_field_fixed_at_creation_or_changed_only_by_an_action():
    """A membership's seat and person are fixed at creation, its end, end reason and status
    change only through its actions: neither a PUT nor a PATCH offers them."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = schema["paths"]["/api/v1/memberships/{id}/"]
    components = schema["components"]["schemas"]
    for method in ("put", "patch"):
        ref = operations[method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        offered = set(components[ref.rsplit("/", 1)[-1]]["properties"])
        assert offered == {"start", "on_behalf_of"}, method
    assert {"seat", "person", "end", "status"} <= set(components["MembershipRequest"]["properties"])


@pytest.mark.parametrize("resource", ["systems", "bodies", "organisations"])
def test_the_lists_of_systems_bodies_and_organisations_document_as_of(resource):
    """R30: ``as_of`` gives that date's configuration."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = schema["paths"][f"/api/v1/{resource}/"]["get"]["parameters"]
    (as_of,) = [p for p in parameters if p["name"] == "as_of"]
    assert as_of["schema"] == {"type": "string", "format": "date"}
    assert "in force on this date" in as_of["description"]
    properties = schema["components"]["schemas"]
    model = {"systems": "System", "bodies": "Body", "organisations": "Organisation"}[resource]
    for field in ("predecessors", "successors"):
        assert properties[model]["properties"][field]["items"] == {
            "$ref": "#/components/schemas/SuccessionLink"
        }


@pytest.fixture(scope="module")
def registry(django_db_setup, django_db_blocker):
    """Two systems' governance, and an API key for each kind of caller that sends one:
    a partner organisation's token (no officer behind it) and an officer of Somerset's."""

    def build():
        unit = governance_unit(IntegratedCareSystemFactory(code="QSL", name="Somerset"))
        appointments_rows(unit.ics)
        governance_unit(IntegratedCareSystemFactory())
        partner = OrganisationFactory(kind=OrganisationKind.NHS_TRUST)
        _, partner_key = api_token_create(organisation=partner, name="Partner")
        officer = make_officer(unit.ics, username="officer")
        _, officer_key = api_token_create(organisation=unit.ics.icb, name="Officer", user=officer)
        return {"anonymous": None, "partner token": partner_key, "officer token": officer_key}

    with shared_data(django_db_blocker, build) as keys:
        yield keys


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, kept on the test's database connection.

    Django closes connections at the end of each request; Django's own test client
    stops that, so that a request runs inside the test's transaction, and so does this.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def load_schema(app, *, any_object_body=False):
    """The schema for schemathesis, with the time limit and the statuses of a missing
    header set. ``any_object_body``: every request body is any JSON object, for
    generating the cases whose point is not the body (see :func:`coverage_cases`)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    if any_object_body:
        for operations in generated["paths"].values():
            for operation in operations.values():
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    media["schema"] = {"type": "object"}
    schema = schemathesis.openapi.from_dict(generated)
    schema.app = app
    schema.config.checks.update(max_response_time=MAX_RESPONSE_SECONDS)
    schema.config.checks.missing_required_header = MissingRequiredHeaderConfig(
        expected_statuses=MISSING_HEADER_STATUSES
    )
    schema.config.checks.negative_data_rejection = NegativeDataRejectionConfig(
        expected_statuses=INVALID_DATA_STATUSES
    )
    return schema


def run_case(case, headers, label, failures):
    try:
        case.call_and_validate(headers=headers, checks=CHECKS)
    except (AssertionError, FailureGroup) as failure:
        failures.append(f"{label}: {failure}")


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "partner token", "officer token"])
def test_schemathesis_with_every_check_finds_nothing(registry, wsgi_app, caller):
    key = registry[caller]
    headers = {"Authorization": f"Token {key}"} if key else {}
    schema = load_schema(wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    failures = []
    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # Nothing to make invalid: an operation with no parameter and no body.
                assert mode is schemathesis.GenerationMode.NEGATIVE, operation.label
            except (AssertionError, FailureGroup) as failure:
                failures.append(f"{caller}, {mode.value} {operation.label}: {failure}")
    assert not failures, "\n\n".join(failures)


def existing_records(app) -> dict[str, dict[str, str]]:
    """For each path of the schema with a parameter, that parameter's value for a record
    that exists, read from the resource's own list: a method or header check on a drawn
    identifier only meets a 404. Read through ``app`` (:func:`wsgi_app`): Django's test
    client would connect Django's closing of connections to the requests again."""
    client = WerkzeugClient(app)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    first_rows = {}
    pinned = {}
    for path in schema["paths"]:
        found = re.match(r"^(/api/v1/[\w-]+/)(?:ods/)?\{(\w+)\}/", path)
        if found:
            collection, name = found.groups()
            if collection not in first_rows:
                rows = client.get(collection, query_string={"page_size": 1}).json["results"]
                first_rows[collection] = rows[0] if rows else None
            if first_rows[collection] is not None:
                pinned[path] = {name: str(first_rows[collection][name])}
    return pinned


@pytest.fixture(scope="module")
def coverage_cases(registry):
    """The coverage phase's cases of every operation in COVERAGE_SCENARIOS, both modes,
    generated once for the module. None of these scenarios is about the body's content
    (the fuzzing test is), and generating the coverage phase's bodies for the whole
    schema took over 20 minutes: the bodies are generated from any JSON object."""
    schema = load_schema(None, any_object_body=True)
    cases = defaultdict(list)
    for result in schema.get_all_operations():
        operation = result.ok()
        generator = CoverageGenerator(
            operation=operation,
            generation_modes=list(schemathesis.GenerationMode),
            generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
            auth_storage=None,
            override=Override(),
            feedback=FeedbackSources(),
        )
        for case in generator:
            if case.meta.phase.data.scenario in COVERAGE_SCENARIOS:
                cases[operation.path].append(case)
    return schema, cases


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "partner token", "officer token"])
def test_schemathesis_coverage_phase_with_every_check_finds_nothing(
    registry, coverage_cases, wsgi_app, caller
):
    """Unlisted methods get 405 with an Allow header, a change without If-Match gets 428,
    a missing required parameter or an unreadable body a 4xx in the error shape: on
    records that exist, so the answer is not merely a 404."""
    key = registry[caller]
    headers = {"Authorization": f"Token {key}"} if key else {}
    schema, cases = coverage_cases
    schema.app = wsgi_app
    pinned = existing_records(wsgi_app)
    assert len(pinned) > 40
    scenarios = {case.meta.phase.data.scenario for path in cases for case in cases[path]}
    assert scenarios == COVERAGE_SCENARIOS
    failures = []
    for path, path_cases in cases.items():
        for case in path_cases:
            case.operation.app = wsgi_app
            data = case.meta.phase.data
            if data.parameter_location is None or data.parameter_location.value != "path":
                case.path_parameters = {**(case.path_parameters or {}), **pinned.get(path, {})}
            label = f"{caller}, {data.scenario} {case.method} {path}"
            run_case(case, headers, label, failures)
    assert not failures, "\n\n".join(failures)
