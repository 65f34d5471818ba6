"""The Content-Security-Policy allows no inline script, and no template needs one."""

import re
from pathlib import Path

import pytest

import ducha

PACKAGE = Path(ducha.__file__).parent
TEMPLATES = sorted(PACKAGE.glob("*/templates/**/*.html"))


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def test_pages_carry_a_policy_without_inline_script(client_for, office):
    policy = directives(client_for(office).get("/projects/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]


@pytest.mark.django_db
def test_the_sign_in_page_carries_the_policy_too(client):
    assert directives(client.get("/accounts/login/"))["script-src"] == ["'self'"]


def test_admin_pages_carry_the_policy(client_for, office):
    response = client_for(office).get("/admin/", follow=True)
    assert "'unsafe-inline'" not in directives(response)["script-src"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_templates_have_no_inline_script_or_event_handler(template):
    html = template.read_text()
    inline_scripts = [tag for tag in re.findall(r"<script\b[^>]*>", html) if " src=" not in tag]
    assert not [tag for tag in inline_scripts if 'type="application/json"' not in tag]
    assert not re.findall(r"\son[a-z]+\s*=", html)
