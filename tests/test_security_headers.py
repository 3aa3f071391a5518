"""Browser protections on every kind of answer (issue 14, Security): the
Content-Security-Policy (django-csp; settings.CONTENT_SECURITY_POLICY), frame denial, the
referrer policy and no MIME sniffing, on pages, the API, the admin, the API's
documentation and static files; and no template has code the policy refuses.

The policy in a real browser, page by page: tests/browser/test_content_security_policy.py.
HSTS and the HTTPS redirect are production's: tests/test_settings.py.
"""

import re
from pathlib import Path

import pytest

from tests.inline_code import inline_code

ROOT = Path(__file__).resolve().parent.parent
STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
ANSWERS = {
    "page": "/",
    "page not found": "/no-such-page/",
    "sign-in page": "/sign-in/",
    "API list": "/api/v1/regions/",
    "API error": "/api/v1/no-such-resource/",
    "API schema": "/api/v1/schema/",
    "Swagger UI": "/api/v1/docs/",
    "Swagger UI's script": "/api/v1/docs/?script=",
    "admin sign-in": "/admin/login/",
}


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (d.split() for d in header.split(";"))}


def assert_protected(response) -> None:
    assert policy(response) == STRICT
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANSWERS)
def test_every_kind_of_answer_has_the_strict_policy_and_denies_framing(client, name):
    response = client.get(ANSWERS[name])
    assert response.status_code < 500
    assert_protected(response)
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_signed_in_admin_and_officer_pages_have_the_strict_policy(client, officer):
    client.force_login(officer)
    for url in ("/admin/", "/admin/committees/committee/", "/reorganisations/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_protected(response)


def test_static_files_have_the_policy_too(client):
    """An SVG or HTML file opened on its own runs under the same policy."""
    response = client.get("/static/web/web.css")
    assert response.status_code == 200
    assert_protected(response)


@pytest.mark.django_db
def test_redoc_alone_may_insert_styles_carrying_its_nonce(client):
    """ReDoc draws with styled-components, which inserts <style> elements: its page's
    policy adds that request's nonce (given to ReDoc by redoc.js's tag), the hashes of the
    one style its bundle inserts before it knows the nonce, and a blob: search worker."""
    response = client.get("/api/v1/redoc/")
    csp = policy(response)
    nonce = next(v for v in csp["style-src"] if v.startswith("'nonce-"))
    page = response.content.decode()
    assert f'nonce="{nonce[7:-1]}"' in page
    assert csp["style-src"][0] == "'self'"
    assert [v.split("-")[0] for v in csp["style-src"][1:]] == ["'nonce", "'sha256", "'sha256"]
    assert csp["worker-src"] == ["'self'", "blob:"]
    assert csp["script-src"] == ["'self'"]
    assert "googleapis" not in page
    assert inline_code(page) == []
    other = policy(client.get("/api/v1/redoc/"))["style-src"]
    assert other != csp["style-src"], "each answer has its own nonce"


@pytest.mark.django_db
def test_swagger_ui_starts_from_a_script_file(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert inline_code(page) == []
    assert 'src="/api/v1/docs/?script="' in page
    script = client.get("/api/v1/docs/?script=")
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


def page_templates() -> list[Path]:
    """Every template that makes a page (e-mails are not pages: no policy applies)."""
    templates = [*ROOT.glob("*/templates/**/*.html"), *ROOT.glob("templates/**/*.html")]
    return sorted(
        path for path in templates if "email" not in path.parts and ".venv" not in str(path)
    )


def test_the_page_templates_are_found():
    names = {path.relative_to(ROOT).as_posix() for path in page_templates()}
    assert "web/templates/web/base.html" in names
    assert "templates/admin/audit_history.html" in names
    assert not any("/email/" in name for name in names)


# Template comments are not sent, and may name what they avoid ("no inline <style>").
COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


@pytest.mark.parametrize("path", page_templates(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_template_has_inline_scripts_or_styles(path):
    assert inline_code(COMMENTS.sub("", path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<script type="module">import "x";</script>',
        "<style>p {}</style>",
        '<div class="a" style="width: 1px">',
        '<svg><a onclick="go()">',
        '<a href="javascript:go()">',
    ],
)
def test_inline_code_is_recognised(html):
    assert inline_code(html)


def test_script_files_and_ordinary_markup_are_not_inline_code():
    assert inline_code('<script src="/static/web/init.js" type="module"></script>') == []
    assert inline_code('<p class="note">Decisions on 1 April: the styles of seats</p>') == []
