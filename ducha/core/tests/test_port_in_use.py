"""`ducha demo` and `ducha serve` on a port another program holds stop at once with a hint, before loading anything."""

import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from ducha.core.management.commands import demo, serve
from ducha.projects.models import Project
from ducha.units.models import Unit


@pytest.fixture
def taken_port():
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    yield holder.getsockname()[1]
    holder.close()


@pytest.fixture
def no_server(monkeypatch):
    """Fails the test instead of serving, should the check let a taken port through."""

    def run_gunicorn(*args, **kwargs):
        raise AssertionError("the server was started")

    monkeypatch.setattr(serve, "run_gunicorn", run_gunicorn)
    monkeypatch.setattr(demo, "run_gunicorn", run_gunicorn)


@pytest.mark.django_db
def test_demo_on_a_taken_port_names_the_port_option_and_loads_nothing(taken_port, no_server, monkeypatch):
    monkeypatch.setenv("DUCHA_DEMO_PASSWORD", "demo-password-1")
    units_before = Unit.objects.count()
    with pytest.raises(CommandError) as raised, translation.override("zh-hans"):  # the CLI's language
        call_command("demo", port=taken_port, stdout=StringIO())
    assert f"端口{taken_port}" in str(raised.value) and "--port" in str(raised.value)
    assert Unit.objects.count() == units_before and not Project.objects.exists()


@pytest.mark.django_db
def test_serve_on_a_taken_port_names_the_port_option(taken_port, no_server):
    with pytest.raises(CommandError, match="--port"):
        call_command("serve", port=taken_port, no_migrate=True, stdout=StringIO())


def test_a_free_port_passes_the_check():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serve.ensure_port_free("127.0.0.1", port)
