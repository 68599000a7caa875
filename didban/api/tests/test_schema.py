"""`/api/schema/` is a valid OpenAPI 3 document: every operation has a response schema, the
bearer token is declared, the schema is generated without warnings (nested Input/Output
serializers of different views do not collide), and `/api/docs/` serves the vendored
Swagger UI without any CDN address."""

from __future__ import annotations

import json
import re
from pathlib import Path

import drf_spectacular
import jsonschema
import pytest
from django.urls import reverse
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

OPENAPI_3_0 = Path(drf_spectacular.__file__).parent / "validation" / "openapi_3_0_schema.json"


@pytest.fixture
def schema(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    jsonschema.validate(schema, json.loads(OPENAPI_3_0.read_text()))


def test_every_operation_has_a_response_schema(schema):
    operations = 0
    for path, item in schema["paths"].items():
        assert path.startswith("/api/v1/"), path
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            operations += 1
            ok = [code for code in operation["responses"] if code.startswith("2")]
            assert ok, f"{method} {path} has no success response"
            for code in ok:
                if code == "204":
                    continue
                content = operation["responses"][code].get("content", {})
                assert any("schema" in media for media in content.values()), (
                    f"{method} {path} {code}"
                )
    assert operations >= 9


def test_the_foundation_endpoints_are_described(schema):
    ids = {op["operationId"] for item in schema["paths"].values() for op in item.values()}
    assert {"me", "tokens_list", "tokens_issue", "tokens_revoke", "organizations_list",
            "organizations_detail", "organizations_create", "places_list",
            "places_detail"} <= ids  # fmt: skip
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    components = schema["components"]["schemas"]
    assert "OrganizationCreateApiInputRequest" in components
    assert "TokenIssueApiOutput" in components and "MeApiOutput" in components


def test_schema_generation_has_no_warnings():
    """Enum naming notes (of the domain apps; the foundation's are named in settings) are cosmetic (the schema stays correct) and are
    left to those apps; everything else is a defect."""
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    problems = [
        w for w in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if "multiple names for the same choice set" not in w and "enum naming" not in w
    ]  # fmt: skip
    GENERATOR_STATS.reset()
    assert problems == []


def test_docs_page_uses_vendored_swagger_only(client_for, personas):
    response = client_for(personas.county_editor).get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "/static/vendor/swagger-ui/swagger-ui.css" in html
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert external == []
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_docs_page_needs_a_login(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302
