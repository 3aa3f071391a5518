"""The API's documentation pages, Swagger UI (/api/v1/docs/) and ReDoc (/api/v1/redoc/),
under the site's Content-Security-Policy (settings.CONTENT_SECURITY_POLICY).

drf-spectacular's own templates have an inline ``<style>`` and inline scripts, and its
ReDoc page loads Google Fonts; the policy refuses all three and the product works offline.
Swagger UI is drf-spectacular's split view, which serves its start-up script at
``?script`` (its answer to strict policies), in a page styled from a file. ReDoc starts
from a file too; it draws with styled-components, which inserts ``<style>`` elements, so
that page alone allows styles carrying its request's nonce, which the start-up script
hands to ReDoc, and a ``blob:`` worker for its search. ReDoc's bundle inserts one
``<style>`` (perfect-scrollbar's) as it loads, before it knows the nonce: that page allows
it by its hash, and the empty element it starts as.
"""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    template_name = "api_docs/swagger_ui.html"


# The hashes of perfect-scrollbar's <style> in drf-spectacular-sidecar's ReDoc bundle,
# empty then filled; tests/browser/test_content_security_policy.py fails if a new bundle
# inserts anything else.
REDOC_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",
]


@method_decorator(
    csp_update({"style-src": [NONCE, *REDOC_STYLE_HASHES], "worker-src": ["'self'", "blob:"]}),
    name="dispatch",
)
class RedocView(SpectacularRedocView):
    template_name = "api_docs/redoc.html"
