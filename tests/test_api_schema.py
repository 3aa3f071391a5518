"""The OpenAPI schema: generated without warnings, served with offline docs, and honoured.

The schemathesis run generates requests for every operation from the schema (valid ones
and deliberately invalid ones), as an anonymous client and as an officer with an API
token, and checks that no answer is a server error and that every answer matches what
the schema documents (status code, content type, body).
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.services import api_token_create
from tests.api_support import API, api_rates, governance_unit  # noqa: F401
from tests.appointments_builders import appointments_rows
from tests.conftest import shared_data
from tests.factories import IntegratedCareSystemFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 8


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
                )
            )
            headers = {
                p["name"]: p.get("required", False)
                for p in operation.get("parameters", [])
                if p["in"] == "header"
            }
            assert headers.get("If-Match", False) is changing, (method, path)


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
    def build():
        from django.contrib.auth import get_user_model

        unit = governance_unit(IntegratedCareSystemFactory(code="QSL", name="Somerset"))
        appointments_rows(unit.ics)
        governance_unit(IntegratedCareSystemFactory())
        superuser = get_user_model().objects.create_superuser("root", "root@example.nhs.uk", "pw")
        _, key = api_token_create(organisation=unit.ics.icb, name="Fuzzing", user=superuser)
        return key

    with shared_data(django_db_blocker, build) as key:
        yield key


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


def load_schema(app):
    generated = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(generated)
    schema.app = app
    return schema


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "officer token"])
def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(
    registry, wsgi_app, caller
):
    headers = {"Authorization": f"Token {registry}"} if caller == "officer token" else {}
    schema = load_schema(wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
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

            check()
