"""The OpenAPI document is JSON without repeated keys: Swagger UI reads it as YAML, which refuses them (the API
page then draws nothing)."""

import json

import pytest


def _no_repeated_keys(pairs):
    keys = [key for key, _value in pairs]
    repeated = {key for key in keys if keys.count(key) > 1}
    assert not repeated, f"repeated keys in the OpenAPI document: {sorted(repeated)}"
    return dict(pairs)


@pytest.mark.django_db
def test_the_openapi_document_repeats_no_key(client_for, office):
    response = client_for(office).get("/api/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content, object_pairs_hook=_no_repeated_keys)
    assert "403" in schema["paths"]["/api/projects"]["post"]["responses"]
